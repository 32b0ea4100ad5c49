// The upstream multiplexer with a scripted subscriber: one upstream per key however many
// listeners, closed with the last one, replays deduped after a reconnect, late joiners get history.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogItem } from '../../protocol/protocol';
import type { RailwaySubscriptionHandlers } from '../../daemon/railway/railwaySubscriptions';
import type { RailwayLog } from '../../daemon/logs/logLine';
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
const send = (h: Handlers, ...lines: RailwayLog[]) => h.next({ deploymentLogs: lines });
const messages = (items: LogItem[]) =>
  items.map((i) => (i.type === 'line' ? i.message : `[${i.kind}]`));

describe('upstream logs', () => {
  it('opens one upstream for two listeners and closes it when the last leaves', () => {
    const { logs, open } = scripted();
    const a: LogItem[] = [];
    const b: LogItem[] = [];
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
    const late: LogItem[] = [];
    logs.attach({ kind: 'deploy', sourceId: 'd1' }, 2, (i) => late.push(...i));
    assert.deepEqual(messages(late), ['line 2', 'line 3']);
  });
  it('after a reconnect delivers nothing twice and says what happened', () => {
    const { logs, open } = scripted();
    const got: LogItem[] = [];
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
    const got: LogItem[] = [];
    logs.attach({ kind: 'deploy', sourceId: 'd1' }, 100, (i) => got.push(...i));
    const h = open[0]!.h;
    send(h, log(1));
    h.connected?.(true);
    send(h, log(7));
    assert.deepEqual(messages(got), ['line 1', '[reconnected]', '[gap]', 'line 7']);
  });
});
