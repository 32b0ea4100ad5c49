// The daemon's loopback WebSocket server: who may connect (secret, no browser Origin), the set of
// connected clients, broadcasts, and the idle timer that stops a daemon nobody uses.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  SECRET_HEADER,
  type NotificationName,
  type NotificationParams,
} from '../../protocol/protocol';
import type { Logger } from '../diagnostics/logger';
import { RpcSession, type SessionHost } from './rpcSession';

export interface ServerOptions {
  secret: string;
  host: Omit<SessionHost, 'onInitialized'>;
  logger: Logger;
  /** Stop after this long with no client; 0 disables. */
  idleShutdownMs: number;
  onIdle(): void;
  /** A client disconnected: release what it held (watches, log streams). */
  onSessionClosed?(session: RpcSession): void;
  port?: number;
}

const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export class DaemonServer {
  private readonly http = http.createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('Railyard daemon: WebSocket only.\n');
  });
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly sessions = new Map<number, RpcSession>();
  private nextSessionId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: ServerOptions) {
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.http.on('clientError', (_e, socket) => socket.destroy());
  }

  /** Listens on 127.0.0.1 only; resolves with the port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 0, '127.0.0.1', () => {
        this.http.off('error', reject);
        this.armIdleTimer();
        resolve((this.http.address() as { port: number }).port);
      });
    });
  }

  get clients(): RpcSession[] {
    return [...this.sessions.values()].filter((s) => s.identity);
  }

  broadcast<N extends NotificationName>(method: N, params: NotificationParams<N>): void {
    for (const s of this.sessions.values()) s.notify(method, params);
  }

  /** Closes every connection and the listener; safe to call twice. */
  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      clearTimeout(this.idleTimer);
      for (const s of this.sessions.values()) s.close(1001, 'daemon stopping');
      this.wss.close();
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    return this.closing;
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const refusal = this.refusal(req);
    if (refusal) {
      this.options.logger.warn('connection refused', { status: refusal.status, why: refusal.why });
      socket.end(
        `HTTP/1.1 ${refusal.status} ${refusal.text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /** Browser pages always send Origin, so refusing it keeps every web page out (CSWSH). */
  private refusal(
    req: http.IncomingMessage,
  ): { status: number; text: string; why: string } | undefined {
    if (req.headers.origin !== undefined)
      return { status: 403, text: 'Forbidden', why: 'browser Origin header' };
    if (!secretMatches(req.headers[SECRET_HEADER], this.options.secret)) {
      return { status: 401, text: 'Unauthorized', why: 'missing or wrong secret' };
    }
    return undefined;
  }

  private accept(ws: WebSocket): void {
    const id = this.nextSessionId++;
    const session = new RpcSession(id, ws, {
      ...this.options.host,
      onInitialized: (s) =>
        this.options.logger.info('client connected', { id: s.id, client: s.identity }),
    });
    this.sessions.set(id, session);
    clearTimeout(this.idleTimer);
    ws.on('close', () => {
      this.sessions.delete(id);
      this.options.onSessionClosed?.(session);
      this.options.logger.info('client disconnected', { id });
      this.armIdleTimer();
    });
    ws.on('error', (e) =>
      this.options.logger.warn('client socket error', { id, error: e.message }),
    );
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.options.idleShutdownMs <= 0 || this.sessions.size > 0 || this.closing) return;
    this.idleTimer = setTimeout(() => this.options.onIdle(), this.options.idleShutdownMs);
    this.idleTimer.unref();
  }
}

/** Constant-time comparison of `Bearer <secret>` against the expected secret. */
export function secretMatches(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const presented = header.startsWith('Bearer ') ? header.slice(7) : '';
  const a = crypto.createHash('sha256').update(presented).digest();
  const b = crypto.createHash('sha256').update(secret).digest();
  // Hashing first makes the lengths equal, so timingSafeEqual never throws or leaks length.
  return crypto.timingSafeEqual(a, b) && presented.length > 0;
}
