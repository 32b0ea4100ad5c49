// The seam between Railway's metrics queries and what reads them (the metrics service behind the
// panel and the tree's hover, and a promotion's verification): series already normalised, so no
// reader knows Railway's wire shapes.
import type { DurationSeries, RequestSeries, ResourceSeries } from '../../protocol/metrics';

/** One service in one environment over [from, to). */
export interface MetricsWindow {
  environmentId: string;
  serviceId: string;
  from: Date;
  to: Date;
  /**
   * Seconds per sample. Omitted: one sample for the whole window where Railway aggregates (the
   * http queries without `stepSeconds`), which is what a verdict over a window wants.
   */
  stepSeconds?: number;
}

/**
 * Railway's metrics for one window. Each call is exactly one upstream request; a failure rejects
 * with the Railway client's own error (its code and sentence), never with an empty series.
 */
export interface MetricsSource {
  /** httpMetricsGroupedByStatus, grouped by status class. */
  requests(window: MetricsWindow): Promise<RequestSeries>;
  /** httpDurationMetrics: p50/p90/p95/p99 in ms. */
  duration(window: MetricsWindow): Promise<DurationSeries>;
  /** One `metrics` query: CPU_USAGE, MEMORY_USAGE_GB, NETWORK_RX_GB, NETWORK_TX_GB. */
  resources(window: MetricsWindow): Promise<ResourceSeries>;
}
