// The one wrapper every Railway GraphQL request goes through: auth header, timeout, retries, rate-limit accounting, redaction.
import { GraphQLClient, ClientError } from 'graphql-request';
import { getOperationAST, OperationTypeNode, parse } from 'graphql';
import { failure, success, type Outcome, type UpstreamError } from '../upstreamError';
import { Redactor } from '../diagnostics/redact';
import { railwayOperations, type RailwayOperationName } from './operations';
import { judge, rateLimited, type AttemptFailure, type PageAnswer } from './railwayErrors';
import { RateLimitTracker, retryAfterSeconds, type RateLimitSnapshot } from './rateLimitTracker';
import { railwayPace, RequestPacer, type Pace } from './requestPacer';
import { abortableDelay, backoffMs, defaultRetryPolicy, type RetryPolicy } from './retryPolicy';

export type RailwayTokenKind = 'account' | 'workspace' | 'project';

export const defaultRailwayEndpoint = 'https://backboard.railway.com/graphql/v2';

/** One line per attempt, for the daemon's log; it carries no token and no variables. */
export interface RailwayRequestEvent {
  operationName: string;
  attempt: number;
  status?: number;
  outcome: 'ok' | 'retry' | 'failed';
  durationMs: number;
}

export interface RailwayClientOptions {
  token: string;
  tokenKind: RailwayTokenKind;
  /** Defaults to Railway's public API; the daemon passes RAILYARD_RAILWAY_URL when set. */
  endpoint?: string;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Injectable so tests never wait real seconds. */
  delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  fetch?: typeof fetch;
  onRequest?: (event: RailwayRequestEvent) => void;
  /** How fast this token may send; Railway's Hobby limit by default (see requestPacer.ts). */
  pace?: Pace;
  /**
   * The pacer of this token, when several clients share it (the daemon keeps one per token, whatever
   * kind it is sent as), so their requests queue together under Railway's per-token limit.
   */
  pacer?: RequestPacer;
}

export interface RailwayRequestOptions {
  signal?: AbortSignal;
  /** Lets a mutation be retried after a 5xx or a network error (it is always retried after a 429, which ran nothing). */
  idempotent?: boolean;
}

type Attempt<T> = { ok: true; data: T } | { ok: false; failure: AttemptFailure };

interface OperationInfo {
  name: string;
  isMutation: boolean;
}

export class RailwayClient {
  readonly endpoint: string;
  readonly tokenKind: RailwayTokenKind;
  private readonly graphql: GraphQLClient;
  private readonly policy: RetryPolicy;
  private readonly tracker: RateLimitTracker;
  private readonly pacer: RequestPacer;
  private readonly redactor = new Redactor();
  private readonly operations = new Map<string, OperationInfo>();

  constructor(private readonly options: RailwayClientOptions) {
    this.endpoint = options.endpoint ?? defaultRailwayEndpoint;
    this.tokenKind = options.tokenKind;
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.tracker = new RateLimitTracker(options.now ?? Date.now);
    this.pacer =
      options.pacer ??
      new RequestPacer(
        options.pace ?? railwayPace,
        () => this.now(),
        (ms, signal) => this.delay(ms, signal),
      );
    this.redactor.add(options.token);
    this.graphql = new GraphQLClient(this.endpoint, {
      headers: railwayAuthHeaders(options.token, options.tokenKind),
      fetch: refusingPages(options.fetch ?? globalThis.fetch, new URL(this.endpoint).host),
      errorPolicy: 'all',
    });
  }

  /** Sends one of the daemon's named operations (see operations.ts). */
  operation<T>(
    name: RailwayOperationName,
    variables?: Record<string, unknown>,
    options?: RailwayRequestOptions,
  ): Promise<Outcome<T>> {
    return this.request<T>(railwayOperations[name], variables, options);
  }

  async request<T>(
    document: string,
    variables?: Record<string, unknown>,
    options: RailwayRequestOptions = {},
  ): Promise<Outcome<T>> {
    const info = this.describe(document);
    for (let attempt = 1; ; attempt++) {
      const turn = await this.waitForTurn(options.signal);
      if ('refused' in turn) return this.fail(turn.refused);
      if (options.signal?.aborted) {
        turn.done();
        return this.fail(judge({ type: 'cancelled' }, info.name, this.tokenKind).error);
      }
      const started = this.now();
      const result = await this.attempt<T>(document, variables, options.signal).finally(turn.done);
      const status = result.ok ? 200 : statusOf(result.failure);
      const event = { operationName: info.name, attempt, status };
      if (result.ok) {
        this.report({ ...event, outcome: 'ok', durationMs: this.now() - started });
        return success(result.data);
      }
      const { error, transient } = judge(result.failure, info.name, this.tokenKind);
      const wait = transient ? this.retryWait(result.failure, info, attempt, options) : undefined;
      const outcome = wait === undefined ? 'failed' : 'retry';
      this.report({ ...event, outcome, durationMs: this.now() - started });
      if (wait === undefined) return this.fail(error);
      if (wait > 0) await this.delay(wait, options.signal);
      if (options.signal?.aborted)
        return this.fail(judge({ type: 'cancelled' }, info.name, this.tokenKind).error);
    }
  }

  rateLimit(): RateLimitSnapshot {
    return { ...this.tracker.snapshot(), rateLimitedLastHour: this.tracker.rateLimitedLastHour() };
  }

  /**
   * Waits for this token's next slot under Railway's per-second limit, and out any window the last
   * headers said is spent; refuses at once (sending nothing) when that is longer than it will wait.
   */
  private async waitForTurn(
    signal?: AbortSignal,
  ): Promise<{ done: () => void } | { refused: UpstreamError }> {
    const spent = this.tracker.spent();
    if (spent) {
      const seconds = Math.ceil(spent.ms / 1000);
      if (seconds > this.policy.maxRetryAfterSeconds)
        return { refused: rateLimited(seconds, spent.window).error };
      this.pacer.holdFor(spent.ms);
    }
    return { done: await this.pacer.take(signal) };
  }

  /**
   * Milliseconds to back off before the next attempt, or undefined to give up now. A 429's
   * Retry-After holds every request of this token on the pacer instead, so the wait is 0 here.
   */
  private retryWait(
    failure: AttemptFailure,
    info: OperationInfo,
    attempt: number,
    options: RailwayRequestOptions,
  ): number | undefined {
    if (attempt >= this.policy.maxAttempts || options.signal?.aborted) return undefined;
    const rateLimited = failure.type === 'http' && failure.status === 429;
    if (info.isMutation && !options.idempotent && !rateLimited) return undefined;
    if (!rateLimited) return backoffMs(this.policy, attempt, this.options.random);
    const after = failure.retryAfterSeconds;
    if (after === undefined) return backoffMs(this.policy, attempt, this.options.random);
    if (after > this.policy.maxRetryAfterSeconds) return undefined;
    this.pacer.holdFor(after * 1000);
    return 0;
  }

  private async attempt<T>(
    document: string,
    variables: Record<string, unknown> | undefined,
    signal?: AbortSignal,
  ): Promise<Attempt<T>> {
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    this.tracker.recordRequest();
    try {
      const res = await this.graphql.rawRequest<T>({
        query: document,
        variables,
        signal: combined,
      });
      this.tracker.recordHeaders(res.headers);
      const messages = (res.errors ?? []).map((e) => e.message);
      if (messages.length > 0)
        return {
          ok: false,
          failure: {
            type: 'graphql',
            status: res.status,
            graphqlMessages: messages,
            workspaceName: workspaceNameOf(res.errors),
          },
        };
      return { ok: true, data: res.data };
    } catch (error) {
      if (signal?.aborted) return { ok: false, failure: { type: 'cancelled' } };
      if (timeout.signal.aborted) return { ok: false, failure: { type: 'timeout', timeoutMs } };
      if (error instanceof PageInsteadOfApi) return { ok: false, failure: error.failure() };
      return { ok: false, failure: this.transportFailure(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  private transportFailure(error: unknown): AttemptFailure {
    if (!(error instanceof ClientError)) return { type: 'network', code: networkCode(error) };
    const { status, headers, errors } = error.response;
    this.tracker.recordHeaders(headers);
    const graphqlMessages = (errors ?? [])
      .map((e) => e.message)
      .filter((m) => typeof m === 'string');
    const retryAfter = retryAfterSeconds(headers, this.now());
    if (status === 429) this.tracker.recordRateLimited();
    return {
      type: 'http',
      status,
      graphqlMessages,
      retryAfterSeconds: retryAfter,
      window: status === 429 ? this.tracker.windowOf429(headers, retryAfter) : undefined,
      workspaceName: workspaceNameOf(errors),
    };
  }

  private describe(document: string): OperationInfo {
    let info = this.operations.get(document);
    if (!info) {
      const op = getOperationAST(parse(document));
      info = {
        name: op?.name?.value ?? 'anonymous operation',
        isMutation: op?.operation === OperationTypeNode.MUTATION,
      };
      this.operations.set(document, info);
    }
    return info;
  }

  private fail(error: Parameters<typeof failure>[0]): Outcome<never> {
    return failure({ ...error, message: this.redactor.redact(error.message) });
  }

  private report(event: RailwayRequestEvent): void {
    this.options.onRequest?.(event);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private delay(ms: number, signal?: AbortSignal): Promise<void> {
    return (this.options.delay ?? abortableDelay)(ms, signal);
  }
}

function statusOf(failure: AttemptFailure): number | undefined {
  if (failure.type === 'page') return failure.page.status;
  return 'status' in failure ? failure.status : undefined;
}

/** Railway names the workspace that requires 2FA in the error's extensions, as its CLI reads it. */
function workspaceNameOf(
  errors: readonly { extensions?: unknown }[] | undefined,
): string | undefined {
  for (const e of errors ?? []) {
    const name = (e.extensions as { workspaceName?: unknown } | undefined)?.workspaceName;
    if (typeof name === 'string' && name) return name;
  }
  return undefined;
}

/** Thrown by the fetch below: a web page came back where Railway's API answers JSON. */
class PageInsteadOfApi extends Error {
  constructor(private readonly page: PageAnswer) {
    super(`HTTP ${page.status} web page instead of the API`);
  }

  failure(): AttemptFailure {
    return { type: 'page', page: this.page };
  }
}

/**
 * Railway's API answers JSON, even to a bad token ("Not Authorized"). An answer of another type
 * (Cloudflare's "Access denied" page, a corporate proxy's 403 or 503, a captive portal's 200) came
 * from something in front of it and says nothing about the token. A 429 is left to the rate-limit
 * handling whatever its body, since its Retry-After is what matters.
 */
function refusingPages(base: typeof fetch, host: string): typeof fetch {
  return async (input, init) => {
    const res = await base(input, init);
    const type = res.headers.get('content-type');
    if (res.status === 429 || type === null || /json/i.test(type)) return res;
    throw new PageInsteadOfApi({
      status: res.status,
      host,
      title: pageTitle(await res.text()),
      cloudflareRay: res.headers.get('cf-ray') ?? undefined,
    });
  };
}

function pageTitle(html: string): string | undefined {
  const raw = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1];
  const title = raw
    ?.replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e\u00a0-\uffff]/g, '')
    .trim();
  if (!title) return undefined;
  return title.length > 120 ? `${title.slice(0, 117)}...` : title;
}

/** Railway reads project tokens from Project-Access-Token and every other token from Authorization: Bearer. */
export function railwayAuthHeaders(token: string, kind: RailwayTokenKind): Record<string, string> {
  return kind === 'project'
    ? { 'Project-Access-Token': token }
    : { Authorization: `Bearer ${token}` };
}

/** The system error code behind a failed fetch (ECONNREFUSED, ENOTFOUND…), never its message, which may quote a URL. */
function networkCode(error: unknown): string | undefined {
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}
