// Starts and stops a real VS Code server (code-server) on loopback with throwaway state.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
// @ts-expect-error: a plain .mjs script (runnable before npm ci) has no types; EnsureVscode gives them.
import * as ensureVscodeModule from './ensure-vscode.mjs';

export interface EnsureVscode {
  ensureVscode: () => Promise<{ node24: string; codeServerBin: string; codeServerVersion: string }>;
  xdgEnv: (dir: string) => Record<string, string>;
}
export const { ensureVscode, xdgEnv } = ensureVscodeModule as EnsureVscode;

export interface CodeServerOptions {
  /** Folder the server opens by default; the workbench URL can still pick another. */
  workspace: string;
  /** Added to code-server's environment; the extension host inherits it (RAILYARD_HOME...). */
  env?: Record<string, string>;
  /** 0 (the default) lets the OS choose; the real port is always read from code-server's log. */
  port?: number;
  /** Reuse an extensions dir (the demo installs Railyard there); else a throwaway one. */
  extensionsDir?: string;
  /**
   * Extra arguments for the server. (`--install-extension` is not one: with it code-server installs
   * and exits instead of serving; use installExtension first, with the same extensionsDir.)
   */
  args?: string[];
  /** Where code-server's own output goes (the last lines are also kept for error messages). */
  logFile?: string;
  /** User settings, merged over `quietSettings`. */
  settings?: Record<string, unknown>;
  /** Lets the workbench URL's `payload` load extensions and tests (default true; off for demos). */
  smokeTestDriver?: boolean;
  /**
   * VS Code's workspace trust (default off: every folder is trusted, as the suites that deploy
   * need). On, every folder opens in Restricted Mode until the user trusts it in the window.
   */
  workspaceTrust?: boolean;
}

/**
 * Settings that keep the workbench quiet and deterministic: no welcome page or chat panel in
 * the way of screenshots, no marketplace lookups (there is no network), no telemetry.
 */
export const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'git.enabled': false,
  // code-server would offer to forward the daemon's loopback port; it is not for browsers.
  'remote.autoForwardPorts': false,
};

/**
 * With workspace trust on: no modal "Do you trust the authors?" at startup, which would cover the
 * window; the folder opens in Restricted Mode, as the banner and the status bar say, and a test
 * trusts it the way a user would, from Manage Workspace Trust. Trusted folders are kept in the
 * browser's storage (a fresh profile per run), so every run starts untrusted.
 */
export const trustSettings: Record<string, unknown> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
};

export interface CodeServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  /** `127.0.0.1:<port>`, as used in `vscode-remote://` URIs. */
  readonly authority: string;
  readonly pid: number;
  /** Throwaway state dir (user data, extensions, XDG); removed by stop(). */
  readonly stateDir: string;
  /** Settles when the server process exits, with its exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The last lines code-server printed, for failure messages. */
  output(): string;
  /** SIGTERM to the process group, SIGKILL if it outlives the grace period; safe to call twice. */
  stop(): Promise<void>;
}

const listeningLine = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//;
const startTimeoutMs = 60_000;

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { node24, codeServerBin } = await ensureVscode();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-code-server-'));
  const trust = options.workspaceTrust ? trustSettings : {};
  prepareStateDir(stateDir, { ...quietSettings, ...trust, ...options.settings });
  const args = [codeServerBin, ...serverArgs(options, stateDir)];
  const child = spawn(node24, args, {
    cwd: options.workspace,
    env: serverEnv(options, stateDir),
    // Its own process group, so stop() reaches the extension host and everything it spawned.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child, options.logFile);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = stopper(child, stateDir);
  try {
    const port = await waitForPort(child, output);
    const url = `http://127.0.0.1:${port}`;
    await waitForHealthz(url, child, output);
    const authority = `127.0.0.1:${port}`;
    return { url, authority, pid: child.pid!, stateDir, exited, output: output.text, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Installs a .vsix (or a Marketplace id) into `extensionsDir` the way a user would, with
 * code-server's own `--install-extension`, which installs and exits; rejects with its output.
 */
export async function installExtension(vsix: string, extensionsDir: string): Promise<string> {
  const { node24, codeServerBin } = await ensureVscode();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-code-install-'));
  prepareStateDir(stateDir, quietSettings);
  const args = [
    ...[codeServerBin, '--extensions-dir', extensionsDir],
    ...['--user-data-dir', path.join(stateDir, 'user-data')],
    ...['--install-extension', vsix],
  ];
  const child = spawn(node24, args, {
    cwd: stateDir,
    env: serverEnv({ workspace: stateDir }, stateDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child, undefined);
  try {
    // 'close', not 'exit': by then everything it printed has been read.
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    const said = output.text();
    if (code !== 0)
      throw new Error(`code-server --install-extension ${vsix} exited ${code}\n${said}`);
    return said;
  } finally {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

function serverArgs(options: CodeServerOptions, stateDir: string): string[] {
  return [
    ...['--bind-addr', `127.0.0.1:${options.port ?? 0}`],
    ...['--auth', 'none'],
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...['--user-data-dir', path.join(stateDir, 'user-data')],
    ...['--extensions-dir', options.extensionsDir ?? path.join(stateDir, 'extensions')],
    ...['--reconnection-grace-time', '30'],
    // Lets the workbench URL's `payload` load an extension under development and its tests.
    ...(options.smokeTestDriver === false ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
    ...(options.args ?? []),
    options.workspace,
  ];
}

function prepareStateDir(stateDir: string, settings: Record<string, unknown>): void {
  const userDir = path.join(stateDir, 'user-data', 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
  // VS Code's server refuses sockets in a runtime dir it cannot find or that others can read.
  for (const dir of Object.values(xdgEnv(path.join(stateDir, 'xdg')))) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
}

function serverEnv(options: CodeServerOptions, stateDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...xdgEnv(path.join(stateDir, 'xdg')) };
  // The parent may itself run inside VS Code or code-server; don't let the server think so.
  for (const key of Object.keys(env)) {
    if (/^(VSCODE_|ELECTRON_RUN_AS_NODE|CODE_SERVER_)/.test(key)) delete env[key];
  }
  delete env.PORT;
  return { ...env, ...options.env };
}

interface Output {
  text: () => string;
  onLine: (listener: (line: string) => void) => () => void;
}

function captureOutput(child: ChildProcess, logFile: string | undefined): Output {
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const sink = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
  let partial = '';
  const onData = (chunk: Buffer): void => {
    sink?.write(chunk);
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > 200) lines.shift();
      for (const l of listeners) l(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.on('close', () => sink?.end());
  return {
    text: () => [...lines, partial].join('\n'),
    onLine(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function waitForPort(child: ChildProcess, output: Output): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('no "listening" line')), startTimeoutMs);
    const unlisten = output.onLine((line) => {
      const port = listeningLine.exec(line)?.[1];
      if (port) done(undefined, Number(port));
    });
    const onExit = (code: number | null): void => done(new Error(`exited early (${code})`));
    child.once('exit', onExit);
    function done(error?: Error, port?: number): void {
      clearTimeout(timer);
      unlisten();
      child.off('exit', onExit);
      if (port) resolve(port);
      else reject(new Error(`code-server did not start: ${error?.message}\n${output.text()}`));
    }
  });
}

/** Polls /healthz a bounded number of times (≈30 s): it is how code-server says it is ready. */
async function waitForHealthz(url: string, child: ChildProcess, output: Output): Promise<void> {
  for (let attempt = 0; attempt < 150 && child.exitCode === null; attempt++) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not accepting connections yet.
    }
    await delay(200); // the polling interval, not a wait for something to happen
  }
  throw new Error(`code-server at ${url} never became healthy\n${output.text()}`);
}

function stopper(child: ChildProcess, stateDir: string): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= killGroup(child).finally(() =>
      fs.rmSync(stateDir, { recursive: true, force: true }),
    );
    return stopping;
  };
}

/** Ends the whole process group: TERM, then KILL after a grace period. */
export async function killGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null;
  const closed = exited ? Promise.resolve() : new Promise((r) => child.once('exit', r));
  signalGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
  await closed;
  clearTimeout(timer);
  // Children of the extension host (a daemon it spawned detached has its own group) may linger
  // in the group after the leader exits.
  signalGroup(pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
