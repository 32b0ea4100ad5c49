// Railway's two windows against the daemon over the protocol, with the simulator on Hobby's
// 10 requests/s and 1,000/h: the tree, refreshes and a burst of actions never trip the per-second
// limit (the burst queues, nothing fails), and railway.usage reports the hour's budget.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RpcClient } from '../../client/rpcClient';
import { signedInDaemonEnv, startSimulators, type Simulators } from '../../sim/server';
import { startInProcess, type InProcessDaemon, karsFolder, type FolderContext } from './harness';

describe('Railway rate limits, over the protocol', () => {
  let sims: Simulators;
  let d: InProcessDaemon;
  let client: RpcClient;
  let folder: FolderContext;
  const refused = () => sims.railway.requestCount({ refused: true });

  before(async () => {
    sims = await startSimulators();
    d = await startInProcess(signedInDaemonEnv(sims));
    client = await d.client('rate-limits-test');
    folder = karsFolder(sims);
  });
  after(async () => {
    await d.stop();
    await sims.close();
  });

  it('watches and refreshes without a single 429', async () => {
    const { watchId, view } = await client.request('environments.watch', { folder });
    assert.equal(view.state, 'ready', view.message);
    await Promise.all([1, 2, 3].map(() => client.request('environments.refresh', { watchId })));
    assert.equal(refused(), 0);
  });

  it('queues a burst of 12 actions under 10 requests a second: all done, none refused', async () => {
    const { view } = await client.request('environments.watch', { folder });
    const deployments = view.environments
      .filter((e) => e.name === 'kars-dev')
      .flatMap((e) => e.services.map((s) => s.active?.id))
      .filter((id): id is string => id !== undefined);
    assert.ok(deployments.length >= 3, 'kars-dev has its services deployed');
    const burst = Array.from({ length: 12 }, (_, i) => deployments[i % deployments.length]!);
    const before = sims.railway.requestCount('DeploymentRestart');
    const results = await Promise.all(
      burst.map((deploymentId) => client.request('deployments.restart', { folder, deploymentId })),
    );
    assert.ok(results.every((r) => r.ok));
    assert.equal(sims.railway.requestCount('DeploymentRestart') - before, 12);
    assert.equal(refused(), 0, 'Railway refused none of them');
  });

  it("reports the hour's requests and budget, and the per-second pace", async () => {
    const usage = await client.request('railway.usage', {});
    const sent = sims.railway.requestCount({ token: sims.tokens.railway.account, refused: false });
    assert.equal(usage.limit, 1000);
    assert.ok(usage.requestsLastHour >= 12, JSON.stringify(usage));
    assert.ok(usage.remaining !== undefined && usage.remaining <= 1000 - 12);
    assert.ok(usage.remaining >= 1000 - sent, 'the budget left is what Railway said');
    assert.equal(usage.rateLimitedLastHour, 0);
    assert.equal(usage.perSecondLimit, 10);
  });
});
