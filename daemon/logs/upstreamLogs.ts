// One upstream Railway log subscription per (source, kind, filter), however many clients follow it:
// counted by reference, closed when the last listener leaves. Dedupes the backlog Railway replays
// after a reconnect and marks a possible gap; keeps a short history for listeners that join late.
import type { LogItem } from '../../protocol/protocol';
import type { RailwaySubscriptionHandlers } from '../railway/railwaySubscriptions';
import { LogDedupe } from './logDedupe';
import { timestampNanos, toLogLine, type RailwayLog } from './logLine';

export type UpstreamKind = 'deploy' | 'build' | 'environment';

export interface UpstreamKey {
  kind: UpstreamKind;
  /** A deployment id, or an environment id for kind "environment". */
  sourceId: string;
  filter?: string;
}

/** Opens a subscription; the daemon passes one bound to the token in effect. */
export type Subscriber = (
  key: UpstreamKey,
  backlog: number,
  handlers: RailwaySubscriptionHandlers<Record<string, RailwayLog[]>>,
) => () => void;

export type Listener = (items: LogItem[]) => void;

const HISTORY = 1000;
/**
 * Railway's largest backlog. The upstream always asks for it, so a reconnect's replay reaches back
 * over the seconds the socket was down and dedupe can drop the overlap instead of losing lines.
 */
export const UPSTREAM_LIMIT = 5000;

class Upstream {
  readonly listeners = new Set<Listener>();
  private readonly dedupe = new LogDedupe();
  private readonly history: LogItem[] = [];
  private close: () => void = () => undefined;

  /** Lines of the first event (the backlog) past the first listener's `backlog` are not shown. */
  private firstEvent = true;
  private readonly since = BigInt(Date.now()) * 1_000_000n;

  /** `backlog`: how many past lines the first listener wants before live ones. */
  constructor(
    key: UpstreamKey,
    private readonly backlog: number,
    subscribe: Subscriber,
  ) {
    this.close = subscribe(key, UPSTREAM_LIMIT, {
      next: (data) => this.onLogs(Object.values(data)[0] ?? []),
      error: (e) =>
        this.emit([
          { type: 'marker', kind: 'error', text: `Railway ended the log stream: ${e.message}` },
        ]),
      connected: (reconnected) => {
        if (!reconnected) return;
        this.dedupe.beginReplay();
        this.emit([
          {
            type: 'marker',
            kind: 'reconnected',
            text: 'reconnected to Railway; continuing without repeating lines',
          },
        ]);
      },
      disconnected: () =>
        this.emit([
          {
            type: 'marker',
            kind: 'reconnecting',
            text: 'connection to Railway lost; reconnecting…',
          },
        ]),
    });
  }

  /** The last `n` lines, for a listener that joins a stream already running. */
  recent(n: number): LogItem[] {
    return n > 0 ? this.history.slice(-n) : [];
  }

  dispose(): void {
    this.close();
    this.listeners.clear();
  }

  private onLogs(logs: RailwayLog[]): void {
    const items: LogItem[] = [];
    // Every backlog line goes through dedupe, so a later replay of the unshown ones is dropped too.
    // Only lines older than the subscription count as backlog: a first event may already be live.
    const old = this.firstEvent
      ? logs.filter((l) => timestampNanos(l.timestamp) < this.since).length
      : 0;
    const hidden = Math.max(0, old - this.backlog);
    this.firstEvent = false;
    for (const [i, log] of logs.entries()) {
      const verdict = this.dedupe.accept(log.timestamp, log.message);
      if (verdict === 'duplicate' || i < hidden) continue;
      if (verdict === 'new-after-gap')
        items.push({
          type: 'marker',
          kind: 'gap',
          text: `lines before ${log.timestamp} may be missing: Railway's backlog did not reach back far enough`,
        });
      items.push(toLogLine(log));
    }
    if (items.length) this.emit(items);
  }

  private emit(items: LogItem[]): void {
    for (const item of items) if (item.type === 'line') this.history.push(item);
    if (this.history.length > HISTORY * 2) this.history.splice(0, this.history.length - HISTORY);
    for (const l of this.listeners) l(items);
  }
}

export class UpstreamLogs {
  private readonly upstreams = new Map<string, Upstream>();

  constructor(private readonly subscribe: Subscriber) {}

  /** Starts listening (opening the upstream if nobody else is); `backlog` recent lines come first. */
  attach(key: UpstreamKey, backlog: number, listener: Listener): () => void {
    const id = keyString(key);
    let upstream = this.upstreams.get(id);
    const fresh = !upstream;
    if (!upstream) {
      upstream = new Upstream(key, backlog, this.subscribe);
      this.upstreams.set(id, upstream);
    }
    if (!fresh) {
      const recent = upstream.recent(backlog);
      if (recent.length) listener(recent);
    }
    upstream.listeners.add(listener);
    const u = upstream;
    return () => this.detach(id, u, listener);
  }

  /** How many upstream subscriptions are open (tests and `daemon.status`). */
  get openCount(): number {
    return this.upstreams.size;
  }

  disposeAll(): void {
    for (const u of this.upstreams.values()) u.dispose();
    this.upstreams.clear();
  }

  private detach(id: string, upstream: Upstream, listener: Listener): void {
    upstream.listeners.delete(listener);
    if (upstream.listeners.size > 0 || this.upstreams.get(id) !== upstream) return;
    upstream.dispose();
    this.upstreams.delete(id);
  }
}

export function keyString(k: UpstreamKey): string {
  return `${k.kind}:${k.sourceId}:${k.filter ?? ''}`;
}
