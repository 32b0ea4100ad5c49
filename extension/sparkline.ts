// Pure: the service row's hover line of the last hour's traffic, as block characters with the
// figures in words beside them ("Requests 3.1/s `▂▃▅▇▆▅`  5xx 0.4% `▁▁▁▂▁▁`"). No `vscode`
// import, so it is unit-tested under Node.
import { STATUS_CLASSES, type ServiceMetrics } from '../protocol/metrics';
import { formatPercent, formatRate } from '../protocol/metricsWords';

const BLOCKS = '▁▂▃▄▅▆▇█';

/** How many characters a sparkline takes: enough to see a shape, short enough for a hover. */
export const SPARK_WIDTH = 12;

/**
 * `values` averaged into `width` buckets (fewer when there are fewer values), each drawn as a
 * block from ▁ (zero) to █ (the highest bucket). Everything zero is a flat ▁ line.
 */
export function sparkline(values: readonly number[], width = SPARK_WIDTH): string {
  if (!values.length) return '';
  const buckets = bucketMeans(values, Math.min(width, values.length));
  const max = Math.max(...buckets);
  return buckets
    .map((v) => {
      if (max <= 0 || v <= 0) return BLOCKS[0];
      // Anything above zero shows at least ▂, so a trickle does not read as nothing.
      const level = Math.max(1, Math.round((v / max) * (BLOCKS.length - 1)));
      return BLOCKS[level];
    })
    .join('');
}

function bucketMeans(values: readonly number[], count: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < count; b++) {
    const start = Math.floor((b * values.length) / count);
    const end = Math.floor(((b + 1) * values.length) / count);
    const slice = values.slice(start, Math.max(end, start + 1));
    out.push(slice.reduce((a, v) => a + v, 0) / slice.length);
  }
  return out;
}

/**
 * The hover's line for a `metrics.service` answer of the `requests` part: the mean request rate
 * over the window and its shape, then the share of 5xx responses and its shape. A part Railway
 * did not answer says so in one line.
 */
export function hoverMetricsLine(m: ServiceMetrics): string {
  const missing = m.unavailable.find((u) => u.part === 'requests');
  if (missing || !m.requests) return unansweredLine(missing?.message ?? 'no request metrics');
  const r = m.requests;
  const totals = r.ts.map((_, i) => STATUS_CLASSES.reduce((a, c) => a + (r.byClass[c][i] ?? 0), 0));
  const all = totals.reduce((a, b) => a + b, 0);
  if (all === 0) return 'Requests: none in the last hour';
  const errors = r.byClass['5xx'];
  const errorsAll = errors.reduce((a, b) => a + b, 0);
  const seconds = Math.max(1, m.to - m.from);
  const rates = totals.map((t) => t / m.stepSeconds);
  const errorShares = totals.map((t, i) => (t > 0 ? (errors[i] ?? 0) / t : 0));
  return (
    `Requests ${formatRate(all / seconds)} \`${sparkline(rates)}\`` +
    `  5xx ${formatPercent(errorsAll / all)} \`${sparkline(errorShares)}\` (last hour)`
  );
}

/** One line when Railway (or the daemon) did not answer: the rest of the tooltip stays as it is. */
export function unansweredLine(reason: string): string {
  const sentence = reason
    .split('\n')[0]!
    .replace(/[`*_[\]<>]/g, '')
    .slice(0, 160);
  return `Requests: Railway did not answer (${sentence})`;
}
