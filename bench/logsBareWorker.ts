// The bare-loopback baseline's sender, on its own thread (as the daemon has its own process): a ws
// server that pushes `count` copies of a payload to whoever asks, as fast as the socket takes them.
import { parentPort } from 'node:worker_threads';
import { WebSocketServer, type WebSocket } from 'ws';

interface Order {
  payload: string;
  count: number;
}

/** Keeps the socket's unsent bytes under this, as the daemon's notifyIfRoom does (8 MB). */
const HIGH_WATER = 8 * 1024 * 1024;

async function push(ws: WebSocket, order: Order): Promise<void> {
  for (let i = 0; i < order.count; i++) {
    if (ws.bufferedAmount > HIGH_WATER)
      await new Promise<void>((resolve) => ws.send(order.payload, () => resolve()));
    else ws.send(order.payload);
  }
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => {
  const address = server.address();
  parentPort?.postMessage(address !== null && typeof address === 'object' ? address.port : 0);
});
server.on('connection', (ws) => {
  ws.on('message', (data: Buffer) => void push(ws, JSON.parse(String(data)) as Order));
});
parentPort?.on('message', () => server.close());
