// Turns what went wrong in one Railway request into an UpstreamError a user can act on, and says whether a retry could help.
import type { UpstreamError } from '../upstreamError';
import type { RailwayTokenKind } from './railwayClient';

/** What a single attempt ended with, before it is judged. */
export type AttemptFailure =
  | { type: 'http'; status: number; graphqlMessages: string[]; retryAfterSeconds?: number }
  | { type: 'graphql'; status: number; graphqlMessages: string[] }
  | { type: 'timeout'; timeoutMs: number }
  | { type: 'cancelled' }
  | { type: 'network'; code?: string };

export interface Judgement {
  error: UpstreamError;
  /** Whether the same request might succeed later (transport trouble, not a refusal). */
  transient: boolean;
}

const tokenAdvice: Record<RailwayTokenKind, string> = {
  account: 'Create an account token at railway.com/account/tokens and sign in again.',
  workspace: 'Create a workspace token at railway.com/account/tokens and sign in again.',
  project:
    "Create a project token in the project's Settings → Tokens on railway.com and sign in again.",
};

/** Judges a failed attempt; the message never quotes a token (the caller redacts anyway). */
export function judge(
  failure: AttemptFailure,
  operation: string,
  tokenKind: RailwayTokenKind,
): Judgement {
  switch (failure.type) {
    case 'timeout':
      return transient(
        'network',
        `Railway did not answer ${operation} within ${Math.round(failure.timeoutMs / 1000)} s. Check your connection; Railyard will try again.`,
      );
    case 'cancelled':
      return {
        error: { kind: 'network', message: `${operation} was cancelled before Railway answered.` },
        transient: false,
      };
    case 'network':
      return transient(
        'network',
        `Could not reach Railway${failure.code ? ` (${failure.code})` : ''}. Check your connection or proxy; Railyard will try again.`,
      );
    case 'graphql':
      return {
        error: fromGraphqlMessages(failure.graphqlMessages, failure.status, operation, tokenKind),
        transient: false,
      };
    case 'http':
      return fromHttp(failure, operation, tokenKind);
  }
}

function transient(kind: UpstreamError['kind'], message: string, status?: number): Judgement {
  return {
    error: status === undefined ? { kind, message } : { kind, message, status },
    transient: true,
  };
}

function fromHttp(
  failure: Extract<AttemptFailure, { type: 'http' }>,
  operation: string,
  tokenKind: RailwayTokenKind,
): Judgement {
  const { status } = failure;
  if (status === 429) {
    const wait = failure.retryAfterSeconds;
    const when = wait === undefined ? 'shortly' : `in ${wait} s`;
    const error: UpstreamError = {
      kind: 'rate-limited',
      status,
      message: `Railway's rate limit for this token is spent. Railyard will try again ${when}.`,
    };
    if (wait !== undefined) error.retryAfterSeconds = wait;
    return { error, transient: true };
  }
  if (status >= 500)
    return transient(
      'server',
      `Railway had a problem answering ${operation} (HTTP ${status}). Railyard will try again; see status.railway.com if it persists.`,
      status,
    );
  if (failure.graphqlMessages.length > 0) {
    return {
      error: fromGraphqlMessages(failure.graphqlMessages, status, operation, tokenKind),
      transient: false,
    };
  }
  if (status === 401 || status === 403) return refusal(status, operation, tokenKind);
  if (status === 404)
    return {
      error: {
        kind: 'not-found',
        status,
        message: 'Railway has no API at this address. Check RAILYARD_RAILWAY_URL.',
      },
      transient: false,
    };
  return {
    error: {
      kind: 'invalid',
      status,
      message: `Railway rejected ${operation} (HTTP ${status}). This is a bug in Railyard; please report it.`,
    },
    transient: false,
  };
}

function refusal(
  status: number | undefined,
  operation: string,
  tokenKind: RailwayTokenKind,
  reason = 'Not Authorized',
): Judgement {
  const error: UpstreamError = {
    kind: 'auth',
    message: `Railway refused ${operation} (${reason}): the token is not valid, or cannot access this. ${tokenAdvice[tokenKind]}`,
  };
  if (status !== undefined) error.status = status;
  return { error, transient: false };
}

/** Railway reports refusals and missing objects as GraphQL errors with HTTP 200. */
function fromGraphqlMessages(
  messages: string[],
  status: number,
  operation: string,
  tokenKind: RailwayTokenKind,
): UpstreamError {
  const text = messages.join('; ');
  if (/project token not found/i.test(text))
    return refusal(status, operation, tokenKind, 'project token not found').error;
  if (/not authori[sz]ed/i.test(text)) return refusal(status, operation, tokenKind).error;
  if (/not found/i.test(text))
    return {
      kind: 'not-found',
      status,
      message: `Railway could not find what ${operation} asked for: ${text}.`,
    };
  if (/rate limit/i.test(text))
    return {
      kind: 'rate-limited',
      status,
      message: `Railway's rate limit for this token is spent: ${text}.`,
    };
  const kind = status === 400 ? 'invalid' : 'server';
  return { kind, status, message: `Railway answered ${operation} with an error: ${text}.` };
}
