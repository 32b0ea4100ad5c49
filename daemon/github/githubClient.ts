// The one wrapper every GitHub REST request goes through: auth and API-version headers, timeout, rate-limit accounting, errors as values.
import { Redactor } from '../diagnostics/redact';
import { failure, success, type Outcome, type UpstreamError } from '../upstreamError';
import {
  RateLimitTracker,
  retryAfterSeconds,
  type RateLimitSnapshot,
} from '../railway/rateLimitTracker';

export const defaultGithubApiUrl = 'https://api.github.com';

export interface GithubClientOptions {
  token: string;
  /** Defaults to api.github.com; the daemon passes RAILYARD_GITHUB_API_URL when set. */
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface GithubRequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
  /**
   * A GET sent with the ETag of the last answer to the same URL: GitHub answers 304 when nothing
   * changed, which costs no rate limit, and the last body is handed back (status 304).
   */
  conditional?: boolean;
}

/** Conditional answers kept, newest last; a poller touches a handful of URLs, so few are needed. */
const ETAG_CACHE_SIZE = 256;

export interface GithubAnswer<T> {
  data: T;
  status: number;
  headers: Headers;
}

export class GithubClient {
  readonly baseUrl: string;
  private readonly tracker: RateLimitTracker;
  private readonly redactor = new Redactor();
  private readonly etags = new Map<string, { etag: string; data: unknown }>();

  constructor(private readonly options: GithubClientOptions) {
    this.baseUrl = (options.baseUrl ?? defaultGithubApiUrl).replace(/\/+$/, '');
    this.tracker = new RateLimitTracker(options.now ?? Date.now);
    this.redactor.add(options.token);
  }

  get<T>(
    path: string,
    options: Omit<GithubRequestOptions, 'method' | 'body'> = {},
  ): Promise<Outcome<GithubAnswer<T>>> {
    return this.request<T>(path, { ...options, method: 'GET' });
  }

  async request<T>(
    path: string,
    options: GithubRequestOptions = {},
  ): Promise<Outcome<GithubAnswer<T>>> {
    const method = options.method ?? 'GET';
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    this.tracker.recordRequest();
    const url = this.url(path, options.query);
    const cached = options.conditional && method === 'GET' ? this.etags.get(url) : undefined;
    let res: Response;
    try {
      res = await (this.options.fetch ?? globalThis.fetch)(url, {
        method,
        headers: this.headers(options.body, cached?.etag),
        body: jsonBody(options.body),
        signal,
      });
    } catch (error) {
      return this.fail(
        transportError(
          error,
          method,
          path,
          options.signal?.aborted === true,
          timeout.aborted,
          timeoutMs,
        ),
      );
    }
    this.tracker.recordHeaders(res.headers);
    if (res.status === 304 && cached) {
      await res.body?.cancel();
      return success({ data: cached.data as T, status: 304, headers: res.headers });
    }
    const data = await readJson(res);
    if (res.ok && options.conditional) this.remember(url, res.headers.get('etag'), data);
    if (res.ok) return success({ data: data as T, status: res.status, headers: res.headers });
    const error = httpError(res, data, `${method} ${path}`, this.now());
    const words = githubWords(data);
    return this.fail(words === undefined ? error : { ...error, upstreamMessage: words });
  }

  rateLimit(): RateLimitSnapshot {
    return this.tracker.snapshot();
  }

  private url(path: string, query: GithubRequestOptions['query']): string {
    const url = new URL(`${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}`);
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    return url.toString();
  }

  private remember(url: string, etag: string | null, data: unknown): void {
    this.etags.delete(url);
    if (etag === null) return;
    this.etags.set(url, { etag, data });
    if (this.etags.size > ETAG_CACHE_SIZE) this.etags.delete(this.etags.keys().next().value!);
  }

  private headers(body: unknown, etag?: string): Record<string, string> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.options.token}`,
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
      'User-Agent': 'railyard',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (etag !== undefined) headers['If-None-Match'] = etag;
    return headers;
  }

  private fail(error: UpstreamError): Outcome<never> {
    const redacted = { ...error, message: this.redactor.redact(error.message) };
    if (error.upstreamMessage !== undefined)
      redacted.upstreamMessage = this.redactor.redact(error.upstreamMessage);
    return failure(redacted);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function jsonBody(body: unknown): string | undefined {
  return body === undefined ? undefined : JSON.stringify(body);
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * GitHub's own words in an error body: its message, then each entry of `errors` (a string, or an
 * object whose message says it), as `Validation Failed: A pull request already exists for o:b.`
 */
export function githubWords(data: unknown): string | undefined {
  const body = data as { message?: unknown; errors?: unknown } | undefined;
  if (typeof body?.message !== 'string') return undefined;
  const errors = Array.isArray(body.errors) ? (body.errors as unknown[]) : [];
  const said = errors
    .map((e) => (typeof e === 'string' ? e : (e as { message?: unknown } | null)?.message))
    .filter((m): m is string => typeof m === 'string' && m !== '');
  return said.length === 0 ? body.message : `${body.message}: ${said.join('; ')}`;
}

function transportError(
  error: unknown,
  method: string,
  path: string,
  cancelled: boolean,
  timedOut: boolean,
  timeoutMs: number,
): UpstreamError {
  if (cancelled)
    return { kind: 'network', message: `${method} ${path} was cancelled before GitHub answered.` };
  if (timedOut)
    return {
      kind: 'network',
      message: `GitHub did not answer ${method} ${path} within ${Math.round(timeoutMs / 1000)} s. Check your connection.`,
    };
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return {
    kind: 'network',
    message: `Could not reach GitHub${code}. Check your connection or proxy.`,
  };
}

/** GitHub signals its primary limit with 403 + X-RateLimit-Remaining: 0, its secondary one with 403/429 + Retry-After. */
function httpError(res: Response, data: unknown, what: string, now: number): UpstreamError {
  const { status, headers } = res;
  const said =
    typeof (data as { message?: unknown } | undefined)?.message === 'string'
      ? (data as { message: string }).message
      : '';
  const retryAfter = retryAfterSeconds(headers, now);
  const exhausted = headers.get('x-ratelimit-remaining') === '0';
  if (status === 429 || (status === 403 && (exhausted || retryAfter !== undefined))) {
    const reset = Number(headers.get('x-ratelimit-reset'));
    const wait =
      retryAfter ??
      (Number.isFinite(reset) && reset > 0
        ? Math.max(1, Math.ceil(reset - now / 1000))
        : undefined);
    const error: UpstreamError = {
      kind: 'rate-limited',
      status,
      message: `GitHub's rate limit for this token is spent${wait === undefined ? '' : `; it resets in ${wait} s`}.`,
    };
    if (wait !== undefined) error.retryAfterSeconds = wait;
    return error;
  }
  if (status === 401)
    return {
      kind: 'auth',
      status,
      message: `GitHub refused this token (${said || 'Bad credentials'}). Create a token at github.com/settings/tokens with the repo scope and sign in again.`,
    };
  if (status === 403)
    return {
      kind: 'auth',
      status,
      message: `GitHub forbids ${what} for this token${said ? ` (${said})` : ''}. Give the token the repo scope or access to this repository.`,
    };
  if (status === 404)
    return {
      kind: 'not-found',
      status,
      message: `GitHub found nothing at ${what}: it does not exist, or this token cannot see it.`,
    };
  if (status === 409)
    return {
      kind: 'conflict',
      status,
      message: `GitHub reported a conflict for ${what}${said ? `: ${said}` : ''}.`,
    };
  if (status >= 500)
    return {
      kind: 'server',
      status,
      message: `GitHub had a problem answering ${what} (HTTP ${status}). Try again shortly; see githubstatus.com if it persists.`,
    };
  return {
    kind: 'invalid',
    status,
    message: `GitHub rejected ${what} (HTTP ${status})${said ? `: ${said}` : ''}.`,
  };
}
