// GitHub's merge button as a route: `PUT /repos/{owner}/{repo}/pulls/{number}/merge`, refused in GitHub's words, or a real merge commit moved onto the base branch and announced like a push.
import { currentHeads, mergeAuthor, mergeCommit, mergedTree } from './pullGit';
import { pullFor } from './pullRoutes';
import { blockersOf } from './pullRules';
import type { Pull } from './pulls';
import type { RepoRef } from './repoRoutes';
import { githubError, type GithubRequest, type GithubResponse, type Route } from './routeTypes';

interface MergeInput {
  title: string | null;
  message: string | null;
  sha: string | null;
  method: string;
}

function mergeInput(body: unknown): MergeInput {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    title: text(b.commit_title),
    message: text(b.commit_message),
    sha: text(b.sha),
    method: text(b.merge_method) ?? 'merge',
  };
}

/**
 * Why GitHub would not merge now, in the order it judges: the method, a closed pull request, a
 * head that moved from the pinned sha, conflicts, then the base branch's protection.
 */
async function refusal(
  req: GithubRequest,
  repo: RepoRef,
  pull: Pull,
  input: MergeInput,
): Promise<GithubResponse | { tree: string }> {
  // The simulated repositories allow merge commits only, as a team protecting its branches may set.
  if (input.method === 'squash')
    return githubError(405, 'Squash merges are not allowed on this repository.');
  if (input.method === 'rebase')
    return githubError(405, 'Rebase merges are not allowed on this repository.');
  if (input.method !== 'merge') return githubError(422, 'Invalid merge_method');
  if (pull.state !== 'open') return githubError(405, 'Pull Request is not mergeable');
  const heads = await currentHeads(repo.path, pull);
  if (input.sha !== null && input.sha !== heads.headSha)
    return githubError(409, 'Head branch was modified. Review and try the merge again.');
  const tree = await mergedTree(repo.path, heads.baseSha, heads.headSha);
  if (tree === null) return githubError(405, 'Pull Request is not mergeable');
  const blockers = blockersOf(req.state, pull, heads.headSha);
  const problem = blockers.reviews ?? blockers.checks;
  return problem === null ? { tree } : githubError(405, problem);
}

async function mergePull(req: GithubRequest): Promise<GithubResponse> {
  const found = await pullFor(req);
  if ('status' in found) return found;
  const { repo, pull } = found;
  const input = mergeInput(req.body);
  const verdict = await refusal(req, repo, pull, input);
  if ('status' in verdict) return verdict;
  const now = req.state.ci.clock.now();
  const title = input.title ?? `Merge pull request #${pull.number} from ${repo.owner}/${pull.head}`;
  const message = `${title}\n\n${input.message ?? pull.title}`;
  const heads = { headSha: pull.headSha, baseSha: pull.baseSha };
  const author = mergeAuthor(req.credential.user, now);
  const sha = await mergeCommit(repo.path, verdict.tree, heads, message, author);
  const update = { newSha: sha, expectedOldSha: heads.baseSha };
  const moved = await req.state.repos?.updateBranch(repo.owner, repo.name, pull.base, update);
  if (!moved) return githubError(409, 'Base branch was modified. Review and try the merge again.');
  req.state.pulls.markMerged(pull, req.credential.user, sha);
  return { status: 200, body: { sha, merged: true, message: 'Pull Request successfully merged' } };
}

export const pullMergeRoutes: Route[] = [
  { method: 'PUT', pattern: '/repos/:owner/:repo/pulls/:number/merge', handle: mergePull },
];
