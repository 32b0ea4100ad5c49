// Proves the demo's living project on the simulators' clock: teammates push to PR #42's branch through
// git, Railway deploys kars-pr-42 from GitHub's webhook, some of those deploys fail or crash, and
// kars-dev and kars-prod are never touched, so a promotion's pinned commit stays valid.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commitAndPush } from '../../sim/git/gitClient';
import { karsPeople } from '../../sim/git/karsRepo';
import { demoPrBranch, startDemoLife, type DemoPush } from '../../sim/demoLife';
import type { SimDeployment } from '../../sim/railway/model';
import { startSimulators, type Simulators } from '../../sim/server';

const everyMs = 60_000;

void describe('demo life: pushes to the PR environment', () => {
  let sims: Simulators;
  before(async () => {
    sims = await startSimulators({ fixture: 'kars' });
  });
  after(() => sims.close());

  void it('pushes to PR #42 now and then, some deploys fail, kars-dev and kars-prod stay as they were', async () => {
    const { state } = sims.railway;
    const heads = async () => ({
      dev: await sims.git.branchHead('kars', 'kars-app', 'kars-dev'),
      prod: await sims.git.branchHead('kars', 'kars-app', 'kars-prod'),
    });
    const headsBefore = await heads();
    const known = new Set(state.deployments.map((d) => d.id));
    // How each deployment ended, before a later one replaced it (REMOVED).
    const ended = new Map<string, string>();
    const offChange = state.onDeploymentChange((d) => {
      if (['SUCCESS', 'FAILED', 'CRASHED'].includes(d.status) && ended.get(d.id) !== 'CRASHED')
        ended.set(d.id, d.status);
    });
    const outcomeOf = (id: string) => ended.get(id) ?? 'unfinished';
    const branchesPushed: string[] = [];
    const offPush = sims.git.onPush((e) => void branchesPushed.push(e.branch));
    const pushes: DemoPush[] = [];
    const errors: unknown[] = [];
    const life = startDemoLife(sims, {
      firstMs: everyMs,
      everyMs,
      onPush: (p) => void pushes.push(p),
      onError: (e) => void errors.push(e),
    });
    for (let i = 0; i < 7; i++) {
      sims.clock.advance(everyMs);
      await life.idle();
    }
    await life.stop();
    sims.clock.advance(everyMs); // the last push's deploy ends; no push follows a stop
    await life.idle();
    offPush();
    offChange();

    assert.deepEqual(errors, []);
    assert.equal(pushes.length, 7);
    assert.deepEqual(
      branchesPushed,
      pushes.map(() => demoPrBranch),
      'every push went to the PR branch',
    );
    const made = state.deployments.filter((d) => !known.has(d.id));
    const envOf = (d: SimDeployment) => state.environments.find((e) => e.id === d.environmentId);
    assert.deepEqual([...new Set(made.map((d) => envOf(d)?.name))], ['kars-pr-42']);
    const outcomeBySha = new Map<string, Set<string>>();
    for (const d of made) {
      const set = outcomeBySha.get(String(d.meta.commitHash)) ?? new Set<string>();
      set.add(outcomeOf(d.id));
      outcomeBySha.set(String(d.meta.commitHash), set);
    }
    for (const p of pushes) {
      assert.deepEqual(
        [...(outcomeBySha.get(p.sha) ?? [])],
        [p.outcome],
        `push ${p.n} (${p.message}) deployed as announced`,
      );
    }
    const outcomes = new Set(pushes.map((p) => p.outcome));
    assert.deepEqual([...outcomes].sort(), ['CRASHED', 'FAILED', 'SUCCESS']);
    assert.ok(
      pushes.filter((p) => p.outcome === 'SUCCESS').length > pushes.length / 2,
      'failures are the exception',
    );
    assert.deepEqual(await heads(), headsBefore, 'kars-dev and kars-prod never moved');
  });
});

void describe('demo life: a failing push', () => {
  let sims: Simulators;
  before(async () => {
    sims = await startSimulators({ fixture: 'kars' });
  });
  after(() => sims.close());

  void it('sets a failure for its own push only: a push by someone else after it deploys', async () => {
    const { state } = sims.railway;
    const pushes: DemoPush[] = [];
    const life = startDemoLife(sims, { firstMs: 1, everyMs, onPush: (p) => void pushes.push(p) });
    sims.clock.advance(1);
    await life.idle();
    sims.clock.advance(everyMs);
    await life.idle();
    await life.stop();
    assert.deepEqual(
      pushes.map((p) => p.outcome),
      ['SUCCESS', 'FAILED'],
    );
    assert.ok(
      sims.clock.pendingLabels().every((l) => !l.startsWith('demo push')),
      'stopped',
    );
    sims.settle(); // the failing push's deploys end
    const known = new Set(state.deployments.map((d) => d.id));
    const mine = await commitAndPush(sims.git, {
      ...sims.repo!,
      branch: demoPrBranch,
      files: { 'README.md': 'Mine\n' },
      message: 'A push of my own',
      author: karsPeople.ada,
      token: sims.tokens.git,
    });
    sims.settle();
    const made = state.deployments.filter((d) => !known.has(d.id));
    assert.ok(made.length > 0);
    for (const d of made) {
      assert.equal(d.meta.commitHash, mine.sha);
      assert.equal(d.status, 'SUCCESS');
    }
  });
});
