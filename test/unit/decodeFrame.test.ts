// What the client makes of each frame from the daemon (client/rpcClient.ts: decodeFrame): responses
// by their id, notifications checked against the protocol, log items read as Railway lines or as
// markers with nothing lost, and anything else dropped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame } from '../../client/rpcClient';
import type { LogMarker, RailwayLog } from '../../protocol/protocol';

const batch = (items: unknown[]): string =>
  JSON.stringify({ jsonrpc: '2.0', method: 'logs.batch', params: { streamId: 's1', items } });

const line: RailwayLog = {
  timestamp: '2026-12-01T19:50:00.123456789Z',
  message: 'GET /api/invoices 200 in 12ms',
  severity: 'info',
  attributes: [{ key: 'level', value: '"info"' }],
  tags: { deploymentId: 'd1', serviceId: 's1' },
};
const marker: LogMarker = {
  type: 'marker',
  kind: 'rate-limited',
  text: 'Railway dropped 5 log lines here',
  count: 5,
  timestamp: '2026-12-01T19:50:01Z',
  deploymentId: 'd1',
};

describe('decodeFrame', () => {
  it('reads a batch of Railway lines and markers, each whole', () => {
    const frame = decodeFrame(batch([line, marker, line]));
    assert.ok(frame?.kind === 'notification' && frame.method === 'logs.batch');
    assert.deepEqual(frame.params, { streamId: 's1', items: [line, marker, line] });
  });
  it('reads a response by its id, a result or an error', () => {
    const ok = decodeFrame(JSON.stringify({ jsonrpc: '2.0', id: 3, result: { a: 1 } }));
    assert.deepEqual(ok, {
      kind: 'response',
      response: { jsonrpc: '2.0', id: 3, result: { a: 1 } },
    });
    const error = { code: -32601, message: 'no such method' };
    const failed = decodeFrame(JSON.stringify({ jsonrpc: '2.0', id: null, error }));
    assert.deepEqual(failed, { kind: 'response', response: { jsonrpc: '2.0', id: null, error } });
  });
  it('drops what the protocol does not allow', () => {
    const dropped = [
      'not json',
      'null',
      '[1,2]',
      JSON.stringify({ jsonrpc: '2.0', id: 3 }), // neither result nor error
      JSON.stringify({ jsonrpc: '2.0', id: 3, result: 1, method: 'logs.batch' }),
      JSON.stringify({ jsonrpc: '2.0', method: 'no.such.notification', params: {} }),
      batch([{ message: 'no timestamp' }]),
      batch([{ type: 'marker', kind: 'no-such-kind', text: 't' }]),
      batch([{ type: 'marker', kind: 'gap' }]), // a marker without its text
    ];
    for (const text of dropped) assert.equal(decodeFrame(text), undefined, text);
  });
});
