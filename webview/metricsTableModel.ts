// Pure: the metrics panel's table view, the charts' numbers as rows for screen readers and for
// anyone who wants the figure: one row per step, requests as Railway counts them (not rates), p95,
// CPU and memory, and the deployment that started in the step. No DOM; unit-tested under Node.
import { STATUS_CLASSES, type ServiceMetrics } from '../protocol/metrics';
import {
  formatCount,
  formatCpu,
  formatGb,
  formatMs,
  RANGE_WORDS,
  stepWords,
} from '../protocol/metricsWords';
import { deploymentLabel, deploymentsInWindow } from './metricsModel';

export interface MetricsTable {
  caption: string;
  headers: string[];
  /** Newest first: the recent past is what someone reading row by row looks for. */
  rows: string[][];
  /** Each row's step (unix seconds), in the same order. */
  times: number[];
}

/**
 * Unix seconds as the panel writes a time: "2026-12-01 10:24", or "2026-12-01 10:24:30" with
 * `seconds` (steps under a minute), in `timeZone` (UTC unless told otherwise).
 */
export function formatTime(ts: number, timeZone = 'UTC', seconds = false): string {
  const d = new Date(ts * 1000);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const s = seconds ? `:${get('second')}` : '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}${s}`;
}

/**
 * A tick on the time axis: "10:15" when the chart spans a day or less, "12-01 06:00" over a
 * week; 24-hour like the table, in the same zone.
 */
export function axisTime(ts: number, spanSeconds: number, timeZone = 'UTC'): string {
  const full = formatTime(ts, timeZone);
  return spanSeconds <= 86_400 ? full.slice(11) : full.slice(5);
}

/** Every step any part answered, ascending. */
function allSteps(m: ServiceMetrics): number[] {
  const ts = new Set<number>([
    ...(m.requests?.ts ?? []),
    ...(m.duration?.ts ?? []),
    ...(m.resources?.ts ?? []),
  ]);
  return [...ts].sort((a, b) => a - b);
}

function indexOf(ts: readonly number[] | undefined): Map<number, number> {
  return new Map((ts ?? []).map((t, i) => [t, i]));
}

export function metricsTable(m: ServiceMetrics, timeZone = 'UTC'): MetricsTable {
  const req = indexOf(m.requests?.ts);
  const dur = indexOf(m.duration?.ts);
  const res = indexOf(m.resources?.ts);
  const deployments = deploymentsInWindow(m);
  const step = m.stepSeconds;
  const steps = allSteps(m);
  const rows = steps.map((t) => {
    const r = req.get(t);
    const d = dur.get(t);
    const s = res.get(t);
    const counts = STATUS_CLASSES.map((c) =>
      // A step Railway left out of the request series had no requests; a part not answered is blank.
      m.requests ? formatCount(r === undefined ? 0 : (m.requests.byClass[c][r] ?? 0)) : '',
    );
    const deployed = deployments.filter((x) => x.ts >= t && x.ts < t + step);
    return [
      formatTime(t, timeZone, step < 60),
      ...counts,
      m.duration ? formatMs(d === undefined ? null : m.duration.p95[d]) : '',
      m.resources && s !== undefined ? formatCpu(m.resources.cpu[s] ?? 0) : '',
      m.resources && s !== undefined ? formatGb(m.resources.memoryGb[s] ?? 0) : '',
      deployed.map(deploymentLabel).join('; '),
    ];
  });
  const zone = timeZone === 'UTC' ? 'UTC' : timeZone;
  return {
    caption: `${m.serviceName} in ${m.environmentName}, ${RANGE_WORDS[m.range]}: one row per ${stepWords(step)}, newest first (times in ${zone}).`,
    headers: [
      'Time',
      ...STATUS_CLASSES.map((c) => `${c} requests`),
      'p95 duration',
      'CPU',
      'Memory',
      'Deployment',
    ],
    rows: rows.reverse(),
    times: steps.reverse(),
  };
}
