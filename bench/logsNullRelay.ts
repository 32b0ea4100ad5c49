// The logs bench's two-hop ceiling: a process that does nothing but what any relay must (subscribe
// upstream over graphql-transport-ws, take each `next` frame's list, frame it as a logs.batch and
// send it on, pausing the upstream while the client is backed up). No dedupe, queues, markers or
// following. End to end crosses loopback twice, so this, not one bare hop, is the most a daemon in
// the middle could reach on this machine.
// Run by the bench as its own process: env RELAY_UPSTREAM (ws URL), RELAY_TOKEN, RELAY_DEPLOYMENT.
import WebSocket, { WebSocketServer } from 'ws';
import { railwayOperations } from '../daemon/railway/operations';
import { encodeBatch, nextFrameList } from '../daemon/logs/logRuns';

const HIGH_WATER = 8 * 1024 * 1024;
const { RELAY_UPSTREAM, RELAY_TOKEN, RELAY_DEPLOYMENT } = process.env;

function relay(client: WebSocket): void {
  const up = new WebSocket(RELAY_UPSTREAM!, 'graphql-transport-ws', {
    headers: { authorization: `Bearer ${RELAY_TOKEN}` },
    maxPayload: 64 * 1024 * 1024,
  });
  up.on('open', () => up.send(JSON.stringify({ type: 'connection_init' })));
  up.on('message', (frame: Buffer) => {
    const list = nextFrameList(frame);
    if (list) return forward(client, up, list);
    const text = frame.toString();
    if (text.includes('"connection_ack"'))
      up.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: {
            query: railwayOperations.DeploymentLogs,
            variables: { deploymentId: RELAY_DEPLOYMENT, limit: 0 },
          },
        }),
      );
  });
  client.on('close', () => up.terminate());
}

function forward(client: WebSocket, up: WebSocket, list: Buffer): void {
  if (list.length === 0) return;
  const batch = encodeBatch('null-relay', [{ json: list }]);
  if (client.bufferedAmount <= HIGH_WATER) return client.send(batch, { binary: false });
  up.pause();
  client.send(batch, { binary: false }, () => up.resume());
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
server.on('connection', relay);
process.on('SIGTERM', () => process.exit(0));
