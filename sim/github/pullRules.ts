// What stands between a pull request and its merge under the base branch's protection, in GitHub's words, and the mergeable_state GitHub derives from it.
import { approvalsNeeded, requiredChecksProblem } from './branchProtection';
import { standingReviews, type Pull } from './pulls';
import type { GithubState } from './state';

export interface Blockers {
  /** GitHub's 405 sentence about approving reviews, or null when they are enough. */
  reviews: string | null;
  /** GitHub's 405 sentence about required status checks on the head, or null when all passed. */
  checks: string | null;
}

/** Approvals that count: each reviewer's standing review, and none while a change request stands. */
function reviewsProblem(pull: Pull, required: number): string | null {
  if (required === 0) return null;
  const standing = [...standingReviews(pull.reviews).values()];
  const approvals = standing.filter((r) => r.state === 'APPROVED').length;
  const blocked = standing.some((r) => r.state === 'CHANGES_REQUESTED');
  return approvals >= required && !blocked ? null : approvalsNeeded(required);
}

export function blockersOf(state: GithubState, pull: Pull, headSha: string): Blockers {
  const rule = state.protections.get(pull.repository, pull.base);
  if (!rule) return { reviews: null, checks: null };
  const required = rule.requirePullRequest ? rule.requiredApprovingReviews : 0;
  return {
    reviews: reviewsProblem(pull, required),
    checks: requiredChecksProblem(state, pull.repository, headSha, rule.requiredChecks),
  };
}

/** Some check on the head did not pass (required or not). */
function anyFailing(state: GithubState, repository: string, sha: string): boolean {
  return (
    state.ci.state(repository, sha) === 'failure' ||
    state.statuses.combinedState(repository, sha) === 'failure'
  );
}

/** GitHub's mergeable_state once mergeability is known (`unknown` until then). */
export function mergeableState(
  state: GithubState,
  pull: Pull,
  headSha: string,
  mergeable: boolean | null,
): string {
  if (pull.state === 'closed' || mergeable === null) return 'unknown';
  if (pull.draft) return 'draft';
  if (!mergeable) return 'dirty';
  const blockers = blockersOf(state, pull, headSha);
  if (blockers.reviews !== null || blockers.checks !== null) return 'blocked';
  return anyFailing(state, pull.repository, headSha) ? 'unstable' : 'clean';
}
