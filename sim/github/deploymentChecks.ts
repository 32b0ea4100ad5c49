// What GitHub checks before it creates a deployment: that the commit's status contexts are green (required_contexts), and that a branch is not behind the default branch (auto_merge).
import { gitOut } from '../git/gitRun';
import { mergeBranches, resolveRef } from '../git/repoQueries';
import type { CheckRun, CheckSuite } from './ci';
import type { CommitRef } from './commitRefs';
import { githubError, type GithubResponse } from './routeTypes';
import type { GithubState } from './state';

type ContextState = 'success' | 'failure' | 'error' | 'pending' | 'missing';

/**
 * 409 unless every required context's newest state is success. Contexts are commit statuses and
 * check runs (by name), as GitHub verifies both; `required` undefined means every context the
 * commit has, so a commit with none passes. A required context the commit lacks fails as `missing`
 * (GitHub's exact word for that case is not documented).
 */
export function verifyContexts(
  state: GithubState,
  commit: CommitRef,
  ref: string,
  required: string[] | undefined,
): GithubResponse | null {
  const found = contextsOf(state, commit);
  const wanted = required ?? [...found.keys()];
  const contexts = wanted.map((context) => ({ context, state: found.get(context) ?? 'missing' }));
  if (contexts.every((c) => c.state === 'success')) return null;
  const answer = githubError(409, `Conflict: Commit status checks failed for ${ref}.`);
  const error = { contexts, resource: 'Deployment', field: 'required_contexts', code: 'invalid' };
  return { ...answer, body: { ...(answer.body as object), errors: [error] } };
}

/** The newest state of each context: statuses by context, then check runs by name. */
function contextsOf(state: GithubState, commit: CommitRef): Map<string, ContextState> {
  const found = new Map<string, ContextState>();
  for (const s of state.statuses.latestPerContext(commit.repository, commit.sha))
    found.set(s.context, s.state);
  const suites = state.ci.suitesOf(commit.repository, commit.sha);
  for (const suite of suites)
    for (const run of suite.runs) found.set(run.name, runState(suite, run));
  return found;
}

function runState(suite: CheckSuite, run: CheckRun): ContextState {
  if (suite.status !== 'completed' || run.conclusion === null) return 'pending';
  return ['success', 'neutral', 'skipped'].includes(run.conclusion) ? 'success' : 'failure';
}

/**
 * GitHub's auto_merge: a branch ref behind the default branch gets the default branch merged in,
 * and GitHub answers 202 without a deployment (the caller deploys the merge later), or 409 when
 * the merge conflicts. A sha, a tag, the default branch itself, or a branch already containing it
 * needs nothing (null). The merge moves the branch server-side: like any change not made by a git
 * push, the simulators' push listeners (CI, Railway's webhook) do not hear of it.
 */
export async function autoMerge(repoPath: string, ref: string): Promise<GithubResponse | null> {
  const branch = await resolveRef(repoPath, `refs/heads/${ref}`);
  if (branch === null) return null;
  const base = await gitOut(['symbolic-ref', '--short', 'HEAD'], { cwd: repoPath });
  if (base === ref) return null;
  const merged = await mergeBranches(
    repoPath,
    ref,
    `refs/heads/${base}`,
    `Auto-merged ${base} into ${ref} on deployment.`,
  );
  if ('conflict' in merged) return githubError(409, `Conflict merging ${base} into ${ref}.`);
  if ('missing' in merged || merged.upToDate) return null;
  const message = `Auto-merged ${base} into ${ref} on deployment.`;
  return { status: 202, body: { message } };
}
