// The extension's link to the daemon as an explicit state machine: find or start the daemon,
// connect, and after any loss reconnect by itself with backoff. Knows nothing of the UI.
import * as vscode from 'vscode';
import { isPidAlive, stateDir, statePaths } from '../protocol/discovery';
import { ensureDaemon } from '../client/daemonLauncher';
import { RpcClient } from '../client/rpcClient';
import { isOlder } from '../client/versions';

export type ConnectionState = 'starting' | 'connected' | 'reconnecting' | 'error' | 'stopped';

export interface ConnectionOptions {
  daemonScript: string;
  clientName: string;
  log: vscode.LogOutputChannel;
  idleShutdownMinutes: () => number;
  /** This extension's version: a daemon older than it is replaced by the one it ships. */
  version: string;
}

/** After this many failed attempts in a row the state shows `error`; retrying goes on regardless. */
const ERROR_AFTER_ATTEMPTS = 4;
const BACKOFF_MS = { first: 250, max: 5_000 };

export class DaemonConnection implements vscode.Disposable {
  private current: RpcClient | undefined;
  private stateValue: ConnectionState = 'stopped';
  private lastErrorValue: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private generation = 0;
  private readonly stateEmitter = new vscode.EventEmitter<ConnectionState>();
  private readonly clientEmitter = new vscode.EventEmitter<RpcClient>();
  /** Fires on every state change. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Fires with each new connected client, so views can resubscribe and refresh. */
  readonly onDidConnect = this.clientEmitter.event;

  constructor(private readonly options: ConnectionOptions) {}

  get state(): ConnectionState {
    return this.stateValue;
  }
  get lastError(): string | undefined {
    return this.lastErrorValue;
  }
  get client(): RpcClient | undefined {
    return this.stateValue === 'connected' ? this.current : undefined;
  }

  /**
   * Starts connecting (starting the daemon if needed); resolves once the first attempt settled.
   * `starting` shows at once, but the attempt waits for the next turn of the event loop: it reads
   * the discovery files and may spawn the daemon, and spawn() forks the extension host
   * synchronously (milliseconds, more on a loaded machine). activate() calls this, so that work
   * would count in Railyard's activation time and hold up every extension activating after it.
   */
  start(): Promise<void> {
    this.generation++;
    const generation = this.generation;
    this.attempts = 0;
    this.setState('starting');
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.attempt(generation),
    );
  }

  /** Asks the daemon to stop and stays disconnected until `start` or `restart`. */
  async stopDaemon(): Promise<void> {
    this.generation++;
    clearTimeout(this.retryTimer);
    const client = this.current;
    this.current = undefined;
    this.setState('stopped');
    if (client?.isOpen) await shutdown(client);
  }

  async restart(): Promise<void> {
    this.options.log.info('Restarting the daemon');
    await this.stopDaemon();
    await this.start();
  }

  dispose(): void {
    this.generation++;
    clearTimeout(this.retryTimer);
    this.current?.close();
    this.current = undefined;
    this.stateEmitter.dispose();
    this.clientEmitter.dispose();
  }

  private async attempt(generation: number): Promise<void> {
    // Stopped or disposed meanwhile (start() waits a turn): start no daemon for nobody.
    if (generation !== this.generation) return;
    try {
      const client = await this.connectOnce();
      if (generation !== this.generation) return client.close();
      if (isOlder(client.daemonVersion, this.options.version))
        return await this.replace(client, generation);
      this.adopt(client, generation);
    } catch (e) {
      if (generation !== this.generation) return;
      this.lastErrorValue = e instanceof Error ? e.message : String(e);
      this.options.log.warn(
        `Connecting to the daemon failed (attempt ${this.attempts + 1}): ${this.lastErrorValue}`,
      );
      this.scheduleRetry(generation);
    }
  }

  private async connectOnce(): Promise<RpcClient> {
    const paths = statePaths(stateDir());
    const endpoint = await ensureDaemon({
      paths,
      daemonScript: this.options.daemonScript,
      nodePath: process.execPath,
      extraArgs: ['--idle-timeout', `${this.options.idleShutdownMinutes()}m`],
    });
    if (endpoint.started)
      this.options.log.info(`Started the daemon (pid ${endpoint.discovery.pid})`);
    return RpcClient.connect({
      port: endpoint.discovery.port,
      secret: endpoint.secret,
      client: { name: this.options.clientName, kind: 'vscode' },
    });
  }

  /** An older daemon (left by a previous version) is stopped; the next attempt starts ours. */
  private async replace(client: RpcClient, generation: number): Promise<void> {
    this.options.log.info(
      `Daemon ${client.daemonVersion} is older than Railyard ${this.options.version}; replacing it`,
    );
    await shutdown(client);
    if (generation === this.generation) await this.attempt(generation);
  }

  private adopt(client: RpcClient, generation: number): void {
    this.current = client;
    this.attempts = 0;
    this.lastErrorValue = undefined;
    this.options.log.info(
      `Connected to daemon ${client.daemonVersion}, protocol ${client.protocolVersion}`,
    );
    client.onClosed(({ code, reason }) => {
      if (generation !== this.generation || this.current !== client) return;
      this.options.log.warn(
        `Daemon connection closed (${code}${reason ? `: ${reason}` : ''}); reconnecting`,
      );
      this.current = undefined;
      this.setState('reconnecting');
      this.scheduleRetry(generation);
    });
    this.setState('connected');
    this.clientEmitter.fire(client);
  }

  private scheduleRetry(generation: number): void {
    this.attempts++;
    if (this.attempts >= ERROR_AFTER_ATTEMPTS) this.setState('error');
    else if (this.stateValue !== 'starting') this.setState('reconnecting');
    const delay = Math.min(BACKOFF_MS.max, BACKOFF_MS.first * 2 ** (this.attempts - 1));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.attempt(generation), delay);
  }

  private setState(state: ConnectionState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.options.log.info(`Daemon connection: ${state}`);
    this.stateEmitter.fire(state);
  }
}

async function shutdown(client: RpcClient): Promise<void> {
  const closed = new Promise<void>((resolve) => client.onClosed(() => resolve()));
  try {
    await client.request('daemon.shutdown', {});
  } catch {
    // already going away: the close below is what matters
  }
  await closed;
  // The socket closes a moment before the process exits; a restart must not find the old one.
  for (let i = 0; i < 100 && isPidAlive(client.daemonPid); i++)
    await new Promise((r) => setTimeout(r, 50));
}
