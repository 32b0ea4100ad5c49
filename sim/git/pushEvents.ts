// Turns the branch heads before and after a receive-pack into GitHub-style push events, one per branch.
import { runGit } from './gitRun';
import { listBranches, logCommits, type CommitInfo } from './repoQueries';

/** The sha GitHub puts in `before` for a new branch and in `after` for a deleted one. */
export const ZERO_SHA = '0'.repeat(40);

export interface PushEvent {
  owner: string;
  repo: string;
  branch: string;
  before: string;
  after: string;
  /** Commits the push brought to this branch that no branch had before, newest first. */
  commits: CommitInfo[];
  created: boolean;
  deleted: boolean;
  /** The old head is not in the new history: someone force-pushed. */
  forced: boolean;
}

export type BranchHeads = Map<string, string>;

export async function branchHeads(repoPath: string): Promise<BranchHeads> {
  return new Map((await listBranches(repoPath)).map((b) => [b.name, b.sha]));
}

async function isAncestor(repoPath: string, ancestor: string, of: string): Promise<boolean> {
  const result = await runGit(['merge-base', '--is-ancestor', ancestor, of], {
    cwd: repoPath,
    okExitCodes: [0, 1],
  });
  return result.exitCode === 0;
}

/** New commits: for an updated branch those since its old head, for a new one those no old branch had. */
async function newCommits(
  repoPath: string,
  before: string,
  after: string,
  oldHeads: BranchHeads,
): Promise<CommitInfo[]> {
  if (after === ZERO_SHA) return [];
  const known = before === ZERO_SHA ? [...new Set(oldHeads.values())] : [before];
  return logCommits(repoPath, known.length > 0 ? [after, '--not', ...known] : [after]);
}

/** Every branch whose head changed between the two snapshots, in branch-name order. */
export async function pushEventsBetween(
  repoPath: string,
  where: { owner: string; repo: string },
  oldHeads: BranchHeads,
  newHeads: BranchHeads,
): Promise<PushEvent[]> {
  const names = [...new Set([...oldHeads.keys(), ...newHeads.keys()])].sort();
  const events: PushEvent[] = [];
  for (const branch of names) {
    const before = oldHeads.get(branch) ?? ZERO_SHA;
    const after = newHeads.get(branch) ?? ZERO_SHA;
    if (before === after) continue;
    const created = before === ZERO_SHA;
    const deleted = after === ZERO_SHA;
    const forced = !created && !deleted && !(await isAncestor(repoPath, before, after));
    const commits = await newCommits(repoPath, before, after, oldHeads);
    events.push({ ...where, branch, before, after, commits, created, deleted, forced });
  }
  return events;
}
