// A teammate whose daemon went away mid-promotion (a laptop closed): the target stays held until
// the promotion is stale on GitHub's clock, is taken over after the target's name is typed, and
// the stale daemon, once back, learns it and stops.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addTeammate, signedInDaemonEnv, type Simulators } from '../../sim/server';
import { connectTo, spawnDaemon, tempHome } from './harness';
import {
  KARS_REPO,
  final,
  gate,
  gated,
  liveSimulators,
  promotionFolder,
  protectKarsProd,
  recordUntil,
  rejection,
} from './promotionWorld';
import { LIN, github, planned, teammate, type Teammate } from './teamWorld';

/** Ada's daemon as its own process, so it can die as a laptop closing its lid does. */
async function adaProcess(sims: Simulators, home: string) {
  const child = spawnDaemon(home, [], {
    ...signedInDaemonEnv(sims),
    RAILYARD_IDLE_TIMEOUT: '0',
    RAILYARD_MACHINE: 'ada-laptop',
    RAILYARD_PR_POLL_MS: '100',
  });
  await child.stdout;
  return { child, client: await connectTo(home, 'ada-process') };
}

describe('a teammate whose daemon went away mid-promotion', () => {
  let sims: Simulators;
  let lin: Teammate;
  before(async () => {
    sims = await liveSimulators();
    addTeammate(sims, { ...LIN, scopes: ['repo', 'workflow'] });
    lin = await teammate(sims, 'lin', { GH_TOKEN: LIN.token });
  });
  after(async () => {
    await lin.daemon.stop();
    void sims.close();
  });

  it('holds kars-prod until stale, is taken over after a typed confirmation, and learns it', async () => {
    protectKarsProd(sims);
    const home = tempHome();
    const folder = promotionFolder(sims, { strategy: 'pull-request' });
    const ada = await adaProcess(sims, home);
    const plannedByAda = await ada.client.request('promotion.plan', {
      folder,
      from: 'kars-dev',
      to: 'kars-prod',
    });
    await recordUntil(ada.client, plannedByAda.id, gated);
    await ada.client.request('promotion.signOff', { folder, id: plannedByAda.id });
    await recordUntil(
      ada.client,
      plannedByAda.id,
      (x) => gated(x) && gate(x, 'qa-signoff').state === 'pass',
    );
    await ada.client.request('promotion.start', {
      folder,
      id: plannedByAda.id,
      confirm: 'kars-prod',
    });
    await recordUntil(
      ada.client,
      plannedByAda.id,
      (x) => x.steps.find((s) => s.id === 'pull-request')?.state === 'needs-you',
    );
    ada.client.close();
    ada.child.child.kill('SIGKILL');
    await ada.child.exit;

    // Not stale yet: refused, naming Ada.
    const linFolder = promotionFolder(sims, { strategy: 'pull-request' });
    const early = await planned(lin, linFolder);
    assert.ok(!gate(early, 'lock').actions.includes('take-over'), gate(early, 'lock').detail);

    sims.clock.advance(16 * 60_000);
    const r = await lin.client.request('promotion.recheck', { folder: linFolder, id: early.id });
    const late = await recordUntil(lin.client, r.id, gated);
    assert.equal(gate(late, 'lock').state, 'fail');
    assert.ok(gate(late, 'lock').actions.includes('take-over'), gate(late, 'lock').detail);
    assert.match(gate(late, 'lock').detail, /ada.*silent since/);
    await lin.client.request('promotion.signOff', { folder: linFolder, id: late.id });
    await recordUntil(
      lin.client,
      late.id,
      (x) => gated(x) && gate(x, 'qa-signoff').state === 'pass',
    );
    const refused = await rejection(
      lin.client.request('promotion.start', {
        folder: linFolder,
        id: late.id,
        confirm: 'kars-prod',
      }),
    );
    assert.equal((refused.data as { lock: { stale: boolean } }).lock.stale, true);
    assert.match(refused.message, /Take it over by typing kars-prod/);

    const taking = await lin.client.request('promotion.start', {
      folder: linFolder,
      id: late.id,
      confirm: 'kars-prod',
      takeOver: 'kars-prod',
    });
    assert.equal(taking.tookOver?.promotion, plannedByAda.id);
    assert.equal(taking.tookOver?.by, 'ada');
    const waiting = await recordUntil(
      lin.client,
      late.id,
      (x) => x.steps.find((s) => s.id === 'pull-request')?.state === 'needs-you',
    );
    assert.equal(waiting.pullRequest?.reused, true, "Ada's open pull request is reused");
    await github(
      sims,
      LIN.token,
      `/repos/${KARS_REPO}/pulls/${waiting.pullRequest.number}/reviews`,
      {
        method: 'POST',
        body: { event: 'APPROVE' },
      },
    );
    const done = await recordUntil(lin.client, late.id, final);
    assert.equal(done.state, 'succeeded', done.summary);

    // Ada's daemon comes back: its promotion learns it was taken over, and does nothing more.
    const back = await adaProcess(sims, home);
    try {
      const stopped = await recordUntil(
        back.client,
        plannedByAda.id,
        (x) => x.takenOverBy !== undefined,
      );
      assert.equal(stopped.takenOverBy?.by, 'lin');
      assert.equal(stopped.takenOverBy?.promotion, late.id);
      const settledAda = await recordUntil(back.client, plannedByAda.id, final);
      assert.equal(settledAda.state, 'cancelled', settledAda.summary);
    } finally {
      back.client.close();
      back.child.child.kill('SIGTERM');
      await back.child.exit;
    }
  });
});
