// Proves validateRailwayToken against the simulator: each token kind, auto-detection, refusals with advice, outages and rate limits.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import type { SimTokenSpec } from '../../sim/railway/access';
import { RailwayClient } from '../../daemon/railway/railwayClient';
import { validateRailwayToken, type RailwayClientFactory } from '../../daemon/railway/railwayAuth';

const account = 'acct-auth-test-token-c0ffee01';
const workspace = 'wksp-auth-test-token-c0ffee02';
const project = 'proj-auth-test-token-c0ffee03';
const tokens: SimTokenSpec[] = [
  { token: account, kind: 'account', name: 'Ada Lovelace', email: 'ada@kars.example' },
  { token: workspace, kind: 'workspace' },
  { token: project, kind: 'project', environment: 'kars-prod' },
];

void describe('validateRailwayToken', () => {
  let sim: RailwaySim;
  let waits: number[];
  let factory: RailwayClientFactory;
  before(async () => {
    // Sends as fast as it can from one token; Hobby's 10 requests/s is tested in railwayRateLimits.test.ts.
    sim = await startRailwaySim({ tokens, rateLimitPerSecond: null });
    // Each wait moves the clients' clock on, so a Retry-After once waited is over.
    let now = Date.now();
    factory = (token, tokenKind) =>
      new RailwayClient({
        endpoint: sim.url,
        token,
        tokenKind,
        random: () => 1,
        now: () => now,
        delay: (ms) => (waits.push(ms), (now += ms), Promise.resolve()),
      });
  });
  after(() => sim.close());

  void it('recognises an account token by me, given just the endpoint', async () => {
    const outcome = await validateRailwayToken(sim.url, account, 'account');
    assert.deepEqual(outcome, {
      ok: true,
      value: { tokenKind: 'account', account: 'Ada Lovelace (ada@kars.example)' },
    });
  });

  void it('recognises a workspace token, whether asked for an account token or left to detect', async () => {
    const ws = sim.state.workspaces[0]!;
    for (const kind of ['account', 'auto'] as const) {
      const outcome = await validateRailwayToken(factory, workspace, kind);
      assert.deepEqual(outcome, {
        ok: true,
        value: { tokenKind: 'workspace', account: 'workspace KARS', workspaceIds: [ws.id] },
      });
    }
  });

  void it('recognises a project token, naming its project and environment', async () => {
    const prod = sim.state.environmentByName('kars-prod');
    const expected = {
      tokenKind: 'project',
      account: 'kars / kars-prod',
      projectId: prod.projectId,
      environmentId: prod.id,
    };
    assert.deepEqual(await validateRailwayToken(factory, project, 'project'), {
      ok: true,
      value: expected,
    });
    const before = { me: sim.requestCount('Me'), pt: sim.requestCount('ProjectToken') };
    assert.deepEqual(await validateRailwayToken(factory, project, 'auto'), {
      ok: true,
      value: expected,
    });
    assert.equal(sim.requestCount('Me') - before.me, 1, 'auto tries the account kind first');
    assert.equal(sim.requestCount('ProjectToken') - before.pt, 1);
  });

  void it('refuses a bad token with a sentence saying what to do, and never quotes it', async () => {
    const bad = 'not-a-railway-token-1234567890';
    const cases = [
      [
        'account',
        'Railway refused this token (Not Authorized). Create an account token at railway.com/account/tokens and sign in again.',
      ],
      [
        'project',
        /^Railway refused this project token \(project token not found\)\. Create a project token/,
      ],
      [
        'auto',
        /as an account, workspace and project token \(Not Authorized\)\. Create an account token/,
      ],
    ] as const;
    for (const [kind, message] of cases) {
      const outcome = await validateRailwayToken(factory, bad, kind);
      assert.ok(!outcome.ok);
      assert.equal(outcome.error.kind, 'auth');
      if (typeof message === 'string') assert.equal(outcome.error.message, message);
      else assert.match(outcome.error.message, message);
      assert.ok(!outcome.error.message.includes(bad));
    }
  });

  void it('reports an outage as a server error and does not blame the token', async () => {
    waits = [];
    const before = sim.requestCount('ProjectToken');
    sim.faults.next({ status: 502 }, 4);
    const outcome = await validateRailwayToken(factory, account, 'auto');
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.kind, 'server');
    assert.equal(outcome.error.status, 502);
    assert.equal(waits.length, 3, 'the query was retried with backoff');
    assert.equal(sim.requestCount('ProjectToken'), before, 'no other kind was tried');
  });

  void it('waits out a short Retry-After and hands back a long one', async () => {
    waits = [];
    sim.faults.next({ status: 429, retryAfter: 2 });
    assert.ok((await validateRailwayToken(factory, account, 'account')).ok);
    assert.deepEqual(waits, [2000]);
    sim.faults.next({ status: 429, retryAfter: 900 });
    const outcome = await validateRailwayToken(factory, account, 'auto');
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.kind, 'rate-limited');
    assert.equal(outcome.error.retryAfterSeconds, 900);
  });
});
