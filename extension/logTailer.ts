// Live logs in the Output panel: one channel per service stream, fed by the daemon's `logs.batch`
// notifications; streams come back after a daemon restart or a window reload, and a failed
// deployment's build log opens by itself.
import * as vscode from 'vscode';
import type { LogItem } from '../protocol/protocol';
import type { RpcClient } from '../client/rpcClient';
import type { DaemonConnection } from './daemonConnection';
import type { EnvironmentsWatch } from './environmentsWatch';
import { showError } from './errorDisplay';
import { LogDedupe } from '../protocol/logDedupe';
import { readLogItems } from '../client/logLines';
import { LogStreams } from '../client/streamRouter';
import { channelName, formatBatch, type ServiceNames } from '../client/logFormat';
import { channelWriter, type ChannelWriter } from './channelWriter';

/**
 * At most this often per channel (bench:editor: keystroke-to-paint while a channel in view takes
 * 500 lines/s); a line after a quiet spell shows at once.
 */
const APPEND_INTERVAL_MS = 250;

export interface TailSpec {
  environment: string;
  service?: string;
  kind: 'deploy' | 'build' | 'environment';
  deploymentId?: string;
  filter?: string;
}

interface Tail {
  spec: TailSpec;
  channel: vscode.OutputChannel;
  /** Every line goes through it, in order: it paces the channel's appends (channelWriter.ts). */
  writer: ChannelWriter;
  streamId?: string;
  /** Lines already shown: a new daemon replays a backlog, and the channel must not repeat it. */
  dedupe: LogDedupe;
}

const STATE_KEY = 'railyard.logTails';

export class LogTailer implements vscode.Disposable {
  private readonly tails = new Map<string, Tail>();
  /** The streams of the current connection, which route each batch to its tail. */
  private streams: LogStreams | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly connection: DaemonConnection,
    private readonly watch: EnvironmentsWatch,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(connection.onDidConnect((c) => void this.reattach(c)));
    // Streams of the last session come back after a window reload.
    for (const spec of state.get<TailSpec[]>(STATE_KEY, []))
      this.tails.set(channelName(spec.service, spec.environment, spec.kind), this.newTail(spec));
  }

  /** The channel names of the running streams, for pickers. */
  get active(): TailSpec[] {
    return [...this.tails.values()].map((t) => t.spec);
  }

  async tail(spec: TailSpec): Promise<void> {
    const name = channelName(spec.service, spec.environment, spec.kind);
    const existing = this.tails.get(name);
    if (existing) await this.unsubscribe(existing);
    const tail = existing ? { ...existing, spec, dedupe: new LogDedupe() } : this.newTail(spec);
    this.tails.set(name, tail);
    tail.channel.show(true);
    await this.persist();
    const client = this.connection.client;
    if (client) await this.subscribe(client, tail);
  }

  async stop(spec: TailSpec): Promise<void> {
    const name = channelName(spec.service, spec.environment, spec.kind);
    const tail = this.tails.get(name);
    if (!tail) return;
    await this.unsubscribe(tail);
    tail.writer.appendLine('── stopped tailing ──');
    this.tails.delete(name);
    await this.persist();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.streams?.dispose();
    for (const t of this.tails.values()) {
      t.writer.flush();
      t.channel.dispose();
    }
  }

  private newTail(spec: TailSpec): Tail {
    const name = channelName(spec.service, spec.environment, spec.kind);
    const channel = vscode.window.createOutputChannel(name, 'railyard-log');
    return {
      spec,
      channel,
      writer: channelWriter(channel, APPEND_INTERVAL_MS),
      dedupe: new LogDedupe(),
    };
  }

  /** A new daemon connection: listen on it and start every stream again. */
  private async reattach(client: RpcClient): Promise<void> {
    this.streamsOf(client);
    await Promise.all([...this.tails.values()].map((t) => this.subscribe(client, t)));
  }

  private streamsOf(client: RpcClient): LogStreams {
    if (this.streams?.client !== client) {
      this.streams?.dispose();
      this.streams = new LogStreams(client);
    }
    return this.streams;
  }

  private async subscribe(client: RpcClient, tail: Tail): Promise<void> {
    const folder = this.watch.folder();
    if (!folder) return;
    try {
      const { spec } = tail;
      tail.dedupe.beginReplay();
      // The first batches (the `started` marker, a shared stream's backlog) can come in the same
      // read as the answer: the router hands them over before this resumes.
      const r = await this.streamsOf(client).subscribe(
        {
          folder,
          environment: spec.environment,
          service: spec.service,
          kind: spec.kind,
          deploymentId: spec.deploymentId,
          filter: spec.filter,
          backlog: 100,
        },
        (items) => this.onBatch(tail, readLogItems(items)),
      );
      // Stopped or tailed anew while the answer was on its way: this stream is no one's.
      if (this.tails.get(channelName(spec.service, spec.environment, spec.kind)) !== tail) {
        await this.streams?.unsubscribe(r.streamId).catch(() => undefined);
        return;
      }
      tail.streamId = r.streamId;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      tail.writer.appendLine(`── cannot tail: ${message} ──`);
      // Signed out, no project, untrusted: the button that fixes it (not for every dropped connection).
      void showError(
        e,
        { log: this.log, folder: () => this.watch.folder() },
        { context: `Tailing ${tail.channel.name} failed`, onlyIfActionable: true },
      );
    }
  }

  private async unsubscribe(tail: Tail): Promise<void> {
    const id = tail.streamId;
    tail.streamId = undefined;
    if (!id) return;
    await this.streams?.unsubscribe(id).catch(() => undefined);
  }

  private onBatch(tail: Tail, items: LogItem[]): void {
    const shown: LogItem[] = [];
    for (const item of items) {
      if (item.type === 'marker') shown.push(item);
      else {
        const verdict = tail.dedupe.accept(item.timestamp, item.message);
        if (verdict === 'new-after-gap')
          shown.push({
            type: 'marker',
            kind: 'gap',
            text: 'lines may be missing here (the daemon restarted)',
          });
        if (verdict !== 'duplicate') shown.push(item);
      }
    }
    if (shown.length) tail.writer.appendLine(formatBatch(shown, false, this.namesFor(tail.spec)));
    for (const item of items) {
      if (item.type === 'marker' && item.kind === 'build-failed' && item.deploymentId) {
        void this.tail({
          environment: tail.spec.environment,
          service: tail.spec.service,
          kind: 'build',
          deploymentId: item.deploymentId,
        });
      }
    }
  }

  /** A whole environment's stream mixes services: each line then says whose it is. */
  private namesFor(spec: TailSpec): ServiceNames | undefined {
    if (spec.kind !== 'environment' || spec.service) return undefined;
    const env = this.watch.view?.environments.find((e) => e.name === spec.environment);
    const byId = new Map(env?.services.map((s) => [s.id, s.name]));
    return (id) => byId.get(id);
  }

  private persist(): Thenable<void> {
    // Build logs are one-off looks at a deployment; only live streams come back after a reload.
    return this.state.update(
      STATE_KEY,
      this.active.filter((s) => s.kind !== 'build'),
    );
  }
}
