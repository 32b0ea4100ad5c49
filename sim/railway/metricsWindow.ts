// The window and steps of a metrics query, checked as Railway checks them, and the recorded
// buckets gathered into those steps.
import { GraphQLError } from 'graphql';
import {
  mergeBucket,
  newBucket,
  RETENTION_MS,
  type Bucket,
  type MetricsStore,
} from './metricsStore';

export interface MetricsWindow {
  fromMs: number;
  toMs: number;
  /** Start of each step (ms), ascending; the first is `fromMs` rounded down to the step. */
  steps: number[];
  stepMs: number;
}

/** Railway's dashboard step for a window this long (railwayapp/cli's compute_sample_rate). */
export function dashboardStepSeconds(lengthMs: number): number {
  const hours = Math.floor(lengthMs / 3_600_000);
  if (hours <= 1) return 30;
  if (hours <= 6) return 60;
  if (hours <= 24) return 240;
  if (hours <= 168) return 3600;
  return 14_400;
}

export function parseDate(value: unknown, name: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw new GraphQLError(`Invalid ${name}: expected an ISO 8601 date, got ${String(value)}`);
  return ms;
}

/** The window [start, end); `stepSeconds` undefined: one step for all of it. */
export function metricsWindow(
  startDate: unknown,
  endDate: unknown,
  stepSeconds: number | undefined,
  nowMs: number,
): MetricsWindow {
  const fromMs = parseDate(startDate, 'startDate');
  const toMs = endDate === undefined || endDate === null ? nowMs : parseDate(endDate, 'endDate');
  if (toMs < fromMs) throw new GraphQLError('endDate must be after startDate');
  if (stepSeconds !== undefined && !(stepSeconds > 0))
    throw new GraphQLError(`stepSeconds must be a positive number of seconds, got ${stepSeconds}`);
  if (stepSeconds === undefined)
    return { fromMs, toMs, steps: [fromMs], stepMs: Math.max(1, toMs - fromMs) };
  const stepMs = stepSeconds * 1000;
  // Only steps Railway still keeps (7 days) and that have begun.
  const oldest = nowMs - RETENTION_MS;
  const steps: number[] = [];
  for (let at = Math.floor(fromMs / stepMs) * stepMs; at < toMs && at <= nowMs; at += stepMs)
    if (at + stepMs > oldest) steps.push(at);
  return { fromMs, toMs, steps, stepMs };
}

/** Unix seconds, as Railway's `ts`. */
export const tsOf = (ms: number): number => Math.floor(ms / 1000);

/** The service's buckets merged per step (steps without requests absent). */
export function bucketsBySteps(
  store: MetricsStore,
  environmentId: string,
  serviceId: string,
  w: MetricsWindow,
): Map<number, Bucket> {
  const out = new Map<number, Bucket>();
  const first = w.steps[0];
  if (first === undefined) return out;
  const end = Math.min(w.toMs, first + w.steps.length * w.stepMs);
  store.eachBucket(
    environmentId,
    serviceId,
    first,
    end,
    (at, bucket) => {
      const step = first + Math.floor((at - first) / w.stepMs) * w.stepMs;
      let merged = out.get(step);
      if (!merged) out.set(step, (merged = newBucket()));
      mergeBucket(merged, bucket);
    },
    w.steps.length === 1 || w.stepMs % 3_600_000 === 0,
  );
  return out;
}
