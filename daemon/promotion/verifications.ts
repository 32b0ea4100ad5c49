// The verifications the daemon is watching: one watch per promotion, started at success and at
// resume, apart from the promotion's steps (a rollback never waits on one), tried again after an
// error while still pending.
import { runVerification, type VerificationDeps } from './verification';

/** The verifications being watched: one at a time per promotion, tried again after an error. */
export class Verifications {
  private readonly watching = new Map<string, Promise<void>>();

  constructor(private readonly deps: VerificationDeps) {}

  /** Starts watching a pending verification, once; nothing when none is pending. */
  start(id: string): void {
    if (this.watching.has(id) || !this.pending(id)) return;
    this.watching.set(
      id,
      this.watch(id).finally(() => this.watching.delete(id)),
    );
  }

  /** For tests and shutdown: the watch of a promotion's verification, if any. */
  settled(id: string): Promise<void> {
    return this.watching.get(id) ?? Promise.resolve();
  }

  /**
   * The view or Railway may not be ready (a daemon resuming at start, a 429 on the tree): the
   * watch is tried again while pending, since a verification left pending would never be decided.
   */
  private async watch(id: string): Promise<void> {
    for (;;) {
      try {
        await runVerification(this.deps, id);
        return;
      } catch (e) {
        this.deps.logger.warn('promotion verification failed; trying again in 5 s', {
          id,
          error: (e as Error).message,
        });
      }
      if (!this.deps.running() || !this.pending(id)) return;
      await this.deps.sleep(5_000);
    }
  }

  private pending(id: string): boolean {
    return this.deps.store.get(id)?.verification?.state === 'pending';
  }
}
