// Demo mode's teammates at work on PR #42: every so often one pushes to its branch through the git
// simulator (Railway hears of it by GitHub's webhook, as of any push), and now and then that deploy
// fails to build or crashes. kars-dev and kars-prod are never pushed: they move only when the user
// pushes, so a promotion's pinned commit and sign-off stay valid.
import type { SimTimer } from './clock';
import { commitAndPush } from './git/gitClient';
import { karsPeople } from './git/karsRepo';
import { karsRepo } from './railway/fixtures';
import type { SimFailure, SimOutcome } from './railway/model';
import type { Simulators } from './server';

/** The branch of PR #42, whose environment is kars-pr-42. */
export const demoPrBranch = 'feature/invoice-export';

/** What schedules the pushes: a SimClock fits (the demo's follows the wall clock; tests advance it). */
export interface LifeTimer {
  after(ms: number, fn: () => void, label?: string): SimTimer;
}

export interface DemoLifeOptions {
  /** The simulators' clock by default. */
  timer?: LifeTimer;
  /** From the start to the first push; 40 s by default. */
  firstMs?: number;
  /** From one push landing to the next; 2 minutes by default. */
  everyMs?: number;
  /** Told of each push once git has taken it (the demo prints a line). */
  onPush?(push: DemoPush): void;
  /** A push that could not be made; the next one is still scheduled. */
  onError?(error: unknown): void;
}

export interface DemoPush {
  /** 1 for the first push. */
  n: number;
  branch: string;
  sha: string;
  message: string;
  author: string;
  /** How its deployments end: SUCCESS, FAILED (at `failure`) or CRASHED after taking over. */
  outcome: SimOutcome;
  failure?: SimFailure;
}

export interface DemoLife {
  /** Resolves once no push is in flight (tests await it after moving the clock). */
  idle(): Promise<void>;
  /** Cancels the next push and waits for one in flight, so no git process outlives it. Safe twice. */
  stop(): Promise<void>;
}

interface Change {
  message: string;
  author: keyof typeof karsPeople;
  exportJs: string;
  outcome: SimOutcome;
  failure?: SimFailure;
}

const csv = (columns: string) =>
  `exports.csv = (invoices) => invoices.map((i) => [${columns}].join(',')).join('\\n');\n`;

/**
 * The work on the branch, round and round: each change differs from the one before it, so every push
 * is a real commit; one build in six fails and one deploy in six crashes.
 */
const changes: Change[] = [
  {
    message: 'Invoice export: quote the customer name',
    author: 'grace',
    exportJs: csv('i.id, JSON.stringify(i.customer), i.total_cents'),
    outcome: 'SUCCESS',
  },
  {
    message: 'Invoice export: add the issue date',
    author: 'katherine',
    exportJs: csv('i.id, JSON.stringify(i.customer), i.total_cents, i.issued_on.toISOString('),
    outcome: 'FAILED',
    failure: 'build',
  },
  {
    message: 'Fix the missing parenthesis in the export',
    author: 'katherine',
    exportJs: csv('i.id, JSON.stringify(i.customer), i.total_cents, i.issued_on.toISOString()'),
    outcome: 'SUCCESS',
  },
  {
    message: 'Invoice export: totals in euros',
    author: 'grace',
    exportJs: csv('i.id, JSON.stringify(i.customer), (i.total_cents / 100).toFixed(2)'),
    outcome: 'SUCCESS',
  },
  {
    message: 'Invoice export: stream large exports',
    author: 'ada',
    exportJs: `exports.csv = (invoices) => require('node:stream').Readable.from(invoices.rows);\n`,
    outcome: 'CRASHED',
  },
  {
    message: 'Revert "Invoice export: stream large exports"',
    author: 'ada',
    exportJs: csv('i.id, i.total_cents'),
    outcome: 'SUCCESS',
  },
];

/** Starts the pushes; nothing runs until the timer fires. */
export function startDemoLife(sims: Simulators, options: DemoLifeOptions = {}): DemoLife {
  const timer = options.timer ?? sims.clock;
  let n = 0;
  let next: SimTimer | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    next = timer.after(ms, () => void fire(), `demo push to ${demoPrBranch}`);
  };
  const fire = () => {
    const change = changes[n % changes.length]!;
    n += 1;
    inFlight = pushChange(sims, change, n)
      .then((push) => options.onPush?.(push))
      .catch((e: unknown) => options.onError?.(e))
      .finally(() => schedule(options.everyMs ?? 120_000));
  };
  schedule(options.firstMs ?? 40_000);
  return {
    idle: () => inFlight,
    stop: () => {
      stopped = true;
      next?.cancel();
      return inFlight;
    },
  };
}

/** One commit pushed over HTTP as a teammate would; its outcome applies to that push alone. */
async function pushChange(sims: Simulators, change: Change, n: number): Promise<DemoPush> {
  if (!sims.repo) throw new Error('the demo needs the kars fixture (it has no repository)');
  const author = karsPeople[change.author];
  // Read while git's push listeners run, so it is back to SUCCESS for anyone pushing after.
  sims.setPushOutcome(karsRepo, demoPrBranch, change.outcome, change.failure);
  try {
    const pushed = await commitAndPush(sims.git, {
      owner: sims.repo.owner,
      repo: sims.repo.repo,
      branch: demoPrBranch,
      files: { 'backend/src/export.js': change.exportJs },
      message: change.message,
      author: { ...author, date: sims.clock.now().toISOString() },
      token: sims.tokens.git,
    });
    const { outcome, failure } = change;
    return {
      n,
      branch: demoPrBranch,
      sha: pushed.sha,
      message: change.message,
      outcome,
      failure,
      author: author.name,
    };
  } finally {
    sims.setPushOutcome(karsRepo, demoPrBranch, 'SUCCESS');
  }
}
