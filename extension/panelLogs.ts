// The panel's log tail: the build and deploy logs of the deployments a promotion made, followed
// through `logs.subscribe` while it deploys (and just after), forwarded to the webview in batches.
// Lines are data: their text goes to the page as it came, which inserts it as text.
import type { PanelLogLine, ToPanel } from '../protocol/panel';
import type { FolderContext, LogItem, PromotionRecord } from '../protocol/protocol';
import { LogDedupe } from '../protocol/logDedupe';
import { readLogItems } from '../client/logLines';
import type { LogStreams, WireBatch } from '../client/streamRouter';
import { logTargets, targetKey, type LogTarget } from './panelHostModel';

/** Lines a stream replays when it starts: the tail is a glance, the Output channel has the rest. */
const BACKLOG = 50;
/** What a reloaded page gets back at once. */
const KEPT_LINES = 500;
/** Lines are gathered this long, so a busy build costs the page a few messages a second. */
const FLUSH_MS = 100;
/** toPanel's limits. */
const MAX_LINES_PER_MESSAGE = 1000;
const MAX_TEXT = 10_000;

export interface PanelLogsDeps {
  /** The log streams of the current daemon connection, if any. */
  streams(): Pick<LogStreams, 'subscribe' | 'unsubscribe'> | undefined;
  folder(): FolderContext | undefined;
  post(message: Extract<ToPanel, { type: 'logs' }>): void;
  warn(message: string): void;
}

interface Stream {
  target: LogTarget;
  /** Set once the daemon named it; undefined while subscribing or after a lost connection. */
  streamId?: string;
  /** Lines already forwarded: a new daemon replays its backlog, which must not show twice. */
  dedupe: LogDedupe;
}

export class PanelLogs {
  private readonly streams = new Map<string, Stream>();
  private environment = '';
  private kept: PanelLogLine[] = [];
  private pending: PanelLogLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** The newest record asked for: what the streams are brought to, whichever call applies it. */
  private latest: PromotionRecord | undefined;
  /**
   * Changes to the streams, one at a time: callers do not await follow(), and a change that
   * awaited an unsubscribe must not then add the targets of a record that is no longer the newest.
   */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PanelLogsDeps) {}

  /** Follows what the record's state and services call for: new deployments start, old ones stop. */
  follow(record: PromotionRecord | undefined): Promise<void> {
    this.latest = record;
    return this.enqueue(() => this.sync());
  }

  /** A new daemon connection: every stream starts again (its backlog deduplicated). */
  reattach(): Promise<void> {
    return this.enqueue(async () => {
      for (const s of this.streams.values()) s.streamId = undefined;
      await Promise.all([...this.streams.values()].map((s) => this.subscribe(s)));
    });
  }

  /** A (re)loaded page: the lines so far, from the start. */
  replay(): void {
    this.flush();
    this.deps.post({ type: 'logs', lines: this.kept.slice(-MAX_LINES_PER_MESSAGE), reset: true });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.timer);
    const all = [...this.streams.values()];
    this.streams.clear();
    await Promise.all(all.map((s) => this.unsubscribe(s)));
  }

  private enqueue(change: () => Promise<void>): Promise<void> {
    const run = this.queue.then(change);
    // A failed change must not stop the ones after it; its caller still sees the failure.
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Brings the streams to the newest record: its targets started, every other one stopped. */
  private async sync(): Promise<void> {
    if (this.disposed) return;
    const record = this.latest;
    if (record) this.environment = record.to.id;
    const wanted = new Map(logTargets(record).map((t) => [targetKey(t), t]));
    const gone = [...this.streams.entries()].filter(([key]) => !wanted.has(key));
    for (const [key, stream] of gone) {
      this.streams.delete(key);
      await this.unsubscribe(stream);
    }
    const added = [...wanted].filter(([key]) => !this.streams.has(key));
    for (const [key, target] of added) this.streams.set(key, { target, dedupe: new LogDedupe() });
    await Promise.all(added.map(([key]) => this.subscribe(this.streams.get(key)!)));
  }

  private async subscribe(stream: Stream): Promise<void> {
    const streams = this.deps.streams();
    const folder = this.deps.folder();
    if (!streams || !folder || this.disposed) return;
    const { target } = stream;
    stream.dedupe.beginReplay();
    try {
      const answer = await streams.subscribe(
        {
          folder,
          environment: this.environment,
          service: target.serviceId,
          deploymentId: target.deploymentId,
          kind: target.kind,
          backlog: BACKLOG,
        },
        (items) => this.onBatch(stream, items),
      );
      // Stopped (a newer deployment, the panel closed) while the answer was on its way.
      if (this.streams.get(targetKey(target)) !== stream) {
        await streams.unsubscribe(answer.streamId).catch(() => undefined);
        return;
      }
      stream.streamId = answer.streamId;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.deps.warn(`The promotion panel cannot follow ${targetKey(target)}: ${why}`);
      this.add([
        { ...lineOf(target), text: `── cannot follow this ${target.kind} log: ${why} ──` },
      ]);
    }
  }

  private async unsubscribe(stream: Stream): Promise<void> {
    const id = stream.streamId;
    stream.streamId = undefined;
    if (id)
      await this.deps
        .streams()
        ?.unsubscribe(id)
        .catch(() => undefined);
  }

  private onBatch(stream: Stream, batch: WireBatch): void {
    if (this.streams.get(targetKey(stream.target)) !== stream) return;
    const lines: PanelLogLine[] = [];
    for (const item of readLogItems(batch)) {
      if (
        item.type === 'line' &&
        stream.dedupe.accept(item.timestamp, item.message) === 'duplicate'
      )
        continue;
      lines.push(panelLine(stream.target, item));
    }
    this.add(lines);
  }

  private add(lines: PanelLogLine[]): void {
    if (!lines.length || this.disposed) return;
    this.pending.push(...lines);
    this.kept.push(...lines);
    if (this.kept.length > KEPT_LINES * 2) this.kept = this.kept.slice(-KEPT_LINES);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (let i = 0; i < this.pending.length; i += MAX_LINES_PER_MESSAGE) {
      const lines = this.pending.slice(i, i + MAX_LINES_PER_MESSAGE);
      this.deps.post({ type: 'logs', lines, reset: false });
    }
    this.pending = [];
  }
}

function lineOf(target: LogTarget): Pick<PanelLogLine, 'serviceId' | 'kind'> {
  return { serviceId: target.serviceId, kind: target.kind };
}

/** A line as the tail shows it; a marker (a gap, a new deployment followed) reads as its sentence. */
function panelLine(target: LogTarget, item: LogItem): PanelLogLine {
  if (item.type === 'marker')
    return {
      ...lineOf(target),
      ...(item.timestamp && { ts: item.timestamp }),
      text: `── ${item.text} ──`.slice(0, MAX_TEXT),
    };
  return {
    ...lineOf(target),
    ts: item.timestamp,
    severity: item.level,
    text: item.message.slice(0, MAX_TEXT),
  };
}
