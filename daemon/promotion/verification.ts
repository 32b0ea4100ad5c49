// A succeeded promotion judged by production's own metrics: pending from the success for the
// window (journaled like every change, so a restarted daemon waits out the rest), decided at its
// end (restarts of its processes read from Railway's deployment instances on the way), or early
// when a deployment of the merge crashes or a newer one replaces it, audited with the figures,
// and rolled back at once when railyard.json asks for it. It never holds `railyard promote`,
// which ends at success.
import type { EnvironmentView, PromotionRecord, ServiceView } from '../../protocol/protocol';
import type {
  PromotionVerification,
  VerificationService,
  VerificationThresholds,
} from '../../protocol/metrics';
import type { Logger } from '../diagnostics/logger';
import type { EnvironmentService } from '../environments/environmentService';
import type { MetricsSource } from '../metrics/metricsSource';
import type { RailwayClient } from '../railway/railwayClient';
import type { AuditLog } from '../state/auditLog';
import { knownRestarts, RestartWatch } from './instanceRestarts';
import { auditEntry } from './promotionAudit';
import { transition } from './promotionRecords';
import type { PromotionStore } from './promotionStore';
import {
  judgeService,
  verificationSummary,
  windowFigures,
  worstState,
  type ServiceWindows,
} from './verificationJudgement';
import { readWindows, type Range, type ReadWindows } from './verificationReads';
import { openFeed, type ViewFeed } from './viewFeed';

export interface VerificationDeps {
  store: PromotionStore;
  environments: EnvironmentService;
  /** Railway's metrics; undefined when signed out (then nothing can be judged: unknown). */
  metrics(): MetricsSource | undefined;
  /** The one Railway client, for the released deployments' instances; undefined when signed out. */
  railway(): RailwayClient | undefined;
  audit: AuditLog;
  logger: Logger;
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** False once the daemon is stopping: the wait ends, and the next daemon resumes it. */
  running(): boolean;
  /** Why a rollback may not start now (another promotion deploys the target), or undefined. */
  rollbackRefusal(id: string): Promise<string | undefined>;
  /** Runs the steps of a promotion journaled rolling-back. */
  startRollback(id: string): void;
}

/** Statuses of a deployment that replaced what served before: the services a release changed. */
const RELEASED = ['SUCCESS', 'SLEEPING', 'CRASHED'];
/** How often the window's wait looks for a crash; the feed's view is fresh from the watcher. */
const LOOK_MS = 10_000;

/**
 * The verification a promotion enters success with; undefined when the pair turns it off, for a
 * back-merge or a revert (what they change is judged by the promotions that follow), and when the
 * release changed no service.
 */
export function pendingVerification(
  record: PromotionRecord,
  target: EnvironmentView | undefined,
  thresholds: VerificationThresholds | false,
  now: Date,
): PromotionVerification | undefined {
  if (thresholds === false || record.kind !== 'promotion') return undefined;
  const released = record.services.filter((s) => RELEASED.includes(s.status ?? ''));
  if (!released.length) return undefined;
  const releasedAt = releaseTime(record, target, now);
  const minutes = thresholds.windowMinutes;
  return {
    state: 'pending',
    releasedAt: releasedAt.toISOString(),
    endsAt: new Date(releasedAt.getTime() + minutes * 60_000).toISOString(),
    thresholds,
    services: released.map((s) => ({
      id: s.id,
      name: s.name,
      state: 'pending',
      reasons: [],
    })),
    summary: verificationSummary({
      target: record.to.name,
      state: 'pending',
      services: [],
      minutes,
      autoRollback: false,
    }),
    autoRolledBack: false,
  };
}

/**
 * When the release began serving: the newest SUCCESS of its deployments on Railway's clock (the
 * metrics are stamped by it too), else when the deploy step saw them all serve.
 */
function releaseTime(
  record: PromotionRecord,
  target: EnvironmentView | undefined,
  now: Date,
): Date {
  const times = record.services
    .map((s) => liveService(target, s.id)?.recent.find((d) => d.id === s.deploymentId))
    .map((d) => Date.parse(d?.statusUpdatedAt ?? ''))
    .filter(Number.isFinite);
  if (times.length) return new Date(Math.max(...times));
  const deployed = record.steps.find((s) => s.id === 'deploy')?.endedAt;
  return deployed ? new Date(deployed) : now;
}

/** Waits out the window and decides; returns at once when the verification is not pending. */
export async function runVerification(deps: VerificationDeps, id: string): Promise<void> {
  const folder = deps.store.folderOf(id);
  if (!folder || deps.store.get(id)?.verification?.state !== 'pending') return;
  const feed = await openFeed(deps.environments, folder);
  const watch = new RestartWatch(() => deps.railway(), journaledRestarts(deps.store.get(id)));
  try {
    for (;;) {
      const record = deps.store.get(id)!;
      const v = record.verification;
      if (v?.state !== 'pending' || !deps.running()) return;
      if (record.state !== 'succeeded') return notJudged(deps, id);
      const target = targetOf(feed, record);
      const crashed = crashedServices(record, v, target);
      const replaced = replacedServices(record, v, target);
      const left = Date.parse(v.endsAt) - deps.now().getTime();
      if (crashed.length || replaced.length || left <= 0)
        return await decide(deps, id, feed, { crashed, replaced }, watch);
      await watch.look(
        v.services.map((s) => ({ id: s.id, deploymentId: deploymentIdOf(record, s.id) })),
      );
      journalRestarts(deps, id, watch);
      await deps.sleep(Math.min(LOOK_MS, left));
    }
  } finally {
    feed.stop();
  }
}

/** What an earlier daemon journaled of this window's restarts, per service id. */
function journaledRestarts(record: PromotionRecord | undefined): Map<string, number> {
  const services = record?.verification?.services ?? [];
  return new Map(services.map((s) => [s.id, s.restartsSeen ?? 0]));
}

/** Journals each service's restart count that grew since the last write (one write for all). */
function journalRestarts(deps: VerificationDeps, id: string, watch: RestartWatch): void {
  const counted = (s: VerificationService) => knownRestarts(watch.tally(s.id)) ?? 0;
  const grown = (s: VerificationService) => counted(s) > (s.restartsSeen ?? 0);
  if (!deps.store.get(id)?.verification?.services.some(grown)) return;
  updatePending(deps, id, (v) => ({
    ...v,
    services: v.services.map((s) => (grown(s) ? { ...s, restartsSeen: counted(s) } : s)),
  }));
}

/** Changes the record's verification while it is still pending (a verdict may have come first). */
function updatePending(
  deps: VerificationDeps,
  id: string,
  change: (v: PromotionVerification, r: PromotionRecord) => PromotionVerification,
): void {
  deps.store.update(id, (r) =>
    r.verification?.state === 'pending' ? { ...r, verification: change(r.verification, r) } : r,
  );
}

/** The services whose deployment of the merge commit crashed since it began serving. */
function crashedServices(
  record: PromotionRecord,
  v: PromotionVerification,
  target: EnvironmentView | undefined,
): string[] {
  return v.services
    .filter((s) => {
      const live = liveService(target, s.id);
      return live?.recent.find((d) => d.id === deploymentIdOf(record, s.id))?.status === 'CRASHED';
    })
    .map((s) => s.id);
}

/** A service whose release a newer deployment replaced, and when that one began serving. */
interface Replaced {
  id: string;
  name: string;
  at: number;
}

/**
 * The services whose release a newer deployment replaced during the window (a later promotion, a
 * redeploy, a rollback from the dashboard): from then on the numbers are not the release's, so
 * their window ends there. Told by Railway's creation times, never by which deployment is listed
 * as serving, which may still be the old one while it drains.
 */
function replacedServices(
  record: PromotionRecord,
  v: PromotionVerification,
  target: EnvironmentView | undefined,
): Replaced[] {
  return v.services.flatMap((s) => {
    const recent = liveService(target, s.id)?.recent ?? [];
    const ours = recent.find((d) => d.id === deploymentIdOf(record, s.id));
    if (!ours) return [];
    const newer = recent
      .filter(
        (d) =>
          Date.parse(d.createdAt) > Date.parse(ours.createdAt) &&
          ['SUCCESS', 'SLEEPING'].includes(d.status),
      )
      .map((d) => Date.parse(d.statusUpdatedAt ?? d.createdAt));
    return newer.length ? [{ id: s.id, name: s.name, at: Math.min(...newer) }] : [];
  });
}

function deploymentIdOf(record: PromotionRecord, serviceId: string): string | undefined {
  return record.services.find((x) => x.id === serviceId)?.deploymentId;
}

/** Why the window ended before endsAt, if it did: the ids of crashed services, the replaced ones. */
interface EndedEarly {
  crashed: string[];
  replaced: Replaced[];
}

/** Railway keeps 7 days of metrics: a window older than that (a daemon off for a week) reads empty. */
const RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * One service's two windows. Each service from when its own deployment began serving (Railway's
 * time of its SUCCESS), so one that went live minutes before the others does not count its new
 * traffic as "before"; the promotion's release time when Railway no longer says (the deployment
 * crashed or was replaced since, which moves its status time). The after window ends at the
 * window's length, now, or when a newer deployment replaced it, whichever comes first.
 */
function serviceRanges(
  record: PromotionRecord,
  v: PromotionVerification,
  target: EnvironmentView | undefined,
  serviceId: string,
  now: number,
  replacedAt: number | undefined,
): { before: Range; after: Range } {
  const windowMs = v.thresholds.windowMinutes * 60_000;
  const ours = liveService(target, serviceId)?.recent.find(
    (d) => d.id === deploymentIdOf(record, serviceId),
  );
  const serving = ours?.status === 'SUCCESS' ? Date.parse(ours.statusUpdatedAt ?? '') : NaN;
  const released = Number.isFinite(serving) ? serving : Date.parse(v.releasedAt);
  const end = Math.min(now, released + windowMs, replacedAt ?? Infinity);
  return {
    before: { from: released - windowMs, to: released },
    after: { from: released, to: end },
  };
}

async function decide(
  deps: VerificationDeps,
  id: string,
  feed: ViewFeed,
  early: EndedEarly,
  watch: RestartWatch,
): Promise<void> {
  await feed.refresh().catch(() => undefined);
  const record = deps.store.get(id)!;
  const v = record.verification!;
  const target = targetOf(feed, record);
  const now = deps.now().getTime();
  const services: VerificationService[] = [];
  let longest = 0;
  // One service after the other: six requests each, never a burst against the rate limit.
  for (const s of v.services) {
    const replacedAt = early.replaced.find((r) => r.id === s.id)?.at;
    const ranges = serviceRanges(record, v, target, s.id, now, replacedAt);
    longest = Math.max(longest, ranges.after.to - ranges.after.from);
    const read =
      now - ranges.before.from > RETENTION_MS
        ? { failure: 'Railway keeps metrics for 7 days, and this window is older' }
        : await readWindows(deps.metrics(), record.to.id, s.id, ranges);
    const restarts = knownRestarts(watch.tally(s.id));
    const live = liveService(target, s.id);
    const windows = serviceWindows(s, read, live, ranges, early.crashed, restarts);
    services.push(judgeService(windows, v.thresholds));
  }
  const minutes = Math.round(longest / 60_000);
  const names = early.replaced.map((r) => r.name).join(', ');
  const note = names
    ? ` A newer deployment replaced the release (${names}), so its window ended there and it is not rolled back automatically.`
    : '';
  await settle(deps, id, services, minutes, note, early.replaced.length > 0);
}

/** What the verdict on one service is made from: its figures, its crashes, or why there are none. */
function serviceWindows(
  s: { id: string; name: string },
  read: ReadWindows,
  live: ServiceView | undefined,
  ranges: { before: Range; after: Range },
  crashed: string[],
  /** Restarts seen in its instances; undefined when no read answered (then not judged on them). */
  restarts: number | undefined,
): ServiceWindows {
  const isCrashed = crashed.includes(s.id);
  const crashesAfter = Math.max(isCrashed ? 1 : 0, crashesIn(live, ranges.after)) + (restarts ?? 0);
  return {
    id: s.id,
    name: s.name,
    crashed: isCrashed,
    ...(restarts !== undefined && { restarts }),
    ...(read.failure && { failure: read.failure }),
    ...(read.before && { before: windowFigures(read.before, crashesIn(live, ranges.before)) }),
    ...(read.after && { after: windowFigures(read.after, crashesAfter) }),
  };
}

/** Journals the verdict (with the rollback it starts, in the same write), audits it, rolls back. */
async function settle(
  deps: VerificationDeps,
  id: string,
  services: VerificationService[],
  minutes: number,
  note: string,
  /** A newer deployment serves now: rolling back to before this release would undo that one too. */
  replaced: boolean,
): Promise<void> {
  const record = deps.store.get(id)!;
  const v = record.verification!;
  const state = worstState(services);
  const auto = state === 'regressed' && v.thresholds.autoRollback && !replaced;
  const refusal = auto ? await deps.rollbackRefusal(id) : undefined;
  const rollingBack = auto && refusal === undefined;
  const summary =
    verificationSummary({
      target: record.to.name,
      state,
      services,
      minutes,
      autoRollback: rollingBack,
    }) +
    note +
    (refusal ? ` The automatic rollback did not start: ${refusal}` : '');
  const at = deps.now();
  const decided = deps.store.move(id, ['succeeded'], (r) => {
    const judged: PromotionRecord = {
      ...r,
      verification: {
        ...v,
        state,
        services,
        summary,
        decidedAt: at.toISOString(),
        autoRolledBack: rollingBack,
      },
    };
    return rollingBack
      ? transition(
          judged,
          'rolling-back',
          at,
          `${r.to.name} regressed after the release: rolling it back, as railyard.json asks (autoRollback)…`,
        )
      : judged;
  });
  // Rolled back or reverted by hand while the figures were read: that wins.
  if (!decided) return notJudged(deps, id);
  deps.logger.info('promotion verified', { id, state });
  deps.audit.record({
    ...auditEntry(decided, state === 'regressed' ? 'failed' : 'ok'),
    action: 'promotion-verification',
    detail: summary,
  });
  if (rollingBack) deps.startRollback(id);
}

/** The promotion left success before the window ended (rolled back by hand): nothing to judge. */
function notJudged(deps: VerificationDeps, id: string): void {
  updatePending(deps, id, (v, r) => ({
    ...v,
    state: 'unknown',
    summary: `Not judged: the promotion was ${r.state} before the ${v.thresholds.windowMinutes} min window ended.`,
    decidedAt: deps.now().toISOString(),
  }));
}

/** Deployments of the service that crashed in the window, by when Railway last changed them. */
function crashesIn(live: ServiceView | undefined, r: Range): number {
  return (live?.recent ?? []).filter((d) => {
    const at = Date.parse(d.statusUpdatedAt ?? d.createdAt);
    return d.status === 'CRASHED' && at >= r.from && at < r.to;
  }).length;
}

function targetOf(feed: ViewFeed, record: PromotionRecord): EnvironmentView | undefined {
  const view = feed.view();
  return view.state === 'ready' ? view.environments.find((e) => e.id === record.to.id) : undefined;
}

function liveService(target: EnvironmentView | undefined, id: string): ServiceView | undefined {
  return target?.services.find((s) => s.id === id);
}
