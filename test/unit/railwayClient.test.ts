// Proves the Railway client against the simulator: auth headers by token kind, retries and their limits, rate limits, timeouts, redaction.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { karsDeployedCommits } from '../../sim/railway/fixtures';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import type { SimTokenSpec } from '../../sim/railway/access';
import { RailwayClient, type RailwayClientOptions } from '../../daemon/railway/railwayClient';
import { RateLimitTracker } from '../../daemon/railway/rateLimitTracker';
import type { MeResult, ProjectTokenResult } from '../../daemon/railway/types';

const account = 'acct-client-test-token-5f2a9c';
const project = 'proj-client-test-token-8b1d4e';
const tokens: SimTokenSpec[] = [
  { token: account, kind: 'account', name: 'Ada Lovelace', email: 'ada@kars.example' },
  { token: project, kind: 'project', environment: 'kars-prod' },
];

/** Options that record every wait instead of waiting it out, on a clock that each wait moves on. */
function fast(sim: RailwaySim, over: Partial<RailwayClientOptions> = {}) {
  const waits: number[] = [];
  let now = Date.now();
  const client = new RailwayClient({
    endpoint: sim.url,
    token: account,
    tokenKind: 'account',
    now: () => now,
    delay: (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => 1,
    ...over,
  });
  return { client, waits };
}

void describe('RailwayClient against the simulator', () => {
  let sim: RailwaySim;
  before(async () => {
    // Sends as fast as it can from one token; Hobby's 10 requests/s is tested in railwayRateLimits.test.ts.
    sim = await startRailwaySim({ tokens, rateLimitPerSecond: null });
  });
  after(() => sim.close());

  void it('sends an account token as Bearer and reads the answer and the rate-limit headers', async () => {
    const { client } = fast(sim);
    const me = await client.operation<MeResult>('Me');
    assert.ok(me.ok);
    assert.equal(me.value.me.email, 'ada@kars.example');
    const limit = client.rateLimit();
    assert.equal(limit.limit, 1000);
    assert.equal(limit.requestsLastHour, 1);
    assert.ok((limit.remaining ?? 0) > 0 && (limit.resetAtMs ?? 0) > Date.now());
  });

  void it('sends a project token as Project-Access-Token', async () => {
    const { client } = fast(sim, { token: project, tokenKind: 'project' });
    const answer = await client.operation<ProjectTokenResult>('ProjectToken');
    assert.ok(answer.ok);
    assert.equal(answer.value.projectToken.environment.name, 'kars-prod');
  });

  void it('maps Not Authorized and project token not found to auth, without retrying', async () => {
    const bad = fast(sim, { token: 'bad-account-token-0000000' });
    const before = sim.requestCount();
    const me = await bad.client.operation('Me');
    assert.ok(!me.ok);
    assert.equal(me.error.kind, 'auth');
    assert.match(me.error.message, /Not Authorized.*railway\.com\/account\/tokens/);
    const badProject = fast(sim, { token: 'bad-project-token-000000', tokenKind: 'project' });
    const pt = await badProject.client.operation('ProjectToken');
    assert.ok(!pt.ok);
    assert.equal(pt.error.kind, 'auth');
    assert.match(pt.error.message, /project token not found/);
    assert.equal(sim.requestCount() - before, 2);
  });

  void it('maps a missing deployment to not-found', async () => {
    const { client } = fast(sim);
    const answer = await client.request(
      'query Deployment($id: String!) { deployment(id: $id) { id } }',
      { id: 'no-such-deployment' },
    );
    assert.ok(!answer.ok);
    assert.equal(answer.error.kind, 'not-found');
  });

  void it('retries a query after a 500 with exponential backoff, then succeeds', async () => {
    const { client, waits } = fast(sim);
    sim.faults.next({ status: 500 }, 2);
    const before = sim.requestCount('Me');
    const me = await client.operation<MeResult>('Me');
    assert.ok(me.ok);
    assert.deepEqual(waits, [500, 1000]);
    assert.equal(sim.requestCount('Me') - before, 3);
  });

  void it('gives up after the last attempt with a server error', async () => {
    const { client, waits } = fast(sim, { retry: { maxAttempts: 3 } });
    sim.faults.next({ status: 503 }, 3);
    const me = await client.operation('Me');
    assert.ok(!me.ok);
    assert.equal(me.error.kind, 'server');
    assert.equal(me.error.status, 503);
    assert.equal(waits.length, 2);
  });

  void it('waits exactly Retry-After after a 429, for queries and mutations alike', async () => {
    const { client, waits } = fast(sim);
    sim.faults.next({ status: 429, retryAfter: 2 });
    assert.ok((await client.operation('Me')).ok);
    const removed = sim.state.deployments.find((d) => d.status === 'REMOVED')!;
    sim.faults.next({ status: 429, retryAfter: 3 });
    assert.ok((await client.operation('DeploymentRollback', { id: removed.id })).ok);
    assert.deepEqual(waits, [2000, 3000]);
  });

  void it('hands back a Retry-After longer than it is willing to wait', async () => {
    const { client, waits } = fast(sim);
    sim.faults.next({ status: 429, retryAfter: 3600 });
    const me = await client.operation('Me');
    assert.ok(!me.ok);
    assert.equal(me.error.kind, 'rate-limited');
    assert.equal(me.error.retryAfterSeconds, 3600);
    assert.deepEqual(waits, []);
  });

  void it('does not retry a mutation after a 500 unless told it is idempotent', async () => {
    const removed = sim.state.deployments.find((d) => d.status === 'REMOVED')!;
    const { client, waits } = fast(sim);
    const before = sim.requestCount('DeploymentRollback');
    sim.faults.next({ status: 500 });
    const once = await client.operation('DeploymentRollback', { id: removed.id });
    assert.ok(!once.ok);
    assert.equal(sim.requestCount('DeploymentRollback') - before, 1);
    sim.faults.next({ status: 500 });
    assert.ok(
      (await client.operation('DeploymentRollback', { id: removed.id }, { idempotent: true })).ok,
    );
    assert.deepEqual(waits, [500]);
  });

  void it('deploys a commit with ServiceInstanceDeployV2 and restarts with DeploymentRestart', async () => {
    const { client } = fast(sim);
    const env = sim.state.environmentByName('kars-dev');
    const serviceId = sim.state.serviceByName('kars-backend').id;
    const unknown = { environmentId: env.id, serviceId, commitSha: 'c'.repeat(40) };
    const refused = await client.operation('ServiceInstanceDeployV2', unknown);
    assert.ok(!refused.ok && /Commit not found/.test(refused.error.message));
    const commitSha = karsDeployedCommits['kars-dev'][0]!.hash;
    const vars = { environmentId: env.id, serviceId, commitSha };
    const deployed = await client.operation<{ serviceInstanceDeployV2: string }>(
      'ServiceInstanceDeployV2',
      vars,
    );
    assert.ok(deployed.ok);
    const created = sim.state.deployment(deployed.value.serviceInstanceDeployV2);
    assert.equal(created?.meta.commitHash, vars.commitSha);
    assert.equal(created?.status, 'QUEUED');
    const notRunning = await client.operation('DeploymentRestart', { id: created.id });
    assert.ok(!notRunning.ok, 'a queued deployment has nothing running to restart');
    const serving = sim.state.servingDeployment(env.id, serviceId)!;
    const restarted = await client.operation<{ deploymentRestart: boolean }>('DeploymentRestart', {
      id: serving.id,
    });
    assert.deepEqual(restarted, { ok: true, value: { deploymentRestart: true } });
  });

  void it('times out a slow answer and reports it as a network problem', async () => {
    const { client } = fast(sim, { timeoutMs: 30, retry: { maxAttempts: 1 } });
    sim.faults.next({ delayMs: 60_000 });
    const me = await client.operation('Me');
    assert.ok(!me.ok);
    assert.equal(me.error.kind, 'network');
    assert.match(me.error.message, /did not answer Me/);
  });

  void it('stops retrying when the caller cancels', async () => {
    const controller = new AbortController();
    const client = new RailwayClient({
      endpoint: sim.url,
      token: account,
      tokenKind: 'account',
      delay: () => {
        controller.abort();
        return Promise.resolve();
      },
    });
    sim.faults.next({ status: 500 });
    const me = await client.operation('Me', undefined, { signal: controller.signal });
    assert.ok(!me.ok);
    assert.match(me.error.message, /cancelled/);
  });
});

void describe('RailwayClient rate-limit budget', () => {
  let sim: RailwaySim;
  before(async () => {
    sim = await startRailwaySim({ tokens, rateLimitPerHour: 1 });
  });
  after(() => sim.close());

  void it('does not send once the headers say the budget is spent', async () => {
    const { client } = fast(sim);
    assert.ok((await client.operation('Me')).ok);
    const second = await client.operation('Me');
    assert.ok(!second.ok);
    assert.equal(second.error.kind, 'rate-limited');
    assert.ok((second.error.retryAfterSeconds ?? 0) > 0);
    assert.equal(sim.requestCount({ token: account }), 1);
  });
});

void describe('RailwayClient transport failures and redaction', () => {
  let server: http.Server;
  let url: string;
  const secret = 'tok-SECRET-d3b07384d113edec49eaa6238ad5ff00';
  before(async () => {
    // An upstream that quotes back whatever credentials it was sent, as a careless proxy might.
    server = http.createServer((req, res) => {
      const echo = `${req.headers.authorization ?? ''} ${String(req.headers['project-access-token'] ?? '')}`;
      const status = req.url?.includes('http500') ? 500 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      const first = req.url?.includes('plain') ? 'Something odd' : 'Not Authorized';
      res.end(
        JSON.stringify({
          data: null,
          errors: [{ message: `${first}: ${echo}` }, { message: `weird ${echo}` }],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql/v2`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  void it('never puts the token in an error message, whatever the upstream says', async () => {
    for (const tokenKind of ['account', 'project'] as const) {
      for (const endpoint of [url, `${url}?http500`, `${url}?plain`]) {
        const client = new RailwayClient({
          endpoint,
          token: secret,
          tokenKind,
          delay: () => Promise.resolve(),
        });
        for (const name of ['Me', 'DeploymentRollback'] as const) {
          const answer = await client.operation(name, { id: 'x' });
          assert.ok(!answer.ok);
          assert.ok(!answer.error.message.includes(secret), answer.error.message);
          assert.ok(!JSON.stringify(answer.error).includes(secret));
        }
      }
    }
  });

  void it('reports an unreachable Railway as a network error after retrying', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const waits: number[] = [];
    const client = new RailwayClient({
      endpoint: `http://127.0.0.1:${port}/graphql/v2`,
      token: secret,
      tokenKind: 'account',
      delay: (ms) => (waits.push(ms), Promise.resolve()),
    });
    const me = await client.operation('Me');
    assert.ok(!me.ok);
    assert.equal(me.error.kind, 'network');
    assert.match(me.error.message, /ECONNREFUSED/);
    assert.equal(waits.length, 3);
    assert.equal(client.rateLimit().requestsLastHour, 4);
  });
});

void describe('RateLimitTracker', () => {
  void it('counts requests in a sliding hour', () => {
    let now = 0;
    const tracker = new RateLimitTracker(() => now);
    tracker.recordRequest();
    now = 30 * 60_000;
    tracker.recordRequest();
    assert.equal(tracker.snapshot().requestsLastHour, 2);
    now = 61 * 60_000;
    assert.equal(tracker.snapshot().requestsLastHour, 1);
  });

  void it('reads Reset as epoch seconds or as seconds from now', () => {
    const now = 1_700_000_000_000;
    const tracker = new RateLimitTracker(() => now);
    tracker.recordHeaders(
      new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 90) }),
    );
    assert.deepEqual(tracker.spent(), { ms: 90_000, window: 'hour' });
    tracker.recordHeaders(new Headers({ 'x-ratelimit-reset': '30' }));
    assert.deepEqual(tracker.spent(), { ms: 30_000, window: 'hour' });
  });
});
