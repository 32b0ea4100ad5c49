// Proves the simulator's high-rate logs: numbered lines in lists per event, timestamps that never go
// backwards (shared when asked), bounded memory, counted subscriptions and a fixed-rate emitter.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import { NanoClock, Ring } from '../../sim/railway/logRing';
import { EMIT_NS, SEQ } from '../../sim/railway/logGenerator';
import { defaultLogCapacity } from '../../sim/railway/logs';
import { railwayOperations } from '../../daemon/railway/operations';

interface Log {
  timestamp: string;
  message: string;
  attributes: { key: string; value: string }[];
}

const account = 'acct-token-rates-0123456789';

function wsClient(sim: RailwaySim): Client {
  class HeaderSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { authorization: `Bearer ${account}` } });
    }
  }
  return createClient({ url: sim.wsUrl, webSocketImpl: HeaderSocket, retryAttempts: 0 });
}

const attr = (l: Log, key: string) => l.attributes.find((a) => a.key === key)?.value;

void describe('Railway simulator log generator', () => {
  let sim: RailwaySim;
  let client: Client;
  let deploymentId: string;
  before(async () => {
    sim = await startRailwaySim({ tokens: [{ token: account, kind: 'account' }] });
    client = wsClient(sim);
    const env = sim.state.environmentByName('kars-dev');
    const backend = sim.state.serviceByName('kars-backend');
    deploymentId = sim.state.servingDeployment(env.id, backend.id)!.id;
  });
  after(async () => {
    await client.dispose();
    await sim.close();
  });

  void it('sends a burst as one list, each line numbered and stamped with its emit time', async () => {
    const events: Log[][] = [];
    const variables = { deploymentId, limit: 0 };
    const query = railwayOperations.DeploymentLogs;
    for await (const result of client.iterate<{ deploymentLogs: Log[] }>({ query, variables })) {
      events.push(result.data?.deploymentLogs ?? []);
      if (events.length === 1) sim.logs.emit(deploymentId, 3000, { uncapped: true });
      else break;
    }
    assert.deepEqual(events[0], [], 'limit 0: no backlog');
    const burst = events[1] ?? [];
    assert.equal(burst.length, 3000, 'the whole burst in one event');
    assert.deepEqual(
      burst.map((l) => Number(attr(l, SEQ))),
      Array.from({ length: 3000 }, (_, i) => i + 1),
    );
    assert.match(JSON.parse(attr(burst[0]!, EMIT_NS) ?? '""') as string, /^\d+$/);
    assert.equal(burst[0]?.message, 'line 1');
    assertNonDecreasing(burst.map((l) => l.timestamp));
  });

  void it('counts log subscriptions: one while a client listens, none after it leaves', async () => {
    const q = { deploymentId, kind: 'deploy' as const };
    const opened = sim.state.logs.subscriptionsOpened(q);
    const variables = { deploymentId, limit: 1 };
    const iterator = client.iterate({ query: railwayOperations.DeploymentLogs, variables });
    await iterator.next();
    assert.equal(sim.state.logs.openSubscriptions(q), 1);
    assert.equal(sim.state.logs.subscriptionsOpened(q), opened + 1);
    await iterator.return?.();
    await sim.state.logs.untilSubscriptions((open) => open === 0, q);
  });

  void it('shares timestamps when asked, and continues seq per deployment', () => {
    const before = sim.logs.lastSeq(deploymentId);
    const lines = sim.logs.emit(deploymentId, 9, { sameTimestamp: 3, message: () => 'tick' });
    assert.equal(new Set(lines.map((l) => l.timestamp)).size, 3);
    assert.equal(lines[0]?.timestamp, lines[2]?.timestamp);
    assert.ok((lines[3]?.timestamp ?? '') > (lines[2]?.timestamp ?? ''));
    assert.equal(attr(lines[0]!, SEQ), String(before + 1));
    assert.equal(sim.logs.lastSeq(deploymentId), before + 9);
  });

  void it('keeps only the newest lines of a deployment, so a million cost little', () => {
    for (let i = 0; i < 25; i++) sim.logs.emit(deploymentId, 1000, { uncapped: true });
    const last = sim.logs.lastSeq(deploymentId);
    const newest = sim.state.logs.query({ deploymentId, kind: 'deploy' }, 5000);
    assert.equal(newest.length, 5000);
    assert.equal(attr(newest.at(-1)!, SEQ), String(last));
    assert.equal(attr(newest[0]!, SEQ), String(last - 4999));
    assert.equal(sim.state.logs.stored({ deploymentId, kind: 'deploy' }), defaultLogCapacity);
  });

  void it('levels and extra attributes: level from severity unless overridden', () => {
    const [line] = sim.logs.emit(deploymentId, 1, {
      severity: 'warn',
      attributes: () => ({ level: undefined, lvl: 'WARN', user: { id: 7 } }),
    });
    assert.deepEqual(
      line?.attributes.filter((a) => a.key !== SEQ && a.key !== EMIT_NS),
      [
        { key: 'lvl', value: '"WARN"' },
        { key: 'user', value: '{"id":7}' },
      ],
    );
    assert.equal(line?.severity, 'warn');
  });

  void it('emits at a fixed rate until its total, then says how many', async () => {
    const emitter = sim.logs.startEmitter(deploymentId, 20_000, { total: 500 });
    assert.equal(await emitter.finished, 500);
    assert.equal(emitter.emitted, 500);
  });
});

void describe('log rings and clocks', () => {
  void it('a ring forgets the oldest past its capacity', () => {
    const ring = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    assert.deepEqual([...ring.newestFirst()], [5, 4, 3]);
    assert.equal(ring.size, 3);
    assert.throws(() => new Ring(0), /positive integer/);
  });

  void it('never goes backwards, even past a million lines in one frozen millisecond', () => {
    const frozen = new Date('2026-03-01T12:00:00.123Z');
    const clock = new NanoClock(() => frozen);
    let previous = '';
    for (let i = 0; i < 1_000_100; i++) {
      const t = clock.next();
      if (!(t > previous)) assert.fail(`${t} is not after ${previous}`);
      previous = t;
    }
    assert.match(previous, /^2026-03-01T12:00:00\.124000099Z$/);
    assert.equal(clock.next(true), previous, 'a shared instant on request');
  });

  void it('stays put when the clock steps back', () => {
    let now = new Date('2026-03-01T12:00:01.000Z');
    const clock = new NanoClock(() => now);
    const first = clock.next();
    now = new Date('2026-03-01T11:59:00.000Z');
    assert.ok(clock.next() > first);
  });
});

function assertNonDecreasing(timestamps: string[]): void {
  for (let i = 1; i < timestamps.length; i++)
    assert.ok(timestamps[i]! >= timestamps[i - 1]!, `${timestamps[i]} before ${timestamps[i - 1]}`);
}
