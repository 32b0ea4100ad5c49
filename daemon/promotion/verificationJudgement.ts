// The verdict on production after a release, from the figures of the window before it and the
// window after it: per service by the thresholds, the promotion's as the worst of its services,
// and the plain sentence people read. Pure: figures in, verdicts and words out.
import type {
  DurationSeries,
  RequestSeries,
  ResourceSeries,
  VerificationFigures,
  VerificationService,
  VerificationState,
  VerificationThresholds,
} from '../../protocol/metrics';
import { millis as ms, percent } from '../../protocol/promotionWords';

/** What one window of one service is read into; Railway's series as the MetricsSource gives them. */
export interface WindowSeries {
  requests: RequestSeries;
  duration: DurationSeries;
  /** Absent when Railway's `metrics` query failed: memory is reported, never judged. */
  resources?: ResourceSeries;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** One window's figures: requests and 5xx summed over every sample, p95, crashes, mean memory. */
export function windowFigures(series: WindowSeries, crashes: number): VerificationFigures {
  const { byClass } = series.requests;
  const errors5xx = sum(byClass['5xx']);
  const requests = errors5xx + sum(byClass['2xx']) + sum(byClass['3xx']) + sum(byClass['4xx']);
  const memory = series.resources?.memoryGb ?? [];
  return {
    requests,
    errors5xx,
    errorRate: requests > 0 ? errors5xx / requests : 0,
    p95Ms: requests > 0 ? windowP95(series.duration, series.requests) : null,
    crashes,
    memoryGb: memory.length ? sum(memory) / memory.length : null,
  };
}

/**
 * An aggregate call answers one sample, whose p95 is the window's. Should Railway answer several
 * anyway, percentiles cannot be merged exactly: each sample's p95 is weighted by the requests of
 * the same step (1 when the request series has no such step), which is close enough to judge a
 * 50 % growth by.
 */
function windowP95(duration: DurationSeries, requests: RequestSeries): number | null {
  let weighted = 0;
  let weights = 0;
  duration.p95.forEach((p95, i) => {
    if (p95 === null) return;
    const step = requests.ts.indexOf(duration.ts[i]!);
    const weight =
      step < 0 ? 1 : sum(Object.values(requests.byClass).map((values) => values[step] ?? 0));
    weighted += p95 * weight;
    weights += weight;
  });
  return weights > 0 ? weighted / weights : null;
}

/** What is known of one service when the window ends (or a crash ends it early). */
export interface ServiceWindows {
  id: string;
  name: string;
  before?: VerificationFigures;
  after?: VerificationFigures;
  /** A deployment of the merge commit went CRASHED during the window. */
  crashed: boolean;
  /**
   * Its process restarted this often while the deployment stayed SUCCESS (Railway's restart
   * policy), as the instances read once a minute saw it. Absent when every read failed: unknown,
   * and not judged on, since the figures still judge the rest and a failed read is no pass.
   */
  restarts?: number;
  /** Railway could not answer a query this verdict needs (requests or duration), in its words. */
  failure?: string;
}

/**
 * One service's verdict. A crash is a regression whatever the numbers. Then the thresholds: the
 * 5xx rule needs `minErrors` errors after (so a rate from zero before counts once there are
 * enough of them); the p95 rule `minRequests` requests in both windows, since a percentile of a
 * handful of requests says nothing. Short of a regression, too few requests in either window is
 * "not enough traffic": a quiet service is never called verified. Memory is reported beside the
 * rest but never judged: it grows with caches and traffic, and no threshold on it would tell a
 * leak from a warm-up within one window.
 */
export function judgeService(w: ServiceWindows, t: VerificationThresholds): VerificationService {
  const figures = { ...(w.before && { before: w.before }), ...(w.after && { after: w.after }) };
  const verdict = (
    state: VerificationState,
    reasons: string[],
    crossed: Crossed[] = [],
  ): VerificationService => ({ id: w.id, name: w.name, state, ...figures, reasons, crossed });
  const crash = crashesSeen(w);
  if (!w.before || !w.after || w.failure)
    return crash.length
      ? verdict(
          'regressed',
          crash.map((c) => c.reason),
          ['crash'],
        )
      : verdict('unknown', [
          `Railway did not answer for ${w.name}'s metrics (${w.failure ?? 'no figures'})`,
        ]);
  const regressions = [...crash, ...thresholdsCrossed(w.name, w.before, w.after, t)];
  if (regressions.length)
    return verdict(
      'regressed',
      regressions.map((r) => r.reason),
      [...new Set(regressions.map((r) => r.what))],
    );
  const quiet = Math.min(w.before.requests, w.after.requests) < t.minRequests;
  if (quiet)
    return verdict('not-enough-traffic', [
      `${w.name} had ${w.before.requests} requests before and ${w.after.requests} after: ${t.minRequests} are needed in each window`,
    ]);
  return verdict('verified', []);
}

type Crossed = NonNullable<VerificationService['crossed']>[number];
interface Crossing {
  what: Crossed;
  reason: string;
}

/** A crash of the deployment, and restarts of its process, each a regression whatever the numbers. */
function crashesSeen(w: ServiceWindows): Crossing[] {
  const out: Crossing[] = [];
  if (w.crashed) out.push({ what: 'crash', reason: `${w.name} crashed during the window` });
  const n = w.restarts ?? 0;
  if (n > 0)
    out.push({
      what: 'crash',
      reason: `${w.name} restarted ${n} ${n === 1 ? 'time' : 'times'} during the window`,
    });
  return out;
}

function thresholdsCrossed(
  name: string,
  before: VerificationFigures,
  after: VerificationFigures,
  t: VerificationThresholds,
): Crossing[] {
  const out: Crossing[] = [];
  const errorsGrew =
    after.errors5xx >= t.minErrors &&
    after.errorRate > 0 &&
    after.errorRate >= t.errorRateFactor * before.errorRate;
  if (errorsGrew)
    out.push({
      what: '5xx',
      reason: `${name}'s 5xx rate ${percent(before.errorRate)} → ${percent(after.errorRate)} (${after.errors5xx} errors)`,
    });
  const slower =
    Math.min(before.requests, after.requests) >= t.minRequests &&
    before.p95Ms !== null &&
    after.p95Ms !== null &&
    after.p95Ms >= t.p95Factor * before.p95Ms;
  if (slower)
    out.push({ what: 'p95', reason: `${name}'s p95 ${ms(before.p95Ms)} → ${ms(after.p95Ms)} ms` });
  return out;
}

/** How bad each verdict is: the promotion's is its worst service's. */
const SEVERITY: Record<VerificationState, number> = {
  regressed: 4,
  unknown: 3,
  'not-enough-traffic': 2,
  verified: 1,
  pending: 0,
};

/** The promotion's verdict: regressed > unknown > not-enough-traffic > verified; none judged is unknown. */
export function worstState(services: readonly VerificationService[]): VerificationState {
  if (services.length === 0) return 'unknown';
  return services.reduce<VerificationState>(
    (worst, s) => (SEVERITY[s.state] > SEVERITY[worst] ? s.state : worst),
    'verified',
  );
}

export interface SummaryInput {
  target: string;
  state: VerificationState;
  services: readonly VerificationService[];
  /** How long the after window was watched (shorter than the setting when a crash ended it). */
  minutes: number;
  autoRollback: boolean;
}

/** The one sentence of a verdict, for the notification, the panel and `railyard promote status`. */
export function verificationSummary(v: SummaryInput): string {
  const reasons = (state: VerificationState) =>
    v.services.filter((s) => s.state === state).flatMap((s) => s.reasons);
  switch (v.state) {
    case 'regressed':
      return `${v.target} regressed: ${reasons('regressed').join('; ')}. ${v.autoRollback ? 'Rolling back, as railyard.json asks (autoRollback).' : 'Roll back?'}`;
    case 'unknown':
      return `${v.target} not verified: ${reasons('unknown').join('; ')}. Nothing was judged a pass; look at its metrics in the dashboard.`;
    case 'not-enough-traffic':
      return `${v.target} not verified, not enough traffic: ${reasons('not-enough-traffic').join('; ')}.`;
    case 'verified':
      return `${v.target} verified: ${verifiedFigures(v.services)} over ${v.minutes} min.`;
    case 'pending':
      return `Watching ${v.target} for ${v.minutes} min after the release…`;
  }
}

/** 5xx over every service; p95 of the busiest (percentiles of different services do not add up). */
function verifiedFigures(services: readonly VerificationService[]): string {
  const judged = services.filter((s) => s.before && s.after);
  const total = (side: 'before' | 'after', key: 'requests' | 'errors5xx') =>
    sum(judged.map((s) => s[side]![key]));
  const rate = (side: 'before' | 'after') =>
    total(side, 'requests') > 0 ? total(side, 'errors5xx') / total(side, 'requests') : 0;
  const busiest = [...judged].sort((a, b) => b.after!.requests - a.after!.requests)[0];
  const p95 =
    busiest && busiest.before!.p95Ms !== null && busiest.after!.p95Ms !== null
      ? `, p95 ${ms(busiest.before!.p95Ms)} → ${ms(busiest.after!.p95Ms)} ms${judged.length > 1 ? ` (${busiest.name})` : ''}`
      : '';
  return `5xx ${percent(rate('before'))} → ${percent(rate('after'))}${p95}`;
}
