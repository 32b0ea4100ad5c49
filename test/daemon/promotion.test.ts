// Promoting kars-dev → kars-prod end to end over the protocol, against the simulators and the real
// git server: the gates, QA's sign-off, the typed confirmation, the merge and push, the deploy
// watched to SUCCESS, and the audit entry; then what goes wrong (conflict, push race, a crashed
// deploy rolled back, a lost webhook, a second promotion of the same target).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, type PromotionRecord } from '../../protocol/protocol';
import type { RpcClient } from '../../client/rpcClient';
import { signedInDaemonEnv, type Simulators } from '../../sim/server';
import { startInProcess, type FolderContext, type InProcessDaemon } from './harness';
import {
  KARS_REPO,
  commitOnServer,
  final,
  gate,
  gated,
  liveSimulators,
  promotionFolder,
  pushCommit,
  recordUntil,
  rejection,
  serverHead,
} from './promotionWorld';

interface AuditLine {
  action: string;
  outcome: string;
  promotion?: { id: string; mergeCommit: string; gates: unknown[]; commitCount: number };
}

interface World {
  sims: Simulators;
  daemon: InProcessDaemon;
  client: RpcClient;
}

function world(): () => World {
  let w: World;
  before(async () => {
    const sims = await liveSimulators();
    const daemon = await startInProcess(signedInDaemonEnv(sims));
    w = { sims, daemon, client: await daemon.client('promotion-test') };
  });
  after(async () => {
    await w.daemon.stop();
    await w.sims.close();
  });
  return () => w;
}

async function planned(client: RpcClient, folder: FolderContext): Promise<PromotionRecord> {
  const r = await client.request('promotion.plan', { folder, from: 'kars-dev', to: 'kars-prod' });
  assert.equal(r.state, 'planned');
  return recordUntil(client, r.id, gated);
}

/** Plans, signs off as QA, and waits for the gates again. */
async function signedOff(client: RpcClient, folder: FolderContext): Promise<PromotionRecord> {
  const r = await planned(client, folder);
  await client.request('promotion.signOff', { folder, id: r.id });
  return recordUntil(client, r.id, (x) => gated(x) && gate(x, 'qa-signoff').state === 'pass');
}

describe('a clean promotion of kars-dev to kars-prod', () => {
  const w = world();

  it('gates, signs off, merges --no-ff, pushes, watches the deploy and audits it', async () => {
    const { sims, daemon, client } = w();
    const folder = promotionFolder(sims);
    const devHead = await serverHead(sims, 'kars-dev');
    const prodHead = await serverHead(sims, 'kars-prod');

    const first = await planned(client, folder);
    assert.equal(first.sourceCommit, devHead, 'the source head is pinned');
    assert.equal(first.targetCommit, prodHead);
    assert.equal(gate(first, 'qa-signoff').state, 'needs-you');
    assert.deepEqual(gate(first, 'qa-signoff').actions, ['sign-off']);
    assert.equal(first.changes?.commitCount, 3);
    assert.deepEqual(first.changes?.migrations, ['backend/migrations/002_add_index.sql']);

    await client.request('promotion.signOff', { folder, id: first.id });
    const ready = await recordUntil(
      client,
      first.id,
      (x) => gated(x) && gate(x, 'qa-signoff').state === 'pass',
    );
    for (const id of [
      'source-deployed',
      'source-healthy',
      'ci',
      'divergence',
      'merge',
      'backup',
      'lock',
      'deploy-window',
    ])
      assert.equal(gate(ready, id).state, 'pass', `${id}: ${gate(ready, id).detail}`);
    const prodEnv = sims.railway.state.environments.find((e) => e.name === 'kars-prod')!;
    const prodVolumes = sims.railway.state.volumes.instances.filter(
      (v) => v.environmentId === prodEnv.id,
    );
    assert.ok(prodVolumes.length > 0);
    for (const v of prodVolumes)
      assert.equal(
        sims.railway.state.volumes.backupsOf(v.id).length,
        1,
        'migrations ship: one backup',
      );

    const refused = await rejection(client.request('promotion.start', { folder, id: first.id }));
    assert.equal(
      refused.code,
      ErrorCode.Forbidden,
      'kars-prod is protected: its name must be typed',
    );
    assert.equal(await serverHead(sims, 'kars-prod'), prodHead, 'nothing was pushed');

    const started = await client.request('promotion.start', {
      folder,
      id: first.id,
      confirm: 'kars-prod',
    });
    assert.equal(started.state, 'confirmed');
    const done = await recordUntil(client, first.id, final);
    assert.equal(done.state, 'succeeded', done.summary);

    const merge = done.mergeCommit!;
    assert.equal(await serverHead(sims, 'kars-prod'), merge);
    const commit = await commitOnServer(sims, merge);
    assert.deepEqual(
      commit.parents,
      [prodHead, devHead],
      'an ordinary two-parent merge, target first',
    );
    assert.match(commit.message, /^Promote kars-dev → kars-prod \(3 commits\)/);
    const states = done.history.map((h) => h.state);
    assert.deepEqual(states.slice(states.lastIndexOf('gated')), [
      'gated',
      'confirmed',
      'merged',
      'pushed',
      'deploying',
      'succeeded',
    ]);
    for (const s of done.services) assert.equal(s.status, 'SUCCESS', `${s.name}: ${s.detail}`);

    const audit = fs
      .readFileSync(daemon.paths.audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditLine);
    const entry = audit.find((e) => e.action === 'promotion' && e.promotion?.id === first.id);
    assert.ok(entry, 'the promotion is in the audit log');
    assert.equal(entry.outcome, 'ok');
    assert.equal(entry.promotion?.mergeCommit, merge);
    assert.equal(entry.promotion?.gates.length, 12);
    assert.equal(entry.promotion?.commitCount, 3);
  });
});

describe('a promotion that cannot go', () => {
  const w = world();

  it('names the conflicting files and leaves kars-prod untouched', async () => {
    const { sims, client } = w();
    const folder = promotionFolder(sims);
    await pushCommit(
      sims,
      'kars-prod',
      { 'backend/src/invoices.js': 'exports.total = () => 0;\n' },
      'Hotfix totals on prod',
    );
    const prodHead = await serverHead(sims, 'kars-prod');
    const r = await signedOff(client, folder);
    assert.equal(gate(r, 'merge').state, 'fail');
    assert.match(
      gate(r, 'merge').detail + JSON.stringify(gate(r, 'merge').evidence),
      /backend\/src\/invoices\.js/,
    );
    assert.equal(gate(r, 'divergence').state, 'fail', 'the hotfix on kars-prod is found');
    assert.ok(gate(r, 'divergence').actions.includes('back-merge'));
    const refused = await rejection(
      client.request('promotion.start', { folder, id: r.id, confirm: 'kars-prod' }),
    );
    assert.equal(refused.code, ErrorCode.Conflict);
    assert.equal(await serverHead(sims, 'kars-prod'), prodHead);
  });
});

describe('a push race', () => {
  const w = world();

  it('never forces: the rejected push sends the promotion back to its gates', async () => {
    const { sims, client } = w();
    const folder = promotionFolder(sims);
    const r = await signedOff(client, folder);
    const theirs = await pushCommit(
      sims,
      'kars-prod',
      { 'docs/oncall.md': 'Page ada.\n' },
      'On-call notes',
    );
    await client.request('promotion.start', { folder, id: r.id, confirm: 'kars-prod' });
    const back = await recordUntil(client, r.id, (x) => x.rejectedPushes === 1 && gated(x));
    assert.equal(await serverHead(sims, 'kars-prod'), theirs, 'their push stands');
    assert.equal(back.steps.find((s) => s.id === 'push')?.state, 'failed');
    assert.equal(back.mergeCommit, undefined);
    assert.equal(back.targetCommit, theirs, 'the gates ran on the new target head');
    assert.equal(gate(back, 'divergence').state, 'fail');
  });
});

describe('a production deploy that crashes', () => {
  const w = world();

  it('rolls every changed service back to what served before, and says so', async () => {
    const { sims, client } = w();
    // Railway marks the deployment CRASHED a moment after SUCCESS: a settle time of 0 s could look
    // once, in between, and call it healthy; a few seconds sees the crash, as a person's would.
    const folder = promotionFolder(sims, { settleSeconds: 3 });
    sims.setPushOutcome(KARS_REPO, 'kars-prod', 'CRASHED');
    const r = await signedOff(client, folder);
    const before = r.services.map((s) => [s.name, s.previousCommit]);
    await client.request('promotion.start', {
      folder,
      id: r.id,
      confirm: 'kars-prod',
      rollbackOnFailure: true,
    });
    const done = await recordUntil(client, r.id, (x) => final(x) && x.state !== 'failed');
    assert.equal(done.state, 'rolled-back', done.summary);
    assert.ok(done.history.some((h) => h.state === 'failed'));
    assert.match(done.summary, /runs what it ran before/);
    assert.match(done.summary, /migrations/, 'the shipped migration is mentioned');
    const view = await client.request('environments.watch', { folder });
    const prod = view.view.environments.find((e) => e.name === 'kars-prod')!;
    for (const [name, commit] of before) {
      const s = prod.services.find((x) => x.name === name)!;
      assert.equal(s.active?.commitHash, commit, `${name} serves its previous commit again`);
    }
  });
});

describe('a lost webhook and a second promotion of the same target', () => {
  const w = world();

  it('holds the target, offers to deploy the merge commit, and finishes once deployed', async () => {
    const { sims, client } = w();
    const folder = promotionFolder(sims, { deployTimeoutSeconds: 600 });
    const r = await signedOff(client, folder);
    const other = await client.request('promotion.plan', {
      folder: promotionFolder(sims),
      from: 'kars-dev',
      to: 'kars-prod',
    });
    sims.webhooks.dropNext(KARS_REPO, 'kars-prod');
    await client.request('promotion.start', { folder, id: r.id, confirm: 'kars-prod' });
    const deploying = await recordUntil(client, r.id, (x) => x.state === 'deploying');
    const locked = await recordUntil(client, other.id, gated);
    assert.equal(gate(locked, 'lock').state, 'fail');
    assert.match(gate(locked, 'lock').detail, new RegExp(deploying.id));
    await client.request('promotion.deployMissing', { folder, id: r.id, confirm: 'kars-prod' });
    const done = await recordUntil(client, r.id, final);
    assert.equal(done.state, 'succeeded', done.summary);
  });
});
