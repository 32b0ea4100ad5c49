// The pull request calls promotion through protected branches makes: find or open head → base, poll it cheaply (ETags), read its reviews, merge it at a pinned sha, and read a branch's protection.
import { failure, success, type Outcome, type UpstreamError } from '../upstreamError';
import type { GithubClient } from './githubClient';

/** The fields of a pull request this daemon reads (GET …/pulls/{number}). */
export interface PullRequestJson {
  number: number;
  html_url: string;
  state: 'open' | 'closed';
  title: string;
  merged: boolean;
  merged_at: string | null;
  /** While open: GitHub's test merge, not the commit a merge will make. */
  merge_commit_sha: string | null;
  /** null while GitHub is still computing it. */
  mergeable: boolean | null;
  /** clean, blocked, dirty, unstable, behind, draft, unknown… */
  mergeable_state: string;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  user: { login: string } | null;
}

/** The fields of a review this daemon reads. */
export interface ReviewJson {
  id: number;
  user: { login: string } | null;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING */
  state: string;
  commit_id: string | null;
  submitted_at: string | null;
}

export type PullMergeOutcome =
  | { kind: 'merged'; sha: string }
  /** 409: the head is no longer the pinned sha. */
  | { kind: 'head-moved'; message: string }
  /** 405 naming approving reviews. */
  | { kind: 'needs-review'; message: string }
  /** 405 naming a required status check. */
  | { kind: 'checks'; message: string }
  /** 405 otherwise (conflict, closed). */
  | { kind: 'not-mergeable'; message: string };

/** Reviews come 100 a page; ten pages is far past any real pull request's reviews. */
const perPage = 100;
const maxPages = 10;

const pullsPath = (repo: string) => `/repos/${repo}/pulls`;

/** The open PR head → base (same repository), if any. repo is "owner/name". */
export async function findOpenPull(
  github: GithubClient,
  repo: string,
  head: string,
  base: string,
): Promise<Outcome<PullRequestJson | undefined>> {
  const owner = repo.split('/')[0] ?? '';
  const query = { state: 'open', head: `${owner}:${head}`, base, per_page: perPage };
  const listed = await github.get<{ number: number }[]>(pullsPath(repo), { query });
  if (!listed.ok) return listed;
  const first = Array.isArray(listed.value.data) ? listed.value.data[0] : undefined;
  // The list leaves out mergeability and merge details: the pull request itself has them.
  return first === undefined ? success(undefined) : getPull(github, repo, first.number);
}

/** GitHub's 422 when an open pull request for the same head and base exists. */
function alreadyExists(error: UpstreamError): boolean {
  return error.status === 422 && /A pull request already exists/i.test(error.upstreamMessage ?? '');
}

/** Opens head → base, or returns the open one GitHub says already exists (reused: true). */
export async function openPull(
  github: GithubClient,
  repo: string,
  input: { head: string; base: string; title: string; body: string },
): Promise<Outcome<{ pull: PullRequestJson; reused: boolean }>> {
  const created = await github.request<PullRequestJson>(pullsPath(repo), {
    method: 'POST',
    body: { head: input.head, base: input.base, title: input.title, body: input.body },
  });
  if (created.ok) return success({ pull: created.value.data, reused: false });
  if (!alreadyExists(created.error)) return created;
  const found = await findOpenPull(github, repo, input.head, input.base);
  if (!found.ok) return found;
  // Closed between GitHub's refusal and this read: the refusal is the truest answer left.
  return found.value ? success({ pull: found.value, reused: true }) : created;
}

/** Conditional GET (ETag): polling an unchanged PR costs no rate limit. */
export async function getPull(
  github: GithubClient,
  repo: string,
  number: number,
): Promise<Outcome<PullRequestJson>> {
  const answer = await github.get<PullRequestJson>(`${pullsPath(repo)}/${number}`, {
    conditional: true,
  });
  return answer.ok ? success(answer.value.data) : answer;
}

/** Every review, oldest first (conditional GET). */
export async function listReviews(
  github: GithubClient,
  repo: string,
  number: number,
): Promise<Outcome<ReviewJson[]>> {
  const path = `${pullsPath(repo)}/${number}/reviews`;
  const reviews: ReviewJson[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const query = { per_page: perPage, page };
    const answer = await github.get<ReviewJson[]>(path, { query, conditional: true });
    if (!answer.ok) return answer;
    if (!Array.isArray(answer.value.data))
      return failure({ kind: 'server', message: `GitHub answered GET ${path} without its list.` });
    reviews.push(...answer.value.data);
    if (answer.value.data.length < perPage) break;
  }
  return success(reviews);
}

/**
 * The approvals that count: each reviewer's latest APPROVED/CHANGES_REQUESTED review. A dismissed
 * review stands for nothing, so a reviewer whose approval was dismissed counts neither way.
 */
export function reviewVerdict(reviews: ReviewJson[]): {
  approvedBy: string[];
  changesRequestedBy: string[];
} {
  const latest = new Map<string, string>();
  for (const review of reviews) {
    if (review.user === null || review.state === 'COMMENTED' || review.state === 'PENDING')
      continue;
    latest.set(review.user.login, review.state);
  }
  const by = (state: string) => [...latest].filter(([, s]) => s === state).map(([login]) => login);
  return { approvedBy: by('APPROVED'), changesRequestedBy: by('CHANGES_REQUESTED') };
}

/** GitHub's refusal of a merge, by its status and its own words; undefined for other failures. */
function mergeRefusal(error: UpstreamError): PullMergeOutcome | undefined {
  const message = error.upstreamMessage ?? error.message;
  if (error.status === 409 && /head branch was modified/i.test(message))
    return { kind: 'head-moved', message };
  if (error.status !== 405) return undefined;
  if (/approving review/i.test(message)) return { kind: 'needs-review', message };
  if (/status check/i.test(message)) return { kind: 'checks', message };
  return { kind: 'not-mergeable', message };
}

/** PUT …/merge with merge_method "merge" and the pinned sha. */
export async function mergePull(
  github: GithubClient,
  repo: string,
  number: number,
  input: { sha: string; title: string; message: string },
): Promise<Outcome<PullMergeOutcome>> {
  const body = {
    merge_method: 'merge',
    sha: input.sha,
    commit_title: input.title,
    commit_message: input.message,
  };
  const path = `${pullsPath(repo)}/${number}/merge`;
  const answer = await github.request<{ sha?: unknown }>(path, { method: 'PUT', body });
  if (!answer.ok) {
    const refused = mergeRefusal(answer.error);
    return refused ? success(refused) : answer;
  }
  const sha = answer.value.data?.sha;
  if (typeof sha !== 'string')
    return failure({
      kind: 'server',
      message: `GitHub answered PUT ${path} without the merge's sha.`,
    });
  return success({ kind: 'merged', sha });
}

interface BranchJson {
  protected?: boolean;
  protection?: { required_status_checks?: { contexts?: string[] } };
}

/** GET branch: protected, and the required status checks GitHub shows every reader. */
export async function branchProtection(
  github: GithubClient,
  repo: string,
  branch: string,
): Promise<Outcome<{ protected: boolean; requiredChecks: string[] }>> {
  // GitHub takes a branch's slashes as they are; each segment is escaped on its own.
  const name = branch.split('/').map(encodeURIComponent).join('/');
  const answer = await github.get<BranchJson>(`/repos/${repo}/branches/${name}`);
  if (!answer.ok) return answer;
  const contexts = answer.value.data?.protection?.required_status_checks?.contexts;
  return success({
    protected: answer.value.data?.protected === true,
    requiredChecks: Array.isArray(contexts) ? contexts.filter((c) => typeof c === 'string') : [],
  });
}
