// The tree drops a PR environment live when its pull request closes: over the protocol, against the
// simulated world, the daemon sees a branch head move (the merge into kars-dev) or vanish (the head
// branch deleted) and refreshes, and Railway has by then deleted kars-pr-42.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProjectView } from '../../protocol/protocol';
import type { RpcClient } from '../../client/rpcClient';
import { closePullRequest, deleteBranch } from '../../sim/pullRequests';
import { signedInDaemonEnv, startSimulators, type Simulators } from '../../sim/server';
import { startInProcess, until, type InProcessDaemon, karsFolder } from './harness';

const names = (v: ProjectView) => v.environments.map((e) => e.name);
const hasPr = (v: ProjectView) => names(v).includes('kars-pr-42');

/** A world, a signed-in daemon and a client watching the kars project, shown with kars-pr-42. */
function watchedWorld(): { get(): { sims: Simulators; client: RpcClient; watchId: string } } {
  let sims: Simulators;
  let d: InProcessDaemon;
  let client: RpcClient;
  let watchId: string;
  before(async () => {
    sims = await startSimulators();
    d = await startInProcess(signedInDaemonEnv(sims));
    client = await d.client('pr-environments-test');
    const watched = await client.request('environments.watch', { folder: karsFolder(sims) });
    watchId = watched.watchId;
    assert.equal(watched.view.state, 'ready', watched.view.message);
    const pr = watched.view.environments.find((e) => e.name === 'kars-pr-42');
    assert.equal(pr?.isEphemeral, true);
    assert.equal(pr?.pr?.number, 42);
  });
  after(async () => {
    await d.stop();
    await sims.close();
  });
  return { get: () => ({ sims, client, watchId }) };
}

describe('the tree when PR #42 is merged', () => {
  const world = watchedWorld();

  it('drops kars-pr-42 by itself once the merge lands in kars-dev', async () => {
    const { sims, client, watchId } = world.get();
    const dropped = until(client, watchId, (v) => !hasPr(v));
    const closed = await closePullRequest(sims, { number: 42, merge: true });
    sims.clock.advance(sims.timings.webhookMs);
    const view = await dropped;
    assert.deepEqual(names(view), ['kars-dev', 'kars-prod']);
    const dev = view.environments.find((e) => e.name === 'kars-dev');
    assert.ok(
      dev?.services.some((s) => s.latest?.commitHash === closed.mergeCommit),
      'kars-dev deploys the merge',
    );
  });
});

describe('the tree when PR #42 is closed unmerged', () => {
  const world = watchedWorld();

  it('drops kars-pr-42 by itself once its branch is deleted', async () => {
    const { sims, client, watchId } = world.get();
    await closePullRequest(sims, { number: 42, merge: false });
    sims.clock.advance(sims.timings.webhookMs);
    assert.ok(!sims.railway.state.environments.some((e) => e.name === 'kars-pr-42'));
    const dropped = until(client, watchId, (v) => !hasPr(v));
    await deleteBranch(sims, 'feature/invoice-export');
    assert.deepEqual(names(await dropped), ['kars-dev', 'kars-prod']);
  });
});
