// GitHub's pull requests and their reviews in the simulator's memory (the git side, heads and merges, is read from the repository when answering). Not to be confused with sim/pullRequests.ts, which closes Railway's PR environments.
import type { SimClock } from '../clock';
import type { PushEvent } from '../git/pushEvents';
import type { BranchProtections } from './branchProtection';
import type { GithubUser } from './state';

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';

export interface Review {
  id: number;
  user: GithubUser;
  body: string;
  state: ReviewState;
  commitId: string;
  submittedAt: Date;
}

/** GitHub computes mergeability in the background, for one pair of heads at a time. */
export interface Mergeability {
  headSha: string;
  baseSha: string;
  /** The test merge GitHub keeps at refs/pull/N/merge; null when the heads conflict. */
  testMergeSha: string | null;
}

export interface Pull {
  number: number;
  /** `owner/name` */
  repository: string;
  title: string;
  body: string | null;
  draft: boolean;
  user: GithubUser;
  head: string;
  base: string;
  /** The heads when last seen: live while open (the branches), frozen once closed. */
  headSha: string;
  baseSha: string;
  state: 'open' | 'closed';
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  mergedAt: Date | null;
  mergedBy: GithubUser | null;
  mergeCommitSha: string | null;
  mergeability: Mergeability | null;
  reviews: Review[];
}

export type NewPull = Pick<
  Pull,
  'repository' | 'title' | 'body' | 'draft' | 'user' | 'head' | 'base' | 'headSha' | 'baseSha'
>;

export class PullStore {
  private readonly pulls: Pull[] = [];
  /** Pull requests and issues share one sequence of numbers per repository. */
  private readonly lastNumber = new Map<string, number>();
  private lastReviewId = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly protections: BranchProtections,
  ) {}

  create(input: NewPull): Pull {
    const number = (this.lastNumber.get(input.repository) ?? 0) + 1;
    this.lastNumber.set(input.repository, number);
    const now = this.clock.now();
    const pull: Pull = {
      ...input,
      number,
      state: 'open',
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      mergeability: null,
      reviews: [],
    };
    this.pulls.push(pull);
    return pull;
  }

  get(repository: string, number: number): Pull | undefined {
    return this.pulls.find((p) => p.repository === repository && p.number === number);
  }

  /** The repository's pull requests, oldest first. */
  list(repository: string): Pull[] {
    return this.pulls.filter((p) => p.repository === repository);
  }

  findOpen(repository: string, head: string, base: string): Pull | undefined {
    return this.list(repository).find(
      (p) => p.state === 'open' && p.head === head && p.base === base,
    );
  }

  addReview(pull: Pull, review: Omit<Review, 'id' | 'submittedAt'>): Review {
    const full: Review = {
      ...review,
      id: 80_000_000 + ++this.lastReviewId,
      submittedAt: this.clock.now(),
    };
    pull.reviews.push(full);
    return full;
  }

  /** The merge button's end: closed, merged, and the heads frozen where the merge took them. */
  markMerged(pull: Pull, by: GithubUser, mergeCommitSha: string): void {
    const now = this.clock.now();
    Object.assign(pull, { state: 'closed', closedAt: now, mergedAt: now, updatedAt: now });
    Object.assign(pull, { mergedBy: by, mergeCommitSha, mergeability: null });
  }

  /**
   * A push to an open pull request's head branch: with "Dismiss stale pull request approvals"
   * on the base, the approvals given so far are dismissed (change requests stand, as on GitHub).
   */
  receivePush(event: PushEvent): void {
    const repository = `${event.owner}/${event.repo}`;
    for (const pull of this.list(repository)) {
      if (pull.state !== 'open' || pull.head !== event.branch || event.deleted) continue;
      pull.updatedAt = this.clock.now();
      if (!this.protections.get(repository, pull.base)?.dismissStaleReviews) continue;
      for (const review of pull.reviews)
        if (review.state === 'APPROVED') review.state = 'DISMISSED';
    }
  }
}

/** Each reviewer's latest review that approves or requests changes, as GitHub counts them. */
export function standingReviews(reviews: readonly Review[]): Map<string, Review> {
  const latest = new Map<string, Review>();
  for (const review of reviews) {
    if (review.state === 'COMMENTED') continue;
    latest.set(review.user.login, review);
  }
  return latest;
}
