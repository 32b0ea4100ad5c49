// Closing a pull request across the simulated world, as GitHub does it: a merge is a real merge
// commit pushed to the base branch (so Railway deploys it like any push), the head branch may be
// deleted by a real push, and Railway deletes the PR's environment when the "closed" webhook lands.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { tokenEnv } from './git/gitClient';
import { gitOut, identityEnv, runGit, type GitIdentity } from './git/gitRun';
import { karsPeople } from './git/karsRepo';
import { pullRequestClosed, prEnvironment } from './railway/environmentLifecycle';
import { karsRepo } from './railway/fixtures';
import type { SimEnvironment } from './railway/model';
import type { Simulators } from './server';

/** The committer of every merge made with GitHub's merge button. */
export const githubCommitter: GitIdentity = { name: 'GitHub', email: 'noreply@github.com' };

export interface ClosePullRequestOptions {
  /** Which repository's pull request; the kars repository by default. */
  repository?: string;
  number: number;
  /** true: merged with GitHub's merge button (a --no-ff merge commit); false: closed unmerged. */
  merge: boolean;
  /**
   * Delete the head branch too: GitHub's "Automatically delete head branches" setting (merged pull
   * requests only, off by default) or the "Delete branch" button. False by default.
   */
  deleteBranch?: boolean;
  /** Who merges or closes it; Ada by default. */
  by?: GitIdentity;
}

export interface ClosedPullRequest {
  /** The PR environment Railway deletes once the webhook arrives (advance the clock `timings.webhookMs`). */
  environment: SimEnvironment;
  /** The merge commit now at the head of the base branch; null when closed unmerged. */
  mergeCommit: string | null;
}

interface PullRequest {
  repository: string;
  number: number;
  title: string;
  head: string;
  base: string;
}

/**
 * Merges or closes the pull request behind a Railway PR environment (the GitHub simulator has no
 * pull requests yet, so its title and branches come from the environment's meta, as Railway got them).
 */
export async function closePullRequest(
  sims: Simulators,
  options: ClosePullRequestOptions,
): Promise<ClosedPullRequest> {
  const pr = pullRequestOf(sims, options.repository ?? karsRepo, options.number);
  const by = { ...(options.by ?? karsPeople.ada), date: sims.clock.now().toISOString() };
  const mergeCommit = await changeBranches(sims, pr, options, by);
  const closing = pullRequestClosed(sims.railway.state, pr.repository, pr.number);
  if (!closing) throw new Error(`pull request #${pr.number} has no Railway environment`);
  return { environment: closing.environment, mergeCommit };
}

function pullRequestOf(sims: Simulators, repository: string, number: number): PullRequest {
  const env = prEnvironment(sims.railway.state, repository, number);
  const meta = env?.meta;
  if (!meta?.branch || !meta.baseBranch)
    throw new Error(`no open pull request #${number} of ${repository} with an environment`);
  return {
    repository,
    number,
    title: meta.prTitle ?? '',
    head: meta.branch,
    base: meta.baseBranch,
  };
}

/** The git side: the merge commit pushed to the base, then the head's deletion. */
async function changeBranches(
  sims: Simulators,
  pr: PullRequest,
  options: ClosePullRequestOptions,
  by: GitIdentity,
): Promise<string | null> {
  return inClone(sims, pr.repository, async (work, auth) => {
    const merged = options.merge ? await mergeAndPush(work, pr, by, auth) : null;
    if (options.deleteBranch === true) await pushDeletion(work, pr.head, auth);
    return merged;
  });
}

/**
 * Deletes a branch with a real push, as GitHub's "Delete branch" button does after a pull request
 * closed; the git server's push listeners see it (Railway deploys nothing for a deletion).
 */
export async function deleteBranch(
  sims: Simulators,
  branch: string,
  repository: string = karsRepo,
): Promise<void> {
  await inClone(sims, repository, (work, auth) => pushDeletion(work, branch, auth));
}

async function pushDeletion(work: string, branch: string, auth: NodeJS.ProcessEnv): Promise<void> {
  await runGit(['push', '--quiet', 'origin', `:refs/heads/${branch}`], { cwd: work, env: auth });
}

/** Runs `work` in a throwaway clone of the repository, the token in git's environment only. */
async function inClone<T>(
  sims: Simulators,
  repository: string,
  work: (dir: string, auth: NodeJS.ProcessEnv) => Promise<T>,
): Promise<T> {
  const [owner = '', name = ''] = repository.split('/');
  const token = sims.git.tokens[0];
  if (token === undefined) throw new Error('the git server has no token to push with');
  const auth = tokenEnv(token);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-pr-'));
  try {
    await runGit(['clone', '--quiet', '--no-tags', sims.git.repoUrl(owner, name), dir], {
      env: auth,
    });
    return await work(dir, auth);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** GitHub's merge button: a --no-ff merge commit by the merger, committed by GitHub, pushed without force. */
async function mergeAndPush(
  work: string,
  pr: PullRequest,
  by: GitIdentity,
  auth: NodeJS.ProcessEnv,
): Promise<string> {
  const [owner = ''] = pr.repository.split('/');
  const message = `Merge pull request #${pr.number} from ${owner}/${pr.head}\n\n${pr.title}`;
  await runGit(['checkout', '--quiet', '-B', pr.base, `refs/remotes/origin/${pr.base}`], {
    cwd: work,
  });
  await runGit(['merge', '--quiet', '--no-ff', '-m', message, `refs/remotes/origin/${pr.head}`], {
    cwd: work,
    env: identityEnv(by, { ...githubCommitter, date: by.date }),
  });
  await runGit(['push', '--quiet', 'origin', `HEAD:refs/heads/${pr.base}`], {
    cwd: work,
    env: auth,
  });
  return gitOut(['rev-parse', 'HEAD'], { cwd: work });
}
