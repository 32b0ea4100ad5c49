// A typed JSON-RPC client over one WebSocket to the daemon, shared by the extension, the CLI and tests.
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { frameText } from '../protocol/frameText';
import {
  RpcError,
  responseEnvelope,
  notificationEnvelope,
  type ResponseEnvelope,
} from '../protocol/jsonrpc';
import {
  ErrorCode,
  PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  methods,
  notifications,
  secretHeaderValue,
  SECRET_HEADER,
  isNotificationName,
  type MethodName,
  type NotificationName,
  type NotificationParams,
  type ParamsInput,
  type Result,
} from '../protocol/protocol';

export interface ConnectOptions {
  port: number;
  secret: string;
  client: { name: string; kind: 'vscode' | 'cli' | 'test' };
  /** How long to wait for the socket and for `initialize`; the daemon is local, so this is short. */
  timeoutMs?: number;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/**
 * For a request the daemon answers only once Railway has (a project's first read, a token's
 * check): Railway's client retries a failing read up to 4 times of 15 s each, or longer behind a
 * 429's Retry-After. The default 10 s would give up on a slow Railway.
 */
export const UPSTREAM_ANSWER_MS = 150_000;

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly events = new EventEmitter();
  private closed = false;
  protocolVersion = PROTOCOL_VERSION;
  daemonVersion = '';
  daemonPid = 0;
  clientId = 0;

  private constructor(
    private readonly socket: WebSocket,
    private readonly timeoutMs: number,
  ) {
    socket.on('message', (data) => this.onMessage(frameText(data)));
    socket.on('close', (code, reason) => this.handleClose(code, String(reason)));
    socket.on('error', () => undefined); // 'close' follows and carries the outcome
  }

  /** Opens the socket and negotiates the version; rejects with a sentence that says what went wrong. */
  static async connect(options: ConnectOptions): Promise<RpcClient> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const socket = await openSocket(options.port, options.secret, timeoutMs);
    const client = new RpcClient(socket, timeoutMs);
    try {
      const hello = await client.request('initialize', {
        protocolVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
        client: options.client,
      });
      client.protocolVersion = hello.protocolVersion;
      client.daemonVersion = hello.daemonVersion;
      client.clientId = hello.clientId;
      client.daemonPid = hello.pid;
      return client;
    } catch (e) {
      client.close();
      throw e;
    }
  }

  /** `timeoutMs` for a method that waits on Railway or GitHub longer than the default allows. */
  request<M extends MethodName>(
    method: M,
    params: ParamsInput<M>,
    { timeoutMs = this.timeoutMs }: { timeoutMs?: number } = {},
  ): Promise<Result<M>> {
    if (this.closed)
      return Promise.reject(
        new RpcError(ErrorCode.Network, 'Not connected to the Railyard daemon.'),
      );
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new RpcError(ErrorCode.Network, `The Railyard daemon did not answer ${method} in time.`),
        );
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    }).then((raw) => methods[method].result.parse(raw) as Result<M>);
  }

  onNotification<N extends NotificationName>(
    name: N,
    listener: (params: NotificationParams<N>) => void,
  ): () => void {
    this.events.on(name, listener);
    return () => this.events.off(name, listener);
  }

  /** Called once when the connection ends, whoever ended it. */
  onClosed(listener: (info: { code: number; reason: string }) => void): () => void {
    this.events.once('close', listener);
    return () => this.events.off('close', listener);
  }

  private handleClose(code: number, reason: string): void {
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new RpcError(ErrorCode.Network, 'The connection to the Railyard daemon closed.'));
    }
    this.pending.clear();
    this.events.emit('close', { code, reason });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Safe to call more than once. */
  close(): void {
    if (
      this.socket.readyState === WebSocket.OPEN ||
      this.socket.readyState === WebSocket.CONNECTING
    ) {
      this.socket.close(1000, 'client closing');
    }
  }

  private onMessage(text: string): void {
    const frame = decodeFrame(text);
    if (frame?.kind === 'response') this.settle(frame.response);
    else if (frame) this.events.emit(frame.method, frame.params);
  }

  private settle(response: ResponseEnvelope): void {
    if (typeof response.id !== 'number') return;
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    clearTimeout(pending.timer);
    if ('error' in response) {
      pending.reject(
        new RpcError(response.error.code, response.error.message, response.error.data),
      );
    } else {
      pending.resolve(response.result);
    }
  }
}

export type DecodedFrame =
  | { kind: 'response'; response: ResponseEnvelope }
  | {
      [N in NotificationName]: { kind: 'notification'; method: N; params: NotificationParams<N> };
    }[NotificationName];

/**
 * A frame from the daemon, checked against the protocol: a response, a known notification with
 * valid params, or undefined for anything else (the daemon only sends these; a broken frame is
 * dropped rather than crashing the editor). Every log line passes here: see bench:client-decode.
 */
export function decodeFrame(text: string): DecodedFrame | undefined {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Only a response carries an id: a notification (5,000 log lines a second under load) is not
  // first tried against the response envelope, whose failing union costs more than the parse.
  if (typeof frame === 'object' && frame !== null && 'id' in frame) {
    const response = responseEnvelope.safeParse(frame);
    return response.success ? { kind: 'response', response: response.data } : undefined;
  }
  const note = notificationEnvelope.safeParse(frame);
  if (!note.success || !isNotificationName(note.data.method)) return undefined;
  const method = note.data.method;
  const params = notifications[method].safeParse(note.data.params);
  return params.success
    ? ({ kind: 'notification', method, params: params.data } as DecodedFrame)
    : undefined;
}

function openSocket(port: number, secret: string, timeoutMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/rpc`, {
      headers: { [SECRET_HEADER]: secretHeaderValue(secret) },
      handshakeTimeout: timeoutMs,
      maxPayload: 64 * 1024 * 1024,
    });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => {
      socket.terminate();
      reject(upgradeRefusal(res.statusCode ?? 0));
    });
    socket.once('error', (e) =>
      reject(
        new RpcError(
          ErrorCode.Network,
          `Cannot reach the Railyard daemon on port ${port}: ${e.message}`,
        ),
      ),
    );
  });
}

function upgradeRefusal(status: number): RpcError {
  if (status === 401) {
    return new RpcError(
      ErrorCode.Auth,
      'The Railyard daemon refused the secret: it belongs to another daemon or user. Restart the daemon.',
    );
  }
  return new RpcError(
    ErrorCode.Network,
    `The Railyard daemon refused the connection (HTTP ${status}).`,
  );
}
