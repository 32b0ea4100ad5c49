// The log pipeline's pure parts: levels and attributes, nanosecond timestamps, dedupe across a
// reconnect (and the gap it may hide), and the bounded, batched client queue.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notifications, type RailwayLog, type WireLogItem } from '../../protocol/protocol';
import { ClientQueue } from '../../daemon/logs/clientQueue';
import {
  encodeBatch,
  lastLines,
  lineCount,
  linesRun,
  markerRun,
  nextFrameList,
  runBounds,
  type LogRun,
} from '../../daemon/logs/logRuns';
import { LogDedupe } from '../../protocol/logDedupe';
import { decodeAttribute, normaliseLevel, readLogItems, toLogLine } from '../../client/logLines';
import { timestampKey, timestampNanos } from '../../protocol/logTimestamps';

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
      tags: { deploymentId: 'd1', serviceId: 's1' },
    });
    assert.deepEqual(line.attributes, { path: '/x' });
    assert.equal(line.deploymentId, 'd1');
    assert.equal(line.serviceId, 's1', 'whose line it is, for environment streams');
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
  /** Manual timers: the test decides when time passes. Each test line is a run of LINE bytes. */
  function setup(capLines: number, batchLines: number, extraBytes = 0) {
    const sent: LogRun[][] = [];
    let backedUp = false;
    let pending: (() => void) | undefined;
    let clock = 1000;
    const q = new ClientQueue({
      now: () => clock,
      capBytes: capLines * LINE + extraBytes,
      maxBatchBytes: batchLines * LINE,
      flushMs: 100,
      send: (runs) => (backedUp ? false : (sent.push(runs), true)),
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
  const log = (n: number) => ({
    timestamp: `2026-11-24T10:00:00.${String(n).padStart(9, '0')}Z`,
    message: `m${String(n).padStart(2, '0')}`,
  });
  const LINE = JSON.stringify(log(0)).length;
  const line = (n: number): LogRun => ({ json: Buffer.from(JSON.stringify(log(n))) });
  const lineCounts = (sent: LogRun[][]) => sent.map((b) => b.reduce((n, r) => n + lineCount(r), 0));

  it('sends a line after a quiet spell at once, then batches what follows within the interval', () => {
    const { q, sent, tick, advance } = setup(1000, 500);
    q.push(line(0));
    assert.deepEqual(lineCounts(sent), [1], 'no wait when nothing was sent lately');
    for (let i = 1; i < 50; i++) q.push(line(i));
    assert.equal(sent.length, 1, 'the rest waits for the interval');
    tick();
    assert.deepEqual(lineCounts(sent), [1, 49]);
    advance(500);
    q.push(line(50));
    assert.equal(sent.length, 3, 'quiet again: sent at once');
  });
  it('holds everything until released: a client must know the stream id before its lines arrive', () => {
    const sent: LogRun[][] = [];
    const q = new ClientQueue({
      capBytes: 100 * LINE,
      maxBatchBytes: 10 * LINE,
      flushMs: 100,
      now: () => 0,
      send: (runs) => (sent.push(runs), true),
      setTimeout: () => 0,
      clearTimeout: () => undefined,
    });
    const started = markerRun({ type: 'marker', kind: 'started', text: 'tailing' });
    q.push(line(1));
    q.push(started);
    assert.equal(sent.length, 0);
    q.release();
    assert.deepEqual(sent, [[line(1), started]]);
  });
  it('sends at once when a batch is full', () => {
    const { q, sent } = setup(1000, 10);
    for (let i = 0; i < 26; i++) q.push(line(i));
    assert.deepEqual(lineCounts(sent), [1, 10, 10]);
  });
  it('drops the oldest lines of a client that cannot keep up, and says how many', () => {
    const started = markerRun({ type: 'marker', kind: 'started', text: 'tailing' });
    const { q, sent, tick, backUp } = setup(5, 100, started.json.length);
    backUp(true);
    q.push(started);
    for (let i = 0; i < 12; i++) q.push(line(i));
    tick();
    assert.equal(sent.length, 0);
    assert.equal(q.size, 5, 'memory stays bounded');
    backUp(false);
    tick();
    const items = readLogItems(
      sent[0]!.flatMap((r) => JSON.parse(`[${r.json.toString()}]`) as WireLogItem[]),
    );
    assert.deepEqual(items[0], {
      type: 'marker',
      kind: 'dropped',
      text: '7 lines dropped: this client fell behind',
      count: 7,
    });
    assert.deepEqual(
      items.slice(1).map((i) => (i.type === 'line' ? i.message : `[${i.kind}]`)),
      ['[started]', 'm07', 'm08', 'm09', 'm10', 'm11'],
      'markers stay: they say what happened',
    );
  });
});

describe('log runs', () => {
  const log = (n: number, message = `line ${n}`): RailwayLog => ({
    timestamp: `2026-11-24T10:00:00.${String(n).padStart(9, '0')}Z`,
    message,
    severity: 'info',
    attributes: [{ key: 'level', value: '"warn"' }],
    tags: { deploymentId: 'd1', serviceId: 's1' },
  });
  const frame = (logs: RailwayLog[], field = 'deploymentLogs') =>
    Buffer.from(JSON.stringify({ id: 'a-1', type: 'next', payload: { data: { [field]: logs } } }));

  it("finds a next frame's list without decoding it, and nothing else", () => {
    const logs = [log(1), log(2)];
    assert.equal(nextFrameList(frame(logs))?.toString(), JSON.stringify(logs).slice(1, -1));
    assert.equal(nextFrameList(frame([], 'buildLogs'))?.length, 0);
    for (const other of [
      '{"type":"next","id":"a","payload":{"data":{"deploymentLogs":[]}}}',
      '{"id":"a","type":"next","payload":{"errors":[{"message":"no"}]}}',
      '{"id":"a","type":"complete"}',
      '{"type":"pong"}',
      '{"id":"a\\"","type":"next","payload":{"data":{"deploymentLogs":[]}}}',
    ])
      assert.equal(nextFrameList(Buffer.from(other)), undefined, other);
  });
  it('reads both ends of a run and the messages at its newest instant', () => {
    const list = nextFrameList(frame([log(1), log(2, 'a'), log(2, 'b "quoted"')]))!;
    assert.deepEqual(runBounds(list), {
      first: log(1).timestamp,
      last: log(2).timestamp,
      messagesAtLast: ['b "quoted"', 'a'],
    });
    const cut = list.subarray(0, list.length - 2);
    assert.equal(runBounds(cut), undefined, 'a malformed newest line is caught');
    const odd = { ...log(3), timestamp: '2026-11-24T10:00:03Z' };
    assert.equal(runBounds(nextFrameList(frame([odd]))!), undefined, 'not the fixed-width form');
  });
  it('counts lines and cuts the newest n at a line boundary, whatever the messages hold', () => {
    const logs = [log(1, '{"timestamp":"2026"} in a message'), log(2), log(3)];
    const run = linesRun(logs);
    assert.equal(lineCount({ json: run.json }), 3);
    const tail = lastLines(run, 2);
    assert.equal(tail.lines, 2);
    assert.deepEqual(JSON.parse(`[${tail.json.toString()}]`), logs.slice(1));
  });
  it("encodes a batch as a logs.batch notification the protocol's schema accepts", () => {
    const marker = markerRun({ type: 'marker', kind: 'started', text: 'tailing' });
    const frameText = encodeBatch('s-1', [marker, linesRun([log(1)]), { json: Buffer.alloc(0) }]);
    const parsed = JSON.parse(frameText.toString()) as { method: string; params: unknown };
    assert.equal(parsed.method, 'logs.batch');
    const params = notifications['logs.batch'].parse(parsed.params);
    assert.deepEqual(
      readLogItems(params.items).map((i) => (i.type === 'line' ? i.level : i.kind)),
      ['started', 'warn'],
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
