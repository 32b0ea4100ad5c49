// Proves the Railway simulator's rate limits and proxy/2FA faults: each plan's per-second and hourly
// windows on the SimClock, Retry-After for whichever is spent, both header styles and window kinds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SimClock } from '../../sim/clock';
import { startRailwaySim, type RailwaySim, type RailwaySimOptions } from '../../sim/railway/server';
import type { SimTokenSpec } from '../../sim/railway/access';
import { simOrWallClock } from '../../sim/traffic';

const hobby = 'acct-hobby-rate-0123456789ab';
const free = 'acct-free-rate-0123456789abc';
const pro = 'acct-pro-rate-0123456789abcd';
const workspaceToken = 'wksp-rate-0123456789abcdef';
const devProject = 'proj-dev-rate-0123456789ab';
const tokens: SimTokenSpec[] = [
  { token: hobby, kind: 'account', name: 'Ada Lovelace', email: 'ada@kars.example' },
  { token: free, kind: 'account', plan: 'FREE' },
  { token: pro, kind: 'account', plan: 'PRO' },
  { token: workspaceToken, kind: 'workspace' },
  { token: devProject, kind: 'project', environment: 'kars-dev' },
];

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function ask(sim: RailwaySim, token: string): Promise<Answer> {
  const auth: Record<string, string> =
    token === devProject ? { 'project-access-token': token } : { authorization: `Bearer ${token}` };
  const res = await fetch(sim.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ query: 'query Probe { projects { edges { node { id } } } }' }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** `n` requests one after another; their statuses. */
async function burst(sim: RailwaySim, token: string, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await ask(sim, token)).status);
  return statuses;
}

const times = (n: number, status: number) => Array<number>(n).fill(status);

/** A simulator whose rate windows run on its SimClock alone, so only advance() moves them. */
async function simOnClock(
  options: RailwaySimOptions = {},
): Promise<{ sim: RailwaySim; clock: SimClock }> {
  const clock = new SimClock(Date.parse('2026-03-02T09:00:00.000Z'));
  const sim = await startRailwaySim({ tokens, clock, rateClock: () => clock.nowMs(), ...options });
  return { sim, clock };
}

void describe('Railway simulator rate limits', () => {
  let sim: RailwaySim;
  let clock: SimClock;
  before(async () => {
    ({ sim, clock } = await simOnClock());
  });
  after(() => sim.close());

  void it('lets a Hobby token send 10 requests a second, refuses the 11th with Retry-After 1, and lets it through a second later', async () => {
    assert.deepEqual(await burst(sim, hobby, 10), times(10, 200));
    const over = await ask(sim, hobby);
    assert.equal(over.status, 429);
    assert.equal(over.headers.get('retry-after'), '1');
    assert.match(over.text, /Rate limit exceeded/);
    // The headers describe the hour, which still has budget: only Retry-After tells the windows apart.
    assert.equal(over.headers.get('x-ratelimit-limit'), '1000');
    assert.equal(
      over.headers.get('x-ratelimit-remaining'),
      '990',
      'a refused request uses nothing',
    );
    clock.advance(1000);
    const next = await ask(sim, hobby);
    assert.equal(next.status, 200);
    assert.equal(next.headers.get('x-ratelimit-remaining'), '989');
    assert.equal(sim.requestCount({ token: hobby, refused: true }), 1);
  });

  void it('gives a Free token 100 requests an hour and no per-second limit, then Retry-After until the hour ends', async () => {
    const start = clock.nowMs();
    assert.deepEqual(await burst(sim, free, 100), times(100, 200));
    const over = await ask(sim, free);
    assert.equal(over.status, 429);
    assert.equal(over.headers.get('retry-after'), '3600');
    assert.equal(over.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(over.headers.get('x-ratelimit-reset'), String((start + 3_600_000) / 1000));
    clock.advance(3_600_000);
    assert.equal((await ask(sim, free)).status, 200);
  });

  void it('takes the plan from the token, else from its workspace, else Hobby', async () => {
    const local = await simOnClock({ workspacePlans: {} });
    const ws = local.sim.state.workspaces[0]!.id;
    const proWorkspace = await simOnClock({ workspacePlans: { [ws]: 'PRO' } });
    try {
      assert.deepEqual(await burst(local.sim, pro, 51), [...times(50, 200), 429]);
      assert.deepEqual(await burst(local.sim, devProject, 11), [...times(10, 200), 429]);
      assert.deepEqual(await burst(proWorkspace.sim, devProject, 51), [...times(50, 200), 429]);
      assert.deepEqual(await burst(proWorkspace.sim, workspaceToken, 51), [...times(50, 200), 429]);
      assert.deepEqual(await burst(proWorkspace.sim, hobby, 11), [...times(10, 200), 429]);
    } finally {
      await Promise.all([local.sim.close(), proWorkspace.sim.close()]);
    }
  });

  void it('answers the longer Retry-After when both windows are spent', async () => {
    const local = await simOnClock({ rateLimitPerHour: 12 });
    try {
      assert.deepEqual(await burst(local.sim, hobby, 11), [...times(10, 200), 429]);
      local.clock.advance(1000);
      assert.deepEqual(await burst(local.sim, hobby, 2), times(2, 200));
      const over = await ask(local.sim, hobby);
      assert.equal(over.status, 429);
      assert.equal(over.headers.get('retry-after'), '3599', 'the hour, not the second');
    } finally {
      await local.sim.close();
    }
  });
});

void describe('Railway simulator rate limits, the uncertain parts', () => {
  void it('can describe the tightest window in the X-RateLimit headers instead of the hour', async () => {
    const { sim, clock } = await simOnClock({ rateHeaders: 'tightest' });
    try {
      const first = await ask(sim, hobby);
      assert.equal(first.headers.get('x-ratelimit-limit'), '10');
      assert.equal(first.headers.get('x-ratelimit-remaining'), '9');
      assert.equal(first.headers.get('x-ratelimit-reset'), String((clock.nowMs() + 1000) / 1000));
      await burst(sim, hobby, 9);
      const over = await ask(sim, hobby);
      assert.equal(over.status, 429);
      assert.equal(over.headers.get('x-ratelimit-limit'), '10');
      assert.equal(over.headers.get('x-ratelimit-remaining'), '0');
      assert.equal(over.headers.get('retry-after'), '1');
    } finally {
      await sim.close();
    }
  });

  void it('counts fixed windows from their first request, or a sliding window of the last second', async () => {
    const outcomes: Record<string, number[]> = {};
    for (const rateWindows of ['fixed', 'sliding'] as const) {
      const { sim, clock } = await simOnClock({ rateWindows });
      try {
        await ask(sim, hobby);
        clock.advance(900);
        assert.deepEqual(await burst(sim, hobby, 9), times(9, 200));
        clock.advance(100);
        outcomes[rateWindows] = await burst(sim, hobby, 2);
      } finally {
        await sim.close();
      }
    }
    assert.deepEqual(outcomes, { fixed: [200, 200], sliding: [200, 429] });
  });
});

void describe('Railway simulator proxy and 2FA faults', () => {
  let sim: RailwaySim;
  before(async () => {
    ({ sim } = await simOnClock({ rateLimitPerSecond: null }));
  });
  after(() => sim.close());

  void it('answers a Cloudflare block page in front of the API, which never sees the request', async () => {
    const before = sim.requestCount();
    sim.faults.next({ blockPage: { status: 403 } });
    const blocked = await ask(sim, hobby);
    assert.equal(blocked.status, 403);
    assert.match(blocked.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(blocked.headers.get('server'), 'cloudflare');
    assert.ok(blocked.headers.get('cf-ray'));
    assert.match(blocked.text, /<title>Access denied \| backboard\.railway\.com used Cloudflare/);
    assert.equal(sim.requestCount(), before, 'Railway never counted it');
    assert.equal((await ask(sim, hobby)).status, 200);
  });

  void it("answers another proxy's 503 page with its own title and no Cloudflare headers", async () => {
    sim.faults.next({
      blockPage: { status: 503, title: 'Service Unavailable', cloudflare: false },
    });
    const blocked = await ask(sim, hobby);
    assert.equal(blocked.status, 503);
    assert.equal(blocked.headers.get('server'), null);
    assert.match(blocked.text, /<title>Service Unavailable<\/title>/);
  });

  void it("answers Railway's Two Factor Authentication Required error, naming the workspace", async () => {
    sim.faults.next({ twoFactorRequired: { workspaceName: 'KARS' } });
    const answer = await ask(sim, hobby);
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.text), {
      data: null,
      errors: [
        { message: 'Two Factor Authentication Required', extensions: { workspaceName: 'KARS' } },
      ],
    });
    assert.equal((await ask(sim, hobby)).status, 200);
  });
});

void describe('simOrWallClock', () => {
  void it('moves with the SimClock, with the wall clock while the SimClock stands still, and never counts both', () => {
    let sim = 1_000_000;
    let wall = 50;
    const now = simOrWallClock(
      () => sim,
      () => wall,
    );
    assert.equal(now(), 1_000_000);
    sim += 5000;
    assert.equal(now(), 1_005_000, 'an advance');
    wall += 300;
    assert.equal(now(), 1_005_300, 'real time while the SimClock stands still');
    sim += 1000;
    wall += 1000;
    assert.equal(now(), 1_006_300, 'a SimClock following the wall clock is counted once');
  });
});
