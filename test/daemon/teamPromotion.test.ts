// Promotion at team scale, with two teammates' daemons sharing only GitHub and Railway, as a team
// does: a race for the target that one wins (and tags the release), the PR path through a protected
// branch with a required review, a back-merge, and a revert followed by the re-promotion that
// reverts the revert. The stale take-over is in teamTakeover.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../protocol/protocol';
import type { RpcError } from '../../protocol/jsonrpc';
import { runGit } from '../../sim/git/gitRun';
import {
  KARS_REPO,
  commitOnServer,
  final,
  gate,
  promotionFolder,
  protectKarsProd,
  pushCommit,
  recordUntil,
  rejection,
  serverHead,
} from './promotionWorld';
import {
  LIN,
  devServes,
  environmentWhen,
  fileOn,
  github,
  planned,
  railyardDeployments,
  signedOff,
  statesOf,
  statusPosted,
  team,
} from './teamWorld';

describe('two teammates racing for kars-prod', () => {
  const t = team();

  it('one wins and tags the release, the other is refused with the winner’s name', async () => {
    const { sims, ada, lin } = t();
    const adaFolder = promotionFolder(sims, { tag: 'release-{date}-{n}' });
    const linFolder = promotionFolder(sims, { tag: 'release-{date}-{n}' });
    const a = await signedOff(ada, adaFolder);
    const l = await signedOff(lin, linFolder);
    const starts = await Promise.allSettled([
      ada.client.request('promotion.start', { folder: adaFolder, id: a.id, confirm: 'kars-prod' }),
      lin.client.request('promotion.start', { folder: linFolder, id: l.id, confirm: 'kars-prod' }),
    ]);
    const won = starts.findIndex((s) => s.status === 'fulfilled');
    assert.notEqual(won, -1, 'one start went through');
    const lost = starts[1 - won]!;
    assert.equal(lost.status, 'rejected', 'the other was refused');
    const winner = [ada, lin][won]!;
    const error = lost.reason as RpcError;
    assert.equal(error.code, ErrorCode.Conflict);
    assert.match(
      error.message,
      new RegExp(`being promoted by ${winner.login} on ${winner.login}-laptop`),
    );
    assert.equal((error.data as { lock: { by: string } }).lock.by, winner.login);

    const id = [a, l][won]!.id;
    const done = await recordUntil(winner.client, id, final);
    assert.equal(done.state, 'succeeded', done.summary);
    assert.ok(done.deployment, 'the promotion is a GitHub Deployment');
    assert.match(done.tag ?? '', /^release-\d{4}-\d{2}-\d{2}-1$/);
    const tagged = await runGit(['rev-parse', `refs/tags/${done.tag}^{commit}`], {
      cwd: sims.repo!.path,
    });
    assert.equal(tagged.stdout.trim(), done.mergeCommit, 'the tag is on the merge commit');

    const ours = (await railyardDeployments(sims)).find((d) => d.id === done.deployment!.id)!;
    assert.equal(ours.payload.railyard!.by, winner.login);
    await statusPosted(sims, ours.id, 'success');
    const states = await statesOf(sims, ours.id);
    assert.equal(states[0], 'in_progress');

    const loser = [ada, lin][1 - won]!;
    const history = await loser.client.request('promotion.list', {});
    const seen = history.team.find((x) => x.id === id);
    assert.ok(seen, `${loser.login}'s history lists ${winner.login}'s promotion`);
    assert.equal(seen.by, winner.login);
    assert.equal(seen.state, 'succeeded');
  });
});

describe('a protected kars-prod', () => {
  const t = team();

  it('goes through a pull request, pauses for a review, and merges at the pinned sha', async () => {
    const { sims, ada, lin } = t();
    protectKarsProd(sims);
    const folder = promotionFolder(sims, { strategy: 'pull-request' });
    const r = await signedOff(ada, folder);
    assert.match(gate(r, 'merge').detail, /pull request/);
    await ada.client.request('promotion.start', { folder, id: r.id, confirm: 'kars-prod' });
    const waiting = await recordUntil(
      ada.client,
      r.id,
      (x) => x.steps.find((s) => s.id === 'pull-request')?.state === 'needs-you',
    );
    const pr = waiting.pullRequest!;
    assert.match(waiting.summary, new RegExp(`#${pr.number}`));
    assert.match(waiting.summary, /approving review/);

    // Lin sees it and cannot start another promotion of kars-prod meanwhile.
    const linFolder = promotionFolder(sims);
    const theirs = await signedOff(lin, linFolder);
    assert.equal(gate(theirs, 'lock').state, 'fail');
    assert.match(gate(theirs, 'lock').detail, /held by ada/);
    const refused = await rejection(
      lin.client.request('promotion.start', {
        folder: linFolder,
        id: theirs.id,
        confirm: 'kars-prod',
      }),
    );
    assert.match(refused.message, /held by ada/);
    const prod = await environmentWhen(
      lin,
      linFolder,
      'kars-prod',
      (e) => e.promoting !== undefined,
    );
    assert.equal(prod.promoting?.by, 'ada');
    assert.equal(prod.promoting?.machine, 'ada-laptop');
    assert.equal(prod.promoting?.mine, false);
    await lin.client.request('promotion.cancel', { folder: linFolder, id: theirs.id });

    await github(sims, LIN.token, `/repos/${KARS_REPO}/pulls/${pr.number}/reviews`, {
      method: 'POST',
      body: { event: 'APPROVE' },
    });
    const done = await recordUntil(ada.client, r.id, final);
    assert.equal(done.state, 'succeeded', done.summary);
    const merge = await commitOnServer(sims, done.mergeCommit!);
    assert.deepEqual(merge.parents, [r.targetCommit, r.sourceCommit], 'merged at the pinned sha');
    assert.equal(await serverHead(sims, 'kars-prod'), done.mergeCommit);
  });

  it('explains a direct push the protection refuses, and offers the pull request', async () => {
    const { sims, lin } = t();
    const folder = promotionFolder(sims);
    const sha = await pushCommit(
      sims,
      'kars-dev',
      { 'notes/direct.txt': 'direct\n' },
      'Direct change',
    );
    await devServes(lin, folder, sha);
    const r = await signedOff(lin, folder);
    assert.equal(gate(r, 'merge').state, 'warn');
    assert.match(gate(r, 'merge').detail, /protects kars-prod/);
    const before = await serverHead(sims, 'kars-prod');
    await lin.client.request('promotion.start', { folder, id: r.id, confirm: 'kars-prod' });
    const done = await recordUntil(lin.client, r.id, final);
    assert.equal(done.state, 'failed');
    assert.match(done.summary, /--strategy pull-request/);
    assert.equal(await serverHead(sims, 'kars-prod'), before, 'nothing reached kars-prod');
  });
});

describe('a hotfix on kars-prod', () => {
  const t = team();

  it('is back-merged into kars-dev as its own promotion, after which kars-dev promotes', async () => {
    const { sims, ada } = t();
    const hotfix = await pushCommit(
      sims,
      'kars-prod',
      { 'HOTFIX.md': 'fixed\n' },
      'Hotfix in prod',
    );
    const folder = promotionFolder(sims);
    const blocked = await planned(ada, folder);
    assert.equal(gate(blocked, 'divergence').state, 'fail');
    assert.ok(gate(blocked, 'divergence').actions.includes('back-merge'));

    const back = await planned(ada, folder, {
      kind: 'back-merge',
      from: 'kars-prod',
      to: 'kars-dev',
    });
    assert.equal(back.kind, 'back-merge');
    assert.equal(gate(back, 'ci').state, 'off', 'a back-merge checks only what it needs');
    await ada.client.request('promotion.start', { folder, id: back.id });
    const merged = await recordUntil(ada.client, back.id, final);
    assert.equal(merged.state, 'succeeded', merged.summary);
    assert.equal(await fileOn(sims, 'kars-dev', 'HOTFIX.md'), 'fixed\n');
    assert.ok((await commitOnServer(sims, merged.mergeCommit!)).parents.includes(hotfix));

    const again = await signedOff(ada, folder);
    assert.equal(gate(again, 'divergence').state, 'pass', gate(again, 'divergence').detail);
  });
});

describe('a promotion reverted in git', () => {
  const t = team();

  it('reverts the merge on kars-prod, and the next promotion brings it back by reverting the revert', async () => {
    const { sims, ada } = t();
    const folder = promotionFolder(sims);
    await devServes(
      ada,
      folder,
      await pushCommit(sims, 'kars-dev', { 'feature.txt': 'feature v1\n' }, 'Add the feature'),
    );
    const r = await signedOff(ada, folder);
    await ada.client.request('promotion.start', { folder, id: r.id, confirm: 'kars-prod' });
    const shipped = await recordUntil(ada.client, r.id, final);
    assert.equal(shipped.state, 'succeeded', shipped.summary);
    assert.equal(await fileOn(sims, 'kars-prod', 'feature.txt'), 'feature v1\n');

    const revert = await ada.client.request('promotion.revert', {
      folder,
      id: r.id,
      confirm: 'kars-prod',
    });
    assert.equal(revert.kind, 'revert');
    const reverted = await recordUntil(ada.client, revert.id, final);
    assert.equal(reverted.state, 'succeeded', reverted.summary);
    assert.equal(await fileOn(sims, 'kars-prod', 'feature.txt'), undefined, 'the feature is gone');
    const original = await ada.client.request('promotion.get', { id: r.id });
    assert.equal(original.revertedBy?.promotion, revert.id);

    await devServes(
      ada,
      folder,
      await pushCommit(sims, 'kars-dev', { 'fix.txt': 'fix\n' }, 'Fix the feature'),
    );
    const next = await signedOff(ada, folder);
    const divergence = gate(next, 'divergence');
    assert.equal(divergence.state, 'needs-you', divergence.detail);
    assert.ok(divergence.actions.includes('revert-revert'));
    const plain = await rejection(
      ada.client.request('promotion.start', { folder, id: next.id, confirm: 'kars-prod' }),
    );
    assert.equal(plain.code, ErrorCode.Conflict);
    await ada.client.request('promotion.start', {
      folder,
      id: next.id,
      confirm: 'kars-prod',
      reapplyReverts: true,
    });
    const back = await recordUntil(ada.client, next.id, final);
    assert.equal(back.state, 'succeeded', back.summary);
    assert.equal(back.reapplies.length, 1);
    assert.equal(await fileOn(sims, 'kars-prod', 'feature.txt'), 'feature v1\n', 'it came back');
    assert.equal(await fileOn(sims, 'kars-prod', 'fix.txt'), 'fix\n');
  });
});
