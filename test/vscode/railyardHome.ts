// Throwaway Railyard state dirs (RAILYARD_HOME) for tests, and the daemon and CLI that use them.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { isPidAlive, readDiscovery, statePaths, type Discovery } from '../../protocol/discovery';
import { repoRoot } from './workbench';

const run = promisify(execFile);
export const cliScript = path.join(repoRoot, 'dist', 'cli.js');

/** A fresh RAILYARD_HOME; tests must never touch the user's real daemon. */
export function makeHome(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `railyard-test-home-${label}-`));
}

/** daemon.json of the daemon serving `home`, if one is running. */
export function runningDaemon(home: string): Discovery | undefined {
  const discovery = readDiscovery(statePaths(home));
  return discovery && isPidAlive(discovery.pid) ? discovery : undefined;
}

export interface StatusClient {
  id: number;
  name: string;
  kind: string;
  connectedAt: string;
}
export interface DaemonStatus {
  running: boolean;
  pid?: number;
  clients?: StatusClient[];
}

/** `railyard daemon status --json` as the CLI prints it, run against `home`. */
export async function cliStatus(home: string): Promise<DaemonStatus> {
  const { stdout } = await run(process.execPath, [cliScript, 'daemon', 'status', '--json'], {
    env: { ...process.env, RAILYARD_HOME: home },
    timeout: 20_000,
  });
  return JSON.parse(stdout) as DaemonStatus;
}

/** Stops the daemon of `home` (CLI first, SIGKILL if that fails), keeps its log, removes the dir. */
export async function disposeHome(home: string): Promise<void> {
  const daemon = runningDaemon(home);
  if (daemon) {
    await run(process.execPath, [cliScript, 'daemon', 'stop', '--json'], {
      env: { ...process.env, RAILYARD_HOME: home },
      timeout: 15_000,
    }).catch(() => undefined);
    if (isPidAlive(daemon.pid)) killQuietly(daemon.pid);
  }
  // Keep the daemon's own log with the other test logs: it says what the daemon saw upstream.
  const log = statePaths(home).log;
  const kept = path.join(repoRoot, 'test-results', 'vscode', `daemon-${path.basename(home)}.log`);
  if (fs.existsSync(log)) {
    fs.mkdirSync(path.dirname(kept), { recursive: true });
    fs.copyFileSync(log, kept);
  }
  fs.rmSync(home, { recursive: true, force: true });
}

export function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
