// Railway's HTTP metrics as the simulator keeps them: every request line a deployment writes
// (`attributes.status` and `durationMs`) counted into 10-second buckets per environment and
// service, stamped with the simulators' clock, so a chart and `railyard logs` tell the same story.
// Memory stays bounded: a bucket is a few counts and one duration histogram, and buckets older
// than Railway's 7 days are dropped.
import type { SimClock } from '../clock';
import { addTo, binOf, emptyHistogram, type Histogram } from './durationHistogram';
import type { SimLog } from './logs';

export const BUCKET_MS = 10_000;
const HOUR_MS = 3_600_000;
/** Hours of made-up history kept merged: a week of a few dozen services. */
const MAX_HISTORY_HOURS = 20_000;
/** Railway keeps metrics for 7 days; older windows answer empty. */
export const RETENTION_MS = 7 * 86_400_000;

export interface Bucket {
  /** Requests by exact status code. */
  counts: Map<number, number>;
  durations: Histogram;
}

/** The time before the simulator started, made up for a service (see metricsHistory.ts). */
export type HistorySource = (
  environmentId: string,
  serviceId: string,
  bucketStartMs: number,
) => Bucket | undefined;

interface Series {
  /** By bucket start (ms), oldest first, as the clock only moves forward. */
  buckets: Map<number, Bucket>;
  /** When a deployment took over or restarted (ms): memory starts again from its base. */
  starts: number[];
}

export function newBucket(): Bucket {
  return { counts: new Map(), durations: emptyHistogram() };
}

/** Counts one request into a bucket; false when the values do not make a request. */
export function addRequest(bucket: Bucket, status: unknown, durationMs: unknown): boolean {
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)
    return false;
  bucket.counts.set(status, (bucket.counts.get(status) ?? 0) + 1);
  if (typeof durationMs === 'number' && durationMs >= 0) bucket.durations[binOf(durationMs)]! += 1;
  return true;
}

export function mergeBucket(into: Bucket, from: Bucket): void {
  for (const [status, n] of from.counts)
    into.counts.set(status, (into.counts.get(status) ?? 0) + n);
  addTo(into.durations, from.durations);
}

export class MetricsStore {
  /** Buckets that end by this instant are history (made up); later ones are what was recorded. */
  readonly startedAtMs: number;
  private readonly series = new Map<string, Series>();
  /** Whole hours of made-up history, merged: a 7-day chart need not make 60,480 buckets again. */
  private readonly historyHours = new Map<string, Bucket>();

  constructor(
    private readonly clock: Pick<SimClock, 'nowMs'>,
    private readonly history: HistorySource = () => undefined,
  ) {
    this.startedAtMs = clock.nowMs();
  }

  /**
   * A request Railway's edge answered itself, no deployment taking it (a 502 while a service is
   * down): Railway's HTTP metrics come from the edge, so a crash shows as 502s, not as silence.
   */
  recordEdge(environmentId: string, serviceId: string, status: number): void {
    addRequest(this.bucketNow(environmentId, serviceId), status, 0);
  }

  /** The request lines among `lines` (deploy logs with a status), counted now. */
  record(lines: readonly SimLog[]): void {
    for (const line of lines) {
      if (line.kind !== 'deploy') continue;
      const status = attribute(line, 'status');
      if (status === undefined) continue;
      const bucket = this.bucketNow(line.environmentId, line.serviceId);
      addRequest(bucket, status, attribute(line, 'durationMs'));
    }
  }

  /** A deployment of the service took over, or its instances restarted. */
  noteStart(environmentId: string, serviceId: string, atMs = this.clock.nowMs()): void {
    this.seriesOf(environmentId, serviceId).starts.push(atMs);
  }

  /** The recorded starts of the service, oldest first. */
  starts(environmentId: string, serviceId: string): readonly number[] {
    return this.series.get(key(environmentId, serviceId))?.starts ?? [];
  }

  /**
   * Calls `visit` for each non-empty bucket that starts in [fromMs, toMs) and within the 7 days
   * Railway keeps: made-up history before the simulator started, recorded buckets after. With
   * `wholeHours`, a whole hour of history may come as one bucket at its start (for steps of whole
   * hours, or one step for all of the window).
   */
  eachBucket(
    environmentId: string,
    serviceId: string,
    fromMs: number,
    toMs: number,
    visit: (startMs: number, bucket: Bucket) => void,
    wholeHours = false,
  ): void {
    const oldest = this.clock.nowMs() - RETENTION_MS;
    const recorded = this.series.get(key(environmentId, serviceId))?.buckets;
    let at = Math.ceil(Math.max(fromMs, oldest) / BUCKET_MS) * BUCKET_MS;
    while (at < toMs) {
      const hourFits = at % HOUR_MS === 0 && at + HOUR_MS <= Math.min(toMs, this.startedAtMs);
      const grain = wholeHours && hourFits ? HOUR_MS : BUCKET_MS;
      const bucket =
        grain === HOUR_MS
          ? this.historyHour(environmentId, serviceId, at)
          : at + BUCKET_MS <= this.startedAtMs
            ? this.history(environmentId, serviceId, at)
            : recorded?.get(at);
      if (bucket && bucket.counts.size > 0) visit(at, bucket);
      at += grain;
    }
  }

  private historyHour(environmentId: string, serviceId: string, hourMs: number): Bucket {
    const k = `${key(environmentId, serviceId)}/${hourMs}`;
    let merged = this.historyHours.get(k);
    if (merged) return merged;
    merged = newBucket();
    for (let at = hourMs; at < hourMs + HOUR_MS; at += BUCKET_MS) {
      const bucket = this.history(environmentId, serviceId, at);
      if (bucket) mergeBucket(merged, bucket);
    }
    if (this.historyHours.size >= MAX_HISTORY_HOURS) this.historyHours.clear();
    this.historyHours.set(k, merged);
    return merged;
  }

  private bucketNow(environmentId: string, serviceId: string): Bucket {
    const series = this.seriesOf(environmentId, serviceId);
    const at = Math.floor(this.clock.nowMs() / BUCKET_MS) * BUCKET_MS;
    let bucket = series.buckets.get(at);
    if (!bucket) {
      bucket = newBucket();
      series.buckets.set(at, bucket);
      this.forgetOld(series);
    }
    return bucket;
  }

  private forgetOld(series: Series): void {
    const oldest = this.clock.nowMs() - RETENTION_MS - BUCKET_MS;
    for (const at of series.buckets.keys()) {
      if (at >= oldest) break;
      series.buckets.delete(at);
    }
    while (series.starts.length > 1 && series.starts[1]! < oldest) series.starts.shift();
  }

  private seriesOf(environmentId: string, serviceId: string): Series {
    const k = key(environmentId, serviceId);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { buckets: new Map(), starts: [] }));
    return s;
  }
}

function key(environmentId: string, serviceId: string): string {
  return `${environmentId}/${serviceId}`;
}

function attribute(line: SimLog, name: string): unknown {
  const found = line.attributes.find((a) => a.key === name);
  if (!found) return undefined;
  try {
    return JSON.parse(found.value) as unknown;
  } catch {
    return undefined;
  }
}
