// graphql-transport-ws for the Railway simulator: auth on the upgrade request, then graphql-ws's own server.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { identify, type Viewer } from './access';
import { operationNameOf, simContext, tryParse, type SimRuntime } from './httpGraphql';
import { subscribeFast } from './logProjection';
import { railwayMutationRoot, railwayQueryRoot, railwaySubscriptionRoot } from './roots';

export interface WsEndpoint {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Terminates every open socket; returns how many there were. */
  dropAll(): number;
  close(): Promise<void>;
}

export function createWsEndpoint(rt: SimRuntime): WsEndpoint {
  const wss = new WebSocketServer({ noServer: true });
  const viewers = new WeakMap<IncomingMessage, Viewer | null>();
  const disposable = useServer(
    {
      schema: rt.schema,
      roots: {
        query: railwayQueryRoot,
        mutation: railwayMutationRoot,
        subscription: railwaySubscriptionRoot,
      },
      subscribe: subscribeFast,
      context: (ctx) => simContext(rt, viewers.get(ctx.extra.request) ?? null),
      onSubscribe: (ctx, _id, payload) => {
        const viewer = viewers.get(ctx.extra.request) ?? null;
        const name = operationNameOf(payload, tryParse(payload.query));
        rt.traffic.note(viewer?.token ?? 'anonymous', name);
        if (rt.faults.takeSocketDrop()) ctx.extra.socket.terminate();
      },
    },
    wss,
    0,
  );
  return {
    handleUpgrade(req, socket, head) {
      const identity = identify(req.headers, rt.viewers);
      if ('refused' in identity) return refuse(socket, identity.refused);
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        viewers.set(req, 'viewer' in identity ? identity.viewer : null);
        wss.emit('connection', ws, req);
      });
    },
    dropAll() {
      const open = [...wss.clients];
      for (const ws of open) ws.terminate();
      return open.length;
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** A refused upgrade answers 401 with Railway's message in the body, as an HTTP request would be. */
function refuse(socket: Duplex, message: string): void {
  const body = JSON.stringify({ errors: [{ message }] });
  socket.end(
    `HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
