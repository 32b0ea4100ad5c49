// Proves PR environments end as Railway ends them: closing PR #42 (merged or not) deletes kars-pr-42
// with its instances, triggers, deployments, volumes and variables once GitHub's webhook arrives; a
// merge lands the feature branch in kars-dev through a real push, which deploys kars-dev.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runGit } from '../../sim/git/gitRun';
import { resolveRef } from '../../sim/git/repoQueries';
import { closePullRequest, deleteBranch } from '../../sim/pullRequests';
import type { SimDeployment, SimEnvironment } from '../../sim/railway/model';
import { simOperations } from '../../sim/railway/simOperations';
import type { RailwayState } from '../../sim/railway/state';
import { bearer, data, errorOf } from './railwayTestClient';
import { startSimulators, type Simulators } from '../../sim/server';

const feature = 'feature/invoice-export';

/** Everything of the environment's that Railway keeps, counted. */
function leftovers(state: RailwayState, env: SimEnvironment) {
  const of = (items: { environmentId: string | null }[]) =>
    items.filter((i) => i.environmentId === env.id).length;
  return {
    environment: state.environments.includes(env) ? 1 : 0,
    serviceInstances: of(state.serviceInstances),
    triggers: of(state.triggers),
    deployments: of(state.deployments),
    volumes: of(state.volumes.instances),
    variables: state.variables.inEnvironment(env.id).length,
  };
}

const gone = {
  environment: 0,
  serviceInstances: 0,
  triggers: 0,
  deployments: 0,
  volumes: 0,
  variables: 0,
};

async function environmentNames(sims: Simulators): Promise<string[]> {
  const d = await data<{ environments: { edges: { node: { name: string } }[] } }>(
    sims.railway,
    bearer(sims.tokens.railway.account),
    simOperations.ProjectEnvironments,
    { projectId: sims.railway.state.projects[0]!.id },
  );
  return d.environments.edges.map((e) => e.node.name);
}

function repoPath(sims: Simulators): string {
  assert.ok(sims.repo);
  return sims.repo.path;
}

void describe('PR environments: merging PR #42', () => {
  let sims: Simulators;
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  void it('lands the feature branch in kars-dev with a merge commit pushed for real, which kars-dev deploys', async () => {
    const { state } = sims.railway;
    const devBefore = await resolveRef(repoPath(sims), 'kars-dev');
    const featureHead = await resolveRef(repoPath(sims), feature);
    const known = new Set(state.deployments.map((d) => d.id));
    const removed: SimDeployment[] = [];
    const stop = state.onDeploymentChange((d) => {
      if (d.status === 'REMOVED' && known.has(d.id)) removed.push(d);
    });
    const closed = await closePullRequest(sims, { number: 42, merge: true });
    assert.ok(closed.mergeCommit);
    assert.equal(await resolveRef(repoPath(sims), 'kars-dev'), closed.mergeCommit);
    const parents = await runGit(['rev-list', '--parents', '-n', '1', closed.mergeCommit], {
      cwd: repoPath(sims),
    });
    assert.deepEqual(parents.stdout.trim().split(' ').slice(1), [devBefore, featureHead]);
    const message = await runGit(['log', '-1', '--format=%s%n%b%n%cn', closed.mergeCommit], {
      cwd: repoPath(sims),
    });
    assert.match(message.stdout, /^Merge pull request #42 from kars\/feature\/invoice-export\n/);
    assert.match(message.stdout, /Export invoices as CSV/);
    assert.match(message.stdout, /GitHub\s*$/, 'committed by GitHub');
    assert.deepEqual(
      state.deployments.filter((d) => !known.has(d.id)),
      [],
      'Railway hears of the merge by webhook, a step later',
    );
    assert.equal(await resolveRef(repoPath(sims), feature), featureHead, 'the branch stays');

    const env = closed.environment;
    assert.equal(env.name, 'kars-pr-42');
    assert.deepEqual(leftovers(state, env).environment, 1, 'until the webhook arrives');
    sims.clock.advance(sims.timings.webhookMs);
    stop();
    const deployed = state.deployments.filter((d) => !known.has(d.id));
    assert.deepEqual(
      deployed.map((d) => [
        state.environments.find((e) => e.id === d.environmentId)?.name,
        d.meta.commitHash,
      ]),
      [
        ['kars-dev', closed.mergeCommit],
        ['kars-dev', closed.mergeCommit],
      ],
      'backend and frontend of kars-dev, from the merge commit',
    );
    assert.deepEqual(leftovers(state, env), gone);
    assert.ok(removed.length > 0 && removed.every((d) => d.environmentId === env.id));
    assert.deepEqual(await environmentNames(sims), ['kars-dev', 'kars-prod']);
    assert.match(
      await errorOf(
        sims.railway,
        bearer(sims.tokens.railway.account),
        simOperations.EnvironmentById,
        {
          id: env.id,
        },
      ),
      /Environment not found/,
    );
  });
});

void describe('PR environments: closing PR #42 unmerged', () => {
  let sims: Simulators;
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  void it('deletes kars-pr-42 and merges nothing; deleting the branch afterwards is a real push', async () => {
    const { state } = sims.railway;
    const devBefore = await resolveRef(repoPath(sims), 'kars-dev');
    const deploymentsBefore = state.deployments.filter((d) => d.status !== 'REMOVED').length;
    const closed = await closePullRequest(sims, { number: 42, merge: false });
    assert.equal(closed.mergeCommit, null);
    assert.equal(await resolveRef(repoPath(sims), 'kars-dev'), devBefore, 'nothing merged');
    assert.ok(sims.clock.pendingLabels().includes('delete PR environment kars-pr-42'));
    sims.clock.advance(sims.timings.webhookMs);
    assert.deepEqual(leftovers(state, closed.environment), gone);
    assert.deepEqual(await environmentNames(sims), ['kars-dev', 'kars-prod']);
    const live = state.deployments.filter((d) => d.status !== 'REMOVED').length;
    assert.equal(live, deploymentsBefore - 3, "only the PR environment's three services went");

    const pushes: string[] = [];
    const off = sims.git.onPush((e) => void pushes.push(`${e.branch} deleted=${e.deleted}`));
    await deleteBranch(sims, feature);
    off();
    assert.deepEqual(pushes, [`${feature} deleted=true`]);
    assert.equal(await sims.git.branchHead('kars', 'kars-app', feature), null);
    assert.equal(state.deployments.filter((d) => d.status !== 'REMOVED').length, live);
  });

  void it('refuses to close a pull request that has no environment', async () => {
    await assert.rejects(
      closePullRequest(sims, { number: 42, merge: false }),
      /no open pull request #42/,
    );
  });
});
