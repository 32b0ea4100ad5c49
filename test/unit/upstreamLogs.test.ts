// The upstream multiplexer with a scripted subscriber: one upstream per key however many
// listeners, closed with the last one, replays deduped after a reconnect, late joiners get history.
// Frames go the way a real subscription sends them: offered raw first, decoded when not taken.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogItem, RailwayLog, WireLogItem } from '../../protocol/protocol';
import type { RailwaySubscriptionHandlers } from '../../daemon/railway/railwaySubscriptions';
import { readLogItems } from '../../client/logLines';
import type { LogRun } from '../../daemon/logs/logRuns';
import { UpstreamLogs, type UpstreamKey } from '../../daemon/logs/upstreamLogs';

type Handlers = RailwaySubscriptionHandlers<Record<string, RailwayLog[]>>;

function scripted() {
  const open: { key: UpstreamKey; backlog: number; h: Handlers; closed: boolean }[] = [];
  const logs = new UpstreamLogs((key, backlog, h) => {
    const sub = { key, backlog, h, closed: false };
    open.push(sub);
    return () => (sub.closed = true);
  });
  return { logs, open };
}
const log = (n: number, message = `line ${n}`): RailwayLog => ({
  timestamp: `2026-11-24T10:00:00.${String(n).padStart(9, '0')}Z`,
  message,
});
/** As railwaySubscriptions does: the frame's bytes first; decoded only when they are not taken. */
const send = (h: Handlers, ...lines: RailwayLog[]): boolean => {
  const frame = { id: '1', type: 'next', payload: { data: { deploymentLogs: lines } } };
  if (h.frame?.(Buffer.from(JSON.stringify(frame)))) return true;
  h.next({ deploymentLogs: lines });
  return false;
};
/** What a client reads from runs once they are in a batch. */
const itemsOf = (runs: LogRun[]): LogItem[] =>
  readLogItems(runs.flatMap((r) => JSON.parse(`[${r.json.toString()}]`) as WireLogItem[]));
const messages = (runs: LogRun[]) =>
  itemsOf(runs).map((i) => (i.type === 'line' ? i.message : `[${i.kind}]`));

describe('upstream logs', () => {
  it('opens one upstream for two listeners and closes it when the last leaves', () => {
    const { logs, open } = scripted();
    const a: LogRun[] = [];
    const b: LogRun[] = [];
    const key: UpstreamKey = { kind: 'deploy', sourceId: 'd1' };
    const offA = logs.attach(key, 100, (i) => a.push(...i));
    const offB = logs.attach(key, 100, (i) => b.push(...i));
    assert.equal(open.length, 1);
    send(open[0]!.h, log(1), log(2));
    assert.deepEqual(messages(a), ['line 1', 'line 2']);
    assert.deepEqual(messages(b), ['line 1', 'line 2']);
    offA();
    assert.equal(open[0]!.closed, false);
    offB();
    assert.equal(open[0]!.closed, true);
    assert.equal(logs.openCount, 0);
  });
  it('keeps different filters and kinds apart', () => {
    const { logs, open } = scripted();
    logs.attach({ kind: 'deploy', sourceId: 'd1' }, 10, () => undefined);
    logs.attach({ kind: 'deploy', sourceId: 'd1', filter: '@level:error' }, 10, () => undefined);
    logs.attach({ kind: 'build', sourceId: 'd1' }, 10, () => undefined);
    assert.equal(open.length, 3);
  });
  it('gives a late listener the recent lines it asked for', () => {
    const { logs, open } = scripted();
    logs.attach({ kind: 'deploy', sourceId: 'd1' }, 100, () => undefined);
    send(open[0]!.h, log(1), log(2), log(3));
    const late: LogRun[] = [];
    logs.attach({ kind: 'deploy', sourceId: 'd1' }, 2, (i) => late.push(...i));
    assert.deepEqual(messages(late), ['line 2', 'line 3']);
  });
  it('after a reconnect delivers nothing twice and says what happened', () => {
    const { logs, open } = scripted();
    const got: LogRun[] = [];
    logs.attach({ kind: 'deploy', sourceId: 'd1' }, 100, (i) => got.push(...i));
    const h = open[0]!.h;
    h.connected?.(false);
    send(h, log(1), log(2), log(2, 'same instant'));
    h.disconnected?.();
    h.connected?.(true);
    send(h, log(1), log(2), log(2, 'same instant'), log(3));
    assert.deepEqual(messages(got), [
      'line 1',
      'line 2',
      'same instant',
      '[reconnecting]',
      '[reconnected]',
      'line 3',
    ]);
  });
  it('marks a gap when the replay starts after the last delivered line', () => {
    const { logs, open } = scripted();
    const got: LogRun[] = [];
    logs.attach({ kind: 'deploy', sourceId: 'd1' }, 100, (i) => got.push(...i));
    const h = open[0]!.h;
    send(h, log(1));
    h.connected?.(true);
    send(h, log(7));
    assert.deepEqual(messages(got), ['line 1', '[reconnected]', '[gap]', 'line 7']);
  });
  it('passes live frames on as Railway sent them, and decodes first events and replays', () => {
    const { logs, open } = scripted();
    const got: LogRun[] = [];
    logs.attach({ kind: 'deploy', sourceId: 'd1' }, 100, (r) => got.push(...r));
    const h = open[0]!.h;
    assert.equal(send(h, log(1)), false, 'the first event is decoded: it may hold a backlog');
    const live = [log(2), log(3, 'with "quotes" and {"timestamp":"x"}'), log(3, 'twin')];
    assert.equal(send(h, ...live), true, 'a live frame past everything delivered is taken whole');
    assert.equal(got.at(-1)?.json.toString(), live.map((l) => JSON.stringify(l)).join(','));
    h.connected?.(true);
    assert.equal(send(h, log(3, 'twin'), log(4)), false, 'a replay is checked line by line');
    assert.equal(send(h, log(5)), true, 'live again once the replay is past');
    assert.deepEqual(messages(got), [
      'line 1',
      'line 2',
      'with "quotes" and {"timestamp":"x"}',
      'twin',
      '[reconnected]',
      'line 4',
      'line 5',
    ]);
  });
  it('decodes frames it does not recognise, and lines at an instant already delivered', () => {
    const { logs, open } = scripted();
    const got: LogRun[] = [];
    logs.attach({ kind: 'deploy', sourceId: 'd1' }, 100, (r) => got.push(...r));
    const h = open[0]!.h;
    send(h, log(1));
    assert.equal(send(h, log(1, 'same instant')), false, 'not strictly newer: checked per line');
    const shortTime = { timestamp: '2026-11-24T10:00:01Z', message: 'short form' };
    assert.equal(send(h, shortTime), false, 'a timestamp not in the fixed-width form');
    assert.equal(h.frame?.(Buffer.from('{"type":"next","id":"1","payload":{}}')), false);
    assert.deepEqual(messages(got), ['line 1', 'same instant', 'short form']);
  });
});
