// Wires the credential service to the real upstream checks (Railway GraphQL, GitHub REST), through
// the same per-token clients the rest of the daemon uses, so validation counts in each budget.
import type { TokenValidators } from './authService';
import type { GithubAccess } from '../github/githubAccess';
import { validateGithubToken } from '../github/githubAuth';
import type { RailwayAccess } from '../railway/railwayAccess';
import { validateRailwayToken } from '../railway/railwayAuth';

export function createTokenValidators(
  railway: RailwayAccess,
  github: GithubAccess,
): TokenValidators {
  return {
    railway: (token, kind) => validateRailwayToken((t, k) => railway.clientFor(t, k), token, kind),
    github: (token) => validateGithubToken((t) => github.clientFor(t), token),
  };
}
