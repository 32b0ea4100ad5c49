// Bad input over a real socket gets a JSON-RPC error with the right code, and the connection lives on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { ErrorCode, PROTOCOL_VERSION, secretHeaderValue } from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import { frameText } from '../../protocol/frameText';
import { startInProcess, type InProcessDaemon } from './harness';

/** A raw socket that sends text frames and reads parsed replies in order. */
async function rawSocket(port: number, secret: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, {
    headers: { authorization: secretHeaderValue(secret) },
  });
  const queue: unknown[] = [];
  const waiters: ((v: unknown) => void)[] = [];
  ws.on('message', (data) => {
    const msg: unknown = JSON.parse(frameText(data));
    const w = waiters.shift();
    if (w) w(msg);
    else queue.push(msg);
  });
  await new Promise((resolve) => ws.once('open', resolve));
  return {
    send: (text: string) => ws.send(text),
    next: () =>
      queue.length ? Promise.resolve(queue.shift()) : new Promise<unknown>((r) => waiters.push(r)),
    close: () => ws.close(),
  };
}

type Reply = { id: unknown; error?: { code: number; message: string }; result?: unknown };

describe('daemon JSON-RPC errors', () => {
  let d: InProcessDaemon;
  before(async () => {
    d = await startInProcess();
  });
  after(() => d.stop());

  it('answers each kind of bad input with its code and keeps the connection', async () => {
    const s = await rawSocket(d.port, d.secret);
    const cases: [string, number][] = [
      ['{not json', ErrorCode.ParseError],
      ['[1,2,3]', ErrorCode.InvalidRequest],
      ['{"jsonrpc":"1.0","id":1,"method":"daemon.status"}', ErrorCode.InvalidRequest],
      ['{"jsonrpc":"2.0","id":2,"method":"daemon.status"}', ErrorCode.NotInitialized],
      [
        '{"jsonrpc":"2.0","id":3,"method":"initialize","params":{"protocolVersions":[99],"client":{"name":"t","kind":"test"}}}',
        ErrorCode.UnsupportedVersion,
      ],
      [
        '{"jsonrpc":"2.0","id":4,"method":"initialize","params":{"protocolVersions":"1"}}',
        ErrorCode.InvalidParams,
      ],
      [
        `{"jsonrpc":"2.0","id":5,"method":"initialize","params":{"protocolVersions":[${PROTOCOL_VERSION}],"client":{"name":"t","kind":"test"}}}`,
        0,
      ],
      ['{"jsonrpc":"2.0","id":6,"method":"no.such.method"}', ErrorCode.MethodNotFound],
      [
        '{"jsonrpc":"2.0","id":7,"method":"auth.signOut","params":{"provider":"gitlab"}}',
        ErrorCode.InvalidParams,
      ],
      [
        '{"jsonrpc":"2.0","id":8,"method":"daemon.status","params":{"extra":true}}',
        ErrorCode.InvalidParams,
      ],
      ['{"jsonrpc":"2.0","id":9,"method":"__proto__"}', ErrorCode.MethodNotFound],
      ['{"jsonrpc":"2.0","id":10,"method":"daemon.status"}', 0],
    ];
    for (const [frame, code] of cases) {
      s.send(frame);
      const reply = (await s.next()) as Reply;
      if (code === 0) assert.ok(reply.result, `${frame} succeeds`);
      else assert.equal(reply.error?.code, code, `${frame} → ${JSON.stringify(reply)}`);
    }
    s.close();
  });

  it('explains a version mismatch with the versions it supports', async () => {
    const s = await rawSocket(d.port, d.secret);
    s.send(
      '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersions":[7,8],"client":{"name":"t","kind":"test"}}}',
    );
    const reply = (await s.next()) as Reply & { error: { data: { supported: number[] } } };
    assert.match(
      reply.error.message,
      new RegExp(`speaks protocol ${PROTOCOL_VERSION}.*offered 7, 8`),
    );
    assert.deepEqual(reply.error.data.supported, [PROTOCOL_VERSION]);
    s.close();
  });

  it('turns a bad param into a sentence naming the field', async () => {
    const c = await d.client();
    await assert.rejects(
      c.request('auth.setRailwayToken', { token: '' }),
      (e: RpcError) => e.code === ErrorCode.InvalidParams && /token/.test(e.message),
    );
  });
});
