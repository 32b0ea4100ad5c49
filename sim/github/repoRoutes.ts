// GitHub's repository, branch and compare routes, answered from the git server's bare repositories in GitHub's shapes.
import { gitOut } from '../git/gitRun';
import {
  commitInfo,
  compare,
  logCommits,
  resolveRef,
  type ChangedFile,
  type CommitInfo,
  type Comparison,
} from '../git/repoQueries';
import { branchProtectionSummary } from './branchProtection';
import { githubError, type GithubRequest, type GithubResponse, type Route } from './routeTypes';
import type { GithubState } from './state';

export interface RepoRef {
  owner: string;
  name: string;
  path: string;
}

const notFound = (): GithubResponse => githubError(404, 'Not Found');

/**
 * The repository a request names. Team repositories are private, and GitHub answers 404 (not 403) when a
 * classic token lacks the `repo` scope, so that no one learns a private repository exists.
 */
export async function repoFor(req: GithubRequest): Promise<RepoRef | GithubResponse> {
  const { owner = '', repo = '' } = req.params;
  const { scopes } = req.credential;
  if (scopes !== null && !scopes.includes('repo')) return notFound();
  const path = await req.state.repos?.find(owner, repo);
  return path ? { owner, name: repo, path } : notFound();
}

export function isRepo(value: RepoRef | GithubResponse): value is RepoRef {
  return 'path' in value;
}

async function getRepo(req: GithubRequest): Promise<GithubResponse> {
  const repo = await repoFor(req);
  if (!isRepo(repo)) return repo;
  const defaultBranch = await gitOut(['symbolic-ref', '--short', 'HEAD'], { cwd: repo.path });
  const fullName = `${repo.owner}/${repo.name}`;
  const body = {
    name: repo.name,
    full_name: fullName,
    owner: { login: repo.owner, type: 'Organization' },
    private: true,
    visibility: 'private',
    default_branch: defaultBranch,
    html_url: `https://github.com/${fullName}`,
    clone_url: req.state.repos?.cloneUrl(repo.owner, repo.name) ?? null,
  };
  return { status: 200, body };
}

async function getBranch(req: GithubRequest): Promise<GithubResponse> {
  const repo = await repoFor(req);
  if (!isRepo(repo)) return repo;
  const name = req.params.branch ?? '';
  const sha = await resolveRef(repo.path, `refs/heads/${name}`);
  const head = sha === null ? null : await commitInfo(repo.path, sha);
  // GitHub's own wording for this one.
  if (head === null) return githubError(404, 'Branch not found');
  const rule = req.state.protections.get(`${repo.owner}/${repo.name}`, name);
  const protection = branchProtectionSummary(rule);
  const url = `https://api.github.com/repos/${repo.owner}/${repo.name}/branches/${name}/protection`;
  const body = { name, commit: commitJson(req.state, head), ...protection, protection_url: url };
  return { status: 200, body };
}

/** `base...head`, each optionally `owner:ref` when the owner is the repository's own. */
function splitBasehead(basehead: string, owner: string): { base: string; head: string } | null {
  const [base, head, ...rest] = basehead.split('...');
  if (!base || !head || rest.length > 0) return null;
  const own = (ref: string) => (ref.startsWith(`${owner}:`) ? ref.slice(owner.length + 1) : ref);
  const refs = { base: own(base), head: own(head) };
  return refs.base.includes(':') || refs.head.includes(':') ? null : refs;
}

async function getCompare(req: GithubRequest): Promise<GithubResponse> {
  const repo = await repoFor(req);
  if (!isRepo(repo)) return repo;
  const refs = splitBasehead(req.params.basehead ?? '', repo.owner);
  const c = refs && (await compare(repo.path, refs.base, refs.head));
  if (!c) return notFound();
  const [base, mergeBase] = await Promise.all([
    commitInfo(repo.path, c.baseSha),
    commitInfo(repo.path, c.mergeBaseSha),
  ]);
  const body = compareJson(req.state, c, base, mergeBase);
  return { status: 200, body };
}

function compareJson(
  state: GithubState,
  c: Comparison,
  base: CommitInfo | null,
  mergeBase: CommitInfo | null,
) {
  return {
    status: c.status,
    ahead_by: c.aheadBy,
    behind_by: c.behindBy,
    total_commits: c.aheadBy,
    base_commit: base && commitJson(state, base),
    merge_base_commit: mergeBase && commitJson(state, mergeBase),
    commits: c.commits.map((k) => commitJson(state, k)),
    files: c.files.map(fileJson),
  };
}

function fileJson(f: ChangedFile) {
  const renamed = f.previousFilename === undefined ? {} : { previous_filename: f.previousFilename };
  const { filename, status, additions, deletions } = f;
  return { filename, status, additions, deletions, changes: additions + deletions, ...renamed };
}

/** A commit as GitHub lists it: git's data under `commit`, the linked GitHub accounts (or null) beside it. */
function commitJson(state: GithubState, c: CommitInfo) {
  return {
    sha: c.sha,
    commit: { message: c.message, author: c.author, committer: c.committer },
    author: accountOf(state, c.author.email),
    committer: accountOf(state, c.committer.email),
    parents: c.parents.map((sha) => ({ sha })),
  };
}

function accountOf(state: GithubState, email: string) {
  const user = state.userByEmail(email);
  return user ? { login: user.login, id: user.id, type: 'User' } : null;
}

/**
 * `GET /repos/{owner}/{repo}/commits?sha=&per_page=&page=`: the history from a branch or sha (the
 * default branch without one), newest first, 30 a page unless asked (at most 100). GitHub answers
 * 422 for a sha or branch it cannot find, and 409 for an empty repository.
 */
async function listCommits(req: GithubRequest): Promise<GithubResponse> {
  const repo = await repoFor(req);
  if (!isRepo(repo)) return repo;
  const ref = req.query.get('sha') || 'HEAD';
  const perPage = Math.min(100, Math.max(1, Number(req.query.get('per_page')) || 30));
  const page = Math.max(1, Number(req.query.get('page')) || 1);
  const head = await resolveRef(repo.path, ref);
  if (head === null)
    return ref === 'HEAD'
      ? githubError(409, 'Git Repository is empty.')
      : githubError(422, `No commit found for SHA: ${ref}`);
  const commits = await logCommits(repo.path, [
    `--max-count=${perPage}`,
    `--skip=${(page - 1) * perPage}`,
    head,
  ]);
  return { status: 200, body: commits.map((c) => commitJson(req.state, c)) };
}

export const repoRoutes: Route[] = [
  { method: 'GET', pattern: '/repos/:owner/:repo/commits', handle: listCommits },
  { method: 'GET', pattern: '/repos/:owner/:repo', handle: getRepo },
  { method: 'GET', pattern: '/repos/:owner/:repo/branches/:branch+', handle: getBranch },
  { method: 'GET', pattern: '/repos/:owner/:repo/compare/:basehead+', handle: getCompare },
];
