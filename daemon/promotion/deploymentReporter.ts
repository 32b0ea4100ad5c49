// Tells the team, through the promotion's GitHub Deployment, where it stands: a status on each
// transition (in_progress while it holds the target, then success, failure or inactive), and a
// heartbeat while in flight, so a teammate can tell a promotion waiting for a review from one whose
// daemon is gone. It also notices when a teammate took this promotion over, and stops it.
import {
  CANCELLABLE_STATES,
  IN_FLIGHT_STATES,
  type PromotionRecord,
} from '../../protocol/protocol';
import type { Logger } from '../diagnostics/logger';
import type { GithubClient } from '../github/githubClient';
import { listStatuses, postStatus, type DeploymentState } from '../github/githubDeployments';
import { transition } from './promotionRecords';
import type { PromotionStore } from './promotionStore';
import { takenOverBy } from './teamLock';

/** A live daemon reports at least this often; the lock's stale timeout is several of these. */
export const HEARTBEAT_MS = 5 * 60_000;

export interface ReporterDeps {
  store: PromotionStore;
  github(): GithubClient | undefined;
  logger: Logger;
  now(): Date;
}

/** The status a record stands for on GitHub; undefined before it has a deployment. */
export function statusFor(
  record: PromotionRecord,
): { state: DeploymentState; description: string } | undefined {
  if (!record.deployment || record.takenOverBy) return undefined;
  const description = record.summary;
  if (IN_FLIGHT_STATES.includes(record.state)) return { state: 'in_progress', description };
  switch (record.state) {
    case 'succeeded':
      return { state: 'success', description };
    case 'failed':
    case 'rolled-back':
      return { state: 'failure', description };
    default:
      // cancelled, or back to planned/gated after a rejected push: it no longer holds the target.
      return { state: 'inactive', description };
  }
}

/** What a status says, as the record remembers the last one GitHub acknowledged. */
function keyOf(status: { state: DeploymentState; description: string }): string {
  return `${status.state} ${status.description}`;
}

export type TakeOver = 'taken' | 'free' | 'unknown';

export class DeploymentReporter {
  private readonly queue = new Map<string, Promise<void>>();
  /**
   * The take-over status's words, by promotion, and whether it was the newest status when last
   * read: one of ours that landed after it is undone.
   */
  private readonly takeOvers = new Map<string, { words: string; newest: boolean }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ReporterDeps) {}

  /** Called on every change of a record: posts a status when its state or sentence changed. */
  changed(record: PromotionRecord): void {
    const status = statusFor(record);
    if (!status || keyOf(status) === record.deployment!.reported) return;
    this.enqueue(record.id, () => this.post(record.id, false));
  }

  /**
   * Starts the heartbeat; the first beat runs at once, so a resumed daemon says it is back and
   * says again whatever GitHub never acknowledged (a final status lost to a crash or a 5xx).
   */
  start(intervalMs = HEARTBEAT_MS): void {
    this.beat();
    this.timer = setInterval(() => this.beat(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Posted statuses, for tests and shutdown. */
  settled(): Promise<void> {
    return Promise.all([...this.queue.values()]).then(() => undefined);
  }

  /** Whether a teammate took this promotion over; resume uses it before any step runs. */
  async checkTakenOver(id: string): Promise<boolean> {
    return (await this.takeOverState(id)) === 'taken';
  }

  /**
   * Whether a teammate took this promotion over, read from its deployment's statuses: `taken`
   * (the record then says by whom and stops where it is), `free`, or `unknown` when GitHub did not
   * answer, which a step about to change the target must not read as free.
   */
  async takeOverState(id: string): Promise<TakeOver> {
    const record = this.deps.store.get(id);
    const github = this.deps.github();
    if (record?.takenOverBy) return 'taken';
    if (!record?.deployment || !github) return 'free';
    const statuses = await listStatuses(github, record.repo, record.deployment.id);
    if (!statuses.ok) return 'unknown';
    const taken = statuses.value
      .map((s) => ({ s, by: takenOverBy(s.description) }))
      .find((x) => x.by && x.by.promotion !== id);
    if (!taken?.by) return 'free';
    this.takeOvers.set(id, { words: taken.s.description!, newest: statuses.value[0] === taken.s });
    this.stopTakenOver(id, { ...taken.by, at: taken.s.created_at });
    return 'taken';
  }

  private stopTakenOver(id: string, by: { by: string; promotion: string; at: string }): void {
    const record = { promotion: by.promotion, by: by.by, at: by.at };
    const why = `Taken over by ${by.by}'s promotion ${by.promotion} (this daemon had stopped reporting)`;
    this.deps.store.update(id, (r) => {
      const marked = { ...r, takenOverBy: record };
      if (CANCELLABLE_STATES.includes(r.state))
        return transition(
          marked,
          'cancelled',
          this.deps.now(),
          `${why}: nothing of it was pushed.`,
        );
      if (IN_FLIGHT_STATES.includes(r.state))
        return transition(
          marked,
          'failed',
          this.deps.now(),
          `${why}: this daemon no longer follows it.`,
        );
      return marked;
    });
  }

  /** In flight: a heartbeat. Finished: only what GitHub has not acknowledged yet. */
  private beat(): void {
    for (const r of this.deps.store.all()) {
      const status = statusFor(r);
      if (!status) continue;
      const flying = IN_FLIGHT_STATES.includes(r.state);
      if (flying || keyOf(status) !== r.deployment!.reported)
        this.enqueue(r.id, () => this.post(r.id, flying));
    }
  }

  private enqueue(id: string, work: () => Promise<void>): void {
    const next = (this.queue.get(id) ?? Promise.resolve()).then(work).catch((e: unknown) => {
      this.deps.logger.warn('could not report a promotion to GitHub', {
        id,
        error: (e as Error).message,
      });
    });
    this.queue.set(id, next);
  }

  /**
   * Posts the record's status as it is now (a later change may have superseded the one queued),
   * never over a teammate's take-over, and remembers it once GitHub acknowledged it.
   */
  private async post(id: string, heartbeat: boolean): Promise<void> {
    const github = this.deps.github();
    if (!github) return;
    if ((await this.takeOverState(id)) === 'taken') return;
    const record = this.deps.store.get(id)!;
    const status = statusFor(record);
    if (!status) return;
    const key = keyOf(status);
    if (!heartbeat && key === record.deployment!.reported) return;
    const answer = await postStatus(github, record.repo, record.deployment!.id, status);
    if (!answer.ok) {
      // Said again at the next beat: the record still holds the last one acknowledged.
      this.deps.logger.warn('GitHub refused a deployment status', {
        id,
        error: answer.error.message,
      });
      return;
    }
    this.deps.store.update(id, (r) =>
      r.deployment ? { ...r, deployment: { ...r.deployment, reported: key } } : r,
    );
    await this.yieldToTakeOver(id, github);
  }

  /**
   * A teammate's take-over posted between our check and our post is now older than our status,
   * and the team reads a deployment's newest status: it would say this promotion is alive again.
   * So the take-over's own words are posted once more, to stay the last word.
   */
  private async yieldToTakeOver(id: string, github: GithubClient): Promise<void> {
    if ((await this.takeOverState(id)) !== 'taken') return;
    const takeOver = this.takeOvers.get(id);
    const record = this.deps.store.get(id)!;
    if (!takeOver || takeOver.newest || !record.deployment) return;
    const again = await postStatus(github, record.repo, record.deployment.id, {
      state: 'error',
      description: takeOver.words,
    });
    if (!again.ok)
      this.deps.logger.warn('could not restore a take-over as the last status', {
        id,
        error: again.error.message,
      });
  }
}
