// The environment model over the protocol against the Railway simulator: the tree in one request,
// one watcher per project whatever the number of clients, live status through subscriptions, and
// actions guarded by a typed confirmation and written to the audit log.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, type ProjectView } from '../../protocol/protocol';
import type { RpcError } from '../../protocol/jsonrpc';
import type { RpcClient } from '../../client/rpcClient';
import { commitAndPush } from '../../sim/git/gitClient';
import { AuditLog } from '../../daemon/state/auditLog';
import { startSimulators, type Simulators } from '../../sim/server';
import {
  startInProcess,
  until,
  type InProcessDaemon,
  folderOf,
  type FolderContext,
} from './harness';

const service = (v: ProjectView, env: string, name: string) =>
  v.environments.find((e) => e.name === env)?.services.find((s) => s.name === name);

describe('environments', () => {
  let sims: Simulators;
  let d: InProcessDaemon;
  let client: RpcClient;
  let watchId: string;
  let view: ProjectView;
  let folder: FolderContext;
  const treeRequests = () => sims.railway.requestCount('EnvironmentTree');

  before(async () => {
    sims = await startSimulators();
    const projectId = sims.railway.state.projects[0]!.id;
    folder = folderOf(projectId);
    d = await startInProcess({
      ...sims.env,
      RAILWAY_API_TOKEN: sims.tokens.railway.account,
      RAILWAY_PROJECT_ID: projectId,
      GITHUB_TOKEN: sims.tokens.github.token,
    });
    client = await d.client('environments-test');
  });
  after(async () => {
    await d.stop();
    await sims.close();
  });

  it('shows the whole project in one upstream request', async () => {
    const before = treeRequests();
    ({ watchId, view } = await client.request('environments.watch', { folder }));
    assert.equal(view.state, 'ready', view.message);
    assert.equal(treeRequests() - before, 1);
    assert.equal(view.link?.source, 'env');
    assert.deepEqual(
      view.environments.filter((e) => !e.isEphemeral).map((e) => e.name),
      ['kars-dev', 'kars-prod'],
    );
    assert.ok(
      view.environments.some((e) => e.isEphemeral && e.pr?.number),
      'the PR environment, with its PR number',
    );
    const prod = view.environments.find((e) => e.name === 'kars-prod')!;
    assert.equal(prod.protected, true);
    assert.equal(prod.branch, 'kars-prod');
    assert.deepEqual(prod.services.map((s) => s.name).sort(), [
      'Postgres',
      'kars-backend',
      'kars-frontend',
    ]);
    assert.equal(service(view, 'kars-dev', 'kars-backend')?.latest?.status, 'SUCCESS');
    assert.equal(view.environments.find((e) => e.name === 'kars-dev')?.promotion?.to, 'kars-prod');
  });

  it('shares one watcher between clients: a second watch costs no request', async () => {
    const before = treeRequests();
    const other = await d.client('second window');
    const second = await other.request('environments.watch', { folder });
    assert.equal(second.view.state, 'ready');
    assert.equal(treeRequests(), before);
    await other.request('environments.unwatch', { watchId: second.watchId });
  });

  it('goes live after a push: QUEUED, then BUILDING and SUCCESS arrive by subscription', async () => {
    const trigger = sims.railway.state.triggers.find((t) => t.branch === 'kars-dev')!;
    const [first] = sims.railway.state.push(trigger.repository, 'kars-dev', {
      hash: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      message: 'Speed up invoices',
      author: 'Grace Hopper',
    });
    assert.ok(first);
    const queued = await client.request('environments.refresh', { watchId });
    assert.equal(service(queued, 'kars-dev', 'kars-backend')?.latest?.status, 'QUEUED');
    assert.equal(
      service(queued, 'kars-prod', 'kars-backend')?.latest?.status,
      'SUCCESS',
      'prod is untouched',
    );
    const requestsBefore = treeRequests();
    const building = until(
      client,
      watchId,
      (v) => service(v, 'kars-dev', 'kars-backend')?.latest?.status === 'BUILDING',
    );
    sims.railway.state.advance();
    await building;
    assert.equal(treeRequests(), requestsBefore, 'BUILDING came by subscription, not by polling');
    const done = until(client, watchId, (v) =>
      ['kars-backend', 'kars-frontend'].every(
        (s) =>
          service(v, 'kars-dev', s)?.active?.commitHash ===
          'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      ),
    );
    sims.railway.state.settle();
    const finished = await done;
    assert.equal(
      service(finished, 'kars-dev', 'kars-backend')?.latest?.commitMessage,
      'Speed up invoices',
    );
  });

  it('sees a real git push by itself, from the branch heads, without a refresh, once Railway`s webhook lands', async () => {
    const pushedSeen = until(
      client,
      watchId,
      (v) =>
        service(v, 'kars-dev', 'kars-frontend')?.latest?.commitMessage === 'Tune the invoice list',
    );
    const pushed = await commitAndPush(sims.git, {
      owner: 'kars',
      repo: 'kars-app',
      branch: 'kars-dev',
      files: { 'frontend/list.css': '.invoices { gap: 4px }\n' },
      message: 'Tune the invoice list',
      author: { name: 'Grace Hopper', email: 'grace@kars.example' },
    });
    sims.clock.advance(sims.timings.webhookMs); // GitHub's webhook reaches Railway a step later
    const view = await pushedSeen;
    assert.equal(service(view, 'kars-dev', 'kars-frontend')?.latest?.commitHash, pushed.sha);
    assert.equal(service(view, 'kars-prod', 'kars-frontend')?.latest?.status, 'SUCCESS');
    sims.railway.state.settle();
  });

  it('refuses a rollback in a protected environment without its typed name', async () => {
    const view = await client.request('environments.refresh', { watchId });
    const prodOld = service(view, 'kars-prod', 'kars-backend')!.recent.find((r) => r.canRollback);
    assert.ok(prodOld, 'the fixture keeps an earlier production deployment to roll back to');
    const wrong = [undefined, 'kars-dev', 'KARS-PROD'];
    for (const confirm of wrong) {
      await assert.rejects(
        client.request('deployments.rollback', { folder, deploymentId: prodOld.id, confirm }),
        (e: RpcError) =>
          e.code === ErrorCode.Forbidden && /type its name, "kars-prod"/.test(e.message),
      );
    }
    const after = await client.request('environments.refresh', { watchId });
    assert.equal(
      service(after, 'kars-prod', 'kars-backend')?.latest?.id,
      service(view, 'kars-prod', 'kars-backend')?.latest?.id,
      'nothing was deployed',
    );
  });

  it('rolls back to the previous deployment, which becomes active again, and audits it', async () => {
    const view = await client.request('environments.refresh', { watchId });
    const previous = service(view, 'kars-dev', 'kars-backend')!.recent.find((r) => r.canRollback)!;
    const reactivated = until(
      client,
      watchId,
      (v) =>
        service(v, 'kars-dev', 'kars-backend')?.active?.commitHash === previous.commitHash &&
        service(v, 'kars-dev', 'kars-backend')?.latest?.status === 'SUCCESS',
    );
    const result = await client.request('deployments.rollback', {
      folder,
      deploymentId: previous.id,
    });
    assert.match(result.message, /Rolling kars-backend in kars-dev back/);
    sims.railway.state.settle();
    await reactivated;
    const [last] = new AuditLog(d.paths.audit).read(1);
    assert.deepEqual(
      {
        action: last?.action,
        environment: last?.environment,
        outcome: last?.outcome,
        client: last?.client,
      },
      { action: 'rollback', environment: 'kars-dev', outcome: 'ok', client: 'environments-test' },
    );
  });

  it("offers the branch's recent commits to deploy, the running one marked", async () => {
    const view = await client.request('environments.refresh', { watchId });
    const prod = view.environments.find((e) => e.name === 'kars-prod')!;
    const backend = service(view, 'kars-prod', 'kars-backend')!;
    const picked = await client.request('deployments.recentCommits', {
      folder,
      environmentId: prod.id,
      serviceId: backend.id,
      limit: 5,
    });
    assert.deepEqual([picked.repo, picked.branch], ['kars/kars-app', 'kars-prod']);
    assert.equal(picked.commits[0]?.sha, sims.repo!.branches['kars-prod'], 'newest first');
    assert.ok(picked.commits.length > 1 && picked.commits.length <= 5);
    assert.deepEqual(
      picked.commits.filter((c) => c.active).map((c) => c.sha),
      [backend.active!.commitHash],
    );
    const postgres = service(view, 'kars-prod', 'Postgres')!;
    await assert.rejects(
      client.request('deployments.recentCommits', {
        folder,
        environmentId: prod.id,
        serviceId: postgres.id,
      }),
      (e: RpcError) => e.code === ErrorCode.Conflict && /type a sha/.test(e.message),
    );
  });

  it('says why when Railway refuses: a rollback to a deployment that cannot roll back', async () => {
    const view = await client.request('environments.refresh', { watchId });
    const active = service(view, 'kars-dev', 'kars-backend')!.active!;
    await assert.rejects(
      client.request('deployments.rollback', { folder, deploymentId: active.id }),
      (e: RpcError) => e.code === ErrorCode.Conflict && /retention window/.test(e.message),
    );
  });

  it('reports a failure of Railway itself during an action, and audits it as failed', async () => {
    const view = await client.request('environments.refresh', { watchId });
    const backend = service(view, 'kars-dev', 'kars-backend')!;
    sims.railway.faults.next({ status: 503 });
    await assert.rejects(
      client.request('deployments.restart', { folder, deploymentId: backend.active!.id }),
      (e: RpcError) =>
        e.code === ErrorCode.Upstream && /^Railway refused the restart: /.test(e.message),
    );
    const [last] = new AuditLog(d.paths.audit).read(1);
    assert.deepEqual(
      { action: last?.action, outcome: last?.outcome },
      { action: 'restart', outcome: 'failed' },
    );
  });

  it('reports how many upstream requests it made in the last hour', async () => {
    const usage = await client.request('railway.usage', {});
    assert.ok(usage.requestsLastHour >= 5, JSON.stringify(usage));
    assert.ok(
      usage.limit !== undefined && usage.remaining !== undefined,
      'from the X-RateLimit headers',
    );
  });
});

describe('environments without a project or a sign-in', () => {
  it('says what to do: sign in, or link a project', async () => {
    const sims = await startSimulators();
    const d = await startInProcess(sims.env);
    try {
      const c = await d.client();
      const signedOut = await c.request('environments.watch', { folder: folderOf() });
      assert.equal(signedOut.view.state, 'signed-out');
      await c.request('auth.setRailwayToken', { token: sims.tokens.railway.account });
      const noProject = await c.request('environments.watch', { folder: folderOf() });
      assert.equal(noProject.view.state, 'no-project');
      assert.match(noProject.view.message ?? '', /railway link/);
    } finally {
      await d.stop();
      await sims.close();
    }
  });
});
