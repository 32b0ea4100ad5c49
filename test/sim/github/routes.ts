// The GitHub REST routes the simulator answers; later issues add check runs, statuses, compare, pulls and deployments here.
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
  /** A path like `/repos/:owner/:repo/commits/:ref/check-runs`. */
  pattern: string;
  handle(req: GithubRequest): GithubResponse;
}

export const docs = 'https://docs.github.com/rest';

export function githubError(status: number, message: string): GithubResponse {
  return { status, body: { message, documentation_url: docs, status: String(status) } };
}

function getUser(req: GithubRequest): GithubResponse {
  const { user, scopes } = req.credential;
  const headers: Record<string, string> =
    scopes === null ? {} : { 'X-OAuth-Scopes': scopes.join(', ') };
  return {
    status: 200,
    headers,
    body: { login: user.login, id: user.id, name: user.name, type: 'User' },
  };
}

export const routes: Route[] = [{ method: 'GET', pattern: '/user', handle: getUser }];

/** Matches a path against a route pattern, returning the named segments. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.pattern.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((seg, i) => {
      const part = parts[i] ?? '';
      if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(part);
      return seg.startsWith(':') || seg === part;
    });
    if (ok) return { route, params };
  }
  return undefined;
}
