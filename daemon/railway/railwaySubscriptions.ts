// Railway subscriptions over graphql-transport-ws: one socket per subscription, auth in the upgrade headers, reconnect with backoff.
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { ClientRequestArgs } from 'node:http';
import { getOperationAST, parse } from 'graphql';
import { Redactor } from '../diagnostics/redact';
import type { UpstreamError } from '../upstreamError';
import { defaultRailwayEndpoint, railwayAuthHeaders, type RailwayTokenKind } from './railwayClient';
import { judge } from './railwayErrors';

export interface RailwaySubscriptionOptions {
  token: string;
  tokenKind: RailwayTokenKind;
  /** The HTTP endpoint (https:// becomes wss://); defaults to Railway's public API. */
  endpoint?: string;
  /** Reconnects after an abnormal close before giving up; Railway's CLI uses 12. */
  retryAttempts?: number;
  /** Injectable so tests never wait; defaults to 1 s × 1.5^n capped at 8 s, like Railway's CLI. */
  retryWait?: (retries: number) => Promise<void>;
}

export interface RailwaySubscriptionHandlers<T> {
  /**
   * Offered each text frame before graphql-ws decodes it; true means it was handled and `next` is
   * not called for it (log streams forward Railway's bytes without decoding them).
   */
  frame?: (data: Buffer) => boolean;
  next(data: T): void;
  /** The subscription is over: Railway refused it, or reconnecting failed for good. */
  error(error: UpstreamError): void;
  complete?(): void;
  /** Each time a socket is acknowledged; `reconnected` is true after a drop, so callers can mark a possible gap. */
  connected?(reconnected: boolean): void;
  /** The socket dropped while subscribed; a reconnect follows unless retries run out. */
  disconnected?(): void;
}

export interface RailwaySubscription {
  dispose(): void;
}

export function railwayWebSocketUrl(endpoint: string): string {
  return endpoint.replace(/^http(s?):\/\//i, (_m, s: string) => `ws${s}://`);
}

/** Subscribes with a dedicated socket, as Railway's CLI does; dispose() closes it. */
export function subscribeRailway<T>(
  options: RailwaySubscriptionOptions,
  document: string,
  variables: Record<string, unknown>,
  handlers: RailwaySubscriptionHandlers<T>,
): RailwaySubscription {
  const redactor = new Redactor();
  redactor.add(options.token);
  const upgrade = { status: undefined as number | undefined };
  const client = createSocketClient(options, upgrade, handlers.frame);
  const name = getOperationAST(parse(document))?.name?.value ?? 'subscription';
  let connections = 0;
  let disposed = false;
  client.on('connected', () => handlers.connected?.(connections++ > 0));
  client.on('closed', () => {
    if (!disposed && connections > 0) handlers.disconnected?.();
  });
  const fail = (error: UpstreamError) =>
    handlers.error({ ...error, message: redactor.redact(error.message) });
  const unsubscribe = client.subscribe<T>(
    { query: document, variables },
    {
      next: (result) =>
        deliver(result, handlers, (messages) =>
          fail(judgeMessages(messages, name, options.tokenKind)),
        ),
      error: (err) => fail(subscriptionError(err, upgrade.status, name, options.tokenKind)),
      complete: () => handlers.complete?.(),
    },
  );
  return {
    dispose() {
      disposed = true;
      unsubscribe();
      // Disposing a socket that is still connecting rejects with its close event: nothing to do.
      void Promise.resolve(client.dispose()).catch(() => undefined);
    },
  };
}

function createSocketClient(
  options: RailwaySubscriptionOptions,
  upgrade: { status?: number },
  tap?: (frame: Buffer) => boolean,
): Client {
  const headers = railwayAuthHeaders(options.token, options.tokenKind);
  /** graphql-ws constructs the socket itself, so the upgrade headers must come from the class. */
  class RailwaySocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers } satisfies ClientRequestArgs);
      this.on('upgrade', () => (upgrade.status = undefined));
      this.on('error', (err) => (upgrade.status = upgradeStatus(err)));
      if (tap) tapMessages(this, tap);
    }
  }
  return createClient({
    url: railwayWebSocketUrl(options.endpoint ?? defaultRailwayEndpoint),
    webSocketImpl: RailwaySocket,
    lazy: true,
    retryAttempts: options.retryAttempts ?? 12,
    retryWait: options.retryWait ?? cliBackoff,
    // Retry dropped sockets and refused connections, but not a refused token: that will not heal by waiting.
    shouldRetry: (closed) => !refusedUpgrade(upgrade.status) && !refusedClose(closed),
  });
}

type MessageHandler = ((event: { data: unknown }) => void) | null;

/**
 * graphql-ws reads frames through `onmessage`; this puts `tap` in front of it, with the frame's
 * bytes. Frames the tap does not take reach graphql-ws exactly as ws would hand them over.
 */
function tapMessages(socket: WebSocket, tap: (frame: Buffer) => boolean): void {
  let handler: MessageHandler = null;
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (!handler || (!isBinary && tap(data))) return;
    handler({ data: isBinary ? data : data.toString() });
  });
  Object.defineProperty(socket, 'onmessage', {
    configurable: true,
    get: () => handler,
    set: (h: MessageHandler) => (handler = h),
  });
}

function deliver<T>(
  result: FormattedExecutionResult<T, unknown>,
  handlers: RailwaySubscriptionHandlers<T>,
  onErrors: (messages: string[]) => void,
): void {
  if (result.errors?.length) return onErrors(result.errors.map((e) => e.message));
  if (result.data !== undefined && result.data !== null) handlers.next(result.data);
}

function cliBackoff(retries: number): Promise<void> {
  const ms = Math.min(8_000, 1_000 * 1.5 ** retries);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function refusedUpgrade(status: number | undefined): boolean {
  return status === 401 || status === 403;
}

/** graphql-transport-ws closes 4401/4403 when the server will not serve this identity. */
function refusedClose(closed: unknown): boolean {
  const code = (closed as { code?: unknown } | null)?.code;
  return code === 4401 || code === 4403;
}

/** ws reports a refused upgrade only as "Unexpected server response: 401". */
function upgradeStatus(err: Error): number | undefined {
  const match = /Unexpected server response: (\d{3})/.exec(err.message);
  return match ? Number(match[1]) : undefined;
}

function judgeMessages(messages: string[], name: string, kind: RailwayTokenKind): UpstreamError {
  return judge({ type: 'graphql', status: 200, graphqlMessages: messages }, name, kind).error;
}

function subscriptionError(
  err: unknown,
  status: number | undefined,
  name: string,
  kind: RailwayTokenKind,
): UpstreamError {
  if (Array.isArray(err))
    return judgeMessages(
      err.map((e: { message?: unknown }) => String(e.message)),
      name,
      kind,
    );
  if (status !== undefined)
    return judge({ type: 'http', status, graphqlMessages: [] }, name, kind).error;
  if (refusedClose(err))
    return judge({ type: 'http', status: 403, graphqlMessages: [] }, name, kind).error;
  const code =
    typeof (err as { code?: unknown }).code === 'number'
      ? ` (close code ${(err as { code: number }).code})`
      : '';
  return {
    kind: 'network',
    message: `Lost Railway's live updates for ${name}${code} and could not reconnect. Check your connection.`,
  };
}
