// A release whose process crash-loops while Railway keeps its deployment SUCCESS, end to end
// against the live simulators: the daemon reads the deployment's instances during the window, sees
// them RESTARTING, and judges the release regressed for its restarts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signedInDaemonEnv } from '../../sim/server';
import { startInProcess } from './harness';
import { recordUntil } from './promotionWorld';
import {
  closeWorld,
  decided,
  promoted,
  serviceVerdict,
  SteppedClock,
  verificationWorld,
  type VerificationWorld,
} from './verificationWorld';

describe('verification: a release whose backend crash-loops', () => {
  let w: VerificationWorld;
  before(async () => (w = await verificationWorld()));
  after(() => closeWorld(w));

  it('is regressed for its restarts while the deployment stays SUCCESS', async () => {
    const { record } = await promoted(w);
    const backend = record.services.find((s) => s.name === 'kars-backend')!;
    // Down a minute at a time, so the daemon's reads a minute apart each see a restart; ten
    // minutes hold six or seven, fewer than Railway's 10 retries: the deployment never crashes.
    w.sims.railway.state.setCrashLoop('kars-prod', 'kars-backend', {
      upMs: 30_000,
      restartingMs: 60_000,
    });
    w.clock.open();

    const judged = await decided(w, record.id);
    const deployment = w.sims.railway.state.deployment(backend.deploymentId!)!;
    assert.equal(deployment.status, 'SUCCESS', 'Railway never marked it CRASHED');
    assert.ok(w.sims.railway.state.crashLoops.restartsOf(deployment.id) >= 2);
    assert.equal(judged.verification?.state, 'regressed', judged.verification?.summary);
    const verdict = serviceVerdict(judged, 'kars-backend');
    assert.equal(verdict.state, 'regressed');
    const reason = verdict.reasons.find((r) => r.includes('restarted'));
    assert.ok(reason, verdict.reasons.join('; '));
    const [, seen] = /^kars-backend restarted (\d+) times during the window$/.exec(reason) ?? [];
    assert.ok(Number(seen) >= 2, reason);
    assert.ok(verdict.after!.crashes >= Number(seen), 'restarts are counted in crashes');
    assert.ok(verdict.crossed?.includes('crash'), String(verdict.crossed));
    // Its customers met the edge's 502s while it restarted: the 5xx rate rose with it.
    assert.ok(verdict.after!.errors5xx > verdict.before!.errors5xx, 'the edge 502s are counted');
    assert.equal(serviceVerdict(judged, 'kars-frontend').state, 'verified');
    assert.match(judged.verification.summary, /kars-backend restarted \d+ times/);
  });
});

describe('verification: restarts seen before the daemon restarted', () => {
  let w: VerificationWorld;
  before(async () => (w = await verificationWorld()));
  after(() => closeWorld(w));

  it('are journaled as seen, and the next daemon judges by them', async () => {
    const { record } = await promoted(w);
    const backend = record.services.find((s) => s.name === 'kars-backend')!;
    // The backend's process dies a second in and stays RESTARTING for the rest of the test.
    const { state } = w.sims.railway;
    state.setCrashLoop('kars-prod', 'kars-backend', { upMs: 1_000, restartingMs: 3_600_000 });
    w.sims.clock.advance(1_000);
    assert.ok(state.crashLoops.isRestarting(backend.deploymentId!));
    // A minute of the window, no traffic: the daemon's next instance read sees it, then waits.
    w.clock.openFor(60_000, 0);
    const seen = await recordUntil(
      w.client,
      record.id,
      (r) => serviceVerdict(r, 'kars-backend').restartsSeen === 1,
    );
    assert.equal(seen.verification?.state, 'pending');
    await w.daemon.stop();

    // Up again before the next daemon looks: only the journal knows it restarted.
    state.setCrashLoop('kars-prod', 'kars-backend', false);
    const clock = new SteppedClock(w.sims);
    const again = await startInProcess(signedInDaemonEnv(w.sims), [], {
      clock,
      paths: w.daemon.paths,
    });
    try {
      const client = await again.client('after-restart');
      clock.open();
      const judged = await recordUntil(
        client,
        record.id,
        (r) => r.verification?.state !== 'pending',
      );
      const verdict = serviceVerdict(judged, 'kars-backend');
      assert.equal(verdict.state, 'regressed', judged.verification?.summary);
      assert.ok(
        verdict.reasons.some((r) => /^kars-backend restarted 1 times? during the window$/.test(r)),
        verdict.reasons.join('; '),
      );
    } finally {
      await again.stop();
    }
  });
});
