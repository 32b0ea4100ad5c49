// The shapes every GitHub simulator route shares: the request it is handed, the answer it gives, GitHub's error body.
import type { GithubCredential, GithubState } from './state';

export interface GithubRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  credential: GithubCredential;
  state: GithubState;
}

export interface GithubResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** A path like `/repos/:owner/:repo/commits/:ref/check-runs`; a last `:name+` takes the rest of the path. */
  pattern: string;
  handle(req: GithubRequest): GithubResponse | Promise<GithubResponse>;
}

export const docs = 'https://docs.github.com/rest';

export function githubError(status: number, message: string): GithubResponse {
  return { status, body: { message, documentation_url: docs, status: String(status) } };
}
