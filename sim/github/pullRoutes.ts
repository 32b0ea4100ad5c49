// GitHub's pull request routes: open one, list them, read one (with mergeability computed in the background, as GitHub does); the merge is in pullMerge.ts, reviews in reviewRoutes.ts.
import { resolveRef } from '../git/repoQueries';
import { minimalRepoJson, userJson, utc } from './commitRefs';
import { paginate } from './pagination';
import { currentHeads, hasNewCommits, testMerge } from './pullGit';
import { mergeableState } from './pullRules';
import type { Pull } from './pulls';
import { isRepo, repoFor, type RepoRef } from './repoRoutes';
import { githubError, type GithubRequest, type GithubResponse, type Route } from './routeTypes';

const createDocs = 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request';

/** GitHub's 422 for a pull request it will not open; `error` is one entry of its `errors`. */
export function pullValidation(error: Record<string, string>): GithubResponse {
  const errors = [{ resource: 'PullRequest', ...error }];
  return {
    status: 422,
    body: { message: 'Validation Failed', errors, documentation_url: createDocs, status: '422' },
  };
}

function fields(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/** `owner:branch` names a branch of the repository itself (forks are not simulated). */
function ownBranch(repo: RepoRef, ref: string): string {
  return ref.startsWith(`${repo.owner}:`) ? ref.slice(repo.owner.length + 1) : ref;
}

interface PullInput {
  title: string;
  head: string;
  base: string;
  body: string | null;
  draft: boolean;
}

function pullInput(repo: RepoRef, body: unknown): PullInput | GithubResponse {
  const b = fields(body);
  for (const field of ['title', 'head', 'base'])
    if (typeof b[field] !== 'string' || b[field] === '')
      return pullValidation({ field, code: 'missing_field' });
  return {
    title: b.title as string,
    head: ownBranch(repo, b.head as string),
    base: b.base as string,
    body: typeof b.body === 'string' ? b.body : null,
    draft: b.draft === true,
  };
}

/** `POST /repos/{owner}/{repo}/pulls`: 201, or GitHub's 422 for a missing branch, a duplicate, or nothing to merge. */
async function createPull(req: GithubRequest): Promise<GithubResponse> {
  const repo = await repoFor(req);
  if (!isRepo(repo)) return repo;
  const input = pullInput(repo, req.body);
  if ('status' in input) return input;
  const repository = `${repo.owner}/${repo.name}`;
  const [headSha, baseSha] = await Promise.all([
    resolveRef(repo.path, `refs/heads/${input.head}`),
    resolveRef(repo.path, `refs/heads/${input.base}`),
  ]);
  if (baseSha === null) return pullValidation({ field: 'base', code: 'invalid' });
  if (headSha === null) return pullValidation({ field: 'head', code: 'invalid' });
  if (req.state.pulls.findOpen(repository, input.head, input.base)) {
    const message = `A pull request already exists for ${repo.owner}:${input.head}.`;
    return pullValidation({ code: 'custom', message });
  }
  if (!(await hasNewCommits(repo.path, baseSha, headSha)))
    return pullValidation({
      code: 'custom',
      message: `No commits between ${input.base} and ${input.head}`,
    });
  const user = req.credential.user;
  const pull = req.state.pulls.create({ ...input, repository, user, headSha, baseSha });
  return {
    status: 201,
    body: { ...listedJson(repo, pull), ...mergeFields(pull, null, 'unknown') },
  };
}

function branchJson(repo: RepoRef, ref: string, sha: string) {
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: { login: repo.owner, type: 'Organization' },
    repo: minimalRepoJson(repo),
  };
}

/** A pull request as GitHub lists it (the list leaves out mergeability and merge details). */
function listedJson(repo: RepoRef, pull: Pull) {
  const date = (d: Date | null) => (d === null ? null : utc(d));
  return {
    url: `https://api.github.com/repos/${pull.repository}/pulls/${pull.number}`,
    id: 500_000_000 + pull.number,
    number: pull.number,
    html_url: `https://github.com/${pull.repository}/pull/${pull.number}`,
    state: pull.state,
    locked: false,
    title: pull.title,
    body: pull.body,
    user: userJson(pull.user),
    draft: pull.draft,
    created_at: utc(pull.createdAt),
    updated_at: utc(pull.updatedAt),
    closed_at: date(pull.closedAt),
    merged_at: date(pull.mergedAt),
    merge_commit_sha: pull.mergeCommitSha ?? pull.mergeability?.testMergeSha ?? null,
    head: branchJson(repo, pull.head, pull.headSha),
    base: branchJson(repo, pull.base, pull.baseSha),
  };
}

function mergeFields(pull: Pull, mergeable: boolean | null, state: string) {
  return {
    merged: pull.mergedAt !== null,
    mergeable,
    mergeable_state: state,
    merged_by: pull.mergedBy && userJson(pull.mergedBy),
  };
}

/**
 * GitHub's background mergeability: the first read after the pull request opened or either head
 * moved answers null (and starts the job, done here before answering); later reads see the result.
 */
async function mergeable(req: GithubRequest, repo: RepoRef, pull: Pull): Promise<boolean | null> {
  if (pull.state === 'closed') return null;
  const heads = await currentHeads(repo.path, pull);
  const known = pull.mergeability;
  if (known && known.headSha === heads.headSha && known.baseSha === heads.baseSha)
    return known.testMergeSha !== null;
  const testMergeSha = await testMerge(repo.path, heads, req.state.ci.clock.now());
  pull.mergeability = { ...heads, testMergeSha };
  return null;
}

/** The pull request a `:number` path names, in a repository the token can see; 404 otherwise. */
export async function pullFor(
  req: GithubRequest,
): Promise<{ repo: RepoRef; pull: Pull } | GithubResponse> {
  const repo = await repoFor(req);
  if (!isRepo(repo)) return repo;
  const number = Number(req.params.number);
  const pull = Number.isInteger(number)
    ? req.state.pulls.get(`${repo.owner}/${repo.name}`, number)
    : undefined;
  return pull ? { repo, pull } : githubError(404, 'Not Found');
}

/** `GET /repos/{owner}/{repo}/pulls/{number}` */
async function getPull(req: GithubRequest): Promise<GithubResponse> {
  const found = await pullFor(req);
  if ('status' in found) return found;
  const { repo, pull } = found;
  const able = await mergeable(req, repo, pull);
  const state = mergeableState(req.state, pull, pull.headSha, able);
  return { status: 200, body: { ...listedJson(repo, pull), ...mergeFields(pull, able, state) } };
}

/** The list's filters: state (open by default), head as `owner:branch`, base. */
function matches(repo: RepoRef, query: URLSearchParams) {
  const state = query.get('state') ?? 'open';
  const head = query.get('head');
  const base = query.get('base');
  return (p: Pull) =>
    (state === 'all' || p.state === state) &&
    (head === null || `${repo.owner}:${p.head}` === head || p.head === head) &&
    (base === null || p.base === base);
}

/** `GET /repos/{owner}/{repo}/pulls`: newest first (`direction=asc` for oldest), a page at a time. */
async function listPulls(req: GithubRequest): Promise<GithubResponse> {
  const repo = await repoFor(req);
  if (!isRepo(repo)) return repo;
  const all = req.state.pulls.list(`${repo.owner}/${repo.name}`).filter(matches(repo, req.query));
  if (req.query.get('direction') !== 'asc') all.reverse();
  for (const pull of all) await currentHeads(repo.path, pull);
  const page = paginate(all, req.path, req.query);
  return { status: 200, headers: page.headers, body: page.items.map((p) => listedJson(repo, p)) };
}

export const pullRoutes: Route[] = [
  { method: 'POST', pattern: '/repos/:owner/:repo/pulls', handle: createPull },
  { method: 'GET', pattern: '/repos/:owner/:repo/pulls', handle: listPulls },
  { method: 'GET', pattern: '/repos/:owner/:repo/pulls/:number', handle: getPull },
];
