// Branch moves on the git server: work on a repository runs under its lock so push snapshots never interleave, and every move is announced to the push listeners, whether git pushed it or GitHub made it (a merge).
import { runGit } from './gitRun';
import { branchHeads, pushEventsBetween, type BranchHeads, type PushEvent } from './pushEvents';

/** Called once per updated branch, after the refs moved and before git's push request completes. */
export type PushListener = (event: PushEvent) => void | Promise<void>;

/** The part of the server's runtime that branch moves share. */
export interface BranchMoves {
  listeners: Set<PushListener>;
  locks: Map<string, Promise<unknown>>;
}

export interface RepoOnDisk {
  owner: string;
  repo: string;
  /** The bare repository. */
  dir: string;
}

/** Runs work on one repository after the previous work on it finished, so push snapshots don't interleave. */
export function withLock<T>(moves: BranchMoves, key: string, work: () => Promise<T>): Promise<T> {
  const previous = moves.locks.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  moves.locks.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}

export async function announce(moves: BranchMoves, events: PushEvent[]): Promise<void> {
  for (const event of events) {
    for (const listener of [...moves.listeners]) {
      try {
        await listener(event);
      } catch (error) {
        process.emitWarning(`git server push listener failed: ${String(error)}`);
      }
    }
  }
}

/** The push events between a snapshot of the heads and the heads now. */
export async function eventsSince(t: RepoOnDisk, before: BranchHeads): Promise<PushEvent[]> {
  const after = await branchHeads(t.dir);
  return pushEventsBetween(t.dir, { owner: t.owner, repo: t.repo }, before, after);
}

/**
 * GitHub's own branch update (a merge): no hooks and no protection, a compare-and-swap on the ref
 * under the push lock, then the same announcement as a push. False when the branch had moved.
 */
export async function updateBranch(
  moves: BranchMoves,
  t: RepoOnDisk,
  branch: string,
  update: { newSha: string; expectedOldSha: string },
): Promise<boolean> {
  const events = await withLock(moves, t.dir, async () => {
    const before = await branchHeads(t.dir);
    const ref = `refs/heads/${branch}`;
    const args = ['update-ref', '-m', 'merge', ref, update.newSha, update.expectedOldSha];
    const moved = await runGit(args, { cwd: t.dir, okExitCodes: [0, 1, 128] });
    return moved.exitCode === 0 ? eventsSince(t, before) : null;
  });
  if (events === null) return false;
  await announce(moves, events);
  return true;
}
