// Pure: what the metrics panel draws from the daemon's answer: four charts (request rate by status
// class, p95 duration, CPU, memory) as aligned columns for uPlot, the same numbers as table rows
// for screen readers, and a sentence per chart. No DOM, so it is unit-tested under Node.
import {
  STATUS_CLASSES,
  type DeploymentMark,
  type MetricsPart,
  type ServiceMetrics,
} from '../protocol/metrics';
import {
  formatCount,
  formatCpu,
  formatGb,
  formatMs,
  formatRate,
  RANGE_WORDS,
} from '../protocol/metricsWords';

export const CHART_IDS = ['requests', 'duration', 'cpu', 'memory'] as const;
export type ChartId = (typeof CHART_IDS)[number];

/** Which colour of the palette a series takes (metricsColors.ts turns it into the theme's). */
export type SeriesColor = '2xx' | '3xx' | '4xx' | '5xx' | 'p95' | 'cpu' | 'memory';

export interface ChartSeries {
  label: string;
  color: SeriesColor;
  values: (number | null)[];
}

export interface ChartModel {
  id: ChartId;
  title: string;
  /** How a value reads in the legend and the table. */
  format: (value: number | null) => string;
  /** Unix seconds, ascending, shared by every series. */
  xs: number[];
  series: ChartSeries[];
  /** Railway did not answer this part: the sentence shown where the chart would be. */
  unavailable?: string;
  /** One sentence for screen readers: what the chart shows over the range. */
  summary: string;
}

const PART_OF: Record<ChartId, MetricsPart> = {
  requests: 'requests',
  duration: 'duration',
  cpu: 'resources',
  memory: 'resources',
};

const TITLES: Record<ChartId, string> = {
  requests: 'Requests per second by status',
  duration: 'p95 request duration',
  cpu: 'CPU',
  memory: 'Memory',
};

/**
 * Railway may omit a step without requests or send it as zero: a missing step between two samples
 * is filled with `fill` (0 for counts, so the rate line drops to zero instead of bridging the gap;
 * null for a duration or a resource, which uPlot leaves as a gap).
 */
export function fillSteps<T>(
  ts: readonly number[],
  columns: readonly (readonly T[])[],
  step: number,
  fill: T,
): { xs: number[]; columns: T[][] } {
  const xs: number[] = [];
  const out: T[][] = columns.map(() => []);
  ts.forEach((t, i) => {
    const prev = xs[xs.length - 1];
    if (prev !== undefined && step > 0)
      for (let missing = prev + step; missing < t - step / 2; missing += step) {
        xs.push(missing);
        for (const col of out) col.push(fill);
      }
    xs.push(t);
    columns.forEach((col, c) => out[c]!.push(col[i] ?? fill));
  });
  return { xs, columns: out };
}

function unavailableOf(m: ServiceMetrics, part: MetricsPart): string | undefined {
  const u = m.unavailable.find((x) => x.part === part);
  if (u) return u.message;
  return m[part] ? undefined : 'Not asked of Railway for this panel.';
}

function requestChart(m: ServiceMetrics): ChartModel {
  const r = m.requests;
  const step = m.stepSeconds;
  const filled = fillSteps(
    r?.ts ?? [],
    STATUS_CLASSES.map((c) => r?.byClass[c] ?? []),
    step,
    0,
  );
  const series = STATUS_CLASSES.map((c, i) => ({
    label: c,
    color: c,
    values: filled.columns[i]!.map((count) => count / step),
  }));
  const totals = STATUS_CLASSES.map((_, i) => filled.columns[i]!.reduce((a, b) => a + b, 0));
  const all = totals.reduce((a, b) => a + b, 0);
  const summary = `${formatCount(all)} requests over ${RANGE_WORDS[m.range]}, ${STATUS_CLASSES.map((c, i) => `${c} ${formatCount(totals[i]!)}`).join(', ')}.`;
  const format = (v: number | null) => (v === null ? 'no sample' : formatRate(v));
  return base(m, 'requests', filled.xs, series, format, summary);
}

function durationChart(m: ServiceMetrics): ChartModel {
  const d = m.duration;
  const filled = fillSteps(d?.ts ?? [], [d?.p95 ?? []], m.stepSeconds, null);
  const values = filled.columns[0]!;
  const known = values.filter((v): v is number => v !== null);
  const summary = known.length
    ? `p95 request duration over ${RANGE_WORDS[m.range]}: ${formatMs(Math.min(...known))} to ${formatMs(Math.max(...known))}, latest ${formatMs(known[known.length - 1])}.`
    : `No requests over ${RANGE_WORDS[m.range]}, so no duration.`;
  return base(
    m,
    'duration',
    filled.xs,
    [{ label: 'p95', color: 'p95', values }],
    formatMs,
    summary,
  );
}

function resourceChart(m: ServiceMetrics, id: 'cpu' | 'memory'): ChartModel {
  const r = m.resources;
  const filled = fillSteps(
    r?.ts ?? [],
    [id === 'cpu' ? (r?.cpu ?? []) : (r?.memoryGb ?? [])],
    m.stepSeconds,
    null as number | null,
  );
  const values = filled.columns[0]!;
  const fmt = id === 'cpu' ? formatCpu : formatGb;
  const known = values.filter((v): v is number => v !== null);
  const summary = known.length
    ? `${TITLES[id]} over ${RANGE_WORDS[m.range]}: ${fmt(Math.min(...known))} to ${fmt(Math.max(...known))}, latest ${fmt(known[known.length - 1]!)}.`
    : `No ${TITLES[id].toLowerCase()} samples over ${RANGE_WORDS[m.range]}.`;
  const label = id === 'cpu' ? 'vCPU' : 'memory';
  return base(
    m,
    id,
    filled.xs,
    [{ label, color: id, values }],
    (v) => (v === null ? 'no sample' : fmt(v)),
    summary,
  );
}

function base(
  m: ServiceMetrics,
  id: ChartId,
  xs: number[],
  series: ChartSeries[],
  format: (v: number | null) => string,
  summary: string,
): ChartModel {
  const unavailable = unavailableOf(m, PART_OF[id]);
  return {
    id,
    title: TITLES[id],
    format,
    xs,
    series,
    summary: unavailable ? `${TITLES[id]}: ${unavailable}` : summary,
    ...(unavailable !== undefined && { unavailable }),
  };
}

/** The panel's four charts, in the order they are drawn. */
export function chartModels(m: ServiceMetrics): ChartModel[] {
  return [requestChart(m), durationChart(m), resourceChart(m, 'cpu'), resourceChart(m, 'memory')];
}

/** The deployments inside the window, oldest first: the ones the time axis marks. */
export function deploymentsInWindow(m: ServiceMetrics): DeploymentMark[] {
  return m.deployments.filter((d) => d.ts >= m.from && d.ts <= m.to).sort((a, b) => a.ts - b.ts);
}

/** What a deployment's marker says on hover: "Deployed 1a2b3c4 (success) · Fix the cache". */
export function deploymentLabel(d: DeploymentMark): string {
  const what = d.commit ? d.commit.slice(0, 7) : d.id.slice(0, 8);
  const message = d.message?.split('\n')[0];
  // The status before the message: a narrow chart cuts the end of the line, and the message is
  // the part that can go.
  return `Deployed ${what} (${d.status.toLowerCase()})${message ? ` · ${message}` : ''}`;
}

/**
 * The sample the legend shows while the cursor is off the chart: the newest step with a value in
 * any series (so the legend reads the latest figures, not blanks); undefined for an empty chart.
 */
export function latestIndex(model: ChartModel): number | undefined {
  for (let i = model.xs.length - 1; i >= 0; i--)
    if (model.series.some((s) => s.values[i] !== null && s.values[i] !== undefined)) return i;
  return undefined;
}
