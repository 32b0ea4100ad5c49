// Proves the simulators make one world: Railway's kars fixture is the repository's real commits, and a git push deploys.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulators, type Simulators } from '../../sim/server';
import { commitAndPush } from '../../sim/git/gitClient';
import { karsPeople, type KarsRepo } from '../../sim/git/karsRepo';
import { commitInfo, resolveRef } from '../../sim/git/repoQueries';
import { runGit } from '../../sim/git/gitRun';
import { karsDeployedCommits, karsRepo } from '../../sim/railway/fixtures';
import type { SimDeployment } from '../../sim/railway/model';
import type { RailwayState } from '../../sim/railway/state';
import { readKarsHistory } from '../../sim/world';

const grace = { ...karsPeople.grace, date: '2025-01-20T09:30:00+00:00' };

function deploymentsOf(state: RailwayState, env: string, service: string): SimDeployment[] {
  return state.deploymentsOf(state.environmentByName(env).id, state.serviceByName(service).id);
}

function repoOf(sims: Simulators): KarsRepo {
  assert.ok(sims.repo, 'the kars fixture seeds kars/kars-app');
  return sims.repo;
}

/** Everything not yet in `known`, for seeing what a push created. */
function newSince(state: RailwayState, known: Set<string>): SimDeployment[] {
  return state.deployments.filter((d) => !known.has(d.id));
}

void describe('one world: the Railway fixture from the git repository', () => {
  let sims: Simulators;
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  void it('uses repo kars/kars-app, and the fixture constants are the seeded commits', async () => {
    assert.equal(karsRepo, `${repoOf(sims).owner}/${repoOf(sims).repo}`);
    assert.deepEqual(await readKarsHistory(repoOf(sims)), karsDeployedCommits);
    const repos = new Set(sims.railway.state.triggers.map((t) => t.repository));
    assert.deepEqual([...repos], ['kars/kars-app']);
  });

  void it('builds each environment from its branch: the head is active, older deployments are older real commits', async () => {
    const repo = repoOf(sims);
    const { state } = sims.railway;
    const branchOf = {
      'kars-dev': 'kars-dev',
      'kars-prod': 'kars-prod',
      'kars-pr-42': 'feature/invoice-export',
    };
    for (const [env, branch] of Object.entries(branchOf)) {
      for (const service of ['kars-backend', 'kars-frontend']) {
        const [active, ...older] = deploymentsOf(state, env, service);
        assert.equal(active?.status, 'SUCCESS');
        assert.equal(active?.meta.commitHash, await resolveRef(repo.path, branch));
        for (const d of [active, ...older]) await assertRealCommit(repo, d, branch);
        assert.ok(older.every((d) => d.status === 'REMOVED' && state.canRollback(d)));
      }
    }
  });

  void it('keeps Postgres image-sourced, without a trigger', () => {
    const { state } = sims.railway;
    const pg = state.serviceByName('Postgres');
    assert.equal(state.triggers.filter((t) => t.serviceId === pg.id).length, 0);
    const [active] = deploymentsOf(state, 'kars-prod', 'Postgres');
    assert.equal(active?.meta.commitHash, undefined);
    assert.match(String(active?.meta.image), /postgres/);
  });
});

/** The deployment's meta names a commit on the branch, with that commit's own message and author. */
async function assertRealCommit(repo: KarsRepo, d: SimDeployment | undefined, branch: string) {
  assert.ok(d);
  const info = await commitInfo(repo.path, String(d.meta.commitHash));
  assert.ok(info, `deployment ${d.id} names a commit the repository has`);
  const onBranch = await runGit(['merge-base', '--is-ancestor', info.sha, `refs/heads/${branch}`], {
    cwd: repo.path,
    okExitCodes: [0, 1],
  });
  assert.equal(onBranch.exitCode, 0, `${info.sha} is on ${branch}`);
  assert.deepEqual(
    [d.meta.repo, d.meta.branch, d.meta.commitMessage, d.meta.commitAuthor],
    [karsRepo, branch, info.message, info.author.name],
  );
}

void describe('one world: pushes deploy', () => {
  let sims: Simulators;
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  void it('a push reaches Railway by webhook a step later, waits for CI, and is SUCCESS within ten steps', async () => {
    const { state } = sims.railway;
    const previous = ['kars-backend', 'kars-frontend'].map(
      (s) => deploymentsOf(state, 'kars-dev', s)[0]!,
    );
    const known = new Set(state.deployments.map((d) => d.id));
    const pushed = await commitAndPush(sims.git, {
      ...repoOf(sims),
      branch: 'kars-dev',
      files: { 'frontend/export.js': 'export {};\n' },
      message: 'Add the export button\n\nBehind a flag for now.',
      author: grace,
      token: sims.tokens.git,
    });
    assert.deepEqual(newSince(state, known), [], 'never during the push itself');
    sims.clock.advance(sims.timings.webhookMs);
    const created = newSince(state, known);
    const envNames = created.map(
      (d) => state.environments.find((e) => e.id === d.environmentId)?.name,
    );
    const serviceNames = created.map((d) => state.services.find((s) => s.id === d.serviceId)?.name);
    assert.deepEqual(envNames, ['kars-dev', 'kars-dev']);
    assert.deepEqual(serviceNames.sort(), ['kars-backend', 'kars-frontend']);
    for (const d of created) {
      assert.equal(d.status, 'WAITING', 'the kars triggers wait for CI, which is still running');
      assert.deepEqual(
        [d.meta.commitHash, d.meta.commitMessage, d.meta.commitAuthor, d.meta.branch],
        [pushed.sha, 'Add the export button\n\nBehind a flag for now.', grace.name, 'kars-dev'],
      );
    }
    let steps = 1;
    while (created.some((d) => d.status !== 'SUCCESS') && steps < 20) {
      sims.clock.advance(sims.timings.stepMs);
      steps += 1;
    }
    assert.ok(steps <= 10, `SUCCESS after ${steps} steps`);
    assert.deepEqual(
      previous.map((d) => d.status),
      ['REMOVING', 'REMOVING'],
      'the old deployments drain first',
    );
    state.settle();
    assert.deepEqual(
      previous.map((d) => d.status),
      ['REMOVED', 'REMOVED'],
    );
    for (const d of created)
      assert.deepEqual(state.activeDeployments(d.environmentId, d.serviceId), [d]);
  });

  void it('a push to a branch no trigger watches deploys nothing; a failing build leaves the previous one active', async () => {
    const { state } = sims.railway;
    const known = new Set(state.deployments.map((d) => d.id));
    const push = (branch: string, file: string) =>
      commitAndPush(sims.git, {
        ...repoOf(sims),
        branch,
        from: 'kars-prod',
        files: { [file]: 'fix\n' },
        message: `Fix ${file}`,
        author: grace,
      });
    await push('hotfix/login', 'login.txt');
    sims.clock.advance(sims.timings.webhookMs);
    assert.deepEqual(newSince(state, known), []);
    sims.setPushOutcome(karsRepo, 'kars-prod', 'FAILED');
    const serving = deploymentsOf(state, 'kars-prod', 'kars-backend')[0]!;
    await push('kars-prod', 'hotfix.txt');
    sims.clock.advance(sims.timings.webhookMs);
    const created = newSince(state, known);
    assert.equal(created.length, 2);
    state.settle();
    assert.deepEqual(
      created.map((d) => d.status),
      ['FAILED', 'FAILED'],
    );
    assert.equal(serving.status, 'SUCCESS');
    assert.equal(state.servingDeployment(serving.environmentId, serving.serviceId), serving);
  });

  void it('a webhook that goes missing creates no deployment at all', async () => {
    const { state } = sims.railway;
    const known = new Set(state.deployments.map((d) => d.id));
    sims.webhooks.dropNext(karsRepo, 'kars-dev');
    await commitAndPush(sims.git, {
      ...repoOf(sims),
      branch: 'kars-dev',
      files: { 'lost.txt': 'lost\n' },
      message: 'Lost webhook',
      author: grace,
    });
    sims.clock.advance(10 * sims.timings.stepMs);
    assert.deepEqual(newSince(state, known), []);
  });
});

void describe('one world: demo mode', () => {
  void it('moves a pushed deployment to SUCCESS on its own timer', async () => {
    const sims = await startSimulators({ stepMs: 1, realTime: true });
    try {
      const { state } = sims.railway;
      const backend = state.serviceByName('kars-backend').id;
      const known = new Set(state.deployments.map((d) => d.id));
      const seen: SimDeployment['status'][] = [];
      let succeeded!: (d: SimDeployment) => void;
      const done = new Promise<SimDeployment>((resolve) => (succeeded = resolve));
      // Listening before the push: the timer may move the deployment before the push returns.
      const stop = state.onDeploymentChange((d) => {
        if (known.has(d.id) || d.serviceId !== backend) return;
        seen.push(d.status);
        if (d.status === 'SUCCESS') succeeded(d);
      });
      const pushed = await commitAndPush(sims.git, {
        ...repoOf(sims),
        branch: 'kars-dev',
        files: { 'demo.txt': 'demo\n' },
        message: 'Demo',
        author: grace,
      });
      const deployed = await done;
      stop();
      assert.equal(deployed.meta.commitHash, pushed.sha);
      // At one millisecond a step CI may be done before the webhook lands: WAITING is then skipped.
      assert.deepEqual(
        seen.filter((s) => s !== 'WAITING'),
        ['QUEUED', 'BUILDING', 'DEPLOYING', 'SUCCESS'],
      );
    } finally {
      await sims.close();
    }
  });
});

void describe('one world: the empty fixture', () => {
  void it('starts with no project and no repository, and an account token still works', async () => {
    const sims = await startSimulators({ fixture: 'empty' });
    try {
      assert.equal(sims.repo, null);
      assert.equal(sims.urls.repo, null);
      assert.equal(sims.railway.state.projects.length, 0);
      const res = await fetch(sims.env.RAILYARD_RAILWAY_URL, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${sims.tokens.railway.account}`,
        },
        body: JSON.stringify({ query: '{ me { email workspaces { name } } }' }),
      });
      const body = (await res.json()) as { data: { me: { workspaces: unknown[] } } };
      assert.equal(body.data.me.workspaces.length, 1);
    } finally {
      await sims.close();
    }
  });
});
