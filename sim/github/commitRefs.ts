// The commit a checks or statuses route names (a sha, a branch or a tag, resolved in the repository's git), and the small JSON pieces those routes share.
import { resolveRef } from '../git/repoQueries';
import { isRepo, repoFor, type RepoRef } from './repoRoutes';
import { githubError, type GithubRequest, type GithubResponse } from './routeTypes';
import type { GithubUser } from './state';

export interface CommitRef {
  repo: RepoRef;
  /** `owner/name`, the key the CI and statuses stores use. */
  repository: string;
  sha: string;
}

/** GitHub answers 422 (not 404) when the repository exists but the ref names no commit. */
export function noCommit(ref: string): GithubResponse {
  return githubError(422, `No commit found for SHA: ${ref}`);
}

/** The repository (404 as repoFor answers) and the commit `ref` names in it (422 when none). */
export async function commitFor(
  req: GithubRequest,
  ref: string,
): Promise<CommitRef | GithubResponse> {
  const repo = await repoFor(req);
  if (!isRepo(repo)) return repo;
  const sha = await resolveRef(repo.path, ref);
  if (sha === null) return noCommit(ref);
  return { repo, repository: `${repo.owner}/${repo.name}`, sha };
}

export function isCommitRef(value: CommitRef | GithubResponse): value is CommitRef {
  return 'sha' in value;
}

/** GitHub writes times in UTC with a Z and no fraction. */
export function utc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The "minimal repository" GitHub embeds in status answers. */
export function minimalRepoJson(repo: RepoRef) {
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    name: repo.name,
    full_name: fullName,
    owner: { login: repo.owner, type: 'Organization' },
    private: true,
    html_url: `https://github.com/${fullName}`,
  };
}

export function userJson(user: GithubUser) {
  return { login: user.login, id: user.id, type: 'User' };
}
