// What GitHub reports on one commit: its check runs (GitHub Apps such as Actions) and the newest
// commit status of each context (the older API, and QA's sign-off), every page of each.
import { failure, success, type Outcome } from '../upstreamError';
import type { GithubClient } from './githubClient';

/** The fields of a check run this daemon reads. */
export interface CheckRunJson {
  id: number;
  name: string;
  /** queued, in_progress, completed; also waiting, requested, pending for deployment protection. */
  status: string;
  /** Set once completed: success, failure, neutral, cancelled, skipped, timed_out, action_required, stale… */
  conclusion: string | null;
  html_url: string | null;
  details_url?: string | null;
}

/** The fields of a commit status this daemon reads. */
export interface CommitStatusJson {
  id: number;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  target_url: string | null;
  created_at: string;
  creator: { login: string; id: number } | null;
}

interface CheckRunsPage {
  total_count: number;
  check_runs: CheckRunJson[];
}

interface CombinedStatusPage {
  state: string;
  total_count: number;
  statuses: CommitStatusJson[];
}

/** GitHub keeps at most 1,000 check runs of a name per suite; ten full pages is far past real use. */
const maxPages = 10;
const perPage = 100;

/** The newest check run of each name on `sha` (GitHub's default `filter=latest`). */
export function listCheckRuns(
  client: GithubClient,
  repo: string,
  sha: string,
  signal?: AbortSignal,
): Promise<Outcome<CheckRunJson[]>> {
  return allPages<CheckRunsPage, CheckRunJson>(
    client,
    `/repos/${repo}/commits/${sha}/check-runs`,
    (page) => listOf(page?.check_runs, page?.total_count),
    signal,
  );
}

/** The newest status of each context on `sha`, from GitHub's combined status. */
export function latestStatuses(
  client: GithubClient,
  repo: string,
  sha: string,
  signal?: AbortSignal,
): Promise<Outcome<CommitStatusJson[]>> {
  return allPages<CombinedStatusPage, CommitStatusJson>(
    client,
    `/repos/${repo}/commits/${sha}/status`,
    (page) => listOf(page?.statuses, page?.total_count),
    signal,
  );
}

function listOf<T>(items: T[] | undefined, total: number | undefined) {
  return Array.isArray(items) ? { items, total: total ?? items.length } : undefined;
}

/** Reads page after page until `total_count` items are in hand, a page comes back short, or the cap. */
async function allPages<P, T>(
  client: GithubClient,
  path: string,
  pick: (page: P | undefined) => { items: T[]; total: number } | undefined,
  signal: AbortSignal | undefined,
): Promise<Outcome<T[]>> {
  const items: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const answer = await client.get<P>(path, { query: { per_page: perPage, page }, signal });
    if (!answer.ok) return answer;
    const got = pick(answer.value.data);
    // A body without the list is no answer at all: saying "no CI" from it would mislead.
    if (!got)
      return failure({ kind: 'server', message: `GitHub answered GET ${path} without its list.` });
    items.push(...got.items);
    if (got.items.length < perPage || items.length >= got.total) break;
  }
  return success(items);
}
