// Restarts seen in Railway's deployment instances: counted once per instance going down (not the
// same restart on two reads in a row, not a crashed deployment's instance), unknown without a read,
// and judged as a regression with the sentence people read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_VERIFICATION, type VerificationFigures } from '../../protocol/metrics';
import {
  countRestarts,
  emptyTally,
  knownRestarts,
  resumedTally,
  RestartWatch,
  type InstanceStatus,
  type RestartTally,
} from '../../daemon/promotion/instanceRestarts';
import { judgeService } from '../../daemon/promotion/verificationJudgement';
import type { RailwayClient } from '../../daemon/railway/railwayClient';

const one = (status: string): InstanceStatus[] => [{ id: 'i-1', status }];

/** Reads in order, each the deployment's status and its one instance's. */
function reads(...statuses: [string, string][]): RestartTally {
  return statuses.reduce<RestartTally>(
    (t, [deployment, instance]) => countRestarts(t, deployment, one(instance)),
    emptyTally,
  );
}

describe('verification: counting restarts from instance reads', () => {
  it('counts an instance going RESTARTING once, however many reads in a row see it so', () => {
    const t = reads(
      ['SUCCESS', 'RUNNING'],
      ['SUCCESS', 'RESTARTING'],
      ['SUCCESS', 'RESTARTING'],
      ['SUCCESS', 'CRASHED'],
    );
    assert.equal(t.restarts, 1);
    assert.equal(t.reads, 4);
  });

  it('counts each time it comes back RUNNING and goes down again', () => {
    const t = reads(
      ['SUCCESS', 'RESTARTING'],
      ['SUCCESS', 'RUNNING'],
      ['SUCCESS', 'RESTARTING'],
      ['SUCCESS', 'RUNNING'],
      ['SUCCESS', 'CRASHED'],
    );
    assert.equal(t.restarts, 3);
  });

  it('counts each replica that goes down, and not the instance of a deployment that CRASHED', () => {
    const two = countRestarts(emptyTally, 'SUCCESS', [
      { id: 'a', status: 'RESTARTING' },
      { id: 'b', status: 'RESTARTING' },
    ]);
    assert.equal(two.restarts, 2);
    assert.equal(reads(['SUCCESS', 'RUNNING'], ['CRASHED', 'CRASHED']).restarts, 0);
  });

  it('leaves restarts unknown when no read answered, and zero when reads saw none', () => {
    assert.equal(knownRestarts(undefined), undefined);
    assert.equal(knownRestarts({ ...emptyTally, failures: 6 }), undefined);
    assert.equal(knownRestarts(reads(['SUCCESS', 'RUNNING'])), 0);
  });

  it('goes on from a journaled count, an instance already down taken as counted', () => {
    const resumed = resumedTally(2);
    assert.equal(knownRestarts(resumed), 2, 'known before the resumed daemon reads');
    const first = countRestarts(resumed, 'SUCCESS', one('RESTARTING'));
    assert.equal(first.restarts, 2, 'the restart under way may be one of the two');
    const later = [one('RUNNING'), one('RESTARTING')].reduce(
      (t, instances) => countRestarts(t, 'SUCCESS', instances),
      first,
    );
    assert.equal(later.restarts, 3);
  });
});

describe('verification: the restart watch', () => {
  /** A Railway client whose DeploymentInstances answers with the next status of `statuses`. */
  function railway(statuses: string[]): () => RailwayClient {
    const client = {
      operation: () =>
        Promise.resolve({
          ok: true,
          value: { deployment: { status: 'SUCCESS', instances: one(statuses.shift()!) } },
        }),
    };
    return () => client as unknown as RailwayClient;
  }
  const services = [{ id: 's1', deploymentId: 'd1' }];

  it('reads on its first look and every sixth after, counting what it saw', async () => {
    const watch = new RestartWatch(railway(['RUNNING', 'RESTARTING']));
    for (let look = 0; look <= RestartWatch.EVERY; look++) await watch.look(services);
    assert.equal(watch.tally('s1')?.reads, 2);
    assert.equal(knownRestarts(watch.tally('s1')), 1);
  });

  it('starts from what an earlier daemon journaled for the window', async () => {
    const watch = new RestartWatch(railway(['RESTARTING']), new Map([['s1', 3]]));
    assert.equal(knownRestarts(watch.tally('s1')), 3);
    await watch.look(services);
    assert.equal(knownRestarts(watch.tally('s1')), 3);
    assert.equal(new RestartWatch(railway([]), new Map([['s1', 0]])).tally('s1'), undefined);
  });
});

function figures(crashes: number): VerificationFigures {
  return { requests: 1000, errors5xx: 1, errorRate: 0.001, p95Ms: 100, crashes, memoryGb: 0.2 };
}

describe('verification: judging restarts', () => {
  const base = { id: 's', name: 'kars-backend', before: figures(0), crashed: false };

  it('regresses a service whose process restarted, whatever the numbers', () => {
    const v = judgeService({ ...base, after: figures(2), restarts: 2 }, DEFAULT_VERIFICATION);
    assert.equal(v.state, 'regressed');
    assert.deepEqual(v.reasons, ['kars-backend restarted 2 times during the window']);
    assert.deepEqual(v.crossed, ['crash']);
    const once = judgeService({ ...base, after: figures(1), restarts: 1 }, DEFAULT_VERIFICATION);
    assert.deepEqual(once.reasons, ['kars-backend restarted 1 time during the window']);
  });

  it('judges by the figures alone when restarts are unknown or none', () => {
    const after = figures(0);
    assert.equal(judgeService({ ...base, after }, DEFAULT_VERIFICATION).state, 'verified');
    const none = judgeService({ ...base, after, restarts: 0 }, DEFAULT_VERIFICATION);
    assert.equal(none.state, 'verified');
  });

  it('names a crash and restarts together, crossing crash once', () => {
    const v = judgeService(
      { ...base, after: figures(3), crashed: true, restarts: 2 },
      DEFAULT_VERIFICATION,
    );
    assert.equal(v.reasons.length, 2);
    assert.deepEqual(v.crossed, ['crash']);
  });
});
