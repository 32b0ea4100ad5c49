// The log pipeline's pure parts: levels and attributes, nanosecond timestamps, dedupe across a
// reconnect (and the gap it may hide), and the bounded, batched client queue.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogItem } from '../../protocol/protocol';
import { ClientQueue } from '../../daemon/logs/clientQueue';
import { LogDedupe } from '../../daemon/logs/logDedupe';
import {
  decodeAttribute,
  normaliseLevel,
  timestampKey,
  timestampNanos,
  toLogLine,
} from '../../daemon/logs/logLine';

describe('log lines', () => {
  it('takes the level from level, lvl or severity attributes, then the severity field', () => {
    const attr = (key: string, value: string) =>
      toLogLine({ timestamp: 't', message: 'm', attributes: [{ key, value }] }).level;
    assert.equal(attr('level', '"error"'), 'error');
    assert.equal(attr('lvl', '"WARNING"'), 'warn');
    assert.equal(attr('severity', '"debug"'), 'debug');
    assert.equal(toLogLine({ timestamp: 't', message: 'm', severity: 'err' }).level, 'error');
    assert.equal(toLogLine({ timestamp: 't', message: 'm', severity: 'stderr' }).level, 'error');
    assert.equal(toLogLine({ timestamp: 't', message: 'm' }).level, 'info');
    assert.equal(normaliseLevel('banana'), undefined);
  });
  it('decodes attribute values from their JSON strings', () => {
    assert.equal(decodeAttribute('"GET /api"'), 'GET /api');
    assert.equal(decodeAttribute('42'), '42');
    assert.equal(decodeAttribute('{"a":1}'), '{"a":1}');
    assert.equal(decodeAttribute('not json'), 'not json');
    const line = toLogLine({
      timestamp: 't',
      message: 'm',
      attributes: [
        { key: 'level', value: '"info"' },
        { key: 'path', value: '"/x"' },
      ],
      tags: { deploymentId: 'd1' },
    });
    assert.deepEqual(line.attributes, { path: '/x' });
    assert.equal(line.deploymentId, 'd1');
  });
  it('keeps nanoseconds that Date would lose', () => {
    assert.equal(
      timestampNanos('2026-11-24T10:00:00.000000001Z') - timestampNanos('2026-11-24T10:00:00Z'),
      1n,
    );
    assert.equal(
      timestampNanos('2026-11-24T10:00:00.5Z') - timestampNanos('2026-11-24T10:00:00Z'),
      500_000_000n,
    );
    assert.equal(
      timestampNanos('2026-11-24T11:00:00.000000002+01:00'),
      timestampNanos('2026-11-24T10:00:00.000000002Z'),
    );
  });
});

describe('dedupe across a reconnect', () => {
  const t = (n: number) => `2026-11-24T10:00:00.00000000${n}Z`;
  it('drops the replayed backlog, keeps new lines, including new ones at the same instant', () => {
    const d = new LogDedupe();
    for (const [ts, m] of [
      [t(1), 'a'],
      [t(2), 'b'],
      [t(2), 'b'],
      [t(3), 'c'],
    ] as const)
      assert.equal(d.accept(ts, m), 'new');
    d.beginReplay();
    const replay = [
      [t(1), 'a'],
      [t(2), 'b'],
      [t(2), 'b'],
      [t(3), 'c'],
      [t(3), 'c2'],
      [t(4), 'd'],
    ] as const;
    assert.deepEqual(
      replay.map(([ts, m]) => d.accept(ts, m)),
      ['duplicate', 'duplicate', 'duplicate', 'duplicate', 'new', 'new'],
    );
  });
  it('flags a possible gap when the replay does not reach back to the last delivered line', () => {
    const d = new LogDedupe();
    d.accept(t(1), 'a');
    d.beginReplay();
    assert.equal(d.accept(t(5), 'e'), 'new-after-gap');
    assert.equal(d.accept(t(6), 'f'), 'new');
  });
  it('accepts out-of-order lines from several replicas outside a replay', () => {
    const d = new LogDedupe();
    d.accept(t(5), 'x');
    assert.equal(d.accept(t(3), 'y'), 'new');
  });
});

describe('client queue', () => {
  /** Manual timers: the test decides when time passes. */
  function setup(cap: number, maxBatch: number) {
    const sent: LogItem[][] = [];
    let backedUp = false;
    let pending: (() => void) | undefined;
    let clock = 1000;
    const q = new ClientQueue({
      now: () => clock,
      cap,
      maxBatch,
      flushMs: 100,
      send: (items) => (backedUp ? false : (sent.push(items), true)),
      setTimeout: (fn) => (pending = fn),
      clearTimeout: () => (pending = undefined),
    });
    const tick = () => {
      const fn = pending;
      pending = undefined;
      fn?.();
    };
    q.release();
    const advance = (ms: number) => (clock += ms);
    return { q, sent, tick, advance, backUp: (v: boolean) => (backedUp = v) };
  }
  const line = (n: number): LogItem => ({
    type: 'line',
    timestamp: String(n),
    message: `m${n}`,
    level: 'info',
  });

  it('sends a line after a quiet spell at once, then batches what follows within the interval', () => {
    const { q, sent, tick, advance } = setup(1000, 500);
    q.push(line(0));
    assert.deepEqual(
      sent.map((b) => b.length),
      [1],
      'no wait when nothing was sent lately',
    );
    for (let i = 1; i < 50; i++) q.push(line(i));
    assert.equal(sent.length, 1, 'the rest waits for the interval');
    tick();
    assert.deepEqual(
      sent.map((b) => b.length),
      [1, 49],
    );
    advance(500);
    q.push(line(50));
    assert.equal(sent.length, 3, 'quiet again: sent at once');
  });
  it('holds everything until released: a client must know the stream id before its lines arrive', () => {
    const sent: LogItem[][] = [];
    const q = new ClientQueue({
      cap: 100,
      maxBatch: 10,
      flushMs: 100,
      now: () => 0,
      send: (i) => (sent.push(i), true),
      setTimeout: () => 0,
      clearTimeout: () => undefined,
    });
    q.push(line(1));
    q.push({ type: 'marker', kind: 'started', text: 'tailing' });
    assert.equal(sent.length, 0);
    q.release();
    assert.deepEqual(sent, [[line(1), { type: 'marker', kind: 'started', text: 'tailing' }]]);
  });
  it('sends at once when a batch is full', () => {
    const { q, sent } = setup(1000, 10);
    for (let i = 0; i < 26; i++) q.push(line(i));
    assert.deepEqual(
      sent.map((b) => b.length),
      [1, 10, 10],
    );
  });
  it('drops the oldest lines of a client that cannot keep up, and says how many', () => {
    const { q, sent, tick, backUp } = setup(5, 100);
    backUp(true);
    for (let i = 0; i < 12; i++) q.push(line(i));
    tick();
    assert.equal(sent.length, 0);
    assert.equal(q.size, 5, 'memory stays bounded');
    backUp(false);
    tick();
    const [batch] = sent;
    assert.deepEqual(batch?.[0], {
      type: 'marker',
      kind: 'dropped',
      text: '7 lines dropped: this client fell behind',
      count: 7,
    });
    assert.deepEqual(
      batch?.slice(1).map((i) => (i.type === 'line' ? i.message : '')),
      ['m7', 'm8', 'm9', 'm10', 'm11'],
    );
  });
});

describe('timestamp keys', () => {
  it('orders as time does, whatever form Railway used', () => {
    assert.equal(timestampKey('2026-11-24T10:00:00.000000001Z'), '2026-11-24T10:00:00.000000001Z');
    assert.equal(timestampKey('2026-11-24T10:00:00.5Z'), '2026-11-24T10:00:00.500000000Z');
    assert.equal(
      timestampKey('2026-11-24T11:00:00.000000002+01:00'),
      '2026-11-24T10:00:00.000000002Z',
    );
    assert.equal(timestampKey('2026-11-24T10:00:00Z'), '2026-11-24T10:00:00.000000000Z');
    assert.ok(
      timestampKey('2026-11-24T10:00:00.999999999Z') < timestampKey('2026-11-24T10:00:01Z'),
    );
  });
});
