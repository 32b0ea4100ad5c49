// What real Railway does in time and in failure, as the product sees it over the protocol: the
// serving deployment chosen by status, rollbacks reported as the new deployment they are, pushes
// that arrive by webhook and wait for CI, and a crashed production shown as down.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProjectView, ServiceView } from '../../protocol/protocol';
import type { RpcClient } from '../../client/rpcClient';
import { AuditLog } from '../../daemon/state/auditLog';
import { SimClock } from '../../sim/clock';
import { commitAndPush } from '../../sim/git/gitClient';
import { karsPeople } from '../../sim/git/karsRepo';
import { karsRepo } from '../../sim/railway/fixtures';
import type { SimDeployment } from '../../sim/railway/model';
import { startSimulators, type Simulators } from '../../sim/server';
import {
  startInProcess,
  until,
  type InProcessDaemon,
  karsFolder,
  type FolderContext,
} from './harness';

const service = (v: ProjectView, env: string, name: string): ServiceView | undefined =>
  v.environments.find((e) => e.name === env)?.services.find((s) => s.name === name);

describe('Railway as it behaves, seen through the daemon', () => {
  let sims: Simulators;
  let d: InProcessDaemon;
  let client: RpcClient;
  let watchId: string;
  let folder: FolderContext;
  const state = () => sims.railway.state;
  const ids = (env: string, name: string) => ({
    environmentId: state().environmentByName(env).id,
    serviceId: state().serviceByName(name).id,
  });
  const refresh = () => client.request('environments.refresh', { watchId });

  before(async () => {
    // Railway's clock behind the daemon's, as in practice, though these tests move it hours ahead.
    sims = await startSimulators({ clock: new SimClock(Date.now() - 24 * 3_600_000) });
    folder = karsFolder(sims);
    d = await startInProcess({
      ...sims.env,
      RAILWAY_API_TOKEN: sims.tokens.railway.account,
      RAILWAY_PROJECT_ID: state().projects[0]!.id,
      GH_TOKEN: sims.tokens.github.token,
    });
    client = await d.client('railway-behaviour');
    ({ watchId } = await client.request('environments.watch', { folder }));
  });
  after(async () => {
    await d.stop();
    await sims.close();
  });

  for (const order of ['newest-first', 'oldest-first'] as const) {
    it(`picks the serving deployment by status while a new one deploys (${order})`, async (t) => {
      state().ambiguities.activeOrder = order;
      t.after(() => (state().ambiguities.activeOrder = 'newest-first'));
      const where = ids('kars-prod', 'kars-frontend');
      const serving = state().servingDeployment(where.environmentId, where.serviceId)!;
      const next = state().createDeployment({ ...where, meta: { ...serving.meta } });
      for (let i = 0; i < 5 && next.status !== 'DEPLOYING'; i++) state().advance(next.id);
      assert.equal(next.status, 'DEPLOYING');
      const listed = state().activeDeployments(where.environmentId, where.serviceId);
      assert.equal(listed.length, 2, 'Railway lists the deploying one beside the serving one');
      const view = await refresh();
      const s = service(view, 'kars-prod', 'kars-frontend')!;
      assert.equal(s.active?.id, serving.id);
      assert.equal(s.latest?.id, next.id);
      assert.equal(s.latest?.status, 'DEPLOYING');
      state().settle(next.id);
      assert.equal(service(await refresh(), 'kars-prod', 'kars-frontend')?.active?.id, next.id);
    });
  }

  for (const mode of ['remove', 'continue'] as const) {
    it(`ends on the newer push when two overlap, whether Railway removes the older or lets it run (${mode})`, async (t) => {
      state().ambiguities.supersede = mode;
      t.after(() => (state().ambiguities.supersede = 'remove'));
      const trigger = state().triggers.find((t) => t.branch === 'kars-prod')!;
      const commit = (c: string) => ({ hash: c.repeat(40), message: `Push ${c}`, author: 'Ada' });
      state().push(trigger.repository, 'kars-prod', commit(mode === 'remove' ? '1' : '3'));
      state().advance();
      const [second] = state().push(
        trigger.repository,
        'kars-prod',
        commit(mode === 'remove' ? '2' : '4'),
      );
      await refresh();
      const done = until(client, watchId, (v) =>
        v.environments
          .find((e) => e.name === 'kars-prod')!
          .services.filter((x) => x.repo)
          .every(
            (x) =>
              x.active?.commitHash === second!.meta.commitHash && x.latest?.status === 'SUCCESS',
          ),
      );
      state().settle();
      await done;
    });
  }

  it('reports a rollback as the NEW deployment Railway made, and says what it restored', async () => {
    const where = ids('kars-dev', 'kars-backend');
    state().settle();
    const previous = state()
      .deploymentsOf(where.environmentId, where.serviceId)
      .find((x) => state().canRollback(x))!;
    await refresh();
    const result = await client.request('deployments.rollback', {
      folder,
      deploymentId: previous.id,
    });
    assert.ok(result.deploymentId, result.message);
    assert.notEqual(result.deploymentId, previous.id);
    const created = state().deployment(result.deploymentId)!;
    assert.equal(created.meta.commitHash, previous.meta.commitHash);
    assert.equal(created.meta.rollbackFrom, undefined, 'Railway names nothing it came from');
    state().settle();
    const s = service(await refresh(), 'kars-dev', 'kars-backend')!;
    assert.equal(s.active?.id, created.id);
    assert.deepEqual(s.active?.restores, { deploymentId: previous.id, inferred: false });
    const entry = new AuditLog(d.paths.audit).read(1)[0]!;
    assert.deepEqual(
      [entry.action, entry.deploymentId, entry.restored],
      ['rollback', created.id, previous.id],
    );
  });

  it('infers what a rollback made elsewhere (the dashboard) restored, from the commit', async () => {
    const where = ids('kars-prod', 'kars-backend');
    const previous = state()
      .deploymentsOf(where.environmentId, where.serviceId)
      .find((x) => state().canRollback(x))!;
    const made = state().createDeployment({
      ...where,
      meta: { ...previous.meta },
      skipBuild: true,
    });
    state().settle(made.id);
    const s = service(await refresh(), 'kars-prod', 'kars-backend')!;
    assert.equal(s.active?.id, made.id);
    assert.deepEqual(s.active?.restores, { deploymentId: previous.id, inferred: true });
  });

  it('refuses a rollback past the image retention window with Railway`s own reason', async () => {
    const where = ids('kars-dev', 'kars-frontend');
    const old = state()
      .deploymentsOf(where.environmentId, where.serviceId)
      .find((x) => x.status === 'REMOVED')!;
    await refresh();
    sims.clock.advance(73 * 3_600_000); // past Hobby's 72 h
    assert.equal(state().canRollback(old), false);
    const view = await refresh();
    const row = service(view, 'kars-dev', 'kars-frontend')!.recent.find((r) => r.id === old.id);
    assert.equal(row?.canRollback, false, 'the tree offers rollback only where Railway allows it');
    await assert.rejects(
      client.request('deployments.rollback', { folder, deploymentId: old.id }),
      /cannot roll|retention/i,
    );
  });

  it('shows a crashed production as down', async () => {
    const where = ids('kars-prod', 'kars-frontend');
    const serving = state().servingDeployment(where.environmentId, where.serviceId)!;
    state().crash(serving);
    const view = await refresh();
    const s = service(view, 'kars-prod', 'kars-frontend')!;
    assert.equal(s.active?.status, 'CRASHED');
    assert.equal(s.health.state, 'unhealthy');
    assert.match(s.health.detail ?? '', /crashed/);
    assert.equal(view.environments.find((e) => e.name === 'kars-prod')?.health.state, 'unhealthy');
  });

  it('sees a push by webhook some steps later, WAITING for CI, then SKIPPED when CI fails', async () => {
    assert.ok(sims.repo);
    sims.ci.setMode('fail', { repository: karsRepo, branch: 'kars-dev' });
    const pushed = await commitAndPush(sims.git, {
      ...sims.repo,
      branch: 'kars-dev',
      files: { 'broken.txt': 'nope\n' },
      message: 'Break the tests',
      author: karsPeople.grace,
      token: sims.tokens.git,
    });
    const isPushed = (x?: { commitHash?: string }) => x?.commitHash === pushed.sha;
    // The daemon sees the branch head move (git) before Railway has anything: it keeps looking.
    const waiting = until(client, watchId, (v) => {
      const latest = service(v, 'kars-dev', 'kars-backend')?.latest;
      return isPushed(latest) && latest?.status === 'WAITING';
    });
    sims.clock.advance(sims.timings.webhookMs);
    await waiting;
    const skipped = until(client, watchId, (v) => {
      const latest = service(v, 'kars-dev', 'kars-backend')?.latest;
      return isPushed(latest) && latest?.status === 'SKIPPED';
    });
    sims.clock.advance(sims.timings.ciQueuedMs + sims.timings.ciRunMs);
    const view = await skipped;
    const backend = service(view, 'kars-dev', 'kars-backend')!;
    assert.ok(!isPushed(backend.active), 'the previous deployment keeps serving');
    const made: SimDeployment[] = state().deployments.filter(
      (x) => x.meta.commitHash === pushed.sha,
    );
    assert.deepEqual(
      made.map((x) => x.status),
      ['SKIPPED', 'SKIPPED'],
    );
    // Why is in the build log, which the daemon reads once.
    await until(
      client,
      watchId,
      (v) => service(v, 'kars-dev', 'kars-backend')?.latest?.skipReason === 'CI did not pass',
    );
    sims.ci.setMode('pass', { repository: karsRepo, branch: 'kars-dev' });
  });

  it('says a push outside a service`s watch paths skipped it for that reason, not for CI', async () => {
    const where = ids('kars-dev', 'kars-frontend');
    const inst = state().serviceInstances.find(
      (i) => i.environmentId === where.environmentId && i.serviceId === where.serviceId,
    )!;
    inst.watchPatterns = ['/frontend/**'];
    try {
      const commit = { hash: '9'.repeat(40), message: 'Backend only', author: 'Ada' };
      state().push(karsRepo, 'kars-dev', commit, { changedFiles: ['backend/api.js'] });
      const view = until(
        client,
        watchId,
        (v) =>
          service(v, 'kars-dev', 'kars-frontend')?.latest?.skipReason ===
          'no watched files changed',
      );
      await refresh();
      const frontend = service(await view, 'kars-dev', 'kars-frontend')!;
      assert.equal(frontend.latest?.status, 'SKIPPED');
      assert.equal(frontend.latest?.commitHash, commit.hash, 'a skip still names its commit');
      assert.notEqual(frontend.active?.commitHash, commit.hash);
    } finally {
      inst.watchPatterns = [];
      state().settle();
    }
  });
});
