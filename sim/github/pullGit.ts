// The git work behind pull requests, done in the bare repository as GitHub does it: the heads as they stand, the background test merge, and the merge button's merge commit.
import { gitOut, identityEnv, runGit, type GitIdentity } from '../git/gitRun';
import { resolveRef } from '../git/repoQueries';
import { utc } from './commitRefs';
import type { Pull } from './pulls';
import type { GithubUser } from './state';

/** GitHub's web-flow identity, the committer of every merge it makes. */
export const githubCommitter = { name: 'GitHub', email: 'noreply@github.com' };

/** An open pull request follows its branches; a closed one keeps the heads it closed with. */
export async function currentHeads(
  repoPath: string,
  pull: Pull,
): Promise<{ headSha: string; baseSha: string }> {
  if (pull.state === 'open') {
    const [head, base] = await Promise.all([
      resolveRef(repoPath, `refs/heads/${pull.head}`),
      resolveRef(repoPath, `refs/heads/${pull.base}`),
    ]);
    pull.headSha = head ?? pull.headSha;
    pull.baseSha = base ?? pull.baseSha;
  }
  return { headSha: pull.headSha, baseSha: pull.baseSha };
}

/** The merged tree of base and head, or null when they conflict. */
export async function mergedTree(
  repoPath: string,
  baseSha: string,
  headSha: string,
): Promise<string | null> {
  const merged = await runGit(['merge-tree', '--write-tree', baseSha, headSha], {
    cwd: repoPath,
    okExitCodes: [0, 1],
  });
  return merged.exitCode === 0 ? (merged.stdout.split('\n')[0] ?? null) : null;
}

/** Does head bring commits base lacks? (GitHub refuses a pull request that would not.) */
export async function hasNewCommits(repoPath: string, baseSha: string, headSha: string) {
  const count = await gitOut(['rev-list', '--count', headSha, '--not', baseSha], { cwd: repoPath });
  return Number(count) > 0;
}

interface CommitInput {
  tree: string;
  parents: [string, string];
  message: string;
  author: GitIdentity;
}

async function commitTree(repoPath: string, input: CommitInput): Promise<string> {
  const parents = input.parents.flatMap((p) => ['-p', p]);
  return gitOut(['commit-tree', input.tree, ...parents, '-m', input.message], {
    cwd: repoPath,
    env: identityEnv(input.author, { ...githubCommitter, date: input.author.date }),
  });
}

/** GitHub's test merge of a pull request (refs/pull/N/merge): the sha `merge_commit_sha` shows while open. */
export async function testMerge(
  repoPath: string,
  heads: { headSha: string; baseSha: string },
  now: Date,
): Promise<string | null> {
  const tree = await mergedTree(repoPath, heads.baseSha, heads.headSha);
  if (tree === null) return null;
  const message = `Merge ${heads.headSha} into ${heads.baseSha}`;
  const author = { ...githubCommitter, date: utc(now) };
  return commitTree(repoPath, { tree, parents: [heads.baseSha, heads.headSha], message, author });
}

/** The author GitHub writes for the merging user: their name and public email, else the noreply address. */
export function mergeAuthor(user: GithubUser, now: Date): GitIdentity {
  const email = user.email ?? `${user.id}+${user.login}@users.noreply.github.com`;
  return { name: user.name ?? user.login, email, date: utc(now) };
}

/** The merge button's commit: base head first, then the pull request's head. */
export function mergeCommit(
  repoPath: string,
  tree: string,
  heads: { headSha: string; baseSha: string },
  message: string,
  author: GitIdentity,
): Promise<string> {
  return commitTree(repoPath, { tree, parents: [heads.baseSha, heads.headSha], message, author });
}
