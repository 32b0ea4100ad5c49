// Reverts on the target, read from commit messages: which promotion a merge was, which commit a
// revert undoes, and which reverts still hold changes out. Git counts a reverted commit as merged,
// so promoting the same source again brings none of its changes back: only reverting the revert does.
import type { GitMirror, MirrorCommit } from './gitMirror';

/** A revert on the target whose changes are still out (nobody reverted the revert since). */
export interface OpenRevert {
  /** The revert commit, on the target only. */
  revert: string;
  /**
   * The commit whose changes it takes out. Through a chain (revert, reapply, revert again) this is
   * the original, e.g. the promotion's merge, not the reapply the last revert undid.
   */
  reverted: string;
  /** The Railyard promotion whose merge `reverted` is, from its trailer. */
  promotion?: string;
  /** The revert's subject and author, for the gate's evidence. */
  subject: string;
  author: string;
}

// mergeMessage's last line (promotionSteps.ts); the id is whatever the engine put there.
const TRAILER = /^Promoted with Railyard \(promotion ([^\s()]+)\)\.$/m;
// `git revert` writes "This reverts commit <sha>." or, for a merge with -m,
// "This reverts commit <sha>, reversing\nchanges made to <parent>."
const REVERTS = /^This reverts commit ([0-9a-f]{40}(?:[0-9a-f]{24})?)[.,]/m;

/** The promotion id from a Railyard merge's trailer line. */
export function promotionOfMerge(message: string): string | undefined {
  return TRAILER.exec(message)?.[1];
}

/** The commit a revert undoes, from git's "This reverts commit <sha>." line. */
export function revertedSha(message: string): string | undefined {
  return REVERTS.exec(message)?.[1];
}

/**
 * Git's own revert message: `Revert "<subject>"`, a blank line, `This reverts commit <sha>.`, then
 * `extra` as a paragraph of its own (Railyard's trailer), so git tools and revertedSha read it alike.
 */
export function revertMessage(subject: string, sha: string, extra?: string): string {
  const body = `Revert "${subject}"\n\nThis reverts commit ${sha}.`;
  return extra ? `${body}\n\n${extra}` : body;
}

/** What the target-only commits say about reverts: the open ones, and every commit in a chain. */
export interface RevertReading {
  /** Oldest first. */
  open: OpenRevert[];
  /** Target-only commits explained by reverts: the reverts, their reapplies, the reverted commits. */
  involved: Set<string>;
}

interface Walk {
  mirror: GitMirror;
  target: string;
  /** The target-only commits, by sha. */
  targetOnly: Map<string, MirrorCommit>;
  open: Map<string, OpenRevert>;
  /** Reapplies (reverts of an open revert) still standing, by sha → the original reverted commit. */
  reapplied: Map<string, string>;
  involved: Set<string>;
}

/**
 * Reads the reverts among the target's commits the source lacks, oldest first. A revert of a
 * commit only the target has that is not a merge (a hotfix undone) is no open revert: the source
 * never had those changes, so nothing is held out of it.
 */
export async function readReverts(
  mirror: GitMirror,
  source: string,
  target: string,
): Promise<RevertReading> {
  const commits = (await mirror.commitsBetween(source, target)).reverse();
  const walk: Walk = {
    mirror,
    target,
    targetOnly: new Map(commits.map((c) => [c.sha, c])),
    open: new Map(),
    reapplied: new Map(),
    involved: new Set(),
  };
  for (const commit of commits) {
    const reverted = revertedSha(await mirror.message(commit.sha));
    if (reverted) await step(walk, commit, reverted);
  }
  return { open: [...walk.open.values()], involved: walk.involved };
}

/** The open reverts on `target` among the commits `source` lacks, oldest first (see readReverts). */
export async function findOpenReverts(
  mirror: GitMirror,
  source: string,
  target: string,
): Promise<OpenRevert[]> {
  return (await readReverts(mirror, source, target)).open;
}

/** One revert, in history order: it reapplies an open revert, re-reverts a reapply, or opens one. */
async function step(walk: Walk, commit: MirrorCommit, reverted: string): Promise<void> {
  const undone = walk.open.get(reverted);
  const reapply = walk.reapplied.get(reverted);
  if (undone) {
    walk.open.delete(reverted);
    walk.reapplied.set(commit.sha, undone.reverted);
  } else if (reapply) {
    walk.reapplied.delete(reverted);
    walk.open.set(commit.sha, await openRevert(walk, commit, reapply));
  } else if (await holdsSourceChanges(walk, reverted, walk.target)) {
    walk.open.set(commit.sha, await openRevert(walk, commit, reverted));
  } else return;
  walk.involved.add(commit.sha).add(reverted);
}

async function openRevert(walk: Walk, commit: MirrorCommit, reverted: string): Promise<OpenRevert> {
  const promotion = promotionOfMerge(await walk.mirror.message(reverted));
  return {
    revert: commit.sha,
    reverted,
    ...(promotion !== undefined && { promotion }),
    subject: commit.message,
    author: commit.author,
  };
}

/**
 * Whether reverting `sha` took out changes the source has: a merge only the target has (a
 * promotion's, which brought the source's commits), or a commit of their shared history. Not a
 * hotfix only the target had, nor a revert the source already has (undoing it puts changes back).
 */
async function holdsSourceChanges(walk: Walk, sha: string, target: string): Promise<boolean> {
  if (walk.targetOnly.has(sha)) return isMerge(walk.mirror, sha);
  // A revert line may name a commit this history lacks (a squashed branch that reverted its own
  // commit, since deleted): no revert of anything on the target, and no reason to stop the gate.
  if (!(await walk.mirror.isAncestor(sha, target).catch(() => false))) return false;
  return revertedSha(await walk.mirror.message(sha)) === undefined;
}

/** A merge brings commits its first parent lacks; a plain commit brings only itself. */
async function isMerge(mirror: GitMirror, sha: string): Promise<boolean> {
  return (await mirror.commitsBetween(`${sha}^1`, sha)).length > 1;
}
