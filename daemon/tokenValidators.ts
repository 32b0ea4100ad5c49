// Wires the credential service to the real upstream checks (Railway GraphQL, GitHub REST).
import type { DaemonConfig } from './config';
import type { TokenValidators } from './credentials/authService';
import { failure } from './upstreamError';

export function createTokenValidators(_config: DaemonConfig): TokenValidators {
  const unavailable = () =>
    Promise.resolve(
      failure({ kind: 'network', message: 'Token validation is not wired in this build yet.' }),
    );
  return { railway: unavailable, github: unavailable };
}
