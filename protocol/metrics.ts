// Railway's metrics on the wire: what the daemon hands the metrics panel and the tree's hover
// (`metrics.service`), and a promotion's verification by production's own numbers (the record's
// `verification`). protocol.ts and promotion.ts wire them in.
import * as z from './zod';

/** The panel's time ranges. */
export const METRICS_RANGES = ['1h', '6h', '24h', '7d'] as const;
export type MetricsRange = (typeof METRICS_RANGES)[number];

/** How long each range looks back, in seconds. */
export const RANGE_SECONDS: Record<MetricsRange, number> = {
  '1h': 3_600,
  '6h': 21_600,
  '24h': 86_400,
  '7d': 604_800,
};

/**
 * The step of each range, as Railway's dashboard samples it (railwayapp/cli's
 * compute_sample_rate). It is also how long a fetched chart stays fresh: one request per chart
 * per step, however many windows look at it.
 */
export const RANGE_STEP_SECONDS: Record<MetricsRange, number> = {
  '1h': 30,
  '6h': 60,
  '24h': 240,
  '7d': 3_600,
};

/**
 * What one chart's worth of Railway's metrics a caller wants: `requests` is
 * httpMetricsGroupedByStatus, `duration` httpDurationMetrics, `resources` one `metrics` query
 * (CPU, memory, network). The tree's hover asks for `requests` only.
 */
export const METRICS_PARTS = ['requests', 'duration', 'resources'] as const;
export type MetricsPart = (typeof METRICS_PARTS)[number];

export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** Unix seconds (Railway's `ts`), one per step, ascending; every series of a part shares them. */
const times = z.array(z.number());
const values = z.array(z.number());

export const requestSeries = z.object({
  ts: times,
  /** Requests in each step by status class (Railway reports per status code; 1xx joins 2xx). */
  byClass: z.object({ '2xx': values, '3xx': values, '4xx': values, '5xx': values }),
});
export type RequestSeries = z.infer<typeof requestSeries>;

/** Request duration percentiles in milliseconds; a step without requests is null. */
const percentile = z.array(z.nullable(z.number()));
export const durationSeries = z.object({
  ts: times,
  p50: percentile,
  p90: percentile,
  p95: percentile,
  p99: percentile,
});
export type DurationSeries = z.infer<typeof durationSeries>;

export const resourceSeries = z.object({
  ts: times,
  /** vCPU in use. */
  cpu: values,
  memoryGb: values,
  networkRxGb: values,
  networkTxGb: values,
});
export type ResourceSeries = z.infer<typeof resourceSeries>;

/** A deployment of the service, marked on the charts' time axis. */
export const deploymentMark = z.object({
  id: z.string(),
  /** Unix seconds the deployment was created. */
  ts: z.number(),
  status: z.string(),
  commit: z.optional(z.string()),
  message: z.optional(z.string()),
});
export type DeploymentMark = z.infer<typeof deploymentMark>;

export const serviceMetrics = z.object({
  environmentId: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  environmentName: z.string(),
  range: z.enum(METRICS_RANGES),
  stepSeconds: z.number(),
  /** The window asked of Railway, unix seconds. */
  from: z.number(),
  to: z.number(),
  /** Each part asked for and answered; a part Railway did not answer is in `unavailable`. */
  requests: z.optional(requestSeries),
  duration: z.optional(durationSeries),
  resources: z.optional(resourceSeries),
  deployments: z.array(deploymentMark),
  unavailable: z.array(z.object({ part: z.enum(METRICS_PARTS), message: z.string() })),
  /** When the oldest part shown was fetched from Railway (ISO 8601): a cached answer says so. */
  fetchedAt: z.string(),
});
export type ServiceMetrics = z.infer<typeof serviceMetrics>;

export function metricsMethods<F extends z.core.$ZodType>(folder: F) {
  return {
    /**
     * A service's metrics in one environment over a range. Served from the daemon's cache while
     * fresh (one Railway request per part per step, shared by every client); `parts` limits what
     * is fetched at all.
     */
    'metrics.service': {
      params: z.strictObject({
        folder,
        environmentId: z.string().check(z.minLength(1)),
        serviceId: z.string().check(z.minLength(1)),
        range: z._default(z.enum(METRICS_RANGES), '1h'),
        parts: z._default(z.array(z.enum(METRICS_PARTS)).check(z.minLength(1)), [...METRICS_PARTS]),
      }),
      result: serviceMetrics,
    },
  } as const;
}

// ——— Verification of a promotion by production's metrics ———

/**
 * pending: watching the window after the release. verified: nothing regressed. regressed: a
 * threshold crossed (or a service crashed). not-enough-traffic: too few requests in either window
 * to judge. unknown: Railway could not answer; never a pass.
 */
export const VERIFICATION_STATES = [
  'pending',
  'verified',
  'regressed',
  'not-enough-traffic',
  'unknown',
] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];

/** One window's figures for one service. */
export const verificationFigures = z.object({
  requests: z.number(),
  errors5xx: z.number(),
  /** errors5xx / requests, 0..1; 0 without requests. */
  errorRate: z.number(),
  /** p95 request duration over the window, ms; null without requests. */
  p95Ms: z.nullable(z.number()),
  /**
   * Crashes and restarts seen in the window: deployments of the service that crashed, plus (after
   * the release) restarts of its process seen in Railway's deployment instances.
   */
  crashes: z.number(),
  /** Mean memory in use over the window, GB; null when Railway had no samples. */
  memoryGb: z.nullable(z.number()),
});
export type VerificationFigures = z.infer<typeof verificationFigures>;

export const verificationService = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(VERIFICATION_STATES),
  before: z.optional(verificationFigures),
  after: z.optional(verificationFigures),
  /** Plain sentences: what regressed, or why it could not be judged. */
  reasons: z.array(z.string()),
  /**
   * Which figures crossed their threshold, for a display to mark them (the reasons say how).
   * Absent from verdicts journaled before it was added, and from pending ones.
   */
  crossed: z.optional(z.array(z.enum(['5xx', 'p95', 'crash']))),
  /**
   * While pending: restarts of its process counted so far, journaled as the count grows, so a
   * daemon restarted during the window goes on from it.
   */
  restartsSeen: z.optional(z.number()),
});
export type VerificationService = z.infer<typeof verificationService>;

/** railyard.json's `verification` for a pair, defaults filled in. */
export const verificationThresholds = z.object({
  windowMinutes: z.number(),
  /** Regressed when the 5xx rate grows by at least this factor… */
  errorRateFactor: z.number(),
  /** …with at least this many 5xx responses after. */
  minErrors: z.number(),
  /** Regressed when p95 grows by at least this factor… */
  p95Factor: z.number(),
  /** …with at least this many requests after; below it in either window: not enough traffic. */
  minRequests: z.number(),
  autoRollback: z.boolean(),
});
export type VerificationThresholds = z.infer<typeof verificationThresholds>;

export const DEFAULT_VERIFICATION: VerificationThresholds = {
  windowMinutes: 10,
  errorRateFactor: 2,
  minErrors: 20,
  p95Factor: 1.5,
  minRequests: 200,
  autoRollback: false,
};

export const promotionVerification = z.object({
  state: z.enum(VERIFICATION_STATES),
  /** When the release began serving: the after window starts here, the before window ends here. */
  releasedAt: z.string(),
  /** When the after window ends and the verdict is due. */
  endsAt: z.string(),
  thresholds: verificationThresholds,
  services: z.array(verificationService),
  /** One plain sentence for the notification, the panel and `railyard promote status`. */
  summary: z.string(),
  /** When the verdict was reached. */
  decidedAt: z.optional(z.string()),
  /** railyard.json asked for it and a rollback was started because of this verdict. */
  autoRolledBack: z._default(z.boolean(), false),
});
export type PromotionVerification = z.infer<typeof promotionVerification>;
