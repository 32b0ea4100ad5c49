// Proves the simulator's copy of Railway's logging limit: 500 deploy-log lines per second per
// replica, the rest dropped, and Railway's own line saying how many once the second is over.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimClock } from '../../sim/clock';
import { createState } from '../../sim/railway/fixtures';
import { LogGenerator } from '../../sim/railway/logGenerator';
import { railwayDroppedMessage, ReplicaLogCap } from '../../sim/railway/logCap';
import type { SimLog } from '../../sim/railway/logs';
import type { RailwayState } from '../../sim/railway/state';

const start = Date.parse('2026-03-02T10:00:00.000Z');

/** The kars world on a clock at a whole second, moved on to a second nothing has logged in yet. */
function world() {
  const clock = new SimClock(start);
  const state = createState('kars', clock);
  clock.advanceTo(start + 1000);
  const env = state.environmentByName('kars-prod');
  const service = state.serviceByName('kars-backend');
  const deployment = state.servingDeployment(env.id, service.id)!;
  const instance = state.serviceInstances.find(
    (i) => i.environmentId === env.id && i.serviceId === service.id,
  )!;
  return { clock, state, deployment, instance, logs: new LogGenerator(state) };
}

const deployLog = (state: RailwayState, deploymentId: string): SimLog[] =>
  state.logs.query({ deploymentId, kind: 'deploy' }, 5000);
const notices = (lines: SimLog[]) => lines.filter((l) => /Messages dropped/.test(l.message));
const seqOf = (l: SimLog) => Number(JSON.parse(l.attributes.find((a) => a.key === 'seq')!.value));

describe("Railway's logging limit in the simulator", () => {
  it('keeps 500 lines of a burst in one second, then says how many it dropped', () => {
    const { clock, state, deployment, logs } = world();
    const before = deployLog(state, deployment.id).length;
    const kept = logs.emit(deployment.id, 700);
    assert.equal(kept.length, 500);
    assert.deepEqual(
      kept.map(seqOf),
      Array.from({ length: 500 }, (_, i) => i + 1),
      'the first',
    );
    assert.equal(notices(deployLog(state, deployment.id)).length, 0, 'not while the second runs');
    clock.advance(999);
    assert.equal(notices(deployLog(state, deployment.id)).length, 0, 'still the same second');
    clock.advance(1);
    const all = deployLog(state, deployment.id);
    assert.equal(all.length, before + 500 + 1);
    const notice = all.at(-1)!;
    assert.equal(notice.message, railwayDroppedMessage(200));
    assert.equal(
      notice.message,
      'Railway rate limit of 500 logs/sec reached for replica, update your application to ' +
        'reduce the logging rate. Messages dropped: 200',
    );
    assert.equal(notice.severity, 'warn');
    assert.equal(notice.deploymentId, deployment.id);
    assert.equal(notice.timestamp, '2026-03-02T10:00:02.000000000Z', 'when the second ended');
  });

  it('lets 2 replicas log 1,000 lines a second, each replica saying what it dropped', () => {
    const { clock, state, deployment, instance, logs } = world();
    instance.numReplicas = 2;
    assert.equal(logs.emit(deployment.id, 1300).length, 1000);
    clock.advance(1000);
    assert.deepEqual(
      notices(deployLog(state, deployment.id)).map((l) => l.message),
      [railwayDroppedMessage(150), railwayDroppedMessage(150)],
    );
  });

  it('lets lines flow again in the next second, and counts writes within a second together', () => {
    const { clock, state, deployment, logs } = world();
    assert.equal(logs.emit(deployment.id, 300).length, 300);
    assert.equal(logs.emit(deployment.id, 300).length, 200, 'the same second: 500 in all');
    clock.advance(1000);
    assert.equal(logs.emit(deployment.id, 500).length, 500, 'a new second');
    clock.advance(1000);
    assert.deepEqual(
      notices(deployLog(state, deployment.id)).map((l) => l.message),
      [railwayDroppedMessage(100)],
      'one notice, for the second that dropped',
    );
    assert.deepEqual(state.clock.pendingLabels(), [], 'no notice left to come');
  });

  it('without a clock, brings the notice with the next line in a later second', () => {
    const { clock, state, deployment, logs } = world();
    state.logs.useRailwayLimits({ replicasOf: () => 1 });
    logs.emit(deployment.id, 501);
    clock.advance(5000);
    assert.equal(notices(deployLog(state, deployment.id)).length, 0, 'nothing scheduled it');
    const [next] = logs.emit(deployment.id, 1, { message: () => 'later' });
    const all = deployLog(state, deployment.id);
    assert.deepEqual(
      all.slice(-2).map((l) => l.message),
      [railwayDroppedMessage(1), 'later'],
    );
    assert.equal(next?.message, 'later');
  });

  it('sends the notice to live subscribers like any line', () => {
    const { clock, state, deployment, logs } = world();
    const received: SimLog[][] = [];
    const stop = state.logs.onLogs({ deploymentId: deployment.id, kind: 'deploy' }, (l) =>
      received.push(l),
    );
    logs.emit(deployment.id, 600);
    clock.advance(1000);
    stop();
    assert.deepEqual(
      received.map((list) => list.length),
      [500, 1],
    );
    assert.equal(received[1]?.[0]?.message, railwayDroppedMessage(100));
  });

  it('leaves uncapped writes (benchmarks) and build logs alone, and does not count them', () => {
    const { clock, state, deployment, logs } = world();
    assert.equal(logs.emit(deployment.id, 3000, { uncapped: true }).length, 3000);
    assert.equal(logs.emit(deployment.id, 800, { kind: 'build' }).length, 800);
    assert.equal(logs.emit(deployment.id, 500).length, 500, 'the limit still has room');
    clock.advance(1000);
    assert.equal(notices(deployLog(state, deployment.id)).length, 0);
  });
});

describe('ReplicaLogCap', () => {
  it('shares a second between replicas in turn and reports each once, after the second', () => {
    const cap = new ReplicaLogCap(2);
    const lines = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    assert.deepEqual(cap.take(10, 2, lines), ['a', 'b', 'c', 'd']);
    assert.ok(cap.dropping());
    assert.deepEqual(cap.due(10), [], 'the second still runs');
    assert.deepEqual(cap.due(11), [2, 1]);
    assert.deepEqual(cap.due(12), [], 'once');
    assert.deepEqual(cap.take(11, 2, ['h']), ['h']);
    assert.ok(!cap.dropping());
  });
});
