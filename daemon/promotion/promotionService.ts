// Promotions as the protocol serves them: plan (pin, then every gate), sign-off, start (typed
// confirmation, required gates, one promotion per target), cancel until the push, rollback, and
// on daemon start the resumption of whatever the journal says was under way.
import {
  CANCELLABLE_STATES,
  ErrorCode,
  GATE_IDS,
  type GateId,
  type GateLevel,
  IN_FLIGHT_STATES,
  type FolderContext,
  type Params,
  type PromotionRecord,
  type Result,
  type TeamPromotion,
} from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import type { Logger } from '../diagnostics/logger';
import { readFolderConfig } from '../environments/environmentService';
import { runGates, type GateRunDeps } from './gateRun';
import { runSteps, type StepDeps } from './promotionSteps';
import {
  blockingGates,
  DEFAULT_LOCK_STALE_MINUTES,
  gateLevels,
  gatedSummary,
  newRecord,
  recordSettings,
  BACK_MERGE_LEVELS,
  short,
  transition,
  verificationSettings,
  withOverrides,
  withStep,
} from './promotionRecords';
import { environmentNamed, openFeed } from './viewFeed';
import type { PromotionStore } from './promotionStore';
import { recordSignOff } from './gates/qaSignoff';
import { githubIdentity } from '../github/githubIdentity';
import { auditEntry } from './promotionAudit';
import { toRpcError } from '../upstreamError';
import { acquireTeamLock, teamHolder, type Acquired } from './teamLock';
import type { DeploymentReporter } from './deploymentReporter';
import { findOpenReverts } from './reverts';
import { listTeamPromotions } from './teamPromotions';
import { servicesBefore } from './deployProgress';
import type { MetricsSource } from '../metrics/metricsSource';
import { Verifications } from './verifications';

/** A revert checks nothing but the lock, which start takes; the merge it undoes was checked. */
const REVERT_LEVELS = Object.fromEntries(GATE_IDS.map((id) => [id, 'off'])) as Record<
  GateId,
  GateLevel
>;

/**
 * With reapplyReverts, the divergence gate's reverts are folded into the merge (reverted again),
 * so the gate stands as passed; without any revert to reapply nothing changes.
 */
function withReapplied(
  r: PromotionRecord,
  reapplies: PromotionRecord['reapplies'],
): PromotionRecord {
  if (reapplies.length === 0) return r;
  const gates = r.gates.map((g) =>
    g.id === 'divergence' && g.state === 'needs-you' && g.actions.includes('revert-revert')
      ? {
          ...g,
          state: 'pass' as const,
          detail: `${g.detail}. This promotion reverts the revert${reapplies.length > 1 ? 's' : ''}, so the changes come back`,
        }
      : g,
  );
  return { ...r, gates, reapplies };
}

type TeamLockHeld = Extract<Acquired, { kind: 'held' }>;

/** The step a confirmed promotion starts with. */
function firstStep(r: PromotionRecord): 'merge' | 'pull-request' | 'revert' {
  if (r.kind === 'revert') return 'revert';
  return r.strategy === 'pull-request' ? 'pull-request' : 'merge';
}

function firstSentence(r: PromotionRecord): string {
  const what = `${r.from.name} ${short(r.sourceCommit)}`;
  if (r.kind === 'revert') return `reverting ${short(r.reverts?.commit)} on ${r.to.name}…`;
  if (r.strategy === 'pull-request') return `opening a pull request of ${what} into ${r.to.name}…`;
  return `merging ${what} into ${r.to.name}…`;
}

export type PromotionServiceDeps = Omit<GateRunDeps, 'store'> &
  Omit<
    StepDeps,
    | 'store'
    | 'regate'
    | 'pushing'
    | 'settleSeconds'
    | 'deployTimeoutSeconds'
    | 'identity'
    | 'tagPattern'
    | 'stillOurs'
    | 'running'
    | 'verification'
  > & {
    logger: Logger;
    reporter: DeploymentReporter;
    /** This machine's name in the team's record (RAILYARD_MACHINE, else the host name). */
    machine: string;
    /** Railway's metrics, for the verification after success; undefined when signed out. */
    metrics(): MetricsSource | undefined;
  };

export class PromotionService {
  private readonly pushing = new Set<string>();
  /** Targets (project and environment) whose start is taking the team lock right now. */
  private readonly starting = new Set<string>();
  private stopped = false;
  /** The background work of each promotion (gates or steps); one at a time per promotion. */
  private readonly running = new Map<string, Promise<void>>();

  /** Verifications after success: watched apart from the steps, so a rollback never waits on one. */
  private readonly verifications: Verifications;

  constructor(
    private readonly deps: PromotionServiceDeps,
    private readonly store: PromotionStore,
  ) {
    this.verifications = new Verifications({
      ...deps,
      store,
      running: () => !this.stopped,
      rollbackRefusal: (id) =>
        this.nobodyElseDeploying(this.get(id)).then(
          () => undefined,
          (e: unknown) => (e as Error).message,
        ),
      startRollback: (id) => this.background(id, () => this.steps(id)),
    });
  }

  /** Picks up what the journal says was under way when the daemon stopped. */
  resume(): void {
    this.deps.reporter.start();
    for (const r of this.store.all()) {
      // A verification's window goes on while the daemon is away: the rest of it is waited out.
      if (r.state === 'succeeded') this.verifications.start(r.id);
      else if (r.state === 'planned') this.background(r.id, () => runGates(this.gateDeps(), r.id));
      else if (IN_FLIGHT_STATES.includes(r.state)) {
        this.deps.logger.info('resuming promotion', { id: r.id, state: r.state });
        // A teammate may have taken it over while this daemon was gone: then it stops here.
        this.background(r.id, async () => {
          if (!(await this.deps.reporter.checkTakenOver(r.id))) await this.steps(r.id);
        });
      }
    }
  }

  async plan(p: Params<'promotion.plan'>, who: string): Promise<PromotionRecord> {
    const folder = p.folder;
    const { view, projectId } = await this.projectOf(folder);
    const from = environmentNamed(view, p.from);
    const to = environmentNamed(view, p.to);
    if (from.id === to.id) throw badPair('an environment cannot be promoted to itself');
    const repo = from.repo ?? to.repo;
    if (!from.branch || !to.branch || !repo)
      throw badPair(
        `${!from.branch ? from.name : to.name} has no git branch (its services deploy images, or no trigger is set): there is nothing to merge`,
      );
    this.supersede(projectId, to.id, folder.path);
    const config = readFolderConfig(folder).config;
    // A back-merge belongs to the forward pair (kars-dev → kars-prod), its strategy included.
    const [pairFrom, pairTo] =
      p.kind === 'back-merge' ? [to.name, from.name] : [from.name, to.name];
    const pair = config?.promotions?.find((x) => x.from === pairFrom && x.to === pairTo);
    const record = newRecord({
      folder: folder.path,
      projectId,
      repo,
      from: { name: from.name, id: from.id, branch: from.branch },
      to: { name: to.name, id: to.id, branch: to.branch },
      protected: to.protected,
      checkOnly: p.checkOnly,
      kind: p.kind,
      // The forward pair's pull-request strategy protects the target; a back-merge pushes to the source.
      strategy: p.strategy ?? (p.kind === 'back-merge' ? 'merge' : (pair?.strategy ?? 'merge')),
      createdBy: who,
      levels: p.kind === 'back-merge' ? BACK_MERGE_LEVELS : gateLevels(pair),
      now: this.deps.now(),
    });
    this.store.put(folder, record);
    this.background(record.id, () => runGates(this.gateDeps(), record.id));
    return record;
  }

  recheck(p: Params<'promotion.recheck'>): PromotionRecord {
    const r = this.owned(p.id, p.folder);
    if (r.state !== 'gated')
      throw conflict(`Promotion ${r.id} is ${r.state}: only a gated promotion is checked again.`);
    const again = this.store.update(r.id, (x) =>
      transition(x, 'planned', this.deps.now(), 'Checking the gates again…'),
    );
    this.background(r.id, () => runGates(this.gateDeps(), r.id, p.gate));
    return again;
  }

  async signOff(p: Params<'promotion.signOff'>, who: string): Promise<PromotionRecord> {
    const r = this.owned(p.id, p.folder);
    if (r.state !== 'gated' || !r.sourceCommit)
      throw conflict(`Promotion ${r.id} is ${r.state}: sign off once its gates have run.`);
    const github = this.deps.github();
    if (!github)
      throw new RpcError(
        ErrorCode.Auth,
        'Sign in to GitHub (railyard login github) to record a sign-off: it is a GitHub commit status.',
        { provider: 'github' },
      );
    const found = await githubIdentity(github);
    if (!found.ok) throw toRpcError(found.error);
    const identity = found.value;
    const at = this.deps.now();
    const recorded = await recordSignOff(github, r.repo, r.sourceCommit, identity, at);
    if (!recorded.ok) throw toRpcError(recorded.error);
    this.store.update(r.id, (x) => ({
      ...x,
      signOff: { by: identity.login, at: at.toISOString() },
    }));
    this.deps.audit.record({
      action: 'qa-sign-off',
      project: r.projectId,
      environment: r.from.name,
      commit: r.sourceCommit,
      client: who,
      outcome: 'ok',
      detail: `Signed off as ${identity.login}.`,
    });
    return this.recheck({ folder: p.folder, id: r.id, gate: 'qa-signoff' });
  }

  async start(p: Params<'promotion.start'>, who: string): Promise<PromotionRecord> {
    const asked = this.startable(this.owned(p.id, p.folder), p, who);
    if (p.reapplyReverts && asked.strategy === 'pull-request')
      throw conflict(
        `Reverting the revert goes into Railyard's own merge, which the pull-request strategy does not make: back-merge ${asked.to.name} into ${asked.from.name}, revert the revert there (git revert <its sha>), push, and promote again.`,
      );
    // A revert's "source" is the merge it undoes, not a branch head.
    const moved = asked.kind === 'revert' ? undefined : await this.sourceMoved(this.get(p.id));
    if (moved) return moved;
    // Read again after the wait: a cancel, a recheck or another start may have come meanwhile.
    const r = this.startable(this.get(p.id), p, who);
    const withReasons = withReapplied(
      withOverrides({
        ...r,
        overrides: this.overridesOf(r, p, who),
        rollbackOnFailure: p.rollbackOnFailure,
      }),
      p.reapplyReverts ? await this.openReverts(r) : [],
    );
    // A stale teammate's lock is the team lock's to judge, now: it refuses, naming the holder and
    // how to take over, or takes it over when the target's name was typed.
    const blocking = blockingGates(withReasons).filter(
      (g) => !(g.id === 'lock' && g.actions.includes('take-over')),
    );
    if (blocking.length) {
      this.store.update(r.id, () => ({ ...withReasons, summary: gatedSummary(withReasons) }));
      throw conflict(`Not started: ${blocking.map((g) => `${g.title}: ${g.detail}`).join(' ')}`, {
        gates: blocking.map((g) => g.id),
      });
    }
    const holder = this.store.holder(r);
    if (holder)
      throw conflict(
        `${r.to.name} is being promoted already (promotion ${holder.id} by ${holder.confirmedBy ?? holder.createdBy}, ${holder.state}).`,
      );
    const target = `${r.projectId} ${r.to.id}`;
    if (this.starting.has(target))
      throw conflict(`${r.to.name} is being started by another request of this daemon.`);
    this.starting.add(target);
    try {
      const team = await this.teamLock(r, p, who);
      return this.confirm(r.id, withReasons, who, team);
    } finally {
      this.starting.delete(target);
    }
  }

  /** Confirmed, holding the target: the first step starts with the confirmation (one fsync for both). */
  private confirm(
    id: string,
    withReasons: PromotionRecord,
    who: string,
    team: TeamLockHeld | undefined,
  ): PromotionRecord {
    const r = this.store.get(id)!;
    if (r.state !== 'gated') {
      // Cancelled meanwhile: the deployment just made must not hold the target; the reporter
      // says so (inactive) until GitHub has acknowledged it.
      if (team) this.store.update(r.id, (x) => ({ ...x, deployment: team.deployment }));
      throw conflict(`Promotion ${r.id} is ${r.state} now: ${r.summary}`);
    }
    const first = firstStep(r);
    const confirmed = this.store.update(r.id, () =>
      withStep(
        transition(
          {
            ...withReasons,
            confirmedBy: who,
            ...(team && { deployment: team.deployment }),
            ...(team?.tookOver && { tookOver: team.tookOver }),
          },
          'confirmed',
          this.deps.now(),
          `Confirmed by ${who}: ${firstSentence(r)}`,
        ),
        first,
        { state: 'running' },
        this.deps.now(),
      ),
    );
    this.background(r.id, () => this.steps(r.id));
    return confirmed;
  }

  /**
   * The team's lock through GitHub: refused when a teammate's promotion holds the target (a
   * stale one can be taken over by typing the target's name). Without GitHub, teammates cannot be
   * seen, and the local lock is all there is.
   */
  private async teamLock(
    r: PromotionRecord,
    p: { takeOver?: string },
    who: string,
  ): Promise<TeamLockHeld | undefined> {
    const github = this.deps.github();
    if (!github) return undefined;
    if (p.takeOver !== undefined && p.takeOver !== r.to.name)
      throw new RpcError(
        ErrorCode.Forbidden,
        `To take over ${r.to.name}, type its name (takeOver: "${r.to.name}").`,
        { confirm: r.to.name },
      );
    const identity = await githubIdentity(github);
    if (!identity.ok) throw toRpcError(identity.error);
    const acquired = await acquireTeamLock({
      github,
      record: r,
      login: identity.value.login,
      machine: this.deps.machine,
      staleAfterMs: this.staleAfterMs(r),
      takeOver: p.takeOver === r.to.name,
      ours: (id) => this.store.get(id) !== undefined,
      now: this.deps.now(),
    });
    if (!acquired.ok) throw toRpcError(acquired.error);
    if (acquired.value.kind === 'held') return acquired.value;
    const { holder, message, deployment } = acquired.value;
    // Lost a race after making its deployment: journaled, so it is said inactive until GitHub hears.
    if (deployment) this.store.update(r.id, (x) => ({ ...x, deployment }));
    this.refuse(r, who, `held by ${holder.by}'s promotion ${holder.id}`);
    throw conflict(message, {
      lock: {
        by: holder.by,
        promotion: holder.id,
        since: holder.startedAt,
        stale: holder.state === 'stale',
        machine: holder.machine,
      },
      gates: ['lock'],
    });
  }

  /** The reverts on the target the divergence gate offered to revert again (reapplyReverts). */
  private async openReverts(r: PromotionRecord): Promise<PromotionRecord['reapplies']> {
    const found = await findOpenReverts(
      this.deps.mirrorFor(r.repo),
      r.sourceCommit!,
      r.targetCommit!,
    );
    return found.map((x) => ({ revert: x.revert, reverted: x.reverted }));
  }

  private staleAfterMs(r: PromotionRecord): number {
    const folder = this.store.folderOf(r.id)!;
    return (this.settingsOf(r, folder).lockStaleMinutes ?? DEFAULT_LOCK_STALE_MINUTES) * 60_000;
  }

  /** The checks a start passes before anything else: returns the record when it may start. */
  private startable(
    r: PromotionRecord,
    p: Params<'promotion.start'>,
    who: string,
  ): PromotionRecord {
    if (r.checkOnly)
      throw conflict(`Promotion ${r.id} was a check (--check): plan it again to promote.`);
    if (r.state !== 'gated')
      throw conflict(`Promotion ${r.id} is ${r.state}, not gated: ${r.summary}`);
    this.requireTyped(r, p.confirm, who, '');
    return r;
  }

  /** A protected target's name must be typed for anything that changes it; a refusal is audited. */
  private requireTyped(r: PromotionRecord, typed: string | undefined, who: string, what: string) {
    if (!r.protected || typed === r.to.name) return;
    this.refuse(r, who, `${what || 'start'} without its typed confirmation`);
    throw new RpcError(
      ErrorCode.Forbidden,
      `${r.to.name} is protected: type its name to confirm${what ? ` the ${what}` : ''} (confirm: "${r.to.name}").`,
      { confirm: r.to.name },
    );
  }

  cancel(p: Params<'promotion.cancel'>, who: string): PromotionRecord {
    const r = this.owned(p.id, p.folder);
    if (!CANCELLABLE_STATES.includes(r.state) || this.pushing.has(r.id))
      throw conflict(
        `Promotion ${r.id} is ${this.pushing.has(r.id) ? 'pushing' : r.state}: it can only be cancelled before the push. ${r.state === 'failed' || r.state === 'succeeded' ? `Roll it back instead: railyard promote rollback ${r.id}` : ''}`.trim(),
      );
    const cancelled = this.store.update(r.id, (x) =>
      transition(
        x,
        'cancelled',
        this.deps.now(),
        `Cancelled by ${who}; nothing changed in ${x.to.name}.`,
      ),
    );
    this.deps.audit.record(auditEntry(cancelled, 'ok'));
    return cancelled;
  }

  async rollback(p: Params<'promotion.rollback'>, who: string): Promise<PromotionRecord> {
    const r = this.owned(p.id, p.folder);
    if (!['failed', 'succeeded', 'deploying'].includes(r.state) || !r.mergeCommit)
      throw conflict(
        `Promotion ${r.id} is ${r.state}: only a pushed promotion can be rolled back.`,
      );
    this.requireTyped(r, p.confirm, who, 'rollback');
    await this.nobodyElseDeploying(r);
    const rolling = this.store.update(r.id, (x) =>
      transition(
        x,
        'rolling-back',
        this.deps.now(),
        `Rolling ${x.to.name} back (asked by ${who})…`,
      ),
    );
    this.background(r.id, () => this.steps(r.id));
    return rolling;
  }

  /**
   * A rollback puts Railway's previous deployments back: while another promotion (this daemon's
   * or a teammate's) is deploying the target, it would undo theirs too, so it waits for them.
   */
  private async nobodyElseDeploying(r: PromotionRecord): Promise<void> {
    const local = this.store.holder(r);
    if (local)
      throw conflict(
        `${r.to.name} is being promoted by promotion ${local.id} (${local.state}): roll back once it is done.`,
      );
    const github = this.deps.github();
    if (!github) return;
    const ours = (id: string) => this.store.get(id) !== undefined;
    const found = await teamHolder(github, r, this.staleAfterMs(r), ours);
    if (!found.ok) throw toRpcError(found.error);
    if (found.value?.state === 'in-progress')
      throw conflict(
        `${r.to.name} is being promoted by ${found.value.by} (promotion ${found.value.id}): a rollback now would undo theirs too; roll back once it is done.`,
        {
          lock: {
            by: found.value.by,
            promotion: found.value.id,
            since: found.value.startedAt,
            stale: false,
          },
        },
      );
  }

  /** Railway never started the merge commit somewhere (a lost webhook): deploy it there by sha. */
  async deployMissing(p: Params<'promotion.deployMissing'>, who: string): Promise<PromotionRecord> {
    const r = this.owned(p.id, p.folder);
    if (r.state !== 'deploying' || !r.mergeCommit)
      throw conflict(
        `Promotion ${r.id} is ${r.state}: only a deploying promotion waits for deployments.`,
      );
    this.requireTyped(r, p.confirm, who, 'deploy');
    const railway = this.deps.railway();
    if (!railway)
      throw new RpcError(ErrorCode.SignedOut, 'Sign in to Railway first (railyard login).');
    const missing = r.services.filter((s) => !s.deploymentId);
    for (const s of missing) {
      const answer = await railway.operation<{ serviceInstanceDeployV2: string }>(
        'ServiceInstanceDeployV2',
        {
          environmentId: r.to.id,
          serviceId: s.id,
          commitSha: r.mergeCommit,
        },
      );
      this.deps.audit.record({
        action: 'deploy-commit',
        project: r.projectId,
        environment: r.to.name,
        service: s.name,
        commit: r.mergeCommit,
        client: who,
        outcome: answer.ok ? 'ok' : 'failed',
        detail: answer.ok
          ? `For promotion ${r.id}: Railway had not started it.`
          : answer.error.message,
      });
      if (!answer.ok) throw toRpcError(answer.error);
    }
    return this.store.get(r.id)!;
  }

  get(id: string): PromotionRecord {
    const r = this.store.get(id);
    if (!r)
      throw new RpcError(
        ErrorCode.NotFound,
        `No promotion ${id.slice(0, 100)}. List them with railyard promote history.`,
      );
    return r;
  }

  async list(
    folder: FolderContext | undefined,
    limit: number,
    team = true,
  ): Promise<Result<'promotion.list'>> {
    const promotions = this.store
      .all()
      .filter((r) => folder === undefined || samePath(r.folder, folder.path))
      .slice(0, limit);
    return { promotions, team: team ? await this.teamList(folder, promotions, limit) : [] };
  }

  /**
   * Teammates' promotions (and this user's from other machines) from GitHub, for the folder's
   * repository; nothing when GitHub is not signed in or does not answer (history still lists ours).
   */
  private async teamList(
    folder: FolderContext | undefined,
    ours: PromotionRecord[],
    limit: number,
  ): Promise<TeamPromotion[]> {
    const github = this.deps.github();
    if (!github) return [];
    const repo = ours[0]?.repo ?? (folder && (await this.repoOf(folder)));
    if (!repo) return [];
    const found = await listTeamPromotions(github, repo, {
      staleAfterMs: DEFAULT_LOCK_STALE_MINUTES * 60_000,
      limit,
    });
    if (!found.ok) {
      this.deps.logger.warn('could not list teammates promotions', { error: found.error.message });
      return [];
    }
    const known = new Set(this.store.all().map((r) => r.id));
    return found.value.promotions.filter((t) => !known.has(t.id));
  }

  private async repoOf(folder: FolderContext): Promise<string | undefined> {
    const view = await this.projectOf(folder).catch(() => undefined);
    return view?.view.environments.find((e) => e.repo)?.repo;
  }

  /**
   * Reverts a pushed promotion's merge on its target: a new promotion of kind revert, pinned to
   * the target's head now, which takes the lock like any start and pushes the revert commit.
   */
  async revert(p: Params<'promotion.revert'>, who: string): Promise<PromotionRecord> {
    const original = this.owned(p.id, p.folder);
    const merge = original.mergeCommit;
    if (
      original.kind === 'revert' ||
      !merge ||
      !['failed', 'succeeded', 'rolled-back'].includes(original.state)
    )
      throw conflict(
        `Promotion ${original.id} is ${original.state}: only a finished promotion whose merge reached ${original.to.branch} can be reverted.`,
      );
    if (original.revertedBy)
      throw conflict(
        `Promotion ${original.id} was reverted already (promotion ${original.revertedBy.promotion}).`,
      );
    this.requireTyped(original, p.confirm, who, 'revert');
    const pinned = await this.pinForRevert(original, merge);
    const record = newRecord({
      folder: p.folder.path,
      projectId: original.projectId,
      repo: original.repo,
      from: original.from,
      to: original.to,
      protected: original.protected,
      checkOnly: false,
      kind: 'revert',
      strategy: 'merge',
      createdBy: who,
      levels: REVERT_LEVELS,
      now: this.deps.now(),
    });
    this.store.put(p.folder, {
      ...transition(
        record,
        'gated',
        this.deps.now(),
        `Ready: revert ${short(merge)} on ${original.to.branch}.`,
      ),
      sourceCommit: merge,
      targetCommit: pinned.head,
      services: pinned.services,
      reverts: { promotion: original.id, commit: merge },
    });
    try {
      return await this.start(
        {
          folder: p.folder,
          id: record.id,
          confirm: p.confirm,
          rollbackOnFailure: false,
          reapplyReverts: false,
        },
        who,
      );
    } catch (e) {
      this.store.move(record.id, ['gated'], (r) =>
        transition(r, 'cancelled', this.deps.now(), `Not started: ${(e as Error).message}`),
      );
      throw e;
    }
  }

  /** The target's head now, which must still hold the merge, and the services a deploy of it touches. */
  private async pinForRevert(original: PromotionRecord, merge: string) {
    const mirror = this.deps.mirrorFor(original.repo);
    await mirror.sync();
    const head = await mirror.head(original.to.branch);
    if (!head || !(await mirror.isAncestor(merge, head)))
      throw conflict(
        `${original.to.branch} no longer contains the merge ${short(merge)}: there is nothing to revert.`,
      );
    const feed = await openFeed(this.deps.environments, this.store.folderOf(original.id)!);
    const view = feed.view();
    feed.stop();
    return { head, services: servicesBefore(environmentNamed(view, original.to.name)) };
  }

  /**
   * Shutdown: no more heartbeats, and the step loops end at their next turn. What was under way
   * is in the journal, and the next daemon resumes it.
   */
  stop(): void {
    this.stopped = true;
    this.deps.reporter.stop();
  }

  /** For tests and shutdown: the background work of a promotion, if any. */
  settled(id: string): Promise<void> {
    return this.running.get(id) ?? Promise.resolve();
  }

  /**
   * The steps, tried again while the promotion is in flight: a daemon resuming at start may meet
   * Railway or the view not ready yet (a token still being checked, a 429), and an unwatched
   * production deploy must not be left in `deploying` for good.
   */
  private async steps(id: string): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      try {
        await runSteps(this.stepDeps(), id);
        this.verifications.start(id);
        return;
      } catch (e) {
        this.deps.logger.warn('promotion step failed; trying again in 5 s', {
          id,
          error: (e as Error).message,
        });
      }
      if (!IN_FLIGHT_STATES.includes(this.store.get(id)!.state)) return;
      await this.deps.sleep(5_000);
    }
  }

  private background(id: string, work: () => Promise<void>): void {
    const previous = this.running.get(id) ?? Promise.resolve();
    const next = previous.then(work).catch((e: unknown) => {
      this.deps.logger.error('promotion work failed', { id, error: (e as Error).message });
    });
    this.running.set(id, next);
  }

  private owned(id: string, folder: FolderContext): PromotionRecord {
    const r = this.get(id);
    if (!samePath(r.folder, folder.path))
      throw new RpcError(
        ErrorCode.NotFound,
        `Promotion ${id} belongs to another folder (${r.folder}).`,
      );
    return r;
  }

  private async projectOf(folder: FolderContext) {
    const feed = await openFeed(this.deps.environments, folder);
    const view = feed.view();
    feed.stop();
    if (!view.project)
      throw new RpcError(
        ErrorCode.NoProject,
        view.message ?? 'No Railway project is linked to this folder.',
      );
    return { view, projectId: view.project.id };
  }

  /** A newer plan for the same target replaces an older one nobody started. */
  private supersede(projectId: string, targetId: string, folder: string): void {
    const stale = this.store
      .all()
      .filter((r) => r.projectId === projectId && r.to.id === targetId && r.state === 'gated');
    for (const r of stale.filter((x) => samePath(x.folder, folder)))
      this.deps.audit.record(
        auditEntry(
          this.store.update(r.id, (x) =>
            transition(
              x,
              'cancelled',
              this.deps.now(),
              'Superseded by a newer plan for the same target; nothing changed.',
            ),
          ),
          'ok',
        ),
      );
  }

  /** The source moved since the gates pinned it: pin again, re-run every gate, and say so. */
  private async sourceMoved(r: PromotionRecord): Promise<PromotionRecord | undefined> {
    const head = await this.deps
      .mirrorFor(r.repo)
      .remoteHead(r.from.branch)
      .catch(() => undefined);
    if (head === undefined || head === r.sourceCommit) return undefined;
    this.store.update(r.id, (x) =>
      transition(
        x,
        'planned',
        this.deps.now(),
        `${x.from.branch} moved to ${short(head)} since the gates ran: checking again…`,
      ),
    );
    this.background(r.id, () => runGates(this.gateDeps(), r.id));
    throw conflict(
      `${r.from.branch} moved to ${short(head)} since the gates ran on ${short(r.sourceCommit)}: the gates run again; confirm once they pass.`,
      { sourceMoved: head },
    );
  }

  private overridesOf(
    r: PromotionRecord,
    p: Params<'promotion.start'>,
    who: string,
  ): PromotionRecord['overrides'] {
    const at = this.deps.now().toISOString();
    return {
      ...r.overrides,
      ...(p.overrideWindow && { window: { by: who, at, reason: p.overrideWindow } }),
      ...(p.ackBackup && { backup: { by: who, at, reason: p.ackBackup } }),
    };
  }

  private refuse(r: PromotionRecord, who: string, why: string): void {
    this.deps.audit.record({
      action: 'promotion',
      project: r.projectId,
      environment: r.to.name,
      folder: r.folder,
      client: who,
      outcome: 'refused',
      detail: `Promotion ${r.id}: ${why}.`,
    });
  }

  private gateDeps(): GateRunDeps {
    return { ...this.deps, store: this.store };
  }

  private stepDeps(): StepDeps {
    return {
      ...this.deps,
      store: this.store,
      pushing: this.pushing,
      running: () => !this.stopped,
      stillOurs: async (id) => {
        const state = await this.deps.reporter.takeOverState(id);
        if (state === 'unknown')
          throw new Error('GitHub did not say whether a teammate took this promotion over');
        return state === 'free';
      },
      regate: (id) => runGates(this.gateDeps(), id),
      identity: async () => {
        const github = this.deps.github();
        const found = github ? await githubIdentity(github) : undefined;
        const id = found?.ok ? found.value : undefined;
        return id
          ? { name: id.name ?? id.login, email: id.email }
          : { name: 'Railyard', email: 'railyard@localhost' };
      },
      settleSeconds: (record, folder) => this.settingsOf(record, folder).settleSeconds,
      deployTimeoutSeconds: (record, folder) =>
        this.settingsOf(record, folder).deployTimeoutSeconds,
      tagPattern: (record, folder) => this.settingsOf(record, folder).tag,
      verification: (record, folder) =>
        verificationSettings(readFolderConfig(folder).config, record),
    };
  }

  private settingsOf(record: PromotionRecord, folder: FolderContext) {
    return recordSettings(readFolderConfig(folder).config, record);
  }
}

function samePath(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

function conflict(message: string, data?: Record<string, unknown>): RpcError {
  return new RpcError(ErrorCode.Conflict, message, data);
}

function badPair(why: string): RpcError {
  return new RpcError(ErrorCode.InvalidParams, `Cannot promote: ${why}.`);
}
