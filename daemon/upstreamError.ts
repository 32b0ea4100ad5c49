// Failures of the APIs the daemon calls (Railway, GitHub), as values with a kind, mapped to protocol codes.
import { ErrorCode } from '../protocol/protocol';
import { RpcError } from '../protocol/jsonrpc';

export type UpstreamErrorKind =
  | 'auth'
  | 'rate-limited'
  | 'not-found'
  | 'network'
  | 'server'
  | 'conflict'
  | 'invalid'
  /** The account lacks two-factor authentication that a workspace requires; the token is fine. */
  | 'two-factor'
  /** Something in front of the API (a proxy, firewall, Cloudflare) answered instead of it. */
  | 'blocked';

export interface UpstreamError {
  kind: UpstreamErrorKind;
  /** A sentence a user can act on; never contains a token. */
  message: string;
  /** Seconds to wait, from Retry-After or X-RateLimit-Reset, when the kind is rate-limited. */
  retryAfterSeconds?: number;
  status?: number;
  /**
   * The API's own words (GitHub's `message`, then each of its `errors`), for callers that must
   * tell one refusal from another; never shown as is.
   */
  upstreamMessage?: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: UpstreamError };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const failure = (error: UpstreamError): Outcome<never> => ({ ok: false, error });

const codeByKind: Record<UpstreamErrorKind, number> = {
  auth: ErrorCode.Auth,
  'rate-limited': ErrorCode.RateLimited,
  'not-found': ErrorCode.NotFound,
  network: ErrorCode.Network,
  server: ErrorCode.Upstream,
  conflict: ErrorCode.Conflict,
  invalid: ErrorCode.InvalidParams,
  'two-factor': ErrorCode.TwoFactorRequired,
  blocked: ErrorCode.Blocked,
};

/** The protocol error code of an upstream failure's kind. */
export function codeOf(kind: UpstreamErrorKind): number {
  return codeByKind[kind];
}

/** The protocol error a client sees for an upstream failure. */
export function toRpcError(error: UpstreamError): RpcError {
  const data =
    error.retryAfterSeconds === undefined
      ? { kind: error.kind }
      : { kind: error.kind, retryAfterSeconds: error.retryAfterSeconds };
  return new RpcError(codeByKind[error.kind], error.message, data);
}
