// Workspace trust and per-folder config, enforced by the daemon: an untrusted folder's railyard.json
// may only select and order, every changing method from it is refused and audited, each folder's
// own railyard.json decides its protection, and the project link comes with the request.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, type ProjectView } from '../../protocol/protocol';
import type { RpcError } from '../../protocol/jsonrpc';
import type { RpcClient } from '../../client/rpcClient';
import { daemonEnvironment } from '../../client/daemonLauncher';
import { AuditLog } from '../../daemon/state/auditLog';
import { signedInDaemonEnv, startSimulators, type Simulators } from '../../sim/server';
import {
  folderOf,
  karsFolder,
  startInProcess,
  tempHome,
  until,
  type FolderContext,
  type InProcessDaemon,
} from './harness';

const env = (v: ProjectView, name: string) => v.environments.find((e) => e.name === name)!;

/** A folder holding `railyard.json` with these contents. */
function folderWith(config: object): string {
  const dir = tempHome();
  fs.writeFileSync(path.join(dir, 'railyard.json'), JSON.stringify(config));
  return dir;
}

/** A health endpoint that answers 200 and says which paths were asked, and when a path first is. */
function healthServer(): Promise<{
  url(p: string): string;
  hits: Map<string, number>;
  hit(p: string): Promise<void>;
  close(): void;
}> {
  const hits = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const server = http.createServer((req, res) => {
    const p = req.url ?? '';
    hits.set(p, (hits.get(p) ?? 0) + 1);
    waiters.get(p)?.();
    res.end('ok');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: (p) => `http://127.0.0.1:${port}${p}`,
        hits,
        hit: (p) =>
          hits.has(p) ? Promise.resolve() : new Promise((r) => waiters.set(p, () => r())),
        close: () => server.close(),
      });
    }),
  );
}

describe('workspace trust, enforced by the daemon', () => {
  let sims: Simulators;
  let d: InProcessDaemon;
  let client: RpcClient;
  let health: Awaited<ReturnType<typeof healthServer>>;
  const mutations = () =>
    ['DeploymentRedeploy', 'DeploymentRestart', 'DeploymentRollback', 'ServiceInstanceDeployV2']
      .map((op) => sims.railway.requestCount(op))
      .reduce((a, b) => a + b, 0);

  before(async () => {
    sims = await startSimulators();
    health = await healthServer();
    d = await startInProcess(signedInDaemonEnv(sims));
    client = await d.client('trust-test');
  });
  after(async () => {
    await d.stop();
    await sims.close();
    health.close();
  });

  /** A railyard.json that would weaken protection and make requests, were its folder trusted. */
  const risky = (healthPath: string) => ({
    order: ['kars-prod', 'kars-dev'],
    environments: {
      'kars-prod': { protected: false, healthUrl: health.url(healthPath) },
      'kars-dev': { protected: true, branch: 'elsewhere' },
    },
    promotions: [{ from: 'kars-dev', to: 'kars-prod' }],
  });

  it('reads only what selects and orders from an untrusted folder, and says what it set aside', async () => {
    // Every view of every watch, from before the watches start: a view may beat its answer.
    const views = new Map<string, ProjectView[]>();
    const seen = new EventEmitter();
    client.onNotification('environments.changed', (n) => {
      views.set(n.watchId, [...(views.get(n.watchId) ?? []), n.view]);
      seen.emit('view');
    });
    const viewOf = (watchId: string, ok: (v: ProjectView) => boolean) =>
      new Promise<ProjectView>((resolve) => {
        const look = () => {
          const found = views.get(watchId)?.find(ok);
          if (!found) return;
          seen.off('view', look);
          resolve(found);
        };
        seen.on('view', look);
        look();
      });
    const untrusted = karsFolder(sims, { trusted: false, dir: folderWith(risky('/untrusted')) });
    const trusted = karsFolder(sims, { dir: folderWith(risky('/trusted')) });
    const [u, t] = await Promise.all([
      client.request('environments.watch', { folder: untrusted }),
      client.request('environments.watch', { folder: trusted }),
    ]);
    assert.equal(u.view.state, 'ready', u.view.message);
    const persistent = (v: ProjectView) =>
      v.environments.filter((e) => !e.isEphemeral).map((e) => e.name);
    assert.deepEqual(persistent(u.view), ['kars-prod', 'kars-dev'], 'order is honoured');
    assert.equal(env(u.view, 'kars-prod').protected, true, 'protected: false is not');
    assert.equal(env(u.view, 'kars-dev').protected, true, 'a file may make protection stricter');
    assert.equal(env(u.view, 'kars-dev').branch, 'kars-dev', 'branch stays Railway’s');
    assert.equal(env(u.view, 'kars-dev').promotion, undefined, 'promotions wait for trust');
    assert.deepEqual(u.view.ignoredSettings?.sort(), [
      'environments.kars-dev.branch',
      'environments.kars-prod.healthUrl',
      'environments.kars-prod.protected: false',
      'promotions',
    ]);
    // The trusted folder's watcher checks its health URL; the untrusted one checks health too, once
    // its first round is done, but never at the URL its file names.
    assert.equal(env(t.view, 'kars-prod').protected, false);
    await health.hit('/trusted');
    const checked = await until(client, t.watchId, (v) => !!env(v, 'kars-prod').health.checkedAt);
    assert.equal(env(checked, 'kars-prod').health.url, health.url('/trusted'));
    const looked = await viewOf(u.watchId, (v) =>
      v.environments.some((e) => e.services.some((s) => s.health.checkedAt)),
    );
    assert.notEqual(env(looked, 'kars-prod').health.url, health.url('/untrusted'));
    assert.equal(health.hits.get('/untrusted'), undefined);
    await client.request('environments.unwatch', { watchId: u.watchId });
    await client.request('environments.unwatch', { watchId: t.watchId });
  });

  it('refuses every changing method from an untrusted folder, before asking Railway, and audits it', async () => {
    const folder = karsFolder(sims, { trusted: false });
    const { watchId, view } = await client.request('environments.watch', { folder });
    const backend = env(view, 'kars-dev').services.find((s) => s.name === 'kars-backend')!;
    const before = mutations();
    const calls = [
      client.request('deployments.redeploy', { folder, deploymentId: backend.active!.id }),
      client.request('deployments.restart', { folder, deploymentId: backend.active!.id }),
      client.request('deployments.rollback', { folder, deploymentId: backend.active!.id }),
      client.request('deployments.deployCommit', {
        folder,
        environmentId: env(view, 'kars-dev').id,
        serviceId: backend.id,
        commitSha: backend.active!.commitHash!,
        confirm: 'kars-dev',
      }),
    ];
    for (const call of calls) {
      const e = (await call.then(
        () => assert.fail('an untrusted folder must not change anything'),
        (err: unknown) => err,
      )) as RpcError;
      assert.equal(e.code, ErrorCode.Forbidden);
      assert.match(e.message, /not trusted.*Trust the workspace/);
      assert.deepEqual(e.data, { untrusted: true });
    }
    assert.equal(mutations(), before, 'Railway was never asked');
    const refused = new AuditLog(d.paths.audit).read(4);
    assert.deepEqual(
      refused.map((r) => r.outcome),
      ['refused', 'refused', 'refused', 'refused'],
    );
    const redeploy = refused.find((r) => r.action === 'redeploy');
    assert.deepEqual(
      [redeploy?.folder, redeploy?.deploymentId, redeploy?.client],
      [folder.path, backend.active!.id, 'trust-test'],
      'the refusal says what was asked, from where, by whom',
    );
    assert.deepEqual(refused.map((r) => r.action).sort(), [
      'deploy-commit',
      'redeploy',
      'restart',
      'rollback',
    ]);
    await client.request('environments.unwatch', { watchId });
  });

  it('audits a refused typed confirmation too', async () => {
    const folder = karsFolder(sims);
    const { watchId, view } = await client.request('environments.watch', { folder });
    const backend = env(view, 'kars-prod').services.find((s) => s.name === 'kars-backend')!;
    const e = (await client
      .request('deployments.restart', { folder, deploymentId: backend.active!.id, confirm: 'prod' })
      .catch((err: unknown) => err)) as RpcError;
    assert.equal(e.code, ErrorCode.Forbidden);
    const [last] = new AuditLog(d.paths.audit).read(1);
    assert.equal(last?.outcome, 'refused');
    assert.equal(last?.environment, 'kars-prod');
    assert.equal(last?.confirmed, false);
    await client.request('environments.unwatch', { watchId });
  });
});

describe('config and project link belong to the folder that asked', () => {
  let sims: Simulators;
  let d: InProcessDaemon;

  before(async () => {
    sims = await startSimulators();
    // The daemon's own environment names the project, as a window that started it would have.
    d = await startInProcess(signedInDaemonEnv(sims));
  });
  after(async () => {
    await d.stop();
    await sims.close();
  });

  it("decides protection by the asking folder's railyard.json, whichever folder watched first", async () => {
    const loose = karsFolder(sims, {
      dir: folderWith({ environments: { 'kars-prod': { protected: false } } }),
    });
    const strict = karsFolder(sims);
    const a = await d.client('window-a');
    const b = await d.client('window-b');
    const first = await a.request('environments.watch', { folder: loose });
    const second = await b.request('environments.watch', { folder: strict });
    assert.equal(env(first.view, 'kars-prod').protected, false);
    assert.equal(env(second.view, 'kars-prod').protected, true);
    const backend = env(second.view, 'kars-prod').services.find((s) => s.name === 'kars-backend')!;
    const e = (await b
      .request('deployments.restart', { folder: strict, deploymentId: backend.active!.id })
      .catch((err: unknown) => err)) as RpcError;
    assert.equal(e.code, ErrorCode.Forbidden, 'the strict folder still needs the typed name');
    assert.deepEqual(e.data, { environment: 'kars-prod', needsConfirmation: true });
    const done = await a.request('deployments.restart', {
      folder: loose,
      deploymentId: backend.active!.id,
    });
    assert.equal(done.ok, true, 'the folder that lifted protection restarts without it');
  });

  it("takes the project link from the request, never from the daemon's own environment", async () => {
    const c = await d.client('link-test');
    const bare: FolderContext = folderOf();
    const unlinked = await c.request('environments.watch', { folder: bare });
    assert.equal(unlinked.view.state, 'no-project', 'the daemon’s RAILWAY_PROJECT_ID is not used');
    const linked = await c.request('environments.watch', { folder: karsFolder(sims) });
    assert.equal(linked.view.state, 'ready', linked.view.message);
    assert.equal(linked.view.link?.source, 'env');
  });

  it('starts a daemon without the starter’s project link, keeping its credentials', () => {
    const started = daemonEnvironment({
      HOME: '/home/u',
      RAILWAY_PROJECT_ID: 'p',
      RAILWAY_ENVIRONMENT_ID: 'e',
      RAILWAY_SERVICE_ID: 's',
      RAILWAY_API_TOKEN: 't',
    });
    assert.deepEqual(started, { HOME: '/home/u', RAILWAY_API_TOKEN: 't' });
  });
});
