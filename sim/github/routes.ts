// The GitHub REST route table: /user here, repositories and compare in repoRoutes.ts, checks and statuses in checkRoutes.ts and statusRoutes.ts, deployments in deploymentRoutes.ts, branch protection, pull requests and reviews in their own files.
import { checkRoutes } from './checkRoutes';
import { deploymentRoutes } from './deploymentRoutes';
import { protectionRoutes } from './protectionRoutes';
import { pullMergeRoutes } from './pullMerge';
import { pullRoutes } from './pullRoutes';
import { repoRoutes } from './repoRoutes';
import { reviewRoutes } from './reviewRoutes';
import type { GithubRequest, GithubResponse, Route } from './routeTypes';
import { statusRoutes } from './statusRoutes';

export { docs, githubError } from './routeTypes';
export type { GithubRequest, GithubResponse, Route } from './routeTypes';

function getUser(req: GithubRequest): GithubResponse {
  const { user, scopes } = req.credential;
  const headers: Record<string, string> =
    scopes === null ? {} : { 'X-OAuth-Scopes': scopes.join(', ') };
  return {
    status: 200,
    headers,
    // GitHub answers the public email, null when the user keeps it private.
    body: { login: user.login, id: user.id, name: user.name, email: user.email, type: 'User' },
  };
}

export const routes: Route[] = [
  { method: 'GET', pattern: '/user', handle: getUser },
  // Before repoRoutes, whose `branches/:branch+` would take `…/protection` as part of a branch name.
  ...protectionRoutes,
  ...repoRoutes,
  ...pullRoutes,
  ...pullMergeRoutes,
  ...reviewRoutes,
  ...checkRoutes,
  ...statusRoutes,
  ...deploymentRoutes,
];

/** Matches a path against the route table, returning the route and its named segments. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchPattern(route.pattern, path);
    if (params) return { route, params };
  }
  return undefined;
}

/** GitHub takes branch names with slashes unencoded (`branches/feature/x`), hence the `:name+` tail. */
function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const parts = path.split('/').filter(Boolean).map(decode);
  const params: Record<string, string> = {};
  for (const [i, seg] of want.entries()) {
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.startsWith(':') && seg.endsWith('+') && i === want.length - 1) {
      params[seg.slice(1, -1)] = parts.slice(i).join('/');
      return parts.includes('') ? undefined : params;
    }
    if (seg.startsWith(':')) params[seg.slice(1)] = part;
    else if (seg !== part) return undefined;
  }
  return parts.length === want.length && !parts.includes('') ? params : undefined;
}

/** A malformed escape matches nothing rather than failing the request. */
function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return '';
  }
}
