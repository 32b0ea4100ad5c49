// The steps after confirmation, each resumable from the journal and none done twice: merge (a
// commit made from journaled inputs, so a redo makes the same sha), push (skipped when the remote
// already has the merge), watch the target's deploy, verify its health, and roll back on failure.
import type { FolderContext, HealthView, PromotionRecord } from '../../protocol/protocol';
import type { EnvironmentService } from '../environments/environmentService';
import type { RailwayClient } from '../railway/railwayClient';
import type { AuditLog } from '../state/auditLog';
import type { GitMirror } from './gitMirror';
import { affectedServices, judgeService, overall, type ServiceJudgement } from './deployProgress';
import { enteredAt, short, transition, withStep } from './promotionRecords';
import type { PromotionStore } from './promotionStore';
import { environmentNamed, openFeed, type ViewFeed } from './viewFeed';
import { auditEntry } from './promotionAudit';
import { failureSummary, rolledBackSummary, succeededSummary } from './promotionSummary';
import { backToGates, failBeforePush, mergeMessage, type OutcomeDeps } from './stepOutcomes';
import { pullRequestStep } from './pullRequestStep';
import { reapplyChain, revertStep } from './revertSteps';
import { tagRelease } from './releaseTagStep';
import type { GithubClient } from '../github/githubClient';
import type { VerificationThresholds } from '../../protocol/metrics';
import { pendingVerification } from './verification';

export interface StepDeps extends OutcomeDeps {
  store: PromotionStore;
  github(): GithubClient | undefined;
  /** How often a waiting pull request is looked at again (conditional requests: free when unchanged). */
  prPollMs: number;
  environments: EnvironmentService;
  mirrorFor(repo: string): GitMirror;
  railway(): RailwayClient | undefined;
  identity(): Promise<{ name: string; email: string }>;
  checkHealth(url: string): Promise<HealthView>;
  audit: AuditLog;
  sleep(ms: number): Promise<void>;
  settleSeconds(record: PromotionRecord, folder: FolderContext): number;
  deployTimeoutSeconds(record: PromotionRecord, folder: FolderContext): number;
  /** railyard.json's release tag pattern for the pair, if any. */
  tagPattern(record: PromotionRecord, folder: FolderContext): string | undefined;
  /** railyard.json's verification of the pair after success, defaults filled in; false when off. */
  verification(record: PromotionRecord, folder: FolderContext): VerificationThresholds | false;
  /** Promotions whose push (or GitHub merge) is under way: too late to cancel. */
  pushing: Set<string>;
  /**
   * Whether a teammate took the promotion over (then false, and the record says so); throws when
   * GitHub cannot say, so nothing reaches the target on a guess (the steps are tried again).
   */
  stillOurs(id: string): Promise<boolean>;
  /** False once the daemon is stopping: long waits end, and the next daemon resumes them. */
  running(): boolean;
}

/** Drives a promotion from where its journal says it is to a final state (or back to gated). */
export async function runSteps(deps: StepDeps, id: string): Promise<void> {
  for (;;) {
    const record = deps.store.get(id)!;
    const next = await stepFrom(deps, record);
    if (!next) return;
  }
}

/** Runs the step the state calls for; false when nothing more is to be done now. */
async function stepFrom(deps: StepDeps, record: PromotionRecord): Promise<boolean> {
  switch (record.state) {
    case 'confirmed':
      if (record.kind === 'revert') return revertStep(deps, record);
      if (record.strategy === 'pull-request' && record.kind === 'promotion')
        return pullRequestStep(deps, record);
      return merge(deps, record);
    case 'merged':
      return push(deps, record);
    case 'pushed':
      deps.store.update(record.id, (r) =>
        transition(
          r,
          'deploying',
          deps.now(),
          `Watching ${r.to.name} deploy ${short(r.mergeCommit)}…`,
        ),
      );
      return true;
    case 'deploying':
      return deployAndVerify(deps, record);
    case 'rolling-back':
      return rollBack(deps, record);
    default:
      return false;
  }
}

async function merge(deps: StepDeps, record: PromotionRecord): Promise<boolean> {
  const mirror = deps.mirrorFor(record.repo);
  // The confirmation journaled it running; a record from before that change did not.
  if (record.steps.find((s) => s.id === 'merge')?.state !== 'running')
    deps.store.update(record.id, (r) => withStep(r, 'merge', { state: 'running' }, deps.now()));
  try {
    const author = await deps.identity();
    const date = new Date(enteredAt(record, 'confirmed')!);
    const count = record.changes?.commitCount ?? 0;
    const { onto, reapplies } = await reapplyChain(mirror, record, { author, date });
    const sha = await mirror.commitMerge({
      targetSha: onto,
      sourceSha: record.sourceCommit!,
      message: mergeMessage(record, count),
      author,
      date,
    });
    // A cancel while the commit was made wins: nothing was pushed.
    deps.store.move(record.id, ['confirmed'], (r) =>
      transition(
        withStep(
          { ...r, mergeCommit: sha, reapplies },
          'merge',
          { state: 'done', detail: `Merge commit ${short(sha)}.` },
          deps.now(),
        ),
        'merged',
        deps.now(),
        `Merged ${r.from.name} into ${r.to.name} as ${short(sha)}; pushing…`,
      ),
    );
  } catch (e) {
    failBeforePush(deps, record, 'merge', (e as Error).message);
    return false;
  }
  return true;
}

async function push(deps: StepDeps, record: PromotionRecord): Promise<boolean> {
  const mirror = deps.mirrorFor(record.repo);
  const sha = record.mergeCommit!;
  // The journal says the push step is running before git is asked, so only a step found running
  // can have reached the remote: a daemon killed after git answered but before the journal said
  // so. The remote knows; a fresh push step needs no look (an ls-remote, one round trip).
  const resumed = record.steps.find((s) => s.id === 'push')?.state === 'running';
  deps.store.update(record.id, (r) => withStep(r, 'push', { state: 'running' }, deps.now()));
  if (resumed && (await landed(mirror, record.to.branch, sha)))
    return pushed(deps, record, 'The push had landed before the daemon restarted.');
  if (!(await deps.stillOurs(record.id))) return false;
  // Cancelled meanwhile? Checked and marked in one turn, so a cancel after this is refused.
  if (deps.store.get(record.id)?.state !== 'merged') return false;
  deps.pushing.add(record.id);
  const outcome = await mirror.push(sha, record.to.branch, record.targetCommit!).finally(() => {
    deps.pushing.delete(record.id);
  });
  deps.store.crashIf('push-acknowledged');
  if (outcome.kind === 'pushed')
    return pushed(deps, record, `Pushed ${short(sha)} to ${record.to.branch}.`);
  // A revert is made onto the head it pinned: if that moved, make it again from the start.
  if (outcome.kind === 'rejected' && record.kind === 'revert') {
    failBeforePush(
      deps,
      record,
      'push',
      `${record.to.branch} moved meanwhile (${outcome.detail}): revert again.`,
    );
    return false;
  }
  if (outcome.kind === 'rejected')
    return backToGates(
      deps,
      record,
      'push',
      `${record.to.branch} moved while pushing (nothing changed; rejected: ${outcome.detail})`,
    );
  // git's answer was lost (a dropped connection after the pack went): the remote says.
  if (await landed(mirror, record.to.branch, sha))
    return pushed(deps, record, `Pushed ${short(sha)} to ${record.to.branch}.`);
  failBeforePush(deps, record, 'push', protectedExplained(record, outcome.detail));
  return false;
}

/**
 * Whether `sha` reached the remote branch: its head, or an ancestor of it when a teammate pushed
 * on top before this daemon looked (then the head is fetched first, to ask git).
 */
async function landed(mirror: GitMirror, branch: string, sha: string): Promise<boolean> {
  const head = await mirror.remoteHead(branch).catch(() => undefined);
  if (!head) return false;
  if (head === sha) return true;
  await mirror.sync().catch(() => undefined);
  return mirror.isAncestor(sha, head).catch(() => false);
}

/**
 * GitHub refuses direct pushes to a protected branch (GH006, "protected branch hook declined"):
 * say so, and point at the pull-request strategy, which goes through GitHub's own merge.
 */
function protectedExplained(record: PromotionRecord, detail: string): string {
  if (!/protected branch|GH006/i.test(detail)) return detail;
  if (record.kind === 'revert')
    return `GitHub protects ${record.to.branch}: it takes changes through a pull request, not a direct push (${detail}). Revert the merge through a pull request on GitHub (git revert -m 1 ${short(record.reverts?.commit)}), or roll back instead: railyard promote rollback ${record.reverts?.promotion}.`;
  return `GitHub protects ${record.to.branch}: it takes changes through a pull request, not a direct push (${detail}). Promote with --strategy pull-request, or set "strategy": "pull-request" for ${record.from.name} → ${record.to.name} in railyard.json.`;
}

function pushed(deps: StepDeps, record: PromotionRecord, detail: string): boolean {
  const reverted = record.reverts;
  if (reverted && deps.store.get(reverted.promotion))
    deps.store.update(reverted.promotion, (r) => ({
      ...r,
      revertedBy: { promotion: record.id, commit: record.mergeCommit },
    }));
  deps.store.move(record.id, ['merged'], (r) =>
    transition(
      withStep(r, 'push', { state: 'done', detail }, deps.now()),
      'pushed',
      deps.now(),
      `${r.to.branch} now points at ${short(r.mergeCommit)}; Railway deploys it next.`,
    ),
  );
  return true;
}

async function deployAndVerify(deps: StepDeps, record: PromotionRecord): Promise<boolean> {
  const folder = deps.store.folderOf(record.id)!;
  const feed = await openFeed(deps.environments, folder);
  try {
    await feed.refresh().catch(() => undefined);
    const deployed = await watchDeploy(deps, record.id, feed);
    if (!deployed) return afterFailure(deps, record.id);
    const healthy = await verify(deps, record.id, feed);
    if (!healthy) return afterFailure(deps, record.id);
    const pattern = deps.tagPattern(record, deps.store.folderOf(record.id)!);
    if (pattern && record.kind === 'promotion')
      await tagRelease(deps, deps.store.get(record.id)!, pattern);
    // A rollback asked for meanwhile wins. Verification goes pending in the same write.
    const done = deps.store.move(record.id, ['deploying'], (r) => succeeded(deps, r, feed));
    if (!done) return true;
    deps.audit.record(auditEntry(done, 'ok'));
    return false;
  } finally {
    feed.stop();
  }
}

/** The record at success, its verification pending when railyard.json has not turned it off. */
function succeeded(deps: StepDeps, r: PromotionRecord, feed: ViewFeed): PromotionRecord {
  const view = feed.view();
  const target =
    view.state === 'ready' ? view.environments.find((e) => e.id === r.to.id) : undefined;
  const thresholds = deps.verification(r, deps.store.folderOf(r.id)!);
  const verification = pendingVerification(r, target, thresholds, deps.now());
  return {
    ...transition(r, 'succeeded', deps.now(), succeededSummary(r)),
    ...(verification && { verification }),
  };
}

/** Follows the target's deployments of the merge commit until all serve, one fails, or time runs out. */
async function watchDeploy(deps: StepDeps, id: string, feed: ViewFeed): Promise<boolean> {
  const start = deps.store.get(id)!;
  const folder = deps.store.folderOf(id)!;
  deps.store.update(id, (r) =>
    withStep(
      r,
      'deploy',
      {
        state: r.steps.find((s) => s.id === 'deploy')?.state === 'running' ? 'running' : 'running',
      },
      deps.now(),
    ),
  );
  const since = Date.parse(enteredAt(start, 'pushed') ?? start.updatedAt);
  const timeoutMs = deps.deployTimeoutSeconds(start, folder) * 1000;
  const missingMs = Math.min(120_000, timeoutMs / 2);
  for (;;) {
    const record = deps.store.get(id)!;
    // A rollback asked for while watching: the step loop goes on with it.
    if (record.state !== 'deploying') return false;
    const judgements = judge(record, feed);
    const state = overall(judgements);
    const waited = deps.now().getTime() - since;
    const late = state === 'running' && waited > timeoutMs;
    const services = judgements.map((j) => withMissingHint(j, waited > missingMs, record));
    deps.store.update(id, (r) => ({ ...r, services }));
    if (state === 'deployed') {
      deps.store.update(id, (r) =>
        withStep(r, 'deploy', { state: 'done', detail: deployDetail(judgements) }, deps.now()),
      );
      return true;
    }
    if (state === 'failed' || late) {
      const detail = late
        ? `Not deployed within ${Math.round(timeoutMs / 60000)} min.`
        : deployDetail(judgements);
      deps.store.update(id, (r) => withStep(r, 'deploy', { state: 'failed', detail }, deps.now()));
      return false;
    }
    await nextView(feed);
  }
}

function judge(record: PromotionRecord, feed: ViewFeed): ServiceJudgement[] {
  const view = feed.view();
  const target = view.state === 'ready' ? environmentNamed(view, record.to.name) : undefined;
  return record.services.map((s) =>
    judgeService(
      s,
      target?.services.find((v) => v.id === s.id),
      record.mergeCommit!,
    ),
  );
}

function withMissingHint(j: ServiceJudgement, late: boolean, record: PromotionRecord) {
  if (j.progress !== 'missing' || !late) return j.service;
  return {
    ...j.service,
    detail: `Railway has not started a deployment of ${short(record.mergeCommit)} (GitHub's webhook may be missing, or autodeploy is off). Deploy it: railyard promote deploy-missing ${record.id}`,
  };
}

function deployDetail(judgements: ServiceJudgement[]): string {
  return judgements
    .map((j) => `${j.service.name}: ${j.service.detail ?? j.service.status}`)
    .join(' ');
}

/** The target must stay healthy for the settle time: every check in it passes, no service crashes. */
async function verify(deps: StepDeps, id: string, feed: ViewFeed): Promise<boolean> {
  const record = deps.store.get(id)!;
  const settleMs = deps.settleSeconds(record, deps.store.folderOf(id)!) * 1000;
  deps.store.update(id, (r) =>
    withStep(
      r,
      'verify',
      { state: 'running', detail: `Checking ${r.to.name}'s health for ${settleMs / 1000} s.` },
      deps.now(),
    ),
  );
  const end = deps.now().getTime() + settleMs;
  for (;;) {
    if (deps.store.get(id)!.state !== 'deploying') return false;
    const problem = await healthProblem(deps, deps.store.get(id)!, feed);
    if (problem) {
      deps.store.update(id, (r) =>
        withStep(r, 'verify', { state: 'failed', detail: problem }, deps.now()),
      );
      return false;
    }
    const left = end - deps.now().getTime();
    if (left <= 0) break;
    await deps.sleep(Math.min(10_000, left));
  }
  deps.store.update(id, (r) =>
    withStep(
      r,
      'verify',
      { state: 'done', detail: `${r.to.name} stayed healthy for ${settleMs / 1000} s.` },
      deps.now(),
    ),
  );
  return true;
}

async function healthProblem(
  deps: StepDeps,
  record: PromotionRecord,
  feed: ViewFeed,
): Promise<string | undefined> {
  const view = feed.view();
  if (view.state !== 'ready') return undefined;
  const target = environmentNamed(view, record.to.name);
  const problems: string[] = [];
  for (const service of affectedServices(target)) {
    if (service.active?.status === 'CRASHED') problems.push(`${service.name} crashed`);
    const url = service.health.url;
    if (!url) continue;
    const health = await deps.checkHealth(url);
    if (health.state === 'unhealthy')
      problems.push(`${service.name} is unhealthy at ${url} (${health.detail ?? 'no detail'})`);
  }
  return problems.length ? `${problems.join('; ')}.` : undefined;
}

function afterFailure(deps: StepDeps, id: string): boolean {
  const failed = deps.store.move(id, ['deploying'], (r) =>
    transition(r, 'failed', deps.now(), failureSummary(r)),
  );
  // Moved on meanwhile (a rollback asked for): the step loop takes it from there.
  if (!failed) return true;
  if (!failed.rollbackOnFailure) {
    deps.audit.record(auditEntry(failed, 'failed'));
    return false;
  }
  deps.store.update(id, (r) =>
    transition(r, 'rolling-back', deps.now(), `Rolling ${r.to.name} back…`),
  );
  return true;
}

/** Every service the promotion changed goes back to the deployment that served before it. */
async function rollBack(deps: StepDeps, record: PromotionRecord): Promise<boolean> {
  const railway = deps.railway();
  const folder = deps.store.folderOf(record.id)!;
  deps.store.update(record.id, (r) => withStep(r, 'rollback', { state: 'running' }, deps.now()));
  const feed = await openFeed(deps.environments, folder);
  try {
    await feed.refresh().catch(() => undefined);
    await settleDeploys(deps, record.id, feed);
    for (const service of record.services)
      await rollBackService(deps, record.id, service.id, feed, railway);
    const problems = await waitForRollbacks(deps, record.id, feed);
    const done = deps.store.update(record.id, (r) =>
      transition(
        withStep(
          r,
          'rollback',
          {
            state: problems ? 'failed' : 'done',
            detail: problems ?? 'Every changed service serves its previous deployment again.',
          },
          deps.now(),
        ),
        problems ? 'failed' : 'rolled-back',
        deps.now(),
        problems
          ? `${failureSummary(r)} The rollback did not finish: ${problems}`
          : rolledBackSummary(r),
      ),
    );
    deps.audit.record(auditEntry(done, problems ? 'failed' : 'ok'));
  } finally {
    feed.stop();
  }
  return false;
}

/**
 * A deploy still building when another service failed would land after the rollback and leave the
 * target half promoted: wait for every deployment of the merge to end first (bounded).
 */
async function settleDeploys(deps: StepDeps, id: string, feed: ViewFeed): Promise<void> {
  const record = deps.store.get(id)!;
  const timeoutMs = deps.deployTimeoutSeconds(record, deps.store.folderOf(id)!) * 1000;
  const deadline = deps.now().getTime() + timeoutMs;
  for (;;) {
    const judgements = judge(deps.store.get(id)!, feed);
    deps.store.update(id, (r) => ({ ...r, services: judgements.map((j) => j.service) }));
    if (!judgements.some((j) => j.progress === 'running') || deps.now().getTime() > deadline)
      return;
    await nextView(feed);
  }
}

async function rollBackService(
  deps: StepDeps,
  id: string,
  serviceId: string,
  feed: ViewFeed,
  railway: RailwayClient | undefined,
): Promise<void> {
  const record = deps.store.get(id)!;
  const service = record.services.find((s) => s.id === serviceId)!;
  const view = feed.view();
  const live =
    view.state === 'ready'
      ? environmentNamed(view, record.to.name).services.find((s) => s.id === serviceId)
      : undefined;
  // Unchanged by the promotion (skipped, never deployed) or already back: nothing to undo.
  // Only a deployment that replaced the old one (it served, or served and crashed) is undone; a
  // failed build or a skip never stopped the previous deployment from serving.
  const changed = ['SUCCESS', 'SLEEPING', 'CRASHED'].includes(service.status ?? '');
  const back =
    live?.latest?.commitHash !== undefined &&
    live.latest.commitHash === service.previousCommit &&
    live.latest.id !== service.deploymentId;
  if (!changed || back || service.rollbackDeploymentId) return;
  if (!service.previousDeploymentId || !railway) {
    note(
      deps,
      id,
      serviceId,
      'No previous deployment to restore (or signed out of Railway): roll it back in the dashboard.',
    );
    return;
  }
  const answer = await railway.operation<{ deploymentRollback: boolean }>('DeploymentRollback', {
    id: service.previousDeploymentId,
  });
  if (!answer.ok) {
    note(deps, id, serviceId, `Railway refused the rollback: ${answer.error.message}`);
    return;
  }
  deps.store.update(id, (r) => ({
    ...r,
    services: r.services.map((s) =>
      s.id === serviceId
        ? {
            ...s,
            rollbackDeploymentId: 'requested',
            detail: `Rolling back to ${short(s.previousCommit)}…`,
          }
        : s,
    ),
  }));
}

function note(deps: StepDeps, id: string, serviceId: string, detail: string): void {
  deps.store.update(id, (r) => ({
    ...r,
    services: r.services.map((s) => (s.id === serviceId ? { ...s, detail } : s)),
  }));
}

/** Waits until each rolled-back service serves its previous commit again; a sentence when one does not. */
async function waitForRollbacks(
  deps: StepDeps,
  id: string,
  feed: ViewFeed,
): Promise<string | undefined> {
  const deadline = deps.now().getTime() + 15 * 60_000;
  for (;;) {
    const record = deps.store.get(id)!;
    const view = feed.view();
    const target = view.state === 'ready' ? environmentNamed(view, record.to.name) : undefined;
    const waiting: string[] = [];
    const failed: string[] = [];
    for (const s of record.services.filter((x) => x.rollbackDeploymentId)) {
      const live = target?.services.find((v) => v.id === s.id);
      const since = rolledBackSince(record, s, live?.recent ?? []);
      const restored = live?.recent.find(
        (d) =>
          d.commitHash === s.previousCommit &&
          d.id !== s.previousDeploymentId &&
          Date.parse(d.createdAt) >= since,
      );
      if (restored?.status === 'SUCCESS') continue;
      if (restored && ['FAILED', 'CRASHED'].includes(restored.status))
        failed.push(`${s.name} ${restored.status}`);
      else waiting.push(s.name);
    }
    const unresolved = record.services.filter(
      (s) =>
        s.detail?.startsWith('Railway refused the rollback') ||
        s.detail?.startsWith('No previous deployment'),
    );
    if (failed.length || (waiting.length === 0 && unresolved.length))
      return [...failed, ...unresolved.map((s) => `${s.name}: ${s.detail}`)].join('; ');
    if (waiting.length === 0) return undefined;
    if (deps.now().getTime() > deadline)
      return `still rolling back after 15 min: ${waiting.join(', ')}`;
    await nextView(feed);
  }
}

/**
 * From when a deployment counts as the rollback's: made after the promotion's own deployment, on
 * Railway's clock (this machine's may be off from Railway's by more than a few seconds); without
 * it, from when the rollback began on this machine's clock, give or take five seconds.
 */
function rolledBackSince(
  record: PromotionRecord,
  s: PromotionRecord['services'][number],
  recent: readonly { id: string; createdAt: string }[],
): number {
  const promoted = recent.find((d) => d.id === s.deploymentId);
  if (promoted) return Date.parse(promoted.createdAt);
  return Date.parse(enteredAt(record, 'rolling-back') ?? record.updatedAt) - 5_000;
}

/** The next view the watcher sends, or a fresh one after five quiet seconds. */
async function nextView(feed: ViewFeed): Promise<void> {
  const before = feed.view();
  if ((await feed.next(5_000)) === before) await feed.refresh().catch(() => undefined);
}
