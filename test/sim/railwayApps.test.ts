// Proves the services' domains answer on the Railway simulator by Host header, with the health each test sets, as the daemon's checker reads them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import { railwayAppSuffix } from '../../sim/railway/appDomains';
import { checkHealth, parseResolveRules } from '../../daemon/environments/healthChecker';

interface Reply {
  status: number;
  body: unknown;
}

/** A plain GET to the simulator's port with a service's domain as Host, the way RAILYARD_RESOLVE sends it. */
function get(sim: RailwaySim, host: string, path: string, timeoutMs?: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${sim.appUrl}${path}`,
      { headers: { host }, timeout: timeoutMs },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const backendDev = `kars-backend-kars-dev.${railwayAppSuffix}`;
const ok = { status: 'ok', database: 'connected' };

void describe('Railway simulator: service domains and health', () => {
  let sim: RailwaySim;
  before(async () => {
    sim = await startRailwaySim({ fixture: 'kars' });
  });
  after(() => sim.close());

  void it('answers /api/health for backend and frontend in every environment, keeping the domains on up.railway.app', async () => {
    const domains = sim.state.serviceInstances.flatMap((i) => i.serviceDomains);
    assert.equal(
      domains.length,
      6,
      'backend and frontend in three environments; Postgres has none',
    );
    for (const domain of domains) {
      assert.ok(domain.endsWith(`.${railwayAppSuffix}`));
      assert.deepEqual(await get(sim, domain, '/api/health'), { status: 200, body: ok });
      assert.equal(sim.appRequestCount(domain), 1);
    }
    assert.equal(sim.requestCount(), 0, 'health checks are not API traffic');
    const pg = sim.state.serviceByName('Postgres').id;
    const pgInstances = sim.state.serviceInstances.filter((i) => i.serviceId === pg);
    assert.ok(
      pgInstances.every((i) => i.healthcheckPath === null && i.serviceDomains.length === 0),
    );
  });

  void it('switches per environment and service: unhealthy 503, db-down says disconnected, others unaffected', async () => {
    sim.state.setHealth('kars-dev', 'kars-backend', 'unhealthy');
    sim.state.setHealth('kars-prod', 'kars-frontend', 'db-down');
    try {
      assert.equal((await get(sim, backendDev, '/api/health')).status, 503);
      assert.deepEqual(
        await get(sim, `kars-frontend-kars-prod.${railwayAppSuffix}`, '/api/health'),
        {
          status: 200,
          body: { status: 'ok', database: 'disconnected' },
        },
      );
      assert.deepEqual(
        await get(sim, `kars-backend-kars-prod.${railwayAppSuffix}`, '/api/health'),
        {
          status: 200,
          body: ok,
        },
      );
      assert.deepEqual(
        await get(sim, `kars-frontend-kars-dev.${railwayAppSuffix}`, '/api/health'),
        {
          status: 200,
          body: ok,
        },
      );
    } finally {
      sim.state.setHealth('kars-dev', 'kars-backend', 'healthy');
      sim.state.setHealth('kars-prod', 'kars-frontend', 'healthy');
    }
    assert.equal((await get(sim, backendDev, '/api/health')).status, 200);
  });

  void it('holds a slow service answer back: a client with a short timeout gives up, a patient one gets ok', async () => {
    sim.state.setHealth('kars-dev', 'kars-backend', 'slow', { delayMs: 60_000 });
    await assert.rejects(get(sim, backendDev, '/api/health', 20), /timeout/);
    sim.state.setHealth('kars-dev', 'kars-backend', 'slow', { delayMs: 1 });
    assert.deepEqual(await get(sim, backendDev, '/api/health'), { status: 200, body: ok });
    sim.state.setHealth('kars-dev', 'kars-backend', 'healthy');
  });

  void it("answers like Railway's edge: 404 for an unknown app, 502 with nothing running", async () => {
    const unknown = await get(sim, `nope.${railwayAppSuffix}`, '/api/health');
    assert.deepEqual(unknown, {
      status: 404,
      body: { status: 'error', code: 404, message: 'Application not found' },
    });
    const env = sim.state.environmentByName('kars-pr-42');
    const service = sim.state.serviceByName('kars-backend');
    const active = sim.state.servingDeployment(env.id, service.id);
    assert.ok(active);
    sim.state.setStatus(active, 'CRASHED');
    const crashed = await get(sim, `kars-backend-kars-pr-42.${railwayAppSuffix}`, '/api/health');
    assert.equal(crashed.status, 502);
    // Railway's HTTP metrics come from its edge: the 502 it answered is counted for the service.
    let edge502 = 0;
    const now = sim.state.clock.nowMs();
    sim.state.metrics.eachBucket(env.id, service.id, now - 60_000, now + 60_000, (_at, b) => {
      edge502 += b.counts.get(502) ?? 0;
    });
    assert.equal(edge502, 1);
  });

  void it('still serves GraphQL on the same port for the API host', async () => {
    const res = await fetch(sim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    assert.equal(res.status, 200);
    assert.match(JSON.stringify(await res.json()), /Not Authorized/);
  });

  void it("is what the daemon's health checker reads through RAILYARD_RESOLVE", async () => {
    const rules = parseResolveRules(`${railwayAppSuffix}=${sim.appUrl}`);
    const url = `https://${backendDev}/api/health`;
    assert.equal((await checkHealth(url, rules)).state, 'healthy');
    sim.state.setHealth('kars-dev', 'kars-backend', 'db-down');
    const down = await checkHealth(url, rules);
    assert.deepEqual([down.state, down.detail], ['unhealthy', 'database: disconnected']);
    sim.state.setHealth('kars-dev', 'kars-backend', 'slow', { delayMs: 60_000 });
    assert.equal((await checkHealth(url, rules, 20)).state, 'unhealthy');
    sim.state.setHealth('kars-dev', 'kars-backend', 'healthy');
  });
});

void describe('Railway simulator: a slow answer and close()', () => {
  void it('close() cuts a held answer instead of waiting for it', async () => {
    const local = await startRailwaySim();
    local.state.setHealth('kars-dev', 'kars-backend', 'slow', { delayMs: 60_000 });
    const pending = get(local, backendDev, '/api/health').then(
      () => 'answered',
      () => 'cut',
    );
    while (local.appRequestCount(backendDev) === 0) await new Promise(setImmediate);
    await local.close();
    assert.equal(await pending, 'cut');
  });
});
