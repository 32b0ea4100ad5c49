// Proves the Railway simulator's Deployment.instances (one per replica, following the deployment)
// and its crash loop: RESTARTING then RUNNING on the SimClock, 502 at the edge meanwhile, a new
// start for memory each time, CRASHED once the restart policy's retries are spent.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import { railwayAppSuffix } from '../../sim/railway/appDomains';
import type { SimDeployment } from '../../sim/railway/model';
import { bearer, data } from './railwayTestClient';
import { demoTraffic } from '../../sim/demoTraffic';

interface Instances {
  deployment: { id: string; status: string; instances: { id: string; status: string }[] };
}

const query = /* GraphQL */ `
  query DeploymentInstances($id: String!) {
    deployment(id: $id) {
      id
      status
      instances {
        id
        status
      }
    }
  }
`;

const backendProd = `kars-backend-kars-prod.${railwayAppSuffix}`;

void describe('Railway simulator: deployment instances and crash loops', () => {
  let sim: RailwaySim;
  let auth: Record<string, string>;
  before(async () => {
    sim = await startRailwaySim({ fixture: 'kars' });
    auth = bearer(sim.tokens.find((t) => t.kind === 'account')!.token);
  });
  after(() => sim.close());

  const serving = (): SimDeployment => {
    const env = sim.state.environmentByName('kars-prod');
    const service = sim.state.serviceByName('kars-backend', env.projectId);
    return sim.state.servingDeployment(env.id, service.id)!;
  };
  const instanceOf = () =>
    sim.state.serviceInstances.find(
      (i) => i.serviceId === serving().serviceId && i.environmentId === serving().environmentId,
    )!;
  const read = async (id: string) => (await data<Instances>(sim, auth, query, { id })).deployment;
  // node:http, since fetch does not let a request set its Host.
  const appStatus = () =>
    new Promise<number>((resolve, reject) => {
      http
        .get(`${sim.appUrl}/`, { headers: { host: backendProd } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
        .on('error', reject);
    });

  void it('lists one RUNNING instance per replica with stable ids, and what an old deployment became', async () => {
    const d = serving();
    const first = await read(d.id);
    assert.deepEqual(
      first.instances.map((i) => i.status),
      ['RUNNING'],
    );
    assert.deepEqual((await read(d.id)).instances, first.instances, 'the same ids every time');
    instanceOf().numReplicas = 2;
    try {
      const two = (await read(d.id)).instances;
      assert.equal(two.length, 2);
      assert.equal(new Set(two.map((i) => i.id)).size, 2);
      assert.equal(two[0]!.id, first.instances[0]!.id);
    } finally {
      instanceOf().numReplicas = 1;
    }
    const removed = sim.state
      .deploymentsOf(d.environmentId, d.serviceId)
      .find((x) => x.status === 'REMOVED' && x.succeeded);
    assert.ok(removed, 'the fixture has an older release');
    assert.deepEqual(
      (await read(removed.id)).instances.map((i) => i.status),
      ['REMOVED'],
    );
  });

  void it('restarts a crash-looping process while the deployment stays SUCCESS, answering 502 meanwhile', async () => {
    const d = serving();
    const { id } = (await read(d.id)).instances[0]!;
    const starts = () => sim.state.metrics.starts(d.environmentId, d.serviceId).length;
    const startsBefore = starts();
    sim.state.setCrashLoop('kars-prod', 'kars-backend', { upMs: 30_000, restartingMs: 20_000 });
    try {
      sim.state.clock.advance(30_000);
      const down = await read(d.id);
      assert.equal(
        down.status,
        'SUCCESS',
        'Railway keeps the deployment SUCCESS while it restarts',
      );
      assert.deepEqual(down.instances, [{ id, status: 'RESTARTING' }]);
      assert.equal(await appStatus(), 502, 'the edge answers while nothing runs');
      // Its customers meet that 502 too: Railway's metrics count them; the app writes no line.
      const edge502 = () => {
        let n = 0;
        const now = sim.state.clock.nowMs();
        sim.state.metrics.eachBucket(
          d.environmentId,
          d.serviceId,
          now - 60_000,
          now + 1,
          (_, b) => {
            n += b.counts.get(502) ?? 0;
          },
        );
        return n;
      };
      const lines = sim.state.logs.stored({ deploymentId: d.id, kind: 'deploy' });
      const before502 = edge502();
      demoTraffic(sim.state, { random: () => 0.5 }).tick(10_000);
      assert.ok(edge502() - before502 >= 10, `${edge502() - before502} edge 502s in 10 s`);
      assert.equal(sim.state.logs.stored({ deploymentId: d.id, kind: 'deploy' }), lines);
      sim.state.clock.advance(20_000);
      assert.deepEqual((await read(d.id)).instances, [{ id, status: 'RUNNING' }]);
      assert.equal(await appStatus(), 200);
      assert.equal(starts(), startsBefore + 1, 'the new process starts its memory again');
      assert.equal(sim.state.crashLoops.restartsOf(d.id), 1);
    } finally {
      sim.state.setCrashLoop('kars-prod', 'kars-backend', false);
    }
    sim.state.clock.advance(120_000);
    assert.equal(sim.state.crashLoops.restartsOf(d.id), 1, 'stopped: no more restarts');
  });

  void it('goes CRASHED once the restart policy has restarted it restartPolicyMaxRetries times', async () => {
    const d = serving();
    instanceOf().restartPolicyMaxRetries = 3;
    sim.state.setCrashLoop('kars-prod', 'kars-backend', { upMs: 10_000, restartingMs: 10_000 });
    // Restarts 2 and 3 (one was counted above), then the process dies a fourth time for good.
    for (let i = 0; i < 5 && d.status === 'SUCCESS'; i++) sim.state.clock.advance(20_000);
    assert.equal(d.status, 'CRASHED');
    assert.equal(sim.state.crashLoops.restartsOf(d.id), 3);
    const crashed = await read(d.id);
    assert.deepEqual(
      crashed.instances.map((i) => i.status),
      ['CRASHED'],
    );
    assert.equal(await appStatus(), 502);
  });
});
