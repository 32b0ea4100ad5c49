// Production judged by its own metrics after a promotion, end to end against the live simulators
// (their metrics derived from the request lines the demo's traffic writes), the daemon's window
// passed on a clock the test moves: a release that doubles the 5xx rate is caught and offered a
// rollback, a healthy one is verified, a quiet one is not enough traffic, an upstream error is
// unknown (never verified), a crash or a newer deployment ends the window early, autoRollback
// rolls back, and a restarted daemon waits out the rest of the window.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { signedInDaemonEnv } from '../../sim/server';
import type { ProjectView } from '../../protocol/protocol';
import { startInProcess, until } from './harness';
import { final, recordUntil } from './promotionWorld';
import {
  closeWorld,
  decided,
  promoted,
  serviceVerdict,
  SteppedClock,
  verificationWorld,
  type VerificationWorld,
} from './verificationWorld';

interface AuditLine {
  action: string;
  outcome: string;
  detail?: string;
  promotion?: { id: string; verification?: { state: string; services: { name: string }[] } };
}

function world(): () => VerificationWorld {
  let w: VerificationWorld;
  before(async () => (w = await verificationWorld()));
  after(() => closeWorld(w));
  return () => w;
}

function auditLines(w: VerificationWorld): AuditLine[] {
  return fs
    .readFileSync(w.daemon.paths.audit, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditLine);
}

describe('verification: a release that doubles the 5xx rate', () => {
  const w = world();

  it('is caught as regressed, with the figures side by side, and its rollback is allowed', async () => {
    const { sims, clock, client } = w();
    const { record, folder } = await promoted(w());
    const v = record.verification!;
    assert.equal(
      Date.parse(v.endsAt) - Date.parse(v.releasedAt),
      10 * 60_000,
      'the default window',
    );
    assert.match(v.summary, /^Watching kars-prod for 10 min/);
    // The release is bad: the backend answers 5xx to 40 % of its requests from now on.
    sims.railway.state.setHealth('kars-prod', 'kars-backend', 'unhealthy');
    clock.open();

    const judged = await decided(w(), record.id);
    assert.equal(judged.state, 'succeeded', 'nothing rolls back by itself without autoRollback');
    assert.equal(judged.verification?.state, 'regressed', judged.verification?.summary);
    const backend = serviceVerdict(judged, 'kars-backend');
    assert.equal(backend.state, 'regressed');
    assert.ok(backend.after!.errors5xx >= 20, `${backend.after!.errors5xx} 5xx after`);
    assert.ok(backend.after!.errorRate >= 2 * backend.before!.errorRate);
    assert.ok(backend.before!.requests >= 200 && backend.after!.requests >= 200);
    assert.match(backend.reasons[0]!, /^kars-backend's 5xx rate [\d.]+% → [\d.]+% \(\d+ errors\)$/);
    assert.equal(serviceVerdict(judged, 'kars-frontend').state, 'verified');
    assert.match(
      judged.verification.summary,
      /^kars-prod regressed: kars-backend's 5xx rate .* Roll back\?$/,
    );
    assert.equal(judged.verification.autoRolledBack, false);
    assert.ok(judged.verification.decidedAt! >= judged.verification.endsAt, 'decided at endsAt');

    const audited = auditLines(w()).find(
      (l) => l.action === 'promotion-verification' && l.promotion?.id === record.id,
    );
    assert.equal(audited?.outcome, 'failed');
    assert.equal(audited?.detail, judged.verification.summary);
    assert.equal(audited?.promotion?.verification?.state, 'regressed', 'the figures are audited');

    await client.request('promotion.rollback', { folder, id: record.id, confirm: 'kars-prod' });
    const back = await recordUntil(client, record.id, final);
    assert.equal(back.state, 'rolled-back', back.summary);
    assert.equal(back.verification?.state, 'regressed', 'the verdict stays on the record');
  });
});

describe('verification: a release rolled back by hand during the window', () => {
  const w = world();

  it('is not judged, and the record says why', async () => {
    const { clock, client } = w();
    const { record, folder } = await promoted(w());
    await client.request('promotion.rollback', { folder, id: record.id, confirm: 'kars-prod' });
    clock.open();
    const left = await recordUntil(
      client,
      record.id,
      (r) => final(r) && r.verification?.state !== 'pending',
    );
    assert.equal(left.state, 'rolled-back', left.summary);
    assert.equal(left.verification?.state, 'unknown');
    assert.match(
      left.verification.summary,
      /^Not judged: the promotion was (rolling-back|rolled-back) before the 10 min window ended\.$/,
    );
    assert.ok(left.verification.decidedAt, 'when it stopped');
  });
});

describe('verification: a healthy release', () => {
  const w = world();

  it('is verified over the window, in one plain sentence', async () => {
    const { record } = await promoted(w());
    w().clock.open();
    const judged = await decided(w(), record.id);
    assert.equal(judged.verification?.state, 'verified', judged.verification?.summary);
    assert.match(
      judged.verification.summary,
      /^kars-prod verified: 5xx [\d.<]+% → [\d.<]+%, p95 \d+ → \d+ ms \(kars-\w+\) over 10 min\.$/,
    );
    for (const s of judged.verification.services) {
      assert.equal(s.state, 'verified', `${s.name}: ${s.reasons.join(' ')}`);
      assert.ok(s.before!.requests >= 200 && s.after!.requests >= 200);
      assert.ok(s.after!.memoryGb !== null, 'memory is reported beside the rest');
    }
  });
});

describe('verification: a quiet service', () => {
  const w = world();

  it('is "not enough traffic", never verified', async () => {
    const { record } = await promoted(w());
    // A tester or two: a twentieth of the usual traffic after the release.
    w().clock.open(0.05);
    const judged = await decided(w(), record.id);
    assert.equal(judged.verification?.state, 'not-enough-traffic', judged.verification?.summary);
    const backend = serviceVerdict(judged, 'kars-backend');
    assert.ok(backend.after!.requests < 200, `${backend.after!.requests} requests after`);
    assert.match(judged.verification.summary, /not verified, not enough traffic/);
  });
});

describe('verification: Railway not answering the metrics', () => {
  const w = world();

  it('is unknown, never verified', async () => {
    const { sims, clock } = w();
    const { record } = await promoted(w());
    sims.railway.faults.next({ status: 500, on: 'HttpMetricsByStatus' }, 100);
    clock.open();
    const judged = await decided(w(), record.id);
    sims.railway.faults.clear();
    assert.equal(judged.verification?.state, 'unknown', judged.verification?.summary);
    for (const s of judged.verification.services) assert.equal(s.state, 'unknown');
    assert.match(judged.verification.summary, /^kars-prod not verified: Railway did not answer/);
  });
});

describe('verification: a crash during the window', () => {
  const w = world();

  it('decides it early as regressed', async () => {
    const { sims, clock, client } = w();
    const { record, folder } = await promoted(w());
    const backend = record.services.find((s) => s.name === 'kars-backend')!;
    sims.railway.state.crash(sims.railway.state.deployment(backend.deploymentId!)!);
    // The daemon's view of the folder shows the crash before time moves on.
    const { watchId } = await client.request('environments.watch', { folder });
    await client.request('environments.refresh', { watchId });
    clock.open();
    const judged = await decided(w(), record.id);
    assert.equal(judged.verification?.state, 'regressed', judged.verification?.summary);
    assert.deepEqual(serviceVerdict(judged, 'kars-backend').reasons, [
      'kars-backend crashed during the window',
    ]);
    assert.ok(judged.verification.decidedAt! < judged.verification.endsAt, 'before endsAt');
  });
});

describe('verification: a newer deployment during the window', () => {
  const w = world();

  it('ends the window there: the numbers after it are not the release’s', async () => {
    const { client, clock } = w();
    const { record, folder } = await promoted(w());
    const backend = record.services.find((s) => s.name === 'kars-backend')!;
    const { watchId } = await client.request('environments.watch', { folder });
    const newer = (v: ProjectView) =>
      v.environments
        .find((e) => e.name === 'kars-prod')
        ?.services.find((s) => s.id === backend.id)
        ?.recent.some((d) => d.id !== backend.deploymentId && d.status === 'SUCCESS') === true;
    const served = until(client, watchId, newer);
    await client.request('deployments.redeploy', {
      folder,
      deploymentId: backend.deploymentId!,
      confirm: 'kars-prod',
    });
    await served;
    clock.open();
    const judged = await decided(w(), record.id);
    assert.ok(judged.verification!.decidedAt! < judged.verification!.endsAt, 'before endsAt');
    assert.match(
      judged.verification!.summary,
      /A newer deployment replaced the release \(kars-backend\), so its window ended there and it is not rolled back automatically\.$/,
    );
    // Its after window ends where the redeploy began serving, well before the frontend's.
    const after = (name: string) =>
      judged.verification!.services.find((s) => s.name === name)?.after?.requests ?? -1;
    assert.ok(after('kars-backend') <= after('kars-frontend'), 'the cut window counts no more');
  });
});

describe('verification: autoRollback', () => {
  const w = world();

  it('rolls a regressed release back by itself and says so', async () => {
    const { sims, clock, client } = w();
    const { record } = await promoted(w(), { verification: { autoRollback: true } });
    assert.equal(record.verification?.thresholds.autoRollback, true);
    sims.railway.state.setHealth('kars-prod', 'kars-backend', 'unhealthy');
    clock.open();
    const back = await recordUntil(client, record.id, (r) =>
      ['rolled-back', 'failed'].includes(r.state),
    );
    assert.equal(back.state, 'rolled-back', back.summary);
    assert.ok(back.history.some((h) => h.state === 'rolling-back'));
    assert.equal(back.verification?.state, 'regressed');
    assert.equal(back.verification?.autoRolledBack, true);
    assert.match(back.verification.summary, /Rolling back, as railyard\.json asks/);
  });
});

describe('verification: a daemon restarted during the window', () => {
  const w = world();

  it('resumes from the journal and waits out the rest of the window', async () => {
    const { sims, daemon } = w();
    const { record } = await promoted(w());
    // The first daemon's clock never opens: its wait stands still until it stops.
    await daemon.stop();
    const clock = new SteppedClock(sims);
    const again = await startInProcess(signedInDaemonEnv(sims), [], {
      clock,
      paths: daemon.paths,
    });
    try {
      const client = await again.client('after-restart');
      const resumed = await client.request('promotion.get', { id: record.id });
      assert.equal(resumed.verification?.state, 'pending');
      assert.equal(resumed.verification?.endsAt, record.verification?.endsAt);
      clock.open();
      const judged = await recordUntil(
        client,
        record.id,
        (r) => r.verification?.state !== 'pending',
      );
      assert.equal(judged.verification?.state, 'verified', judged.verification?.summary);
      assert.equal(judged.verification?.releasedAt, record.verification?.releasedAt);
    } finally {
      await again.stop();
    }
  });
});
