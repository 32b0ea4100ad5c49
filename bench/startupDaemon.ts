// The daemon's cold start as the extension meets it: spawn dist/daemon.js the way the extension
// does (client/daemonLauncher's ensureDaemon, in a throwaway RAILYARD_HOME), connect with the
// secret it wrote, and time until its first answer over the WebSocket (`initialize`). Baseline:
// the same Node spawning `node -e 0` and seeing it exit. The Node is the caller's choice: the
// extension runs the daemon with the extension host's own (process.execPath).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ensureDaemon } from '../client/daemonLauncher';
import { RpcClient } from '../client/rpcClient';
import { isPidAlive, statePaths } from '../protocol/discovery';

/** Milliseconds from spawning a daemon in a fresh state dir to its answer to `initialize`. */
export async function daemonFirstAnswer(daemonScript: string, nodePath: string): Promise<number> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-bench-startup-home-'));
  // HOME too: the daemon looks for the Railway CLI's login there, and must find none of the user's.
  const env = { ...process.env, RAILYARD_HOME: home, HOME: home };
  const start = performance.now();
  let pid: number | undefined;
  try {
    const endpoint = await ensureDaemon({
      paths: statePaths(home),
      daemonScript,
      nodePath,
      env,
    });
    pid = endpoint.discovery.pid;
    const client = await RpcClient.connect({
      port: endpoint.discovery.port,
      secret: endpoint.secret,
      client: { name: 'startup bench', kind: 'test' },
    });
    const ms = performance.now() - start;
    await stopDaemon(client);
    return ms;
  } finally {
    // A daemon that started but would not answer must not outlive its (removed) home.
    if (pid !== undefined && isPidAlive(pid)) process.kill(pid);
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** Asks the daemon to stop and waits (bounded) until its process is gone. */
async function stopDaemon(client: RpcClient): Promise<void> {
  const pid = client.daemonPid;
  await client.request('daemon.shutdown', {}).catch(() => undefined); // it may close first
  client.close();
  for (let i = 0; i < 250 && isPidAlive(pid); i++) await delay(20); // polling for its exit
  if (isPidAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** Milliseconds from spawning `node -e 0` (with `nodePath`) to its exit. */
export function nodeSpawnToExit(nodePath: string): Promise<number> {
  const start = performance.now();
  const child = spawn(nodePath, ['-e', '0'], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - start));
  });
}
