// The simulated Railway in time and in failure: every behaviour of issue 8's list, each moved only by
// the simulators' clock, through real pushes where a push is what Railway reacts to.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { commitAndPush } from '../../sim/git/gitClient';
import { karsPeople } from '../../sim/git/karsRepo';
import { karsRepo } from '../../sim/railway/fixtures';
import type { SimDeployment } from '../../sim/railway/model';
import type { RailwayState } from '../../sim/railway/state';
import { bearer, data, errorOf } from './railwayTestClient';
import { startSimulators, type Simulators } from '../../sim/server';

const grace = { ...karsPeople.grace, date: '2025-02-03T09:30:00+00:00' };

function instance(state: RailwayState, env: string, service: string) {
  const e = state.environmentByName(env);
  const s = state.serviceByName(service);
  return state.serviceInstances.find((i) => i.environmentId === e.id && i.serviceId === s.id)!;
}

describe('simulated Railway over time', () => {
  let sims: Simulators;
  const state = () => sims.railway.state;
  const account = () => bearer(sims.tokens.railway.account);
  let n = 0;
  /** A real push to kars-dev touching `files`; resolves with the deployments its webhook made. */
  const push = async (files: Record<string, string> = { [`f${++n}.txt`]: `${n}\n` }) => {
    const known = new Set(state().deployments.map((d) => d.id));
    const pushed = await commitAndPush(sims.git, {
      ...sims.repo!,
      branch: 'kars-dev',
      files,
      message: `Change ${n}`,
      author: grace,
      token: sims.tokens.git,
    });
    sims.clock.advance(sims.timings.webhookMs);
    const made = state().deployments.filter((d) => !known.has(d.id));
    return { sha: pushed.sha, made, backend: made.find((d) => isBackend(d)) };
  };
  /** The service's domain as Railway's edge answers it (by Host header, which fetch will not set). */
  const healthStatus = (host: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(`${sims.railway.appUrl}/api/health`, { headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
    });
  const isBackend = (d: SimDeployment) => d.serviceId === state().serviceByName('kars-backend').id;

  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  it('waits in WAITING while CI runs, then builds; a failing CI or two hours end it SKIPPED', async () => {
    const passing = await push();
    assert.equal(passing.backend?.status, 'WAITING');
    // CI started at the push, a step before the webhook landed.
    const ciLeft = sims.timings.ciQueuedMs + sims.timings.ciRunMs - sims.timings.webhookMs;
    sims.clock.advance(ciLeft - 1);
    assert.equal(passing.backend?.status, 'WAITING');
    sims.clock.advance(1);
    assert.equal(passing.backend?.status, 'QUEUED');
    state().settle();

    sims.ci.setMode('fail', { repository: karsRepo, branch: 'kars-dev' });
    const failing = await push();
    assert.equal(failing.backend?.status, 'WAITING');
    sims.clock.advance(ciLeft);
    assert.equal(failing.backend?.status, 'SKIPPED');
    assert.equal(failing.backend?.meta.commitHash, failing.sha);

    sims.ci.setMode('manual', { repository: karsRepo, branch: 'kars-dev' });
    const stuck = await push();
    sims.clock.advance(sims.timings.waitingTimeoutMs - 1);
    assert.equal(stuck.backend?.status, 'WAITING', 'still waiting just before two hours');
    sims.clock.advance(1);
    assert.equal(stuck.backend?.status, 'SKIPPED');

    sims.ci.setMode('absent', { repository: karsRepo, branch: 'kars-dev' });
    const noCi = await push();
    assert.equal(noCi.backend?.status, 'QUEUED', 'Railway waits only for commits with suites');
    state().settle();
    sims.ci.setMode('pass', { repository: karsRepo, branch: 'kars-dev' });
  });

  it('skips a push outside a service`s watch paths with the commit, and deploys one inside', async () => {
    instance(state(), 'kars-dev', 'kars-backend').watchPatterns = ['/backend/**'];
    try {
      const outside = await push({ 'frontend/app.js': 'x\n' });
      assert.equal(outside.backend?.status, 'SKIPPED');
      assert.equal(outside.backend?.meta.commitHash, outside.sha);
      assert.notEqual(outside.made.find((d) => !isBackend(d))?.status, 'SKIPPED');
      const inside = await push({ 'backend/api.js': 'y\n' });
      assert.equal(inside.backend?.status, 'WAITING');
      state().settle();
    } finally {
      instance(state(), 'kars-dev', 'kars-backend').watchPatterns = [];
    }
  });

  it('makes no deployment where autodeploy is off', async () => {
    instance(state(), 'kars-dev', 'kars-backend').autoDeploy = false;
    try {
      const pushed = await push();
      assert.equal(pushed.backend, undefined);
      assert.equal(pushed.made.length, 1, 'the frontend still deploys');
      state().settle();
    } finally {
      instance(state(), 'kars-dev', 'kars-backend').autoDeploy = true;
    }
  });

  it('holds a deployment in NEEDS_APPROVAL until deploymentApprove', async () => {
    instance(state(), 'kars-dev', 'kars-backend').needsApproval = true;
    try {
      const { backend } = await push();
      assert.equal(backend?.status, 'NEEDS_APPROVAL');
      sims.clock.advance(10 * sims.timings.stepMs);
      assert.equal(backend?.status, 'NEEDS_APPROVAL', 'time alone does not move it');
      const mutation = 'mutation($id: String!) { deploymentApprove(id: $id) }';
      await data(sims.railway, account(), mutation, { id: backend.id });
      assert.equal(backend?.status, 'QUEUED');
      state().settle();
      assert.equal(backend?.status, 'SUCCESS');
    } finally {
      instance(state(), 'kars-dev', 'kars-backend').needsApproval = false;
    }
  });

  for (const mode of ['remove', 'continue'] as const) {
    it(`handles a newer push while one is in flight (${mode})`, async (t) => {
      state().ambiguities.supersede = mode;
      t.after(() => (state().ambiguities.supersede = 'remove'));
      const first = await push();
      const second = await push();
      state().settle();
      assert.equal(first.backend?.status, 'REMOVED');
      assert.equal(
        first.backend?.succeeded,
        mode === 'continue',
        'it ran to SUCCESS only if let run',
      );
      assert.equal(second.backend?.status, 'SUCCESS');
      const { environmentId, serviceId } = second.backend;
      assert.equal(state().servingDeployment(environmentId, serviceId), second.backend);
    });
  }

  it('starts new deployments INITIALIZING when set to, and moves them the same way', async () => {
    state().ambiguities.startStatus = 'INITIALIZING';
    sims.ci.setMode('absent', { repository: karsRepo, branch: 'kars-dev' });
    try {
      const { backend } = await push();
      assert.equal(backend?.status, 'INITIALIZING');
      state().settle();
      assert.equal(backend?.status, 'SUCCESS');
    } finally {
      state().ambiguities.startStatus = 'QUEUED';
      sims.ci.setMode('pass', { repository: karsRepo, branch: 'kars-dev' });
    }
  });

  it('fails a healthcheck only after Railway`s 300 s timeout, the previous deployment serving throughout', async () => {
    const where = instance(state(), 'kars-prod', 'kars-backend');
    const serving = state().servingDeployment(where.environmentId, where.serviceId)!;
    const d = state().createDeployment({
      environmentId: where.environmentId,
      serviceId: where.serviceId,
      outcome: 'FAILED',
      failure: 'healthcheck',
    });
    for (let i = 0; i < 5 && d.status !== 'DEPLOYING'; i++) state().advance(d.id);
    assert.equal(d.status, 'DEPLOYING');
    sims.clock.advance(sims.timings.healthcheckTimeoutMs - 1);
    assert.equal(d.status, 'DEPLOYING');
    assert.equal(state().servingDeployment(where.environmentId, where.serviceId), serving);
    sims.clock.advance(1);
    assert.equal(d.status, 'FAILED');
    assert.equal(serving.status, 'SUCCESS');
    assert.equal(await healthStatus(where.serviceDomains[0]!), 200, 'production still answers');
  });

  it('crashes after taking over: the old one is removed and the domain answers 502', async () => {
    const where = instance(state(), 'kars-prod', 'kars-frontend');
    const old = state().servingDeployment(where.environmentId, where.serviceId)!;
    const d = state().createDeployment({
      environmentId: where.environmentId,
      serviceId: where.serviceId,
      outcome: 'CRASHED',
    });
    for (let i = 0; i < 5 && d.status !== 'SUCCESS'; i++) state().advance(d.id);
    assert.equal(d.status, 'SUCCESS');
    assert.equal(old.status, 'REMOVING');
    state().settle();
    assert.equal(d.status, 'CRASHED');
    assert.equal(old.status, 'REMOVED');
    assert.deepEqual(state().activeDeployments(where.environmentId, where.serviceId), [d]);
    assert.equal(await healthStatus(where.serviceDomains[0]!), 502);
  });

  it('rolls back as a NEW deployment of the old commit without a build, refused past retention', async () => {
    const where = instance(state(), 'kars-dev', 'kars-frontend');
    const previous = state()
      .deploymentsOf(where.environmentId, where.serviceId)
      .find((d) => state().canRollback(d))!;
    const known = new Set(state().deployments.map((d) => d.id));
    const mutation = 'mutation($id: String!) { deploymentRollback(id: $id) }';
    const answer = await data<{ deploymentRollback: boolean }>(sims.railway, account(), mutation, {
      id: previous.id,
    });
    assert.deepEqual(answer, { deploymentRollback: true });
    const [made] = state().deployments.filter((d) => !known.has(d.id));
    assert.ok(made && made.skipBuild);
    assert.deepEqual(made.meta, previous.meta, 'the old deployment`s meta, nothing invented');
    state().settle();
    assert.equal(made.status, 'SUCCESS');
    const removed = state()
      .deploymentsOf(where.environmentId, where.serviceId)
      .find((d) => d.status === 'REMOVED' && state().canRollback(d))!;
    sims.clock.advance(72 * 3_600_000 + 1);
    assert.equal(state().canRollback(removed), false);
    assert.match(await errorOf(sims.railway, account(), mutation, { id: removed.id }), /retention/);
  });

  it('deploys the current commit without a sha, refuses an unknown one, and redeploys only what finished', async () => {
    const where = instance(state(), 'kars-dev', 'kars-backend');
    const serving = state().servingDeployment(where.environmentId, where.serviceId)!;
    const deploy = `mutation($e: String!, $s: String!, $sha: String) {
      serviceInstanceDeployV2(environmentId: $e, serviceId: $s, commitSha: $sha) }`;
    const vars = { e: where.environmentId, s: where.serviceId };
    const made = await data<{ serviceInstanceDeployV2: string }>(
      sims.railway,
      account(),
      deploy,
      vars,
    );
    const d = state().deployment(made.serviceInstanceDeployV2)!;
    assert.equal(d.meta.commitHash, serving.meta.commitHash);
    assert.match(
      await errorOf(sims.railway, account(), deploy, { ...vars, sha: 'e'.repeat(40) }),
      /Commit not found/,
    );
    const redeploy = 'mutation($id: String!) { deploymentRedeploy(id: $id) { id } }';
    assert.match(
      await errorOf(sims.railway, account(), redeploy, { id: d.id }),
      /cannot be redeployed/,
      'an in-flight deployment cannot be redeployed',
    );
    state().settle();
    const again = await data<{ deploymentRedeploy: { id: string } }>(
      sims.railway,
      account(),
      redeploy,
      { id: d.id },
    );
    assert.notEqual(again.deploymentRedeploy.id, d.id);
    state().settle();
  });
});
