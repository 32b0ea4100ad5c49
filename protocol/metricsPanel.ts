// The metrics panel's wire: every message between the metrics webview and the extension, typed and
// validated here on both ends, like the checklist's (panel.ts). The page holds no metrics of its
// own: the extension asks the daemon's `metrics.service` and posts the answer; the page asks only
// for another range.
import * as z from './zod';
import { METRICS_RANGES, serviceMetrics } from './metrics';

export { METRICS_VIEW_TYPE } from './viewTypes';

const id = z.string().check(z.minLength(1), z.maxLength(200));

/** What a metrics panel restored after a reload remembers (the page's `setState`). */
export const metricsMemento = z.object({
  environmentId: id,
  serviceId: id,
  range: z._default(z.enum(METRICS_RANGES), '1h'),
  /** The table shown instead of the charts. */
  table: z._default(z.boolean(), false),
});
export type MetricsMemento = z.infer<typeof metricsMemento>;

/** extension → webview */
export const toMetricsPanel = z.discriminatedUnion('type', [
  /** Which service the panel shows, and the range and view to show it in (on `ready`). */
  z.object({ type: z.literal('subject'), subject: metricsMemento }),
  /** The daemon's answer for the panel's service and range: the page redraws from it. */
  z.object({ type: z.literal('metrics'), metrics: serviceMetrics }),
  /** A request is out (loading) or answered. */
  z.object({ type: z.literal('loading'), loading: z.boolean() }),
  /** The daemon could not answer at all: its sentence, shown above the charts. */
  z.object({ type: z.literal('error'), message: z.string().check(z.maxLength(2000)) }),
]);
export type ToMetricsPanel = z.infer<typeof toMetricsPanel>;

/** webview → extension */
export const fromMetricsPanel = z.discriminatedUnion('type', [
  /** The page has loaded and listens. */
  z.object({ type: z.literal('ready') }),
  /** The user picked a range: fetch it now, then every step of it. */
  z.object({ type: z.literal('range'), range: z.enum(METRICS_RANGES) }),
  /** The user switched between charts and table (remembered for a restored panel). */
  z.object({ type: z.literal('view'), table: z.boolean() }),
  /**
   * The page drew an answer: its range, how many charts and table rows it shows, and which parts
   * read "unavailable". The tests wait on it.
   */
  z.object({
    type: z.literal('rendered'),
    range: z.enum(METRICS_RANGES),
    table: z.boolean(),
    charts: z.number().check(z.int(), z.minimum(0)),
    rows: z.number().check(z.int(), z.minimum(0)),
    unavailable: z.array(z.string().check(z.maxLength(50))).check(z.maxLength(10)),
    fetchedAt: z.string().check(z.maxLength(50)),
  }),
  /** The page's CSP refused something: logged, and failed on in the tests. */
  z.object({
    type: z.literal('csp-violation'),
    directive: z.string().check(z.maxLength(200)),
    blocked: z.string().check(z.maxLength(2000)),
  }),
]);
export type FromMetricsPanel = z.infer<typeof fromMetricsPanel>;
