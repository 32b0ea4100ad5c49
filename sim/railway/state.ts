// The Railway simulator's in-memory world and the deployment lifecycle, which moves only as the simulators' clock does.
import { EventEmitter } from 'node:events';
import { noChecks, type CommitChecks } from '../ciChecks';
import { SimClock, type SimTimer } from '../clock';
import { defaultTimings, imageRetentionMs, type SimPlan, type SimTimings } from '../timings';
import { DeploymentEventStore } from './deploymentEvents';
import {
  CrashLoops,
  deploymentInstances,
  type CrashLoopOptions,
  type SimInstanceStatus,
} from './deploymentInstances';
import { LogStore } from './logs';
import { syntheticBucket } from './metricsHistory';
import { MetricsStore } from './metricsStore';
import type {
  SimCommit,
  SimCreator,
  SimDeployment,
  SimDeploymentStatus,
  SimEnvironment,
  SimFailure,
  SimHealth,
  SimHealthSetting,
  SimOutcome,
  SimProject,
  SimService,
  SimServiceInstance,
  SimSupersede,
  SimTrigger,
  SimUser,
  SimWorkspace,
} from './model';
import { inFlightStatuses, nextTransition } from './lifecycle';
import { StagedChangeStore } from './stagedChanges';
import { VariableStore } from './variables';
import { VolumeStore } from './volumes';
import { touchesWatchPaths } from './watchPaths';

export interface NewDeployment {
  environmentId: string;
  serviceId: string;
  meta?: Record<string, unknown>;
  creator?: SimCreator | null;
  outcome?: SimOutcome;
  failure?: SimFailure;
  /** Given: the deployment starts there (the fixture's finished history, a test's own set-up). */
  status?: SimDeploymentStatus;
  skipBuild?: boolean;
  /** "Wait for CI": the commit whose GitHub check suites it waits for. */
  waitFor?: { repository: string; sha: string };
}

/** What a push brings besides the commit: how its deployments end, and the files it touched. */
export interface PushOptions {
  outcome?: SimOutcome;
  failure?: SimFailure;
  /** Paths the push changed, for watch paths; unknown (undefined) deploys every service. */
  changedFiles?: string[];
}

/** Where the simulator looks commits up: the git server's repositories in the world. */
export interface CommitSource {
  find(repository: string, sha: string): Promise<SimCommit | undefined>;
  head(repository: string, branch: string): Promise<SimCommit | undefined>;
}

const noCommits: CommitSource = {
  find: () => Promise.resolve(undefined),
  head: () => Promise.resolve(undefined),
};

/** Longer than the daemon's 5 s health timeout, so a 'slow' service reads as not answering. */
export const defaultSlowMs = 10_000;

/** Statuses Railway lets a deployment be redeployed from. */
const redeployable: ReadonlySet<SimDeploymentStatus> = new Set([
  'SUCCESS',
  'FAILED',
  'CRASHED',
  'REMOVED',
  'SKIPPED',
  'SLEEPING',
]);

/** The deployments that serve traffic. */
const serving: ReadonlySet<SimDeploymentStatus> = new Set(['SUCCESS', 'SLEEPING']);

/** Options for behaviour Railway has not pinned down: the simulator does either, tests cover both. */
export interface Ambiguities {
  /** How a new deployment starts: Railway shows both. */
  startStatus: 'QUEUED' | 'INITIALIZING';
  /** A newer push to the same trigger while one is in flight. */
  supersede: SimSupersede;
  /** The order `activeDeployments` lists its entries in: Railway promises none. */
  activeOrder: 'newest-first' | 'oldest-first';
  /** An http metrics step without requests: left out of `samples`, or answered as 0. */
  metricsEmptySteps: 'omit' | 'zero';
  /** An http metrics query without stepSeconds: one sample, or several at the dashboard's step. */
  metricsAggregate: 'one' | 'several';
}

export class RailwayState {
  readonly workspaces: SimWorkspace[] = [];
  readonly users: SimUser[] = [];
  readonly projects: SimProject[] = [];
  readonly environments: SimEnvironment[] = [];
  readonly services: SimService[] = [];
  readonly serviceInstances: SimServiceInstance[] = [];
  readonly triggers: SimTrigger[] = [];
  readonly deployments: SimDeployment[] = [];
  /** Build and deploy logs, written as deployments move; tests may append their own lines. */
  readonly logs: LogStore;
  /** Request counts and durations from the request lines deployments write (metrics queries). */
  readonly metrics: MetricsStore;
  /** Each deployment's progress steps (Railway's deploymentEvents), recorded as it moves. */
  readonly deploymentEvents: DeploymentEventStore;
  /** Volumes, their backups and the backup and restore workflows, which run on the clock. */
  readonly volumes: VolumeStore;
  /** The services a test set crash-looping, and each deployment's restarts. */
  readonly crashLoops: CrashLoops;
  /** The account's plan: how long removed images are kept for rollback. */
  plan: SimPlan = 'HOBBY';
  readonly ambiguities: Ambiguities = {
    startStatus: 'QUEUED',
    supersede: 'remove',
    activeOrder: 'newest-first',
    metricsEmptySteps: 'omit',
    metricsAggregate: 'one',
  };
  /** The repositories' commits, for deploying one by sha; the world connects git's. */
  commits: CommitSource = noCommits;
  /** GitHub's check suites, for "Wait for CI"; none until the world connects GitHub. */
  private checks: CommitChecks = noChecks;
  private stopChecks: () => void = () => undefined;
  /** Every environment's variables, per service and shared. */
  readonly variables: VariableStore;
  /** Each environment's staged patch, applied only when committed. */
  readonly stagedChanges: StagedChangeStore;
  private readonly events = new EventEmitter();
  /** The deployment ids of the live `deployment(id)` subscriptions, one entry per subscriber. */
  private readonly deploymentSubscribers: string[] = [];
  private readonly health = new Map<string, SimHealthSetting>();
  /** Each deployment's next move on the clock, so it can be cancelled or run to. */
  private readonly moves = new Map<string, { timer: SimTimer; at: number }>();
  private counter = 0;

  /** Every timestamp the simulator writes and every duration it models runs on `clock`. */
  constructor(
    readonly clock: SimClock = new SimClock(),
    readonly timings: SimTimings = defaultTimings(),
  ) {
    this.events.setMaxListeners(0);
    this.logs = new LogStore(this.now);
    this.metrics = new MetricsStore(clock, (env, service, at) =>
      syntheticBucket(this, env, service, at),
    );
    this.logs.tap((lines) => this.metrics.record(lines));
    this.deploymentEvents = new DeploymentEventStore(() => this.timestamp());
    const nextId = () => this.nextId();
    const timestamp = () => this.timestamp();
    this.volumes = new VolumeStore(nextId, timestamp, clock, timings);
    this.variables = new VariableStore(nextId, timestamp);
    this.stagedChanges = new StagedChangeStore(nextId, timestamp);
    this.crashLoops = new CrashLoops({
      clock,
      servingDeployment: (env, service) => this.servingDeployment(env, service),
      serviceInstance: (env, service) => this.instanceOf(env, service),
      crash: (d) => this.crash(d),
      noteStart: (env, service) => this.metrics.noteStart(env, service),
    });
  }

  /** A fresh id shaped like Railway's UUIDs, deterministic so fixtures are stable across runs. */
  nextId(): string {
    this.counter += 1;
    // The counter leads too, so short ids (the first 8 characters) tell objects apart.
    const hex = this.counter.toString(16);
    return `${hex.padStart(8, '0')}-0000-4000-8000-${hex.padStart(12, '0')}`;
  }

  readonly now = (): Date => this.clock.now();

  timestamp(): string {
    return this.now().toISOString();
  }

  environmentByName(name: string, projectId?: string): SimEnvironment {
    return must(
      this.environments.find((e) => e.name === name && (!projectId || e.projectId === projectId)),
      `environment ${name}`,
    );
  }

  serviceByName(name: string, projectId?: string): SimService {
    return must(
      this.services.find((s) => s.name === name && (!projectId || s.projectId === projectId)),
      `service ${name}`,
    );
  }

  deployment(id: string): SimDeployment | undefined {
    return this.deployments.find((d) => d.id === id);
  }

  /** Newest first, as Railway lists them. */
  deploymentsOf(environmentId: string, serviceId: string): SimDeployment[] {
    return this.deployments
      .filter((d) => d.environmentId === environmentId && d.serviceId === serviceId)
      .sort(newestFirst);
  }

  /**
   * Railway's `activeDeployments`: the serving one, and beside it whatever is cutting over (an
   * in-flight DEPLOYING one, the old one REMOVING) or has crashed after taking over, in the order
   * the simulator is set to. Pick the serving one by status (servingDeployment), never by order.
   */
  activeDeployments(environmentId: string, serviceId: string): SimDeployment[] {
    const active = this.deploymentsOf(environmentId, serviceId).filter(
      (d) =>
        serving.has(d.status) ||
        d.status === 'DEPLOYING' ||
        d.status === 'REMOVING' ||
        (d.status === 'CRASHED' && d.wasActive),
    );
    return this.ambiguities.activeOrder === 'newest-first' ? active : active.reverse();
  }

  /** The deployment taking the service's traffic, if any (none when it crashed or never deployed). */
  servingDeployment(environmentId: string, serviceId: string): SimDeployment | undefined {
    return this.deploymentsOf(environmentId, serviceId).find((d) => serving.has(d.status));
  }

  createDeployment(input: NewDeployment): SimDeployment {
    const env = must(
      this.environments.find((e) => e.id === input.environmentId),
      'environment',
    );
    const at = this.timestamp();
    const deployment: SimDeployment = {
      id: this.nextId(),
      projectId: env.projectId,
      environmentId: env.id,
      serviceId: input.serviceId,
      status: input.status ?? this.startStatus(input),
      createdAt: at,
      updatedAt: at,
      statusUpdatedAt: at,
      meta: input.meta ?? {},
      creator: input.creator ?? null,
      url: null,
      staticUrl: null,
      outcome: input.outcome ?? 'SUCCESS',
      failure: input.failure ?? 'build',
      succeeded: false,
      wasActive: false,
      removedAt: null,
      skipBuild: input.skipBuild ?? false,
      skipReason: null,
      waitingFor: null,
    };
    this.deployments.push(deployment);
    deployment.waitingFor = input.waitFor ?? null;
    if (deployment.status === 'SKIPPED')
      deployment.skipReason = input.waitFor ? 'ci' : 'watch-paths';
    if (deployment.status === 'SUCCESS') this.activate(deployment, input.status === 'SUCCESS');
    this.emit(deployment, true);
    this.schedule(deployment);
    return deployment;
  }

  /**
   * What Railway does when GitHub's push webhook arrives: per service whose trigger watches the
   * branch and that deploys automatically, a new deployment (SKIPPED, with the commit, when the
   * push touched none of its watch paths), waiting for CI when the trigger asks for it.
   */
  push(
    repository: string,
    branch: string,
    commit: SimCommit,
    options: PushOptions = {},
  ): SimDeployment[] {
    return this.triggers
      .filter((t) => t.repository === repository && t.branch === branch)
      .flatMap((t) => {
        const instance = this.instanceOf(t.environmentId, t.serviceId);
        if (instance && !instance.autoDeploy) return [];
        const meta = gitMeta(repository, branch, commit);
        const base = { environmentId: t.environmentId, serviceId: t.serviceId, meta };
        if (instance && !touchesWatchPaths(instance.watchPatterns, options.changedFiles))
          return [this.createDeployment({ ...base, status: 'SKIPPED' })];
        this.supersedeFor(t.environmentId, t.serviceId);
        const waitFor = t.checkSuites ? { repository, sha: commit.hash } : undefined;
        const { outcome, failure } = options;
        return [this.createDeployment({ ...base, outcome, failure, waitFor })];
      });
  }

  /** Connects GitHub's check suites: WAITING deployments move on when their commit's suites finish. */
  connectChecks(checks: CommitChecks): void {
    this.stopChecks();
    this.checks = checks;
    this.stopChecks = checks.onSettled((repository, sha, result) => {
      for (const d of this.deployments) {
        const w = d.waitingFor;
        if (d.status !== 'WAITING' || w?.repository !== repository || w.sha !== sha) continue;
        this.setStatus(d, result === 'success' ? this.ambiguities.startStatus : 'SKIPPED');
      }
    });
  }

  /** `deploymentApprove`: a deployment held for approval goes on as a new one would. */
  approve(d: SimDeployment): void {
    if (d.status !== 'NEEDS_APPROVAL')
      throw new Error('the deployment is not waiting for approval');
    this.setStatus(d, this.ambiguities.startStatus);
  }

  /** A running deployment's process dies for good (Railway does not watch SUCCESS afterwards). */
  crash(d: SimDeployment): void {
    if (d.status !== 'SUCCESS') throw new Error('only a running deployment can crash');
    this.setStatus(d, 'CRASHED');
  }

  /** `deploymentRestart`: the running instances restart; their deploy log says so. */
  restart(d: SimDeployment): void {
    if (!serving.has(d.status) && !(d.status === 'CRASHED' && d.wasActive))
      throw new Error('Deployment is not running');
    const service = this.services.find((s) => s.id === d.serviceId)?.name ?? 'service';
    this.logs.restarted(d, service);
    this.metrics.noteStart(d.environmentId, d.serviceId);
  }

  /**
   * The commit `serviceInstanceDeployV2` deploys: `sha` when the repository has it, else (no sha)
   * the one the service runs now, else the branch head. Undefined: Railway's "Commit not found".
   */
  async findCommit(trigger: SimTrigger, sha?: string): Promise<SimCommit | undefined> {
    if (sha === undefined) {
      const current = this.servingDeployment(trigger.environmentId, trigger.serviceId)?.meta;
      sha = typeof current?.commitHash === 'string' ? current.commitHash : undefined;
    }
    const found = sha
      ? await this.commits.find(trigger.repository, sha)
      : await this.commits.head(trigger.repository, trigger.branch);
    return found ?? (sha ? this.knownCommit(sha) : undefined);
  }

  /** Runs the clock to this deployment's next move (or the soonest move of any); returns those that moved. */
  advance(deploymentId?: string): SimDeployment[] {
    if (deploymentId === undefined) this.volumes.advance();
    const before = new Map(this.deployments.map((d) => [d.id, d.status]));
    const changed = () => this.deployments.filter((d) => before.get(d.id) !== d.status);
    const ours = (d: SimDeployment) => deploymentId === undefined || d.id === deploymentId;
    const canMove = () =>
      deploymentId === undefined ? this.moves.size > 0 : this.moves.has(deploymentId);
    // Timer by timer, so CI finishing before a WAITING one's two-hour timeout wins, as it would.
    for (let i = 0; i < 256 && canMove() && !changed().some(ours); i++) this.clock.step();
    return changed();
  }

  /** Runs the clock until the deployment (or every one) has stopped moving; bounded. */
  settle(deploymentId?: string): void {
    for (let i = 0; i < 64 && this.advance(deploymentId).length > 0; i++);
  }

  setStatus(deployment: SimDeployment, status: SimDeploymentStatus): void {
    this.moves.get(deployment.id)?.timer.cancel();
    this.moves.delete(deployment.id);
    deployment.status = status;
    deployment.statusUpdatedAt = deployment.updatedAt = this.timestamp();
    if (status === 'SUCCESS') this.activate(deployment, false);
    if (status === 'REMOVED') deployment.removedAt = deployment.updatedAt;
    if (status === 'SKIPPED') deployment.skipReason = 'ci';
    this.emit(deployment);
    this.schedule(deployment);
  }

  /** Switches how the service's domains answer in that environment; 'slow' waits `delayMs` first. */
  setHealth(
    environmentName: string,
    serviceName: string,
    health: SimHealth,
    options: { delayMs?: number } = {},
  ): void {
    const env = this.environmentByName(environmentName);
    const service = this.serviceByName(serviceName, env.projectId);
    const delayMs = options.delayMs ?? defaultSlowMs;
    this.health.set(`${env.id}/${service.id}`, { health, delayMs });
  }

  /**
   * Sets the service's process dying and Railway restarting it (false: it stays up again); after
   * its restartPolicyMaxRetries restarts the deployment goes CRASHED, as Railway's does.
   */
  setCrashLoop(
    environmentName: string,
    serviceName: string,
    loop: CrashLoopOptions | false = {},
  ): void {
    const env = this.environmentByName(environmentName);
    const service = this.serviceByName(serviceName, env.projectId);
    if (loop === false) this.crashLoops.stop(env.id, service.id);
    else this.crashLoops.start(env.id, service.id, loop);
  }

  /** Railway's `Deployment.instances`: one per replica, RESTARTING while a crash loop restarts it. */
  instancesOf(d: SimDeployment): { id: string; status: SimInstanceStatus }[] {
    const replicas = this.instanceOf(d.environmentId, d.serviceId)?.numReplicas ?? 1;
    return deploymentInstances(d, replicas, this.crashLoops.isRestarting(d.id));
  }

  healthOf(environmentId: string, serviceId: string): SimHealthSetting {
    return this.health.get(`${environmentId}/${serviceId}`) ?? { health: 'healthy', delayMs: 0 };
  }

  /** The service instance a public domain (Railway's or a custom one) belongs to. */
  instanceByDomain(domain: string): SimServiceInstance | undefined {
    const name = domain.toLowerCase();
    return this.serviceInstances.find(
      (i) => i.serviceDomains.includes(name) || i.customDomains.includes(name),
    );
  }

  onDeploymentChange(listener: (d: SimDeployment) => void): () => void {
    this.events.on('deployment', listener);
    return () => this.events.off('deployment', listener);
  }

  /** A `deployment(id)` subscriber: its deployment's changes, counted as open until it ends. */
  subscribeDeployment(id: string, listener: (d: SimDeployment) => void): () => void {
    const off = this.onDeploymentChange((d) => d.id === id && listener(d));
    this.deploymentSubscribers.push(id);
    this.events.emit('subscriptions');
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      off();
      this.deploymentSubscribers.splice(this.deploymentSubscribers.indexOf(id), 1);
      this.events.emit('subscriptions');
    };
  }

  /** Live `deployment(id)` subscriptions, all or of one deployment. */
  openDeploymentSubscriptions(id?: string): number {
    return this.deploymentSubscribers.filter((d) => id === undefined || d === id).length;
  }

  /** Resolves once `ok(open deployment subscriptions)` holds: now, or at a later (un)subscribe. */
  untilDeploymentSubscriptions(ok: (open: number) => boolean, id?: string): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!ok(this.openDeploymentSubscriptions(id))) return;
        this.events.off('subscriptions', check);
        resolve();
      };
      this.events.on('subscriptions', check);
      check();
    });
  }

  /** Removed after serving, and its image still inside the plan's retention window. */
  canRollback(d: SimDeployment): boolean {
    if (d.status !== 'REMOVED' || !d.succeeded || d.removedAt === null) return false;
    return this.clock.nowMs() - Date.parse(d.removedAt) <= imageRetentionMs[this.plan];
  }

  canRedeploy(d: SimDeployment): boolean {
    return redeployable.has(d.status);
  }

  /** Makes the next volume backup started end in Error, with `message` as its workflow's error. */
  failNextBackup(message?: string): void {
    this.volumes.failNextBackup(message);
  }

  /**
   * The new deployment takes the traffic; what served before drains (REMOVING, then REMOVED).
   * A `seeded` one (the fixture's finished history) replaces the older at once.
   */
  private activate(deployment: SimDeployment, seeded: boolean): void {
    deployment.succeeded = deployment.wasActive = true;
    this.metrics.noteStart(deployment.environmentId, deployment.serviceId);
    const instance = this.instanceOf(deployment.environmentId, deployment.serviceId);
    const domain = instance?.serviceDomains[0];
    deployment.staticUrl = domain ?? null;
    deployment.url = domain ? `https://${domain}` : null;
    for (const old of this.deploymentsOf(deployment.environmentId, deployment.serviceId)) {
      if (old.id === deployment.id) continue;
      if (!serving.has(old.status) && !(old.status === 'CRASHED' && old.wasActive)) continue;
      old.wasActive = false;
      this.setStatus(old, seeded ? 'REMOVED' : 'REMOVING');
    }
  }

  /** An older deployment let run past a newer push does not take the traffic back from it. */
  private newerServes(d: SimDeployment): boolean {
    const serving = this.servingDeployment(d.environmentId, d.serviceId);
    return serving !== undefined && serving !== d && serving.createdAt > d.createdAt;
  }

  /** A newer deployment of the same service: Railway either drops the older in-flight one or lets it run. */
  supersedeFor(environmentId: string, serviceId: string): void {
    if (this.ambiguities.supersede !== 'remove') return;
    for (const d of this.deploymentsOf(environmentId, serviceId))
      if (inFlightStatuses.has(d.status)) this.setStatus(d, 'REMOVED');
  }

  /** How a new deployment starts: held for approval, waiting for CI, skipped by failed CI, or queued. */
  private startStatus(input: NewDeployment): SimDeploymentStatus {
    if (this.instanceOf(input.environmentId, input.serviceId)?.needsApproval)
      return 'NEEDS_APPROVAL';
    return this.ciStatus(input.waitFor);
  }

  /** Where "Wait for CI" puts a deployment of that commit: waiting, skipped, or on its way. */
  private ciStatus(waitFor?: NewDeployment['waitFor']): SimDeploymentStatus {
    const ci = waitFor && this.checks.state(waitFor.repository, waitFor.sha);
    if (ci === 'pending') return 'WAITING';
    if (ci === 'failure') return 'SKIPPED';
    return this.ambiguities.startStatus;
  }

  /** Puts the deployment's next move on the clock; WAITING gets Railway's two-hour timeout. */
  private schedule(d: SimDeployment): void {
    const next =
      d.status === 'WAITING'
        ? { to: 'SKIPPED' as const, afterMs: this.timings.waitingTimeoutMs }
        : nextTransition(d, this.timings);
    if (!next) return;
    const timer = this.clock.after(
      next.afterMs,
      () => {
        this.moves.delete(d.id);
        this.setStatus(d, next.to === 'SUCCESS' && this.newerServes(d) ? 'REMOVED' : next.to);
      },
      `deployment ${d.id.slice(0, 8)} → ${next.to}`,
    );
    this.moves.set(d.id, { timer, at: this.clock.nowMs() + next.afterMs });
  }

  /** A commit some deployment was built from: all a simulator without git knows of. */
  private knownCommit(sha: string): SimCommit | undefined {
    const meta = this.deployments.find((d) => d.meta.commitHash === sha)?.meta;
    if (!meta) return undefined;
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    return { hash: sha, message: text(meta.commitMessage), author: text(meta.commitAuthor) };
  }

  private instanceOf(environmentId: string, serviceId: string): SimServiceInstance | undefined {
    return this.serviceInstances.find(
      (i) => i.environmentId === environmentId && i.serviceId === serviceId,
    );
  }

  private emit(deployment: SimDeployment, created = false): void {
    const service = this.services.find((s) => s.id === deployment.serviceId);
    this.logs.lifecycle(deployment, service?.name ?? 'service', created);
    this.deploymentEvents.record(deployment, created);
    this.events.emit('deployment', deployment);
  }
}

export function gitMeta(repo: string, branch: string, commit: SimCommit): Record<string, unknown> {
  return {
    repo,
    branch,
    commitHash: commit.hash,
    commitMessage: commit.message,
    commitAuthor: commit.author,
  };
}

function newestFirst(a: SimDeployment, b: SimDeployment): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the simulator has no ${what}`);
  return value;
}
