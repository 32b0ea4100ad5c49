// Who the GitHub token belongs to, as a git identity: the promotion's merge commit is authored by
// it and QA sign-offs name it.
import { success, type Outcome } from '../upstreamError';
import type { GithubClient } from './githubClient';

export interface GithubIdentity {
  login: string;
  id: number;
  /** The profile name, or the login when the profile has none. */
  name: string;
  /** The public email, or GitHub's noreply address for the account when it keeps its email private. */
  email: string;
}

/** The fields of GitHub's `GET /user` answer this module reads. */
export interface GithubUserJson {
  login: string;
  id: number;
  name?: string | null;
  email?: string | null;
}

export async function githubIdentity(
  client: GithubClient,
  signal?: AbortSignal,
): Promise<Outcome<GithubIdentity>> {
  const answer = await client.get<GithubUserJson>('/user', { signal });
  return answer.ok ? success(identityOf(answer.value.data)) : answer;
}

/**
 * GitHub links a commit to an account by its email; `ID+login@users.noreply.github.com` is the
 * address GitHub itself uses for an account that keeps its email private, so a merge authored with
 * it still shows as this user's.
 */
export function identityOf(user: GithubUserJson): GithubIdentity {
  const name = user.name?.trim() || user.login;
  const email = user.email?.trim() || `${user.id}+${user.login}@users.noreply.github.com`;
  return { login: user.login, id: user.id, name, email };
}
