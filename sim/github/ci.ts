// GitHub's CI in the simulators: each pushed head gets a GitHub Actions check suite with one check run, moving queued → in_progress → completed on the SimClock. Railway's "Wait for CI" reads it as CommitChecks.
import type { CiState, CommitChecks } from '../ciChecks';
import type { SimClock, SimTimer } from '../clock';
import { ZERO_SHA, type PushEvent } from '../git/pushEvents';
import { defaultTimings, type SimTimings } from '../timings';

/** How a push's CI ends: `manual` stays in_progress until complete() is called; `absent` runs no workflow. */
export type CiMode = 'pass' | 'fail' | 'manual' | 'absent';
export const ciModes: readonly CiMode[] = ['pass', 'fail', 'manual', 'absent'];

export type CheckStatus = 'queued' | 'in_progress' | 'completed';

/** GitHub's conclusions for a completed check run or suite. */
export type CheckConclusion =
  'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required';

/** Conclusions GitHub counts as passing (a skipped or neutral check does not block a merge). */
const passing: ReadonlySet<CheckConclusion | null> = new Set(['success', 'neutral', 'skipped']);

/** The workflow every push runs (`.github/workflows/ci.yml`) and its one job; GitHub's UI shows `ci / test`. */
export const ciWorkflowName = 'ci';
export const ciJobName = 'test';

export interface CheckRun {
  id: number;
  /** Actions names a job's check run after the job. */
  name: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  /** Set when the run is queued, moved on when a runner picks it up. */
  startedAt: Date;
  completedAt: Date | null;
}

export interface CheckSuite {
  id: number;
  /** `owner/name` */
  repository: string;
  headBranch: string;
  headSha: string;
  /** The branch head before the push (ZERO_SHA for a new branch). */
  before: string;
  /** The Actions workflow run behind the suite: its jobs' pages live under it. */
  workflowRunId: number;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  createdAt: Date;
  updatedAt: Date;
  runs: CheckRun[];
}

export type SettledListener = (
  repository: string,
  sha: string,
  state: 'success' | 'failure',
) => void;

export interface CiStoreOptions {
  clock: SimClock;
  timings?: Pick<SimTimings, 'ciQueuedMs' | 'ciRunMs'>;
  /** Every push's mode unless setMode says otherwise for its repository or branch; `pass` when omitted. */
  mode?: CiMode;
}

/** Where a mode applies: one repository, or one branch of it. */
export interface CiScope {
  repository: string;
  branch?: string;
}

export class CiStore implements CommitChecks {
  readonly clock: SimClock;
  private readonly timings: Pick<SimTimings, 'ciQueuedMs' | 'ciRunMs'>;
  private readonly modes = new Map<string, CiMode>();
  private readonly suites: CheckSuite[] = [];
  private readonly timers = new Map<number, SimTimer>();
  private readonly listeners = new Set<SettledListener>();
  private lastId = 0;

  constructor(options: CiStoreOptions) {
    this.clock = options.clock;
    this.timings = options.timings ?? defaultTimings();
    this.modes.set(scopeKey(), options.mode ?? 'pass');
  }

  /** Sets the mode of later pushes: everywhere, in one repository, or on one branch of it. */
  setMode(mode: CiMode, scope?: CiScope): void {
    this.modes.set(scopeKey(scope), mode);
  }

  /** The most specific mode set for a push to `branch`: branch, then repository, then everywhere. */
  modeFor(repository: string, branch: string): CiMode {
    const modes = this.modes;
    return (
      modes.get(scopeKey({ repository, branch })) ??
      modes.get(scopeKey({ repository })) ??
      modes.get(scopeKey()) ??
      'pass'
    );
  }

  /** What GitHub does at push time, before any webhook leaves: a suite for the head of each pushed branch. */
  receivePush(event: PushEvent): CheckSuite | null {
    if (event.deleted) return null;
    return this.startSuite(`${event.owner}/${event.repo}`, event.branch, event.after, event.before);
  }

  /** A new workflow run on `sha` as pushed to `branch`; null when the branch's mode is `absent`. */
  startSuite(
    repository: string,
    branch: string,
    sha: string,
    before: string = ZERO_SHA,
  ): CheckSuite | null {
    const mode = this.modeFor(repository, branch);
    if (mode === 'absent') return null;
    const suite = this.newSuite(repository, branch, sha, before, this.clock.now());
    this.suites.push(suite);
    const label = `CI ${repository}@${sha.slice(0, 7)} starts`;
    this.timers.set(
      suite.id,
      this.clock.after(this.timings.ciQueuedMs, () => this.begin(suite, mode), label),
    );
    return suite;
  }

  /** CI that ran before the simulators started (a seeded branch head): pushed at `pushedAt`, long completed. */
  recordPast(
    repository: string,
    branch: string,
    sha: string,
    pushedAt: Date,
    conclusion: CheckConclusion = 'success',
  ): CheckSuite {
    const { ciQueuedMs, ciRunMs } = this.timings;
    const suite = this.newSuite(repository, branch, sha, ZERO_SHA, pushedAt);
    this.suites.push(suite);
    const started = new Date(pushedAt.getTime() + ciQueuedMs);
    for (const run of suite.runs) run.startedAt = started;
    this.conclude(suite, conclusion, new Date(started.getTime() + ciRunMs));
    return suite;
  }

  /** Completes every pending run of a commit with `conclusion` (tests, `manual` mode); how many suites it completed. */
  complete(repository: string, sha: string, conclusion: CheckConclusion = 'success'): number {
    const pending = this.suitesOf(repository, sha).filter((s) => s.status !== 'completed');
    for (const suite of pending) this.finish(suite, conclusion);
    return pending.length;
  }

  /** The commit's suites, oldest first (one per push of it, as each push runs the workflow again). */
  suitesOf(repository: string, sha: string): readonly CheckSuite[] {
    return this.suites.filter((s) => s.repository === repository && s.headSha === sha);
  }

  state(repository: string, sha: string): CiState {
    const suites = this.suitesOf(repository, sha);
    if (suites.length === 0) return 'absent';
    if (suites.some((s) => s.status !== 'completed')) return 'pending';
    return suites.every((s) => passing.has(s.conclusion)) ? 'success' : 'failure';
  }

  onSettled(listener: SettledListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private newSuite(
    repository: string,
    branch: string,
    sha: string,
    before: string,
    at: Date,
  ): CheckSuite {
    const run: CheckRun = {
      id: this.nextId(),
      name: ciJobName,
      status: 'queued',
      conclusion: null,
      startedAt: at,
      completedAt: null,
    };
    return {
      id: this.nextId(),
      repository,
      headBranch: branch,
      headSha: sha,
      before,
      workflowRunId: this.nextId(),
      status: 'queued',
      conclusion: null,
      createdAt: at,
      updatedAt: at,
      runs: [run],
    };
  }

  /** A runner picked the job up; `manual` waits there for complete(). */
  private begin(suite: CheckSuite, mode: CiMode): void {
    const now = this.clock.now();
    for (const run of suite.runs) {
      run.status = 'in_progress';
      run.startedAt = now;
    }
    suite.status = 'in_progress';
    suite.updatedAt = now;
    this.timers.delete(suite.id);
    if (mode === 'manual') return;
    const conclusion: CheckConclusion = mode === 'fail' ? 'failure' : 'success';
    const label = `CI ${suite.repository}@${suite.headSha.slice(0, 7)} completes`;
    this.timers.set(
      suite.id,
      this.clock.after(this.timings.ciRunMs, () => this.finish(suite, conclusion), label),
    );
  }

  private finish(suite: CheckSuite, conclusion: CheckConclusion): void {
    this.timers.get(suite.id)?.cancel();
    this.timers.delete(suite.id);
    this.conclude(suite, conclusion, this.clock.now());
    this.settle(suite);
  }

  private conclude(suite: CheckSuite, conclusion: CheckConclusion, at: Date): void {
    for (const run of suite.runs) {
      run.status = 'completed';
      run.conclusion = conclusion;
      run.completedAt = at;
    }
    suite.status = 'completed';
    suite.conclusion = conclusion;
    suite.updatedAt = at;
  }

  /** Tells the listeners once every suite of the commit has completed. */
  private settle(suite: CheckSuite): void {
    const state = this.state(suite.repository, suite.headSha);
    if (state !== 'success' && state !== 'failure') return;
    for (const listener of [...this.listeners]) {
      try {
        listener(suite.repository, suite.headSha, state);
      } catch (error) {
        process.emitWarning(`CI settled listener failed: ${String(error)}`);
      }
    }
  }

  /** One sequence for suites, runs and workflow runs, so an id never names two things. */
  private nextId(): number {
    return 4_000_000_000 + ++this.lastId;
  }
}

function scopeKey(scope?: CiScope): string {
  if (!scope) return '*';
  return scope.branch === undefined ? scope.repository : `${scope.repository} ${scope.branch}`;
}

export function isCiMode(value: unknown): value is CiMode {
  return ciModes.includes(value as CiMode);
}
