// The one wrapper every Railway GraphQL request goes through: auth header, timeout, retries, rate-limit accounting, redaction.
import { GraphQLClient, ClientError } from 'graphql-request';
import { getOperationAST, OperationTypeNode, parse } from 'graphql';
import { failure, success, type Outcome } from '../upstreamError';
import { Redactor } from '../redact';
import { railwayOperations, type RailwayOperationName } from './operations';
import { judge, type AttemptFailure } from './railwayErrors';
import { RateLimitTracker, retryAfterSeconds, type RateLimitSnapshot } from './rateLimitTracker';
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
  private readonly redactor = new Redactor();
  private readonly operations = new Map<string, OperationInfo>();

  constructor(private readonly options: RailwayClientOptions) {
    this.endpoint = options.endpoint ?? defaultRailwayEndpoint;
    this.tokenKind = options.tokenKind;
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.tracker = new RateLimitTracker(options.now ?? Date.now);
    this.redactor.add(options.token);
    this.graphql = new GraphQLClient(this.endpoint, {
      headers: railwayAuthHeaders(options.token, options.tokenKind),
      fetch: options.fetch ?? globalThis.fetch,
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
    const exhausted = this.tracker.exhaustedForSeconds();
    if (exhausted !== undefined)
      return this.fail(
        judge(
          { type: 'http', status: 429, graphqlMessages: [], retryAfterSeconds: exhausted },
          info.name,
          this.tokenKind,
        ).error,
      );
    for (let attempt = 1; ; attempt++) {
      const started = this.now();
      const result = await this.attempt<T>(document, variables, options.signal);
      const status = result.ok
        ? 200
        : 'status' in result.failure
          ? result.failure.status
          : undefined;
      if (result.ok) {
        this.report({
          operationName: info.name,
          attempt,
          status,
          outcome: 'ok',
          durationMs: this.now() - started,
        });
        return success(result.data);
      }
      const { error, transient } = judge(result.failure, info.name, this.tokenKind);
      const wait = transient ? this.retryWait(result.failure, info, attempt, options) : undefined;
      this.report({
        operationName: info.name,
        attempt,
        status,
        outcome: wait === undefined ? 'failed' : 'retry',
        durationMs: this.now() - started,
      });
      if (wait === undefined) return this.fail(error);
      await (this.options.delay ?? abortableDelay)(wait, options.signal);
      if (options.signal?.aborted)
        return this.fail(judge({ type: 'cancelled' }, info.name, this.tokenKind).error);
    }
  }

  rateLimit(): RateLimitSnapshot {
    return this.tracker.snapshot();
  }

  /** Milliseconds to wait before the next attempt, or undefined to give up now. */
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
    return after <= this.policy.maxRetryAfterSeconds ? after * 1000 : undefined;
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
          failure: { type: 'graphql', status: res.status, graphqlMessages: messages },
        };
      return { ok: true, data: res.data };
    } catch (error) {
      if (signal?.aborted) return { ok: false, failure: { type: 'cancelled' } };
      if (timeout.signal.aborted) return { ok: false, failure: { type: 'timeout', timeoutMs } };
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
    return {
      type: 'http',
      status,
      graphqlMessages,
      retryAfterSeconds: retryAfterSeconds(headers, this.now()),
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
