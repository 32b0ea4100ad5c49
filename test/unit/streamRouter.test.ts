// Log batches reach their stream's consumer even when the first arrives in the same socket read as
// the `logs.subscribe` answer naming the stream: a real RpcClient against a server that writes both
// frames at once, and the router's bookkeeping (kept in order, bounded, dropped when unclaimed).
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import {
  PROTOCOL_VERSION,
  type FolderContext,
  type NotificationParams,
  type Result,
  type WireLogItem,
} from '../../protocol/protocol';
import { frameText } from '../../protocol/frameText';
import { RpcClient } from '../../client/rpcClient';
import { LogStreams, StreamRouter, type WireBatch } from '../../client/streamRouter';

interface Request {
  id: number;
  method: string;
}

const folder: FolderContext = { path: '/tmp/kars', trusted: true };
const marker = (text: string): WireLogItem => ({ type: 'marker', kind: 'started', text });

/** An unmasked text frame, as a server sends it (RFC 6455 §5.2), for payloads under 64 KiB. */
function textFrame(json: object): Buffer {
  const payload = Buffer.from(JSON.stringify(json));
  const header =
    payload.length < 126
      ? Buffer.from([0x81, payload.length])
      : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, payload]);
}

const batchFrame = (params: NotificationParams<'logs.batch'>) =>
  textFrame({ jsonrpc: '2.0', method: 'logs.batch', params });

/**
 * A daemon stand-in: answers `initialize`, and answers each `logs.subscribe` together with the
 * stream's first batch in ONE write to the socket, so the client reads both at once. Later batches
 * go out when the test says.
 */
class OneReadServer {
  private readonly http = http.createServer();
  private readonly wss = new WebSocketServer({ noServer: true });
  private socket: Duplex | undefined;
  private streams = 0;

  async listen(): Promise<number> {
    this.http.on('upgrade', (req, socket, head) => {
      this.socket = socket;
      this.wss.handleUpgrade(req, socket, head, (ws) =>
        ws.on('message', (data) => this.onRequest(JSON.parse(frameText(data)) as Request)),
      );
    });
    this.http.listen(0, '127.0.0.1');
    await once(this.http, 'listening');
    return (this.http.address() as AddressInfo).port;
  }

  /** A later batch, in a write of its own. */
  send(params: NotificationParams<'logs.batch'>): void {
    this.socket?.write(batchFrame(params));
  }

  close(): Promise<void> {
    this.wss.close();
    this.http.closeAllConnections();
    return new Promise((resolve) => this.http.close(() => resolve()));
  }

  private onRequest(request: Request): void {
    const answer = (result: object) => textFrame({ jsonrpc: '2.0', id: request.id, result });
    if (request.method === 'initialize') {
      const hello: Result<'initialize'> = {
        protocolVersion: PROTOCOL_VERSION,
        daemonVersion: 'test',
        pid: process.pid,
        capabilities: ['logs'],
        clientId: 1,
      };
      return void this.socket?.write(answer(hello));
    }
    if (request.method === 'logs.subscribe') {
      const streamId = `stream-${++this.streams}`;
      const subscribed: Result<'logs.subscribe'> = { streamId, environment: 'kars-dev' };
      const first = batchFrame({ streamId, items: [marker(`tailing ${streamId}`)] });
      this.socket?.write(Buffer.concat([answer(subscribed), first]));
    }
  }
}

describe('log streams over a real connection', () => {
  let server: OneReadServer;
  let client: RpcClient;

  before(async () => {
    server = new OneReadServer();
    const port = await server.listen();
    client = await RpcClient.connect({
      port,
      secret: 'unused',
      client: { name: 'router test', kind: 'test' },
    });
  });
  after(async () => {
    client.close();
    await server.close();
  });

  it('delivers the first batch that came in the same read as the subscribe answer', async () => {
    const streams = new LogStreams(client);
    const got: WireBatch[] = [];
    const arrived = new EventEmitter();
    const { streamId } = await streams.subscribe({ folder, environment: 'kars-dev' }, (items) => {
      got.push(items);
      arrived.emit('batch');
    });
    // A later batch in a read of its own: once it is here, the first one had every chance to be.
    const later = once(arrived, 'batch');
    server.send({ streamId, items: [marker('second')] });
    await later;
    assert.deepEqual(
      got.map((items) => items.map((i) => ('text' in i ? i.text : ''))),
      [[`tailing ${streamId}`], ['second']],
    );
    streams.dispose();
  });

  it('keeps each stream`s first batch apart when two subscribes are in flight', async () => {
    const streams = new LogStreams(client);
    const got = new Map<string, string[]>();
    const consumer = (key: string) => (items: WireBatch) =>
      got.set(key, [...(got.get(key) ?? []), ...items.map((i) => ('text' in i ? i.text : ''))]);
    const [a, b] = await Promise.all([
      streams.subscribe({ folder, environment: 'kars-dev' }, consumer('a')),
      streams.subscribe({ folder, environment: 'kars-dev' }, consumer('b')),
    ]);
    assert.deepEqual(got.get('a'), [`tailing ${a.streamId}`]);
    assert.deepEqual(got.get('b'), [`tailing ${b.streamId}`]);
    streams.dispose();
  });
});

describe('stream router', () => {
  it('hands a stream its batches in order once its id is claimed', () => {
    const router = new StreamRouter<number>();
    const pending = router.expect();
    router.deliver('s1', 1);
    router.deliver('s1', 2);
    const got: number[] = [];
    pending.claim('s1', (n) => got.push(n));
    router.deliver('s1', 3);
    assert.deepEqual(got, [1, 2, 3]);
    assert.equal(router.waiting, 0);
  });

  it('drops batches of unknown streams when no subscribe is in flight', () => {
    const router = new StreamRouter<number>();
    router.deliver('gone', 1);
    assert.equal(router.waiting, 0);
    const pending = router.expect();
    router.deliver('other', 2);
    assert.equal(router.waiting, 1);
    pending.abandon();
    assert.equal(router.waiting, 0, 'nobody can claim them any more');
  });

  it('keeps batches of other unknown streams while another subscribe is still in flight', () => {
    const router = new StreamRouter<number>();
    const first = router.expect();
    const second = router.expect();
    router.deliver('s2', 20);
    router.deliver('s1', 10);
    first.claim('s1', () => undefined);
    assert.equal(router.waiting, 1, "s2's batch waits for the second answer");
    const got: number[] = [];
    second.claim('s2', (n) => got.push(n));
    assert.deepEqual(got, [20]);
    assert.equal(router.waiting, 0);
  });

  it('keeps at most its bound, dropping the oldest', () => {
    const router = new StreamRouter<number>(3);
    const pending = router.expect();
    for (let i = 1; i <= 5; i++) router.deliver('s1', i);
    const got: number[] = [];
    pending.claim('s1', (n) => got.push(n));
    assert.deepEqual(got, [3, 4, 5]);
  });

  it('stops delivering a forgotten stream, and a second claim or abandon changes nothing', () => {
    const router = new StreamRouter<number>();
    const pending = router.expect();
    const got: number[] = [];
    pending.claim('s1', (n) => got.push(n));
    pending.abandon();
    router.forget('s1');
    router.deliver('s1', 1);
    assert.deepEqual(got, []);
    assert.equal(router.waiting, 0);
  });
});
