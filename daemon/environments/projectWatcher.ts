// Keeps one project's environments live for every client watching it, at the lowest upstream cost:
// one request per refresh, a `deployment(id)` subscription per in-flight deployment, and one
// adaptive poll (fast while anything is in flight, slow when idle, stopped when nobody watches).
import type { EnvironmentView, HealthView, ProjectView } from '../../protocol/protocol';
import type { RailyardConfig } from '../project/railyardConfig';
import type { RailwayDeployment, RailwayDeploymentStatus } from '../railway/types';
import { codeOf, type Outcome, type UpstreamError } from '../upstreamError';
import {
  buildEnvironmentViews,
  serviceHealthUrl,
  type HealthKey,
  type PromotionCounts,
  type RollbackLookup,
} from './environmentViews';
import { skipReasonFrom } from './skipReasons';
import { TeamWatch, withPromoting, type Promoting, type PromotingSource } from './promotingWatch';
import type { EnvironmentTreeResult } from './treeQuery';

const VOLATILE = new Set(['fetchedAt', 'checkedAt', 'revision']);

/**
 * One counter for every watcher of the daemon: a watcher made anew (after a sign-in, a trust
 * grant) must not start again at 1, or a client keeping the highest revision it saw would keep
 * the old view until the new watcher had changed as often as the old one had.
 */
let lastRevision = 0;

/** Statuses that will change by themselves: each such deployment gets a live subscription. */
export const IN_FLIGHT: readonly RailwayDeploymentStatus[] = [
  'QUEUED',
  'WAITING',
  'NEEDS_APPROVAL',
  'INITIALIZING',
  'BUILDING',
  'DEPLOYING',
  'REMOVING',
];

/**
 * Statuses that keep the poll fast: Railway is working and other services of the same push may
 * still appear. WAITING (CI, up to two hours) and NEEDS_APPROVAL (a person) are left to their
 * subscriptions, so a long CI run does not cost a request every 10 s.
 */
const BUSY: readonly RailwayDeploymentStatus[] = [
  'QUEUED',
  'INITIALIZING',
  'BUILDING',
  'DEPLOYING',
  'REMOVING',
];

/** After a branch head moves, polls come this often until Railway lists the pushed commit. */
const PUSH_POLLS = 40;

export interface PollIntervals {
  /** While a deployment is in flight: new ones may appear (e.g. other services of a push). */
  busyMs: number;
  /** Nothing happening: the budget goal is at most 60 upstream requests an hour. */
  idleMs: number;
  /** Health checks hit the user's own services, not Railway's API. */
  healthMs: number;
  /** Branch heads come from git, not Railway's API: a push is seen within this. */
  headsMs: number;
  /**
   * Right after a push: Railway hears of it by GitHub's webhook some seconds later (or never), so
   * poll this often until a deployment of the pushed commit is listed, at most PUSH_POLLS times.
   */
  pushedMs: number;
}
export const DEFAULT_INTERVALS: PollIntervals = {
  busyMs: 10_000,
  idleMs: 75_000,
  healthMs: 30_000,
  headsMs: 10_000,
  pushedMs: 3_000,
};

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HealthTarget {
  key: HealthKey;
  url: string;
}

export interface WatcherDeps {
  projectId: string;
  link: NonNullable<ProjectView['link']>;
  /** The folder's railyard.json as its trust allows, and what trust set aside. */
  config: () => { config?: RailyardConfig; problem?: string; ignored?: string[] };
  fetchTree(projectId: string): Promise<Outcome<EnvironmentTreeResult>>;
  subscribeDeployment(id: string, onUpdate: (d: RailwayDeployment) => void): () => void;
  checkHealth(url: string): Promise<HealthView>;
  promotionCounts?(envs: EnvironmentView[]): Promise<PromotionCounts>;
  /** `repo#branch` → sha for the trigger branches; a change means a push, so refresh at once. */
  branchHeads?(refs: { repo: string; branch: string }[]): Promise<Map<string, string> | undefined>;
  /** The last build log lines of a deployment, to read why Railway skipped it. */
  buildLogTail?(deploymentId: string): Promise<string[] | undefined>;
  /** Which deployment a rollback made by this daemon restored. */
  rollbacks?: RollbackLookup;
  /** Promotions in flight into the environments, this daemon's and teammates'. */
  promoting?: PromotingSource;
  onView(view: ProjectView): void;
  timers?: Timers;
  intervals?: PollIntervals;
  dashboardUrl?: (projectId: string) => string;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class ProjectWatcher {
  private tree: EnvironmentTreeResult['project'] | undefined;
  private view: ProjectView = { state: 'ready', environments: [] };
  private lastSent = '';
  private revision = 0;
  private readonly health = new Map<string, HealthView>();
  private readonly subscriptions = new Map<string, () => void>();
  private counts: PromotionCounts = new Map();
  private pollTimer: unknown;
  private healthTimer: unknown;
  private headsTimer: unknown;
  private heads: Map<string, string> | undefined;
  /** Pushed `branch@sha`s Railway has not listed a deployment for yet, with the fast polls left. */
  private readonly awaitingPush = new Map<string, { left: number; push: UnstartedPush }>();
  /** Why each skipped deployment was skipped (null: its log does not say), read once each. */
  private readonly skipReasons = new Map<string, string | null>();
  /** Per branch, a push Railway never started a deployment for (a missed webhook, autodeploy off). */
  private readonly unstarted = new Map<string, UnstartedPush>();
  private refreshing: Promise<ProjectView> | undefined;
  private stopped = false;
  private started: Promise<ProjectView> | undefined;
  private lastFailure: UpstreamError | undefined;
  private readonly timers: Timers;
  private readonly intervals: PollIntervals;
  private team: TeamWatch | undefined;
  private stopPromoting: (() => void) | undefined;

  constructor(private readonly deps: WatcherDeps) {
    this.timers = deps.timers ?? realTimers;
    this.intervals = deps.intervals ?? DEFAULT_INTERVALS;
  }

  get current(): ProjectView {
    return this.view;
  }

  /** Why the last refresh failed, while the view is in the `error` state it put it in. */
  get failure(): UpstreamError | undefined {
    return this.view.state === 'error' ? this.lastFailure : undefined;
  }

  /** One upstream request; concurrent callers share it. */
  refresh(): Promise<ProjectView> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /**
   * The user's Refresh: Railway, and teammates' promotions on GitHub at once rather than within
   * the next 30 s. Timed polls, pushes and finished deployments use refresh(), which leaves GitHub
   * to its own slower poll.
   */
  async refreshAll(): Promise<ProjectView> {
    await Promise.all([this.refresh(), this.team?.pollNow()]);
    return this.view;
  }

  /**
   * Starts the timers after the first refresh; safe to call again: every caller gets the first
   * real view, never the empty one a watcher holds before Railway has answered.
   */
  start(): Promise<ProjectView> {
    this.started ??= this.refresh().then((view) => {
      void this.runHealthChecks();
      void this.watchBranchHeads();
      this.watchPromotions();
      return view;
    });
    return this.started.then(() => this.view);
  }

  stop(): void {
    this.stopped = true;
    this.timers.clearTimeout(this.pollTimer);
    this.timers.clearTimeout(this.healthTimer);
    this.timers.clearTimeout(this.headsTimer);
    this.team?.stop();
    this.stopPromoting?.();
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
  }

  private async doRefresh(): Promise<ProjectView> {
    this.timers.clearTimeout(this.pollTimer);
    const result = await this.deps.fetchTree(this.deps.projectId);
    if (this.stopped) return this.view;
    this.lastFailure = result.ok ? undefined : result.error;
    if (result.ok) {
      this.tree = result.value.project;
      this.notePushesListed();
      this.syncSubscriptions();
      this.rebuild();
      void this.readSkipReasons();
      void this.updateCounts();
    } else {
      this.view = {
        ...this.view,
        state: 'error',
        message: result.error.message,
        errorCode: codeOf(result.error.kind),
      };
      this.emit();
    }
    this.schedulePoll(result.ok ? undefined : result.error.retryAfterSeconds);
    return this.view;
  }

  private schedulePoll(retryAfterSeconds?: number): void {
    if (this.stopped) return;
    const busy = this.inFlight().some((d) => BUSY.includes(d.status));
    const base =
      this.awaitingPush.size > 0
        ? this.intervals.pushedMs
        : busy
          ? this.intervals.busyMs
          : this.intervals.idleMs;
    const delay = Math.max(base, (retryAfterSeconds ?? 0) * 1000);
    this.pollTimer = this.timers.setTimeout(() => void this.refresh(), delay);
  }

  private inFlight(): RailwayDeployment[] {
    if (!this.tree) return [];
    return this.tree.environments.edges.flatMap((e) =>
      e.node.serviceInstances.edges.flatMap((s) => {
        const latest = s.node.latestDeployment;
        return latest && IN_FLIGHT.includes(latest.status) ? [latest] : [];
      }),
    );
  }

  /** Stops the fast polls for pushed commits Railway now lists, and for those it never will. */
  private notePushesListed(): void {
    if (!this.tree || (this.awaitingPush.size === 0 && this.unstarted.size === 0)) return;
    // By branch and commit: a promotion pushes a commit dev has long deployed.
    const listed = new Set(
      this.tree.environments.edges.flatMap((e) =>
        e.node.deployments.edges.map((d) => `${d.node.meta?.branch}@${d.node.meta?.commitHash}`),
      ),
    );
    for (const [branch, push] of this.unstarted)
      if (listed.has(`${branch}@${push.sha}`)) this.unstarted.delete(branch);
    for (const [key, wait] of this.awaitingPush) {
      if (listed.has(key)) this.awaitingPush.delete(key);
      else if (wait.left > 1) wait.left -= 1;
      else {
        this.awaitingPush.delete(key);
        this.unstarted.set(wait.push.branch, wait.push);
      }
    }
  }

  /** Reads, once each, the build log of every skipped latest deployment, then shows the reasons. */
  private async readSkipReasons(): Promise<void> {
    const read = this.deps.buildLogTail?.bind(this.deps);
    if (!read || !this.tree) return;
    const skipped = this.tree.environments.edges.flatMap((e) =>
      e.node.serviceInstances.edges.flatMap(({ node }) => {
        const d = node.latestDeployment;
        return d?.status === 'SKIPPED' && !this.skipReasons.has(d.id) ? [d.id] : [];
      }),
    );
    if (!skipped.length) return;
    for (const id of skipped) this.skipReasons.set(id, null);
    const lines = await Promise.all(skipped.map((id) => read(id)));
    if (this.stopped) return;
    skipped.forEach((id, i) => {
      const messages = lines[i];
      if (messages === undefined)
        this.skipReasons.delete(id); // try again on the next refresh
      else this.skipReasons.set(id, skipReasonFrom(messages) ?? null);
    });
    this.rebuild();
  }

  /** A branch head moved: look fast until Railway lists the commit, and forget an older miss. */
  private pushed(ref: string, sha: string): void {
    const branch = ref.slice(ref.indexOf('#') + 1);
    this.unstarted.delete(branch);
    const push = { branch, sha, seenAt: new Date().toISOString() };
    this.awaitingPush.set(`${branch}@${sha}`, { left: PUSH_POLLS, push });
  }

  /** A live subscription for each in-flight deployment; finished ones are dropped. */
  private syncSubscriptions(): void {
    const wanted = new Set(this.inFlight().map((d) => d.id));
    for (const [id, unsubscribe] of this.subscriptions) {
      if (!wanted.has(id)) {
        unsubscribe();
        this.subscriptions.delete(id);
      }
    }
    for (const id of wanted) {
      if (!this.subscriptions.has(id))
        this.subscriptions.set(
          id,
          this.deps.subscribeDeployment(id, (d) => this.onDeployment(d)),
        );
    }
  }

  /** A pushed status change: patch the tree without a request; a finished one refreshes once. */
  private onDeployment(update: RailwayDeployment): void {
    if (!this.tree || this.stopped) return;
    const finished = !IN_FLIGHT.includes(update.status);
    patchDeployment(this.tree, update);
    this.rebuild();
    // WAITING → QUEUED: Railway is working now, so the poll quickens for the rest of the push.
    if (BUSY.includes(update.status) && !finished) {
      this.timers.clearTimeout(this.pollTimer);
      this.schedulePoll();
    }
    // The active deployment and canRollback flags of others change when one finishes.
    if (finished) void this.refresh();
  }

  private rebuild(): void {
    if (!this.tree) return;
    const { config, problem, ignored } = this.deps.config();
    const lookup = (k: HealthKey) => this.health.get(healthKeyString(k));
    this.view = {
      state: 'ready',
      project: {
        id: this.tree.id,
        name: this.tree.name,
        dashboardUrl:
          this.deps.dashboardUrl?.(this.tree.id) ?? `https://railway.com/project/${this.tree.id}`,
      },
      link: this.deps.link,
      configProblem: problem,
      ...(ignored?.length && { ignoredSettings: ignored }),
      environments: withPromoting(
        withSkipReasons(
          withUnstarted(
            buildEnvironmentViews(this.tree, config, lookup, this.counts, this.deps.rollbacks),
            this.unstarted,
          ),
          this.skipReasons,
        ),
        this.deps.promoting?.local(this.deps.projectId) ?? new Map<string, Promoting>(),
        this.team?.current ?? [],
      ),
      fetchedAt: new Date().toISOString(),
    };
    this.emit();
  }

  private emit(): void {
    // Times change on every poll and health check; clients only need a message when something else did.
    const text = JSON.stringify(this.view, (key, value: unknown) =>
      VOLATILE.has(key) ? undefined : value,
    );
    if (text === this.lastSent) {
      this.view = { ...this.view, revision: this.revision };
      return;
    }
    this.lastSent = text;
    this.revision = ++lastRevision;
    this.view = { ...this.view, revision: this.revision };
    this.deps.onView(this.view);
  }

  private async updateCounts(): Promise<void> {
    if (!this.deps.promotionCounts) return;
    const counts = await this.deps.promotionCounts(this.view.environments);
    if (this.stopped) return;
    this.counts = counts;
    this.rebuild();
  }

  private async runHealthChecks(): Promise<void> {
    if (this.stopped) return;
    const targets = healthTargets(this.tree, this.deps.config().config);
    const results = await Promise.all(
      targets.map(
        async (t) => [healthKeyString(t.key), await this.deps.checkHealth(t.url)] as const,
      ),
    );
    if (this.stopped) return;
    for (const [key, view] of results) this.health.set(key, view);
    this.rebuild();
    this.healthTimer = this.timers.setTimeout(
      () => void this.runHealthChecks(),
      this.intervals.healthMs,
    );
  }

  /** Ours change with the journal; teammates' are polled from GitHub while this project is watched. */
  private watchPromotions(): void {
    const source = this.deps.promoting;
    if (!source || this.stopped) return;
    this.stopPromoting = source.onChange(() => this.rebuild());
    const repos = () => [
      ...new Set(this.tree ? triggerBranches(this.tree).map((t) => t.repo) : []),
    ];
    this.team = new TeamWatch(source, repos, () => this.rebuild(), this.timers);
    this.team.start();
  }

  /** A push to a branch Railway deploys from starts deployments: refresh as soon as git shows it. */
  private async watchBranchHeads(): Promise<void> {
    if (this.stopped || !this.deps.branchHeads || !this.tree) return;
    const heads = await this.deps.branchHeads(triggerBranches(this.tree));
    if (this.stopped) return;
    if (heads && this.heads && !sameMap(heads, this.heads)) {
      for (const [ref, sha] of heads) if (this.heads.get(ref) !== sha) this.pushed(ref, sha);
      void this.refresh();
    }
    if (heads) this.heads = heads;
    this.headsTimer = this.timers.setTimeout(
      () => void this.watchBranchHeads(),
      this.intervals.headsMs,
    );
  }
}

type UnstartedPush = NonNullable<EnvironmentView['unstartedPush']>;

/** Adds what the build logs said to each skipped deployment shown. */
function withSkipReasons(
  envs: EnvironmentView[],
  reasons: Map<string, string | null>,
): EnvironmentView[] {
  if (reasons.size === 0) return envs;
  const add = <T extends { id: string } | undefined>(d: T): T => {
    const reason = d ? reasons.get(d.id) : undefined;
    return reason && d ? { ...d, skipReason: reason } : d;
  };
  return envs.map((e) => ({
    ...e,
    services: e.services.map((s) => ({
      ...s,
      latest: add(s.latest),
      active: add(s.active),
      recent: s.recent.map(add),
    })),
  }));
}

/** Marks the environments whose branch got a push Railway has not started a deployment for. */
function withUnstarted(
  envs: EnvironmentView[],
  unstarted: Map<string, UnstartedPush>,
): EnvironmentView[] {
  if (unstarted.size === 0) return envs;
  return envs.map((e) => {
    const push = e.branch ? unstarted.get(e.branch) : undefined;
    return push ? { ...e, unstartedPush: push } : e;
  });
}

function triggerBranches(
  tree: EnvironmentTreeResult['project'],
): { repo: string; branch: string }[] {
  const seen = new Map<string, { repo: string; branch: string }>();
  for (const { node: env } of tree.environments.edges) {
    for (const { node: t } of env.deploymentTriggers.edges)
      seen.set(`${t.repository}#${t.branch}`, { repo: t.repository, branch: t.branch });
  }
  return [...seen.values()];
}

function sameMap(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

export function healthKeyString(k: HealthKey): string {
  return k.serviceId ? `${k.environmentId}/${k.serviceId}` : k.environmentId;
}

/** Each service with a domain and a Railway healthcheck path, plus railyard.json's environment URLs. */
export function healthTargets(
  tree: EnvironmentTreeResult['project'] | undefined,
  config?: RailyardConfig,
): HealthTarget[] {
  if (!tree) return [];
  return tree.environments.edges.flatMap(({ node: env }) => {
    const envUrl = config?.environments?.[env.name]?.healthUrl;
    const services = env.serviceInstances.edges.flatMap(({ node: s }) => {
      const url = serviceHealthUrl(s);
      return url ? [{ key: { environmentId: env.id, serviceId: s.serviceId }, url }] : [];
    });
    return envUrl ? [{ key: { environmentId: env.id }, url: envUrl }, ...services] : services;
  });
}

function patchDeployment(tree: EnvironmentTreeResult['project'], update: RailwayDeployment): void {
  for (const { node: env } of tree.environments.edges) {
    for (const { node: s } of env.serviceInstances.edges) {
      if (s.latestDeployment?.id === update.id)
        s.latestDeployment = { ...s.latestDeployment, ...update };
    }
    for (const edge of env.deployments.edges)
      if (edge.node.id === update.id) edge.node = { ...edge.node, ...update };
  }
}
