// The daemon's entry point (`node dist/daemon.js`): one daemon per user, clean stop on signals.
import {
  readDiscovery,
  stateDir,
  statePaths,
  type Discovery,
  type StatePaths,
} from '../protocol/discovery';
import { readConfig } from './config';
import { startDaemon, type RunningDaemon } from './daemon';
import { redactProcessOutput, reportCrashes } from './diagnostics/processOutput';
import { Redactor } from './diagnostics/redact';
import { clockFromEnv } from './testClock';
import {
  acquireStartLock,
  ensureStateDir,
  liveDiscovery,
  releaseStartLock,
} from './state/stateFiles';

// One redactor for the log and for everything the process prints, from the first line on.
const redactor = new Redactor();
redactProcessOutput(redactor);
let daemon: RunningDaemon | undefined;
reportCrashes({
  logger: () => daemon?.logger,
  stop: () => daemon?.stop('signal') ?? Promise.resolve(),
});

const address = (d: Discovery) =>
  `ws://127.0.0.1:${d.port} (pid ${d.pid}, version ${d.daemonVersion})`;

async function main(): Promise<number> {
  const paths = statePaths(stateDir());
  ensureStateDir(paths);
  const peer =
    liveDiscovery(paths) ?? (acquireStartLock(paths) ? undefined : await waitForPeer(paths));
  if (peer) {
    process.stdout.write(`Railyard daemon already running: ${address(peer)}\n`);
    return 0;
  }
  const config = readConfig(process.env, process.argv.slice(2));
  const started = await startDaemon({
    paths,
    config,
    redactor,
    now: clockFromEnv(process.env, config.railwayUrl),
  });
  daemon = started;
  const found = readDiscovery(paths);
  if (found) process.stdout.write(`Railyard daemon listening: ${address(found)}\n`);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => void started.stop('signal'));
  }
  await started.stopped;
  releaseStartLock(paths);
  return 0;
}

/** Another process holds the start lock: it is becoming the daemon, so wait for its discovery file. */
async function waitForPeer(paths: StatePaths): Promise<Discovery | undefined> {
  for (let i = 0; i < 100; i++) {
    const found = liveDiscovery(paths);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `Another Railyard daemon is starting but has not written ${paths.discovery} after 10 s; remove ${paths.lock} if no daemon is running.`,
  );
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`railyard daemon: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
