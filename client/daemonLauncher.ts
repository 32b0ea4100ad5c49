// Finds the user's running daemon through its discovery file, or starts one detached, for the
// extension and the CLI alike.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  isPidAlive,
  readDiscovery,
  readSecret,
  type Discovery,
  type StatePaths,
} from '../protocol/discovery';

export interface LaunchOptions {
  paths: StatePaths;
  /** The bundled daemon, `dist/daemon.js`. */
  daemonScript: string;
  /** The Node to run it with: the editor's own (`process.execPath`) so users need no Node install. */
  nodePath: string;
  env?: NodeJS.ProcessEnv;
  extraArgs?: string[];
  timeoutMs?: number;
}

export interface DaemonEndpoint {
  discovery: Discovery;
  secret: string;
  /** True when this call started the daemon. */
  started: boolean;
}

/** Where the daemon's stderr goes: what it prints before its log exists, and what Node prints. */
export function stderrLogPath(paths: StatePaths): string {
  return path.join(paths.dir, 'daemon.stderr.log');
}

export function findDaemon(paths: StatePaths): DaemonEndpoint | undefined {
  const discovery = readDiscovery(paths);
  const secret = readSecret(paths);
  if (!discovery || !secret || !isPidAlive(discovery.pid)) return undefined;
  return { discovery, secret, started: false };
}

/** A running daemon, started if needed; rejects with a sentence naming the log to read. */
export async function ensureDaemon(options: LaunchOptions): Promise<DaemonEndpoint> {
  const running = findDaemon(options.paths);
  if (running) return running;
  fs.mkdirSync(options.paths.dir, { recursive: true, mode: 0o700 });
  // Watched before the spawn, so the discovery file's arrival cannot slip between look and wait.
  const changes = watchDir(options.paths.dir);
  try {
    const child = spawnDaemon(options);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    while (Date.now() < deadline) {
      const found = findDaemon(options.paths);
      if (found) return { ...found, started: true };
      const code = await Promise.race([exited, changes.next().then(() => 'waiting' as const)]);
      // Exit code 0 means another process won the race to become the daemon: keep looking for it.
      if (code !== 'waiting' && code !== 0)
        throw startFailure(options.paths, `exited with code ${code}`);
    }
    throw startFailure(options.paths, 'did not start in time');
  } finally {
    changes.close();
  }
}

/** How long a wait lasts with no change seen: the look again where the directory cannot be watched. */
const LOOK_AGAIN_MS = 200;

/**
 * Changes in `dir`: next() resolves at the first change since the last call (at once if one came
 * meanwhile), or after LOOK_AGAIN_MS. Watching saves the daemon's start a polling interval.
 */
function watchDir(dir: string): { next(): Promise<void>; close(): void } {
  let changed = false;
  let wake: (() => void) | undefined;
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(dir, () => {
      changed = true;
      wake?.();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // No watching here (inotify limits, some network filesystems): looking again on a timer will do.
  }
  return {
    next: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, LOOK_AGAIN_MS);
        function done() {
          clearTimeout(timer);
          changed = false;
          wake = undefined;
          resolve();
        }
        if (changed) done();
        else wake = done;
      }),
    close: () => watcher?.close(),
  };
}

function spawnDaemon(options: LaunchOptions) {
  const stderr = fs.openSync(stderrLogPath(options.paths), 'a', 0o600);
  try {
    const child = spawn(options.nodePath, [options.daemonScript, ...(options.extraArgs ?? [])], {
      detached: true,
      stdio: ['ignore', 'ignore', stderr],
      env: { ...daemonEnvironment(options.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
      windowsHide: true,
    });
    child.unref();
    return child;
  } finally {
    fs.closeSync(stderr);
  }
}

/**
 * The environment a daemon starts with: the starter's, minus the project link. The daemon serves
 * every window and terminal of the user, so which project a folder shows travels with each request
 * (FolderContext.env), never inherited from whoever happened to start it. Credentials are the
 * user's and stay: `auth.status` names the variable each came from.
 */
export function daemonEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of PER_FOLDER_VARIABLES) delete out[name];
  return out;
}

const PER_FOLDER_VARIABLES = ['RAILWAY_PROJECT_ID', 'RAILWAY_ENVIRONMENT_ID', 'RAILWAY_SERVICE_ID'];

function startFailure(paths: StatePaths, what: string): Error {
  return new Error(`The Railyard daemon ${what}. See ${stderrLogPath(paths)} and ${paths.log}.`);
}
