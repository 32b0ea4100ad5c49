// Promotions as the protocol serves them: plan (pin, then every gate), sign-off, start (typed
// confirmation, required gates, one promotion per target), cancel until the push, rollback, and
// on daemon start the resumption of whatever the journal says was under way.
import {
  CANCELLABLE_STATES,
  ErrorCode,
  IN_FLIGHT_STATES,
  type FolderContext,
  type Params,
  type PromotionRecord,
  type Result,
} from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import type { Logger } from '../diagnostics/logger';
import { readFolderConfig } from '../environments/environmentService';
import { runGates, type GateRunDeps } from './gateRun';
import { runSteps, type StepDeps } from './promotionSteps';
import {
  blockingGates,
  gateLevels,
  gatedSummary,
  newRecord,
  settingsFor,
  short,
  transition,
  withOverrides,
  withStep,
} from './promotionRecords';
import { environmentNamed, openFeed } from './viewFeed';
import type { PromotionStore } from './promotionStore';
import { recordSignOff } from './gates/qaSignoff';
import { githubIdentity } from '../github/githubIdentity';
import { auditEntry } from './promotionAudit';
import { toRpcError } from '../upstreamError';

export type PromotionServiceDeps = Omit<GateRunDeps, 'store'> &
  Omit<
    StepDeps,
    'store' | 'regate' | 'pushing' | 'settleSeconds' | 'deployTimeoutSeconds' | 'identity'
  > & {
    logger: Logger;
  };

export class PromotionService {
  private readonly pushing = new Set<string>();
  /** The background work of each promotion (gates or steps); one at a time per promotion. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: PromotionServiceDeps,
    private readonly store: PromotionStore,
  ) {}

  /** Picks up what the journal says was under way when the daemon stopped. */
  resume(): void {
    for (const r of this.store.all()) {
      if (r.state === 'planned') this.background(r.id, () => runGates(this.gateDeps(), r.id));
      else if (IN_FLIGHT_STATES.includes(r.state)) {
        this.deps.logger.info('resuming promotion', { id: r.id, state: r.state });
        this.background(r.id, () => this.steps(r.id));
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
    const pair = config?.promotions?.find((x) => x.from === from.name && x.to === to.name);
    const record = newRecord({
      folder: folder.path,
      projectId,
      repo,
      from: { name: from.name, id: from.id, branch: from.branch },
      to: { name: to.name, id: to.id, branch: to.branch },
      protected: to.protected,
      checkOnly: p.checkOnly,
      kind: p.kind,
      strategy: p.strategy ?? pair?.strategy ?? 'merge',
      createdBy: who,
      levels: gateLevels(pair),
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
    this.startable(this.owned(p.id, p.folder), p, who);
    const moved = await this.sourceMoved(this.get(p.id));
    if (moved) return moved;
    // Read again after the wait: a cancel, a recheck or another start may have come meanwhile.
    const r = this.startable(this.get(p.id), p, who);
    const withReasons = withOverrides({
      ...r,
      overrides: this.overridesOf(r, p, who),
      rollbackOnFailure: p.rollbackOnFailure,
    });
    const blocking = blockingGates(withReasons);
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
    // The merge step starts with the confirmation: one journal write (an fsync) for both.
    const confirmed = this.store.update(r.id, () =>
      withStep(
        transition(
          { ...withReasons, confirmedBy: who },
          'confirmed',
          this.deps.now(),
          `Confirmed by ${who}: merging ${r.from.name} ${short(r.sourceCommit)} into ${r.to.name}…`,
        ),
        'merge',
        { state: 'running' },
        this.deps.now(),
      ),
    );
    this.background(r.id, () => this.steps(r.id));
    return confirmed;
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
    if (r.protected && p.confirm !== r.to.name) {
      this.refuse(r, who, 'missing or wrong typed confirmation');
      throw new RpcError(
        ErrorCode.Forbidden,
        `${r.to.name} is protected: type its name to confirm (confirm: "${r.to.name}").`,
        { confirm: r.to.name },
      );
    }
    return r;
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

  rollback(p: Params<'promotion.rollback'>, who: string): PromotionRecord {
    const r = this.owned(p.id, p.folder);
    if (!['failed', 'succeeded', 'deploying'].includes(r.state) || !r.mergeCommit)
      throw conflict(
        `Promotion ${r.id} is ${r.state}: only a pushed promotion can be rolled back.`,
      );
    if (r.protected && p.confirm !== r.to.name) {
      this.refuse(r, who, 'rollback without typed confirmation');
      throw new RpcError(
        ErrorCode.Forbidden,
        `${r.to.name} is protected: type its name to confirm the rollback (confirm: "${r.to.name}").`,
        { confirm: r.to.name },
      );
    }
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

  /** Railway never started the merge commit somewhere (a lost webhook): deploy it there by sha. */
  async deployMissing(p: Params<'promotion.deployMissing'>, who: string): Promise<PromotionRecord> {
    const r = this.owned(p.id, p.folder);
    if (r.state !== 'deploying' || !r.mergeCommit)
      throw conflict(
        `Promotion ${r.id} is ${r.state}: only a deploying promotion waits for deployments.`,
      );
    if (r.protected && p.confirm !== r.to.name)
      throw new RpcError(
        ErrorCode.Forbidden,
        `${r.to.name} is protected: type its name to confirm (confirm: "${r.to.name}").`,
        { confirm: r.to.name },
      );
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

  list(folder: FolderContext | undefined, limit: number): Result<'promotion.list'> {
    const promotions = this.store
      .all()
      .filter((r) => folder === undefined || samePath(r.folder, folder.path))
      .slice(0, limit);
    return { promotions, team: [] };
  }

  revert(p: Params<'promotion.revert'>, _who: string): PromotionRecord {
    throw conflict(`Reverting promotion ${p.id} is not built yet.`);
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
      try {
        await runSteps(this.stepDeps(), id);
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
    };
  }

  private settingsOf(record: PromotionRecord, folder: FolderContext) {
    return settingsFor(readFolderConfig(folder).config, record.from.name, record.to.name);
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
