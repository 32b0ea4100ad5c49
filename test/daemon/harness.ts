// Test helpers: a real daemon (in-process or as a child process) on port 0 in a temp state dir.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import {
  readDiscovery,
  readSecret,
  statePaths,
  type Discovery,
  type StatePaths,
} from '../../protocol/discovery';
import type { FolderContext, ProjectView } from '../../protocol/protocol';
import { RpcClient } from '../../client/rpcClient';
import { readConfig } from '../../daemon/config';
import { startDaemon, type RunningDaemon } from '../../daemon/daemon';
import type { DaemonClock } from '../../daemon/clock';

export const repoRoot = path.resolve(__dirname, '..', '..');

export function tempHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-test-'));
}

export interface InProcessDaemon {
  daemon: RunningDaemon;
  paths: StatePaths;
  secret: string;
  port: number;
  client(name?: string): Promise<RpcClient>;
  stop(): Promise<void>;
}

/** A daemon in this process; `env` stands in for the daemon's environment (endpoints, tokens). */
export async function startInProcess(
  extraEnv: object = {},
  argv: string[] = [],
  /**
   * `now`: the daemon's clock for answers (metrics windows); `clock`: its clock for long waits too
   * (a promotion's verification); `paths`: the state directory of a daemon before it (a restart).
   */
  options: { now?: () => Date; clock?: DaemonClock; paths?: StatePaths } = {},
): Promise<InProcessDaemon> {
  const paths = options.paths ?? statePaths(tempHome());
  // A HOME of its own, so the user's real Railway CLI login is never read by a test.
  const env: NodeJS.ProcessEnv = { HOME: tempHome(), ...(extraEnv as NodeJS.ProcessEnv) };
  const config = readConfig(env, argv);
  const daemon = await startDaemon({
    paths,
    config,
    env,
    now: options.now,
    ...(options.clock && { clock: options.clock }),
  });
  const secret = readSecret(paths)!;
  const clients: RpcClient[] = [];
  return {
    daemon,
    paths,
    secret,
    port: daemon.port,
    async client(name = 'test') {
      const c = await RpcClient.connect({
        port: daemon.port,
        secret,
        client: { name, kind: 'test' },
      });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.close();
      await daemon.stop('requested');
    },
  };
}

/** Opens a raw WebSocket and resolves with the upgrade outcome: 'open' or the HTTP status. */
export function upgradeOutcome(
  port: number,
  headers: Record<string, string>,
): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.once('error', (e) => reject(e));
  });
}

export interface ChildDaemon {
  child: ChildProcess;
  stdout: Promise<string>;
  exit: Promise<number | null>;
}

/** Runs `daemon/main.ts` as its own process, the way users run it, with RAILYARD_HOME set. */
export function spawnDaemon(
  home: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  /** Flags for Node itself, e.g. --cpu-prof (refused in NODE_OPTIONS). */
  nodeArgs: string[] = [],
  /** `built`: dist/daemon.js, the bundle users run (benchmarks); else the sources through tsx. */
  entry: 'sources' | 'built' = 'sources',
): ChildDaemon {
  const script =
    entry === 'built'
      ? [builtDaemon()]
      : ['--import', 'tsx', path.join(repoRoot, 'daemon', 'main.ts')];
  const child = spawn(process.execPath, [...nodeArgs, ...script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, RAILYARD_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += String(d)));
  child.stderr.resume();
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stdout = new Promise<string>((resolve) => {
    child.stdout.on('data', () => {
      if (out.includes('\n')) resolve(out);
    });
    void exit.then(() => resolve(out));
  });
  return { child, stdout, exit };
}

/** The bundled daemon; refuses to measure stale or missing output. */
export function builtDaemon(): string {
  const file = path.join(repoRoot, 'dist', 'daemon.js');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  return file;
}

/** Resolves once the discovery file names a daemon (the child printed its address first). */
export function discoveryOf(home: string): Discovery {
  const d = readDiscovery(statePaths(home));
  if (!d) throw new Error(`no discovery file in ${home}`);
  return d;
}

/** Resolves with the first `environments.changed` view that satisfies `ok` (event-driven, no polling). */
export function until(
  client: RpcClient,
  watchId: string,
  ok: (v: ProjectView) => boolean,
): Promise<ProjectView> {
  return new Promise((resolve) => {
    const off = client.onNotification('environments.changed', (n) => {
      if (n.watchId === watchId && ok(n.view)) {
        off();
        resolve(n.view);
      }
    });
  });
}

/**
 * A folder as a client sends it: trusted unless said otherwise, with the asking side's project
 * link (what a window's RAILWAY_PROJECT_ID would say), which the daemon never takes from its own env.
 */
export function folderOf(
  projectId?: string,
  options: { trusted?: boolean; dir?: string } = {},
): FolderContext {
  return {
    path: options.dir ?? tempHome(),
    trusted: options.trusted ?? true,
    ...(projectId && { env: { RAILWAY_PROJECT_ID: projectId } }),
  };
}

export type { FolderContext };

/** A folder of the simulators' kars project, linked the way a window's RAILWAY_PROJECT_ID links it. */
export function karsFolder(
  sims: { railway: { state: { projects: { id: string }[] } } },
  options: { trusted?: boolean; dir?: string } = {},
): FolderContext {
  return folderOf(sims.railway.state.projects[0]!.id, options);
}

export interface DaemonProcess {
  stop(): Promise<void>;
}

/** The daemon as its own process in `home`, started and listening, for tests that run the CLI. */
export async function daemonProcess(home: string, env: NodeJS.ProcessEnv): Promise<DaemonProcess> {
  const daemon = spawnDaemon(home, [], env);
  await daemon.stdout;
  return {
    stop: async () => {
      daemon.child.kill('SIGTERM');
      await daemon.exit;
    },
  };
}

/** A client of the daemon whose state directory is `home` (one started by spawnDaemon). */
export function connectTo(home: string, name: string): Promise<RpcClient> {
  const paths = statePaths(home);
  return RpcClient.connect({
    port: readDiscovery(paths)!.port,
    secret: readSecret(paths)!,
    client: { name, kind: 'test' },
  });
}
