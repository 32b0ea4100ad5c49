// Build and deploy logs of the simulator's deployments: written as deployments move (or in bulk by
// tests), capped at Railway's 500 deploy-log lines/s per replica, kept in bounded rings, queried and
// streamed with Railway's filter subset.
import { EventEmitter } from 'node:events';
import type { SimClock, SimTimer } from '../clock';
import { railwayDroppedMessage, ReplicaLogCap } from './logCap';
import { NanoClock, Ring } from './logRing';
import type { SimDeployment, SimDeploymentStatus } from './model';

export type SimLogKind = 'build' | 'deploy';

export interface SimLog {
  kind: SimLogKind;
  deploymentId: string;
  environmentId: string;
  serviceId: string;
  projectId: string;
  /** RFC 3339 with nanoseconds, as Railway writes it. */
  timestamp: string;
  message: string;
  severity: 'debug' | 'info' | 'warn' | 'error';
  /** Values JSON-encoded, as Railway sends them. */
  attributes: { key: string; value: string }[];
}

export interface LogQuery {
  deploymentId?: string;
  environmentId?: string;
  kind?: SimLogKind;
  filter?: string | null;
}

/** A line to write: attribute values are JSON-encoded on the way in; `undefined` ones are left out. */
export interface NewLog {
  message: string;
  severity?: SimLog['severity'];
  attributes?: Record<string, unknown>;
}

export interface AppendOptions {
  /** How many consecutive lines share one timestamp (1, the default: each its own instant). */
  sameTimestamp?: number;
  /**
   * Skips Railway's limit of 500 lines/s per replica, neither counted nor dropped: for bulk
   * writers (benchmarks, throughput tests) that measure the daemon, not Railway.
   */
  uncapped?: boolean;
}

/** What Railway's log limit needs from the rest of the simulator. */
export interface RailwayLogLimits {
  /** The deployment's replicas: its service instance's `numReplicas`. */
  replicasOf(d: SimDeployment): number;
  /**
   * Brings the dropped-lines notice at the end of the second that dropped lines; without a clock
   * it comes with the deployment's next line in a later second.
   */
  clock?: Pick<SimClock, 'after'>;
}

/** Railway's default backlog and its ceiling. */
export const defaultLogLimit = 100;
export const maxLogLimit = 5000;
/** Lines kept per (deployment, kind); older ones are forgotten, as a backlog never reaches that far. */
export const defaultLogCapacity = 10_000;

interface Stored extends SimLog {
  /** Write order across every ring, to merge an environment's deployments. */
  order: number;
}

interface Shelf {
  kind: SimLogKind;
  deploymentId: string;
  environmentId: string;
  ring: Ring<Stored>;
}

interface Subscription {
  query: LogQuery;
  listener: (logs: SimLog[]) => void;
}

export class LogStore {
  private readonly shelves = new Map<string, Shelf>();
  private readonly live = new Set<Subscription>();
  private readonly opened: LogQuery[] = [];
  private readonly changes = new EventEmitter();
  private readonly clock: NanoClock;
  private order = 0;
  /** Railway's per-second count of each deployment's deploy log. */
  private readonly caps = new Map<string, ReplicaLogCap>();
  /** Notices scheduled for the end of a second, by deployment and second. */
  private readonly notices = new Map<string, SimTimer>();
  private limits: RailwayLogLimits = { replicasOf: () => 1 };
  /** Readers of every line kept (the metrics), not subscriptions: they are not counted as such. */
  private readonly taps = new Set<(lines: readonly SimLog[]) => void>();

  constructor(
    private readonly now: () => Date,
    private readonly capacity = defaultLogCapacity,
  ) {
    this.clock = new NanoClock(now);
    this.changes.setMaxListeners(0);
  }

  /** Calls `reader` with every list of lines written from now on; returns how to stop. */
  tap(reader: (lines: readonly SimLog[]) => void): () => void {
    this.taps.add(reader);
    return () => this.taps.delete(reader);
  }

  /** Applies Railway's limit with each deployment's replica count (one each until this is called). */
  useRailwayLimits(limits: RailwayLogLimits): void {
    this.limits = limits;
  }

  /** Writes one line for a deployment (undefined when Railway's limit dropped it). */
  append(
    d: SimDeployment,
    kind: SimLogKind,
    message: string,
    severity: SimLog['severity'] = 'info',
  ): SimLog | undefined {
    return this.appendMany(d, kind, [{ message, severity }])[0];
  }

  /**
   * Writes lines in one go (live subscribers get them as one list) and returns those Railway kept:
   * deploy-log lines past 500 a second per replica are dropped, and a line of Railway's says how
   * many once the second is over. Build logs come from the builder, not a replica: not capped.
   */
  appendMany(d: SimDeployment, kind: SimLogKind, logs: NewLog[], o: AppendOptions = {}): SimLog[] {
    if (kind !== 'deploy' || o.uncapped) return this.write(d, kind, logs, o.sameTimestamp);
    this.reportDropped(d);
    const second = Math.floor(this.now().getTime() / 1000);
    const cap = this.caps.get(d.id) ?? this.caps.set(d.id, new ReplicaLogCap()).get(d.id)!;
    const kept = cap.take(second, this.limits.replicasOf(d), logs);
    const lines = this.write(d, kind, kept, o.sameTimestamp);
    if (cap.dropping()) this.scheduleNotice(d, second);
    return lines;
  }

  private write(d: SimDeployment, kind: SimLogKind, logs: NewLog[], sameTimestamp = 1): SimLog[] {
    if (logs.length === 0) return [];
    const shelf = this.shelf(d, kind);
    const lines = logs.map((l, i) => {
      const line = this.make(d, kind, l, i % Math.max(1, sameTimestamp) !== 0);
      shelf.ring.push(line);
      return line;
    });
    for (const reader of this.taps) reader(lines);
    for (const s of this.live) {
      const matching = lines.filter((l) => matchesQuery(l, s.query));
      if (matching.length) s.listener(matching);
    }
    return lines;
  }

  /** The matching lines, oldest first, at most `limit` of the newest. */
  query(q: LogQuery, limit = defaultLogLimit): SimLog[] {
    const n = Math.max(0, Math.min(limit, maxLogLimit));
    const picked: Stored[] = [];
    for (const shelf of this.shelves.values())
      if (shelfMatches(shelf, q)) picked.push(...newestMatching(shelf.ring, q, n));
    picked.sort((a, b) => a.order - b.order);
    return picked.slice(Math.max(0, picked.length - n)).map(withoutOrder);
  }

  /** How many lines are kept now: at most the capacity per (deployment, kind). */
  stored(q: LogQuery = {}): number {
    let n = 0;
    for (const shelf of this.shelves.values()) if (shelfMatches(shelf, q)) n += shelf.ring.size;
    return n;
  }

  /** Live lines, a list per write; each listener counts as one open subscription until it ends. */
  onLogs(query: LogQuery, listener: (logs: SimLog[]) => void): () => void {
    const sub: Subscription = { query, listener };
    this.live.add(sub);
    this.opened.push(query);
    this.changes.emit('change');
    return () => {
      if (this.live.delete(sub)) this.changes.emit('change');
    };
  }

  /** Log subscriptions open now, all or those whose query matches `q`'s fields. */
  openSubscriptions(q: LogQuery = {}): number {
    return [...this.live].filter((s) => sameQuery(s.query, q)).length;
  }

  /** Log subscriptions opened since the start, reconnects included. */
  subscriptionsOpened(q: LogQuery = {}): number {
    return this.opened.filter((query) => sameQuery(query, q)).length;
  }

  /** Resolves once `ok(open subscriptions)` holds: now, or at a later subscribe or unsubscribe. */
  untilSubscriptions(ok: (open: number) => boolean, q: LogQuery = {}): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!ok(this.openSubscriptions(q))) return;
        this.changes.off('change', check);
        resolve();
      };
      this.changes.on('change', check);
      check();
    });
  }

  /** The lines a deployment writes as it reaches its status; `created` finished (the fixture's history) writes its whole story. */
  lifecycle(d: SimDeployment, serviceName: string, created: boolean): void {
    for (const [kind, message, severity] of lifecycleLines(d, serviceName, created))
      this.append(d, kind, message, severity);
  }

  /** `deploymentRestart`: the container stops and starts again. */
  restarted(d: SimDeployment, serviceName: string): void {
    this.append(d, 'deploy', `Restarting ${serviceName}: stopping container`, 'info');
    this.append(d, 'deploy', 'Starting Container', 'info');
  }

  /** Railway's notices of a second that is over and dropped lines of `d`, one per replica. */
  private reportDropped(d: SimDeployment): void {
    const dropped = this.caps.get(d.id)?.due(Math.floor(this.now().getTime() / 1000)) ?? [];
    const notice = (n: number): NewLog => ({ message: railwayDroppedMessage(n), severity: 'warn' });
    this.write(d, 'deploy', dropped.map(notice));
  }

  /** The notice comes when the second ends, not only when the deployment next logs. */
  private scheduleNotice(d: SimDeployment, second: number): void {
    const clock = this.limits.clock;
    const key = `${d.id}@${second}`;
    if (!clock || this.notices.has(key)) return;
    const fire = () => {
      this.notices.delete(key);
      this.reportDropped(d);
    };
    const ms = (second + 1) * 1000 - this.now().getTime();
    this.notices.set(key, clock.after(ms, fire, `logs: Railway's dropped-lines notice ${d.id}`));
  }

  private shelf(d: SimDeployment, kind: SimLogKind): Shelf {
    const key = `${d.id}/${kind}`;
    let shelf = this.shelves.get(key);
    if (!shelf) {
      const { id: deploymentId, environmentId } = d;
      shelf = { kind, deploymentId, environmentId, ring: new Ring<Stored>(this.capacity) };
      this.shelves.set(key, shelf);
    }
    return shelf;
  }

  private make(d: SimDeployment, kind: SimLogKind, l: NewLog, sameInstant: boolean): Stored {
    const severity = l.severity ?? 'info';
    const attributes = encodeAttributes({ level: severity, ...l.attributes });
    const { id: deploymentId, environmentId, serviceId, projectId } = d;
    const timestamp = this.clock.next(sameInstant);
    const { message } = l;
    const ids = { deploymentId, environmentId, serviceId, projectId };
    return { kind, ...ids, timestamp, message, severity, attributes, order: ++this.order };
  }
}

function encodeAttributes(values: Record<string, unknown>): SimLog['attributes'] {
  const out: SimLog['attributes'] = [];
  for (const [key, value] of Object.entries(values))
    if (value !== undefined) out.push({ key, value: JSON.stringify(value) });
  return out;
}

function newestMatching(ring: Ring<Stored>, q: LogQuery, n: number): Stored[] {
  const out: Stored[] = [];
  if (n === 0) return out;
  for (const line of ring.newestFirst()) {
    if (matchesFilter(line, q.filter ?? '')) out.push(line);
    if (out.length >= n) break;
  }
  return out.reverse();
}

function withoutOrder(line: Stored): SimLog {
  const { order: _order, ...log } = line;
  return log;
}

function shelfMatches(s: Shelf, q: LogQuery): boolean {
  return (
    (q.kind === undefined || s.kind === q.kind) &&
    (q.deploymentId === undefined || s.deploymentId === q.deploymentId) &&
    (q.environmentId === undefined || s.environmentId === q.environmentId)
  );
}

/** Whether a subscription's query has every field `q` sets (the filter aside). */
function sameQuery(query: LogQuery, q: LogQuery): boolean {
  return (
    (q.kind === undefined || query.kind === q.kind) &&
    (q.deploymentId === undefined || query.deploymentId === q.deploymentId) &&
    (q.environmentId === undefined || query.environmentId === q.environmentId)
  );
}

type Line = [SimLogKind, string, SimLog['severity']];

function lifecycleLines(d: SimDeployment, service: string, created: boolean): Line[] {
  const commit =
    typeof d.meta.commitHash === 'string' ? ` from ${d.meta.commitHash.slice(0, 7)}` : '';
  const image = typeof d.meta.image === 'string';
  const building: Line = ['build', `Building ${service}${commit}`, 'info'];
  const built: Line = ['build', 'Build time: 41.87 seconds', 'info'];
  const starting: Line = ['deploy', 'Starting Container', 'info'];
  const running: Line = image
    ? ['deploy', 'database system is ready to accept connections', 'info']
    : ['deploy', 'Listening on port 3000', 'info'];
  if (created && d.status === 'SUCCESS')
    return image ? [running] : [building, built, starting, running];
  const lines: Partial<Record<SimDeploymentStatus, Line[]>> = {
    WAITING: [['build', 'Waiting for GitHub check suites to complete', 'info']],
    NEEDS_APPROVAL: [['build', 'Deployment needs approval before it can build', 'info']],
    BUILDING: [building],
    DEPLOYING: d.skipBuild ? [starting] : [built, starting],
    SUCCESS: [running],
    FAILED: failedLines(d),
    SKIPPED: [['build', skippedLine(d), 'info']],
    CRASHED: [['deploy', 'Process exited with code 1', 'error']],
    REMOVED: [['deploy', 'Stopping Container', 'info']],
  };
  return lines[d.status] ?? [];
}

/** The three places a deployment fails, with the lines Railway's build and deploy logs show. */
function failedLines(d: SimDeployment): Line[] {
  if (d.failure === 'preDeploy')
    return [
      ['deploy', 'Running pre-deploy command: npm run migrate', 'info'],
      ['deploy', 'Pre-deploy command failed with exit code 1', 'error'],
    ];
  if (d.failure === 'healthcheck')
    return [
      ['deploy', 'Starting Healthcheck', 'info'],
      ['deploy', 'Healthcheck failed!', 'error'],
      ['deploy', '1/1 replicas never became healthy!', 'error'],
    ];
  return [['build', 'ERROR: failed to build: exit code: 1', 'error']];
}

const shortSha = (v: unknown) => (typeof v === 'string' ? v.slice(0, 7) : 'the commit');

function skippedLine(d: SimDeployment): string {
  return d.skipReason === 'watch-paths'
    ? 'No changes to watched files, skipping deployment'
    : `Skipping deployment: check suites did not pass for ${shortSha(d.meta.commitHash)}`;
}

function matchesQuery(l: SimLog, q: LogQuery): boolean {
  return (
    (q.kind === undefined || l.kind === q.kind) &&
    (q.deploymentId === undefined || l.deploymentId === q.deploymentId) &&
    (q.environmentId === undefined || l.environmentId === q.environmentId) &&
    matchesFilter(l, q.filter ?? '')
  );
}

/**
 * A subset of Railway's filter syntax: words and "phrases" (case-insensitive), `-` negation,
 * `@level:x`, `@service:id`, `@deployment:id`, `@attr:value`, implicit or explicit AND, and OR.
 */
export function matchesFilter(l: SimLog, filter: string): boolean {
  const groups = filter.replace(/[()]/g, ' ').split(/\s+OR\s+/);
  return groups.some((group) => terms(group).every((term) => matchesTerm(l, term)));
}

function terms(group: string): string[] {
  return (group.match(/-?"[^"]*"|\S+/g) ?? []).filter((t) => t !== 'AND');
}

function matchesTerm(l: SimLog, raw: string): boolean {
  const negated = raw.startsWith('-') && raw.length > 1;
  const term = (negated ? raw.slice(1) : raw).replace(/^"|"$/g, '').toLowerCase();
  return negated !== termHolds(l, term);
}

function termHolds(l: SimLog, term: string): boolean {
  const attr = /^@([\w.-]+):(.*)$/.exec(term);
  if (!attr) return l.message.toLowerCase().includes(term);
  const [, key = '', value = ''] = attr;
  if (key === 'level')
    return l.severity === value || (value === 'warning' && l.severity === 'warn');
  if (key === 'service') return l.serviceId === value;
  if (key === 'deployment') return l.deploymentId === value;
  const found = l.attributes.find((a) => a.key.toLowerCase() === key);
  return found !== undefined && found.value.toLowerCase().replace(/^"|"$/g, '') === value;
}
