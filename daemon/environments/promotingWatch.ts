// "promoting (ada, 3 min)" on an environment's row: the promotion in flight into it, this
// daemon's own (from its journal) or a teammate's (Railyard's GitHub Deployments, polled while
// someone watches the project; conditional requests make an unchanged poll free).
import type { EnvironmentView, TeamPromotion } from '../../protocol/protocol';
import type { Timers } from './projectWatcher';

export type Promoting = NonNullable<EnvironmentView['promoting']>;

/** Where the watcher learns of promotions; the promotion service fills it in once it exists. */
export interface PromotingSource {
  /** This daemon's promotions in flight into the project's environments, by environment id. */
  local(projectId: string): Map<string, Promoting>;
  /** Teammates' promotions in a repository (in progress and stale ones); undefined when unknown. */
  team(repo: string): Promise<TeamPromotion[] | undefined>;
  /** Called when a local promotion enters or leaves flight. */
  onChange(listener: () => void): () => void;
}

/** How often teammates' promotions are looked for while the project is watched. */
export const TEAM_POLL_MS = 30_000;

/** Marks each environment with the promotion into it: ours first, else a teammate's. */
export function withPromoting(
  envs: EnvironmentView[],
  local: Map<string, Promoting>,
  team: TeamPromotion[],
): EnvironmentView[] {
  if (local.size === 0 && team.length === 0) return envs;
  return envs.map((e) => {
    const mine = local.get(e.id);
    if (mine) return { ...e, promoting: mine };
    const theirs = team.find(
      (t) => t.to === e.name && (t.state === 'in-progress' || t.state === 'stale'),
    );
    return theirs ? { ...e, promoting: teamPromoting(theirs) } : e;
  });
}

function teamPromoting(t: TeamPromotion): Promoting {
  return {
    id: t.id,
    // The login fits a narrow sidebar; the machine is for the tooltip.
    by: t.by,
    ...(t.machine && { machine: t.machine }),
    since: t.startedAt,
    from: t.from,
    mine: false,
    stale: t.state === 'stale',
    ...(t.url && { url: t.url }),
  };
}

/** Polls the teammates' promotions of the repositories a project deploys from. */
export class TeamWatch {
  private promotions: TeamPromotion[] = [];
  private timer: unknown;
  private looking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly source: PromotingSource,
    private readonly repos: () => string[],
    private readonly changed: () => void,
    private readonly timers: Timers = unrefTimers,
    private readonly intervalMs = TEAM_POLL_MS,
  ) {}

  get current(): TeamPromotion[] {
    return this.promotions;
  }

  start(): void {
    void this.pollNow();
  }

  stop(): void {
    this.stopped = true;
    this.timers.clearTimeout(this.timer);
  }

  /**
   * Looks at once (the user's Refresh), or joins the look under way: two looks at once would
   * cost GitHub requests twice and could land out of order. The next timed look comes a full
   * interval after this one ends.
   */
  pollNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.looking ??= this.look().finally(() => {
      this.looking = undefined;
      this.schedule();
    });
    return this.looking;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => void this.pollNow(), this.intervalMs);
  }

  private async look(): Promise<void> {
    const found = await Promise.all(
      this.repos().map((r) => this.source.team(r).catch(() => undefined)),
    );
    if (this.stopped) return;
    // A failed look keeps what was known: a row must not flicker on one lost request.
    if (!found.every((f) => f !== undefined)) return;
    const next = found.flat().filter((t) => t.state === 'in-progress' || t.state === 'stale');
    if (JSON.stringify(next) === JSON.stringify(this.promotions)) return;
    this.promotions = next;
    this.changed();
  }
}

/** The daemon's own timers must not keep it alive once nothing else does. */
const unrefTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
