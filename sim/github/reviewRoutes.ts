// GitHub's pull request review routes: list the reviews (oldest first) and submit one; GitHub refuses approvals and change requests from the pull request's own author.
import { userJson, utc } from './commitRefs';
import { paginate } from './pagination';
import { currentHeads } from './pullGit';
import { pullFor } from './pullRoutes';
import type { Pull, Review, ReviewState } from './pulls';
import type { GithubRequest, GithubResponse, Route } from './routeTypes';

const reviewDocs = 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request';

const stateOfEvent: Record<string, ReviewState> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

/** GitHub's 422 for reviews: a bare "Unprocessable Entity" with its reason as a string in `errors`. */
function unprocessable(reason: string): GithubResponse {
  const body = {
    message: 'Unprocessable Entity',
    errors: [reason],
    documentation_url: reviewDocs,
    status: '422',
  };
  return { status: 422, body };
}

function reviewJson(pull: Pull, review: Review) {
  return {
    id: review.id,
    user: userJson(review.user),
    body: review.body,
    state: review.state,
    commit_id: review.commitId,
    submitted_at: utc(review.submittedAt),
    author_association: 'COLLABORATOR',
    html_url: `https://github.com/${pull.repository}/pull/${pull.number}#pullrequestreview-${review.id}`,
    pull_request_url: `https://api.github.com/repos/${pull.repository}/pulls/${pull.number}`,
  };
}

/** The author may comment on their own pull request, never approve it or request changes on it. */
function ownPullRefusal(state: ReviewState): GithubResponse | null {
  if (state === 'APPROVED') return unprocessable('Can not approve your own pull request');
  if (state === 'CHANGES_REQUESTED')
    return unprocessable('Can not request changes on your own pull request');
  return null;
}

/**
 * `POST .../pulls/{number}/reviews` with an event (this simulator keeps no pending, unsubmitted
 * reviews); the review is of `commit_id`, the head by default.
 */
async function createReview(req: GithubRequest): Promise<GithubResponse> {
  const found = await pullFor(req);
  if ('status' in found) return found;
  const { repo, pull } = found;
  await currentHeads(repo.path, pull);
  const b = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
    string,
    unknown
  >;
  const state = typeof b.event === 'string' ? stateOfEvent[b.event] : undefined;
  if (state === undefined)
    return unprocessable('Event must be one of APPROVE, REQUEST_CHANGES, COMMENT');
  const own = pull.user.login === req.credential.user.login ? ownPullRefusal(state) : null;
  if (own) return own;
  const review = req.state.pulls.addReview(pull, {
    user: req.credential.user,
    body: typeof b.body === 'string' ? b.body : '',
    state,
    commitId: typeof b.commit_id === 'string' ? b.commit_id : pull.headSha,
  });
  return { status: 200, body: reviewJson(pull, review) };
}

/** `GET .../pulls/{number}/reviews`: oldest first, a page at a time. */
async function listReviews(req: GithubRequest): Promise<GithubResponse> {
  const found = await pullFor(req);
  if ('status' in found) return found;
  const { pull } = found;
  const page = paginate(pull.reviews, req.path, req.query);
  return { status: 200, headers: page.headers, body: page.items.map((r) => reviewJson(pull, r)) };
}

export const reviewRoutes: Route[] = [
  { method: 'GET', pattern: '/repos/:owner/:repo/pulls/:number/reviews', handle: listReviews },
  { method: 'POST', pattern: '/repos/:owner/:repo/pulls/:number/reviews', handle: createReview },
];
