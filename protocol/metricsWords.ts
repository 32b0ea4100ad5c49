// How Railway's metrics read in words: request rates, durations, vCPU, memory and error rates, the
// same in the metrics panel's legend and table, its screen-reader labels and the tree's hover.
// Pure (no DOM, no vscode), so the panel's page and the extension share it.
import type { MetricsPart, MetricsRange } from './metrics';

/** Significant enough for a glance: 3 figures, never exponent notation. */
function figures(n: number, max = 3): string {
  if (n === 0) return '0';
  const abs = Math.abs(n);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? Math.max(0, max - 2) : abs >= 1 ? max - 1 : max;
  return Number(n.toFixed(decimals)).toString();
}

/** Requests per second: "3.1/s", "0.05/s", "120/s". */
export function formatRate(perSecond: number): string {
  return `${figures(perSecond, 2)}/s`;
}

/** A request duration: "182 ms", "1.2 s"; null (no requests in the step) reads "no requests". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return 'no requests';
  if (ms >= 1000) return `${figures(ms / 1000)} s`;
  return `${Math.round(ms)} ms`;
}

/** vCPU in use: "0.12 vCPU". */
export function formatCpu(vcpu: number): string {
  return `${figures(vcpu)} vCPU`;
}

/** Memory: "512 MB" under a gigabyte, else "1.25 GB" (1 GB = 1024 MB, as Railway's CLI counts). */
export function formatGb(gb: number): string {
  if (gb < 1) return `${Math.round(gb * 1024)} MB`;
  return `${figures(gb)} GB`;
}

/** An error rate of 0..1 as a percentage: "0.4%", "12%", "0%". */
export function formatPercent(fraction: number): string {
  return `${figures(fraction * 100, 2)}%`;
}

/** A count with thousands separated the same everywhere: "12,345". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export const RANGE_WORDS: Record<MetricsRange, string> = {
  '1h': 'the last hour',
  '6h': 'the last 6 hours',
  '24h': 'the last 24 hours',
  '7d': 'the last 7 days',
};

/**
 * How long one step (a table row) is, after "every" or "per": "30 seconds", "minute", "4 minutes",
 * "hour".
 */
export function stepWords(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`;
  if (seconds < 3600) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
}

/** A part of `metrics.service` as the panel names it. */
export const PART_WORDS: Record<MetricsPart, string> = {
  requests: 'requests',
  duration: 'request duration',
  resources: 'CPU and memory',
};
