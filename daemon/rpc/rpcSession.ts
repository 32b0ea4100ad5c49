// One client connection: validates each frame, enforces `initialize` first, dispatches to handlers,
// and turns every failure into a JSON-RPC error instead of letting it reach the process.
import type WebSocket from 'ws';
import * as z from '../../protocol/zod';
import {
  RpcError,
  invalidParams,
  requestEnvelope,
  notificationEnvelope,
} from '../../protocol/jsonrpc';
import {
  ErrorCode,
  isMethodName,
  methods,
  negotiateVersion,
  SUPPORTED_PROTOCOL_VERSIONS,
  type MethodName,
  type NotificationName,
  type NotificationParams,
  type Params,
  type Result,
} from '../../protocol/protocol';
import { frameText } from '../../protocol/frameText';
import type { Logger } from '../diagnostics/logger';
import type { ClientLink } from '../clientLink';

export interface ClientIdentity {
  id: number;
  name: string;
  kind: 'vscode' | 'cli' | 'test';
  connectedAt: string;
}

/** What a handler knows about its caller. */
export interface CallContext {
  session: RpcSession;
}

export type Handlers = {
  [M in Exclude<MethodName, 'initialize'>]: (
    params: Params<M>,
    ctx: CallContext,
  ) => Promise<Result<M>> | Result<M>;
};

export interface SessionHost {
  handlers: Handlers;
  logger: Logger;
  daemonVersion: string;
  capabilities: string[];
  onInitialized(session: RpcSession): void;
}

export class RpcSession implements ClientLink {
  identity: ClientIdentity | undefined;
  protocolVersion = 0;

  constructor(
    readonly id: number,
    private readonly socket: WebSocket,
    private readonly host: SessionHost,
  ) {
    socket.on('message', (data, isBinary) => {
      void this.onFrame(isBinary ? undefined : frameText(data));
    });
  }

  notify<N extends NotificationName>(method: N, params: NotificationParams<N>): void {
    if (this.identity && this.socket.readyState === this.socket.OPEN) {
      this.socket.send(JSON.stringify({ jsonrpc: '2.0', method, params }));
    }
  }

  /**
   * Sends a notification already encoded (a log batch, assembled from Railway's bytes) unless the
   * client's socket already holds `maxBuffered` unsent bytes.
   */
  sendIfRoom(frame: Buffer, maxBuffered: number): boolean {
    if (this.socket.bufferedAmount > maxBuffered) return false;
    if (this.identity && this.socket.readyState === this.socket.OPEN)
      this.socket.send(frame, { binary: false });
    return true;
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  private async onFrame(text: string | undefined): Promise<void> {
    const parsed = parseFrame(text);
    if (parsed instanceof RpcError)
      return this.send({ jsonrpc: '2.0', id: null, error: parsed.toJSON() });
    if (!('id' in parsed)) return; // client notifications: none are defined yet, so ignore quietly
    const { id, method, params } = parsed;
    try {
      const result = await this.dispatch(method, params);
      this.send({ jsonrpc: '2.0', id, result });
    } catch (e) {
      const error = e instanceof RpcError ? e : this.internalError(method, e);
      this.send({ jsonrpc: '2.0', id, error: error.toJSON() });
    }
  }

  private async dispatch(method: string, rawParams: unknown): Promise<unknown> {
    if (!isMethodName(method)) {
      throw new RpcError(ErrorCode.MethodNotFound, `Unknown method "${method.slice(0, 100)}".`);
    }
    const params = parseParams(method, rawParams);
    if (method === 'initialize') return this.initialize(params as Params<'initialize'>);
    if (!this.identity) {
      throw new RpcError(
        ErrorCode.NotInitialized,
        'Call initialize first to negotiate the protocol version.',
      );
    }
    const handler = this.host.handlers[method] as (p: unknown, c: CallContext) => unknown;
    return await handler(params, { session: this });
  }

  private initialize(params: Params<'initialize'>): Result<'initialize'> {
    const version = negotiateVersion(params.protocolVersions);
    if (version === undefined) {
      throw new RpcError(
        ErrorCode.UnsupportedVersion,
        `This daemon speaks protocol ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}; the client offered ${params.protocolVersions.join(', ')}. Update Railyard so both sides match.`,
        { supported: SUPPORTED_PROTOCOL_VERSIONS },
      );
    }
    const first = !this.identity;
    this.protocolVersion = version;
    this.identity = {
      id: this.id,
      ...params.client,
      connectedAt: this.identity?.connectedAt ?? new Date().toISOString(),
    };
    if (first) this.host.onInitialized(this);
    return {
      protocolVersion: version,
      daemonVersion: this.host.daemonVersion,
      pid: process.pid,
      capabilities: this.host.capabilities,
      clientId: this.id,
    };
  }

  private internalError(method: string, e: unknown): RpcError {
    this.host.logger.error('handler failed', {
      method,
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    });
    return new RpcError(
      ErrorCode.InternalError,
      `The daemon failed while handling ${method}; see the daemon log.`,
    );
  }

  private send(frame: object): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }
}

type Frame = z.infer<typeof requestEnvelope> | z.infer<typeof notificationEnvelope>;

function parseFrame(text: string | undefined): Frame | RpcError {
  if (text === undefined)
    return new RpcError(ErrorCode.ParseError, 'Binary frames are not accepted; send JSON text.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return new RpcError(ErrorCode.ParseError, 'The message is not valid JSON.');
  }
  const request = requestEnvelope.safeParse(json);
  if (request.success) return request.data;
  const note = notificationEnvelope.safeParse(json);
  if (note.success) return note.data;
  return new RpcError(
    ErrorCode.InvalidRequest,
    'Not a JSON-RPC 2.0 request: expected {jsonrpc:"2.0", id, method, params}.',
  );
}

function parseParams(method: MethodName, raw: unknown): unknown {
  const parsed = methods[method].params.safeParse(raw ?? {});
  if (!parsed.success) throw invalidParams(method, parsed.error);
  return parsed.data;
}
