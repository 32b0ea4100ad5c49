// Wires the credential service to the real upstream checks (Railway GraphQL, GitHub REST).
import type { DaemonConfig } from './config';
import type { TokenValidators } from './credentials/authService';
import type { RailwayAccess } from './railwayAccess';
import { validateRailwayToken } from './railway/railwayAuth';
import { failure } from './upstreamError';

export function createTokenValidators(
  _config: DaemonConfig,
  railway: RailwayAccess,
): TokenValidators {
  return {
    // Validation goes through the same per-token clients, so it counts in the request budget.
    railway: (token, kind) => validateRailwayToken((t, k) => railway.clientFor(t, k), token, kind),
    github: () =>
      Promise.resolve(
        failure({ kind: 'network', message: 'GitHub validation is not wired in this build yet.' }),
      ),
  };
}
