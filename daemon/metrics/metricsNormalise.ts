// Railway's metrics answers turned into the protocol's series: status codes into classes (1xx
// joins 2xx), every series of a part on the same ascending Unix-second steps, steps Railway left
// out filled (0 requests, no percentile), and either reading of what Railway leaves open accepted
// (empty steps omitted or zero; an aggregate call answering one sample or several).
import type {
  DurationSeries,
  RequestSeries,
  ResourceSeries,
  StatusClass,
} from '../../protocol/metrics';
import type { MetricsWindow } from './metricsSource';

export interface RailwaySample {
  ts: number;
  value: number;
}
export interface RailwayStatusGroup {
  statusCode: number;
  samples: RailwaySample[];
}
export interface RailwayDurationSample {
  ts: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}
export interface RailwayMeasurement {
  measurement: string;
  values: RailwaySample[];
}

/** Railway's `ts` is Unix seconds; a value in milliseconds (past the year 5138 in seconds) is converted. */
export function toSeconds(ts: number): number {
  return Math.floor(ts > 1e11 ? ts / 1000 : ts);
}

/** The steps of a window: every step start from `from` (rounded down) to before `to`; one without a step. */
export function windowSteps(w: MetricsWindow): number[] {
  const from = Math.floor(w.from.getTime() / 1000);
  const to = Math.ceil(w.to.getTime() / 1000);
  if (!w.stepSeconds) return [from];
  const steps: number[] = [];
  for (let at = Math.floor(from / w.stepSeconds) * w.stepSeconds; at < to; at += w.stepSeconds)
    steps.push(at);
  return steps;
}

/** The index of the step a sample belongs to, or -1 when it falls outside the window. */
function stepIndex(w: MetricsWindow, steps: number[], ts: number): number {
  if (steps.length === 0) return -1;
  const at = toSeconds(ts);
  // Without a step the whole window is one sample, however many Railway sent for it.
  if (!w.stepSeconds) return 0;
  const i = Math.floor((at - steps[0]!) / w.stepSeconds);
  return i >= 0 && i < steps.length ? i : -1;
}

export function classOf(statusCode: number): StatusClass | undefined {
  const hundreds = Math.floor(statusCode / 100);
  if (hundreds === 1 || hundreds === 2) return '2xx';
  if (hundreds === 3) return '3xx';
  if (hundreds === 4) return '4xx';
  if (hundreds === 5) return '5xx';
  return undefined;
}

export function normaliseRequests(groups: RailwayStatusGroup[], w: MetricsWindow): RequestSeries {
  const ts = windowSteps(w);
  const zeros = () => ts.map(() => 0);
  const byClass = { '2xx': zeros(), '3xx': zeros(), '4xx': zeros(), '5xx': zeros() };
  for (const group of groups) {
    const cls = classOf(group.statusCode);
    if (!cls) continue;
    for (const s of group.samples) {
      const i = stepIndex(w, ts, s.ts);
      if (i >= 0 && Number.isFinite(s.value)) byClass[cls][i]! += s.value;
    }
  }
  return { ts, byClass };
}

const PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const;

/**
 * Several samples in one step (an aggregate answered per step) are averaged: Railway sends no
 * request counts with them to weigh by. A sample of zeros is a step without requests.
 */
export function normaliseDuration(
  samples: RailwayDurationSample[],
  w: MetricsWindow,
): DurationSeries {
  const ts = windowSteps(w);
  const sums = PERCENTILES.map(() => ts.map(() => 0));
  const counts = ts.map(() => 0);
  for (const s of samples) {
    const i = stepIndex(w, ts, s.ts);
    if (i < 0 || PERCENTILES.every((p) => !s[p])) continue;
    counts[i]! += 1;
    PERCENTILES.forEach((p, k) => (sums[k]![i]! += Number.isFinite(s[p]) ? s[p] : 0));
  }
  const series = (k: number) => ts.map((_, i) => (counts[i] ? sums[k]![i]! / counts[i] : null));
  return { ts, p50: series(0), p90: series(1), p95: series(2), p99: series(3) };
}

export const RESOURCE_MEASUREMENTS = {
  CPU_USAGE: 'cpu',
  MEMORY_USAGE_GB: 'memoryGb',
  NETWORK_RX_GB: 'networkRxGb',
  NETWORK_TX_GB: 'networkTxGb',
} as const;

/**
 * Resources keep the steps Railway sampled (a gap is a stretch without a container, not a zero);
 * several values in one step (an answer at a finer rate) are averaged, and a step one measurement
 * has and another lacks reads 0 for the one lacking it.
 */
export function normaliseResources(
  results: RailwayMeasurement[],
  w: MetricsWindow,
): ResourceSeries {
  const rows = new Map<number, Map<string, { sum: number; n: number }>>();
  const first = windowSteps(w)[0]!;
  const end = w.to.getTime() / 1000;
  for (const r of results) {
    const field = RESOURCE_MEASUREMENTS[r.measurement as keyof typeof RESOURCE_MEASUREMENTS];
    if (!field) continue;
    for (const v of r.values) {
      const at = alignTo(w, toSeconds(v.ts));
      if (at < first || at >= end || !Number.isFinite(v.value)) continue;
      const row = rows.get(at) ?? rows.set(at, new Map()).get(at)!;
      const cell = row.get(field) ?? { sum: 0, n: 0 };
      row.set(field, { sum: cell.sum + v.value, n: cell.n + 1 });
    }
  }
  const ts = [...rows.keys()].sort((a, b) => a - b);
  const pick = (field: string) =>
    ts.map((at) => {
      const cell = rows.get(at)!.get(field);
      return cell ? cell.sum / cell.n : 0;
    });
  return {
    ts,
    cpu: pick('cpu'),
    memoryGb: pick('memoryGb'),
    networkRxGb: pick('networkRxGb'),
    networkTxGb: pick('networkTxGb'),
  };
}

function alignTo(w: MetricsWindow, at: number): number {
  return w.stepSeconds ? Math.floor(at / w.stepSeconds) * w.stepSeconds : at;
}
