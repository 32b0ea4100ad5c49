// One upstream Railway log subscription per (source, kind, filter), however many clients follow it:
// counted by reference, closed when the last listener leaves. Dedupes the backlog Railway replays
// after a reconnect and marks a possible gap; keeps a short history for listeners that join late.
// Lines stay in Railway's own JSON: a live frame newer than everything delivered is passed on as
// it came (logRuns.ts); first events, replays and anything unusual are decoded and checked per line.
import type { LogMarker, RailwayLog } from '../../protocol/protocol';
import { LogDedupe } from '../../protocol/logDedupe';
import { timestampNanos } from '../../protocol/logTimestamps';
import type { RailwaySubscriptionHandlers } from '../railway/railwaySubscriptions';
import {
  lastLines,
  lineCount,
  linesRun,
  markerRun,
  nextFrameList,
  runBounds,
  type LogRun,
} from './logRuns';

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

export type Listener = (runs: LogRun[]) => void;

/** Recent lines kept for listeners that join a running stream, in bytes (thousands of lines). */
const HISTORY_BYTES = 2 * 1024 * 1024;
/**
 * Railway's largest backlog. The upstream always asks for it, so a reconnect's replay reaches back
 * over the seconds the socket was down and dedupe can drop the overlap instead of losing lines.
 */
export const UPSTREAM_LIMIT = 5000;

class Upstream {
  readonly listeners = new Set<Listener>();
  private readonly dedupe = new LogDedupe();
  private history: LogRun[] = [];
  private historyBytes = 0;
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
      frame: (frame) => this.onFrame(frame),
      next: (data) => this.onLogs(Object.values(data)[0] ?? []),
      error: (e) => this.mark('error', `Railway ended the log stream: ${e.message}`),
      connected: (reconnected) => {
        if (!reconnected) return;
        this.dedupe.beginReplay();
        this.mark('reconnected', 'reconnected to Railway; continuing without repeating lines');
      },
      disconnected: () => this.mark('reconnecting', 'connection to Railway lost; reconnecting…'),
    });
  }

  /** The last `n` lines, for a listener that joins a stream already running. */
  recent(n: number): LogRun[] {
    const runs: LogRun[] = [];
    for (let i = this.history.length - 1; i >= 0 && n > 0; i--) {
      const run = lastLines(this.history[i]!, n);
      runs.unshift(run);
      n -= lineCount(run);
    }
    return runs;
  }

  dispose(): void {
    this.close();
    this.listeners.clear();
  }

  /** A live frame taken whole when it is all new; false leaves it to the decoding path. */
  private onFrame(frame: Buffer): boolean {
    if (this.firstEvent) return false;
    const list = nextFrameList(frame);
    const bounds = list && runBounds(list);
    if (!list || !bounds) return false;
    if (!this.dedupe.acceptRun(bounds.first, bounds.last, bounds.messagesAtLast)) return false;
    this.emit([{ json: list }]);
    return true;
  }

  private onLogs(logs: RailwayLog[]): void {
    const runs: LogRun[] = [];
    let kept: RailwayLog[] = [];
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
      if (verdict === 'new-after-gap') {
        if (kept.length) runs.push(linesRun(kept));
        kept = [];
        runs.push(
          markerRun({
            type: 'marker',
            kind: 'gap',
            text: `lines before ${log.timestamp} may be missing: Railway's backlog did not reach back far enough`,
          }),
        );
      }
      kept.push(log);
    }
    if (kept.length) runs.push(linesRun(kept));
    if (runs.length) this.emit(runs);
  }

  private mark(kind: LogMarker['kind'], text: string): void {
    this.emit([markerRun({ type: 'marker', kind, text })]);
  }

  private emit(runs: LogRun[]): void {
    for (const run of runs) {
      if (run.marker) continue;
      this.history.push(run);
      this.historyBytes += run.json.length;
    }
    if (this.historyBytes > 2 * HISTORY_BYTES)
      while (this.historyBytes > HISTORY_BYTES && this.history.length > 1)
        this.historyBytes -= this.history.shift()!.json.length;
    for (const l of this.listeners) l(runs);
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
