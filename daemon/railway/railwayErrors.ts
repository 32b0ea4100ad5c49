// Turns what went wrong in one Railway request into an UpstreamError a user can act on, and says whether a retry could help.
import type { UpstreamError } from '../upstreamError';
import type { RailwayTokenKind } from './railwayClient';
import type { RateWindowKind } from './rateLimitTracker';

/** What a single attempt ended with, before it is judged. */
export type AttemptFailure =
  | {
      type: 'http';
      status: number;
      graphqlMessages: string[];
      retryAfterSeconds?: number;
      /** For a 429: which of Railway's windows refused it, when the answer tells. */
      window?: RateWindowKind;
      /** `extensions.workspaceName` of Railway's error, when it named one (2FA). */
      workspaceName?: string;
    }
  | { type: 'graphql'; status: number; graphqlMessages: string[]; workspaceName?: string }
  | { type: 'page'; page: PageAnswer }
  | { type: 'timeout'; timeoutMs: number }
  | { type: 'cancelled' }
  | { type: 'network'; code?: string };

/** Something other than Railway's API answered: a web page where GraphQL JSON belongs. */
export interface PageAnswer {
  status: number;
  /** The host the request went to, to name in the advice. */
  host: string;
  /** The page's <title>, cleaned and shortened. */
  title?: string;
  /** Cloudflare's Ray ID, when Cloudflare served the page. */
  cloudflareRay?: string;
}

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
        error: fromGraphqlMessages(
          failure.graphqlMessages,
          failure.status,
          operation,
          tokenKind,
          failure.workspaceName,
        ),
        transient: false,
      };
    case 'http':
      return fromHttp(failure, operation, tokenKind);
    case 'page':
      return fromPage(failure.page);
  }
}

/**
 * A proxy, firewall, captive portal or Cloudflare answered instead of the API: the token was never
 * judged, so it is kept. A 5xx page may pass (retried); a 4xx or 200 page will not by waiting.
 */
function fromPage(page: PageAnswer): Judgement {
  const title = page.title ? ` ("${page.title}")` : '';
  const from = page.cloudflareRay ? `, from Cloudflare, Ray ID ${page.cloudflareRay}` : '';
  return {
    error: {
      kind: 'blocked',
      status: page.status,
      message:
        `Railway's API did not answer: something in front of it replied HTTP ${page.status} with a web page${title}${from}. ` +
        `The network, a proxy, VPN or firewall is blocking the Railway API: try another network, or ask its administrator to allow ${page.host}. ` +
        'Your Railway token was not changed.',
    },
    transient: page.status >= 500,
  };
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
  if (status === 429) return rateLimited(failure.retryAfterSeconds, failure.window);
  if (status >= 500)
    return transient(
      'server',
      `Railway had a problem answering ${operation} (HTTP ${status}). Railyard will try again; see status.railway.com if it persists.`,
      status,
    );
  if (failure.graphqlMessages.length > 0) {
    return {
      error: fromGraphqlMessages(
        failure.graphqlMessages,
        status,
        operation,
        tokenKind,
        failure.workspaceName,
      ),
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

/**
 * Railway refused for its rate limits. A short window (its per-second limit) only asks Railyard to
 * slow down; the hourly budget being spent is what the user needs to hear about.
 */
export function rateLimited(
  wait: number | undefined,
  window: RateWindowKind | undefined,
): Judgement {
  const when = wait === undefined ? 'shortly' : `in ${wait} s`;
  const message =
    window === 'burst'
      ? `Railway is limiting how fast this token sends requests (its per-second limit). Railyard slows down and will try again ${when}.`
      : window === 'hour'
        ? `Railway's hourly request budget for this token is spent${wait === undefined ? '' : `; it renews in ${humanWait(wait)}`}. Railyard will try again once it has.`
        : `Railway's rate limit for this token is spent. Railyard will try again ${when}.`;
  const error: UpstreamError = { kind: 'rate-limited', status: 429, message };
  if (wait !== undefined) error.retryAfterSeconds = wait;
  return { error, transient: true };
}

function humanWait(seconds: number): string {
  return seconds > 90 ? `about ${Math.ceil(seconds / 60)} min` : `${seconds} s`;
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
  workspaceName?: string,
): UpstreamError {
  const text = messages.join('; ');
  if (/two factor authentication required/i.test(text)) return twoFactor(status, workspaceName);
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

/**
 * A workspace that enforces two-factor authentication refused an account without it (Railway's CLI
 * reads the same error). The token is fine; the account needs 2FA.
 */
function twoFactor(status: number, workspaceName: string | undefined): UpstreamError {
  const where = workspaceName ? ` for workspace "${workspaceName}"` : '';
  return {
    kind: 'two-factor',
    status,
    message:
      `Railway requires two-factor authentication${where}, and this Railway account has not completed it. ` +
      'Enable 2FA at https://railway.com/account/security (or finish setting it up), then try again. ' +
      'Your Railway token was kept.',
  };
}
