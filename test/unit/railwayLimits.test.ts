// Proves the daemon's Railway client honours both of Railway's windows (no burst above the
// per-second limit, a per-second 429 waited out and never reported as the hourly budget) and tells
// a proxy's page and Railway's 2FA requirement apart from a bad token. Waits run on a SimClock.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SimClock } from '../../sim/clock';
import type { SimTokenSpec } from '../../sim/railway/access';
import { startRailwaySim, type RailwaySim, type RailwaySimOptions } from '../../sim/railway/server';
import { RailwayClient, type RailwayClientOptions } from '../../daemon/railway/railwayClient';
import { judge } from '../../daemon/railway/railwayErrors';
import { RateLimitTracker } from '../../daemon/railway/rateLimitTracker';
import { RequestPacer, railwayPace } from '../../daemon/railway/requestPacer';
import { validateRailwayToken } from '../../daemon/railway/railwayAuth';
import type { MeResult } from '../../daemon/railway/types';

const token = 'acct-limits-test-token-7d3e91';
const tokens: SimTokenSpec[] = [
  { token, kind: 'account', name: 'Ada Lovelace', email: 'ada@kars.example' },
];
const start = Date.parse('2026-03-02T09:00:00.000Z');

/** A simulator and clients on one SimClock: Railway's windows and the client's waits alike. */
async function world(options: RailwaySimOptions = {}) {
  const clock = new SimClock(start);
  const sim = await startRailwaySim({ tokens, clock, rateClock: () => clock.nowMs(), ...options });
  return { sim, clock };
}

/** A client whose waits move the clock on at once (for requests sent one after another). */
function sequential(sim: RailwaySim, clock: SimClock, over: Partial<RailwayClientOptions> = {}) {
  const waits: number[] = [];
  const client = new RailwayClient({
    endpoint: sim.url,
    token,
    tokenKind: 'account',
    now: () => clock.nowMs(),
    delay: (ms) => {
      waits.push(ms);
      clock.advance(ms);
      return Promise.resolve();
    },
    random: () => 1,
    ...over,
  });
  return { client, waits };
}

const spin = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs concurrent requests on virtual time: a wait is a timer on the SimClock, and whenever no
 * request is on the wire the clock jumps to the next timer, as real time would get there.
 */
async function onVirtualTime<T>(
  sim: RailwaySim,
  clock: SimClock,
  work: (client: RailwayClient) => Promise<T>[],
): Promise<T[]> {
  let inFlight = 0;
  const client = new RailwayClient({
    endpoint: sim.url,
    token,
    tokenKind: 'account',
    now: () => clock.nowMs(),
    delay: (ms) => new Promise((resolve) => clock.after(ms, resolve, 'client wait')),
    fetch: async (input, init) => {
      inFlight += 1;
      try {
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    },
  });
  let done = false;
  const all = Promise.all(work(client)).finally(() => (done = true));
  while (!done) {
    await spin();
    if (inFlight > 0 || done) continue;
    await spin();
    if (inFlight === 0 && !done) clock.step();
  }
  return all;
}

void describe('RequestPacer', () => {
  /** A pacer on a clock that its waits move on, recording when each request went. */
  function paced() {
    let now = 0;
    const sent: number[] = [];
    const pacer = new RequestPacer(
      railwayPace,
      () => now,
      (ms) => ((now += ms), Promise.resolve()),
    );
    const go = async () => {
      const done = await pacer.take();
      sent.push(now);
      return done;
    };
    return { pacer, sent, go, at: (ms: number) => (now = ms) };
  }

  void it('lets 10 requests go at once, and each further one a second after the answer 10 places back', async () => {
    const { sent, go } = paced();
    for (let i = 0; i < 25; i++) (await go())();
    assert.deepEqual(sent, [
      ...Array<number>(10).fill(0),
      ...Array<number>(10).fill(1000),
      ...Array<number>(5).fill(2000),
    ]);
  });

  void it('counts the second from the answer, so requests the network delivers late still arrive apart', async () => {
    const { sent, go, at } = paced();
    const first = await go();
    for (let i = 0; i < 9; i++) (await go())();
    const eleventh = go();
    at(400); // the first request is answered only now: it may have reached Railway just before
    first();
    await eleventh;
    assert.equal(sent.at(-1), 1400);
  });

  void it('holds every request back for a Retry-After', async () => {
    const { pacer, sent, go, at } = paced();
    at(5000);
    pacer.holdFor(1000);
    (await go())();
    assert.deepEqual(sent, [6000]);
  });

  void it('does not pace when told Infinity', async () => {
    const waits: number[] = [];
    const pacer = new RequestPacer(
      { perWindow: Infinity, windowMs: 1000 },
      () => 0,
      (ms) => (waits.push(ms), Promise.resolve()),
    );
    for (let i = 0; i < 100; i++) await pacer.take();
    assert.deepEqual(waits, []);
  });
});

void describe('RateLimitTracker windows', () => {
  const now = start;
  const epoch = (ms: number) => String(Math.ceil(ms / 1000));

  void it('keeps the hourly budget apart from headers that describe a per-second window', () => {
    const tracker = new RateLimitTracker(() => now);
    tracker.recordHeaders(
      new Headers({
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': '700',
        'x-ratelimit-reset': epoch(now + 1_800_000),
      }),
    );
    tracker.recordHeaders(
      new Headers({
        'x-ratelimit-limit': '10',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': epoch(now + 1000),
      }),
    );
    const snap = tracker.snapshot();
    assert.deepEqual([snap.limit, snap.remaining], [1000, 700]);
    assert.deepEqual(tracker.spent(), { ms: 1000, window: 'burst' });
  });

  void it('tells which window a 429 was about', () => {
    const tracker = new RateLimitTracker(() => now);
    const hourly = (remaining: number) =>
      new Headers({
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': epoch(now + 1_800_000),
      });
    assert.equal(tracker.windowOf429(hourly(990), 1), 'burst');
    assert.equal(tracker.windowOf429(hourly(990), undefined), 'burst', 'the hour has budget');
    assert.equal(tracker.windowOf429(hourly(0), 1800), 'hour');
    assert.equal(tracker.windowOf429(new Headers(), 3600), 'hour');
    assert.equal(tracker.windowOf429(new Headers(), undefined), undefined);
    const perSecond = new Headers({
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': epoch(now + 1000),
    });
    assert.equal(tracker.windowOf429(perSecond, undefined), 'burst');
  });
});

void describe('judging 2FA, proxy pages and rate limits', () => {
  void it('names the workspace that requires 2FA and where to enable it, not a bad token', () => {
    const { error, transient } = judge(
      {
        type: 'graphql',
        status: 200,
        graphqlMessages: ['Two Factor Authentication Required'],
        workspaceName: 'KARS',
      },
      'Me',
      'account',
    );
    assert.equal(error.kind, 'two-factor');
    assert.equal(transient, false);
    assert.match(error.message, /two-factor authentication for workspace "KARS"/);
    assert.match(error.message, /https:\/\/railway\.com\/account\/security/);
    assert.match(error.message, /token was kept/);
    assert.doesNotMatch(error.message, /not valid|account\/tokens/);
  });

  void it('calls a web page in place of the API a block, retrying only a 5xx one', () => {
    const page = (status: number) =>
      judge(
        {
          type: 'page',
          page: {
            status,
            host: 'backboard.railway.com',
            title: 'Access denied',
            cloudflareRay: 'abc-CDG',
          },
        },
        'Me',
        'account',
      );
    for (const status of [200, 403, 503]) {
      const { error, transient } = page(status);
      assert.equal(error.kind, 'blocked');
      assert.equal(transient, status >= 500, `HTTP ${status}`);
      assert.match(
        error.message,
        new RegExp(`HTTP ${status} with a web page \\("Access denied"\\)`),
      );
      assert.match(error.message, /Cloudflare, Ray ID abc-CDG/);
      assert.match(error.message, /blocking the Railway API.*allow backboard\.railway\.com/);
      assert.match(error.message, /token was not changed/);
    }
  });

  void it('says which window a 429 spent', () => {
    const at = (window: 'burst' | 'hour' | undefined, wait: number) =>
      judge(
        { type: 'http', status: 429, graphqlMessages: [], retryAfterSeconds: wait, window },
        'Me',
        'account',
      ).error.message;
    assert.match(at('burst', 1), /per-second limit.*try again in 1 s/);
    assert.doesNotMatch(at('burst', 1), /hour|spent/);
    assert.match(at('hour', 2400), /hourly request budget.*renews in about 40 min/);
    assert.match(at(undefined, 5), /rate limit for this token is spent.*in 5 s/);
  });
});

void describe('RailwayClient under Railway Hobby limits', () => {
  void it('queues a burst of 25 requests under 10 a second: every one answered, none refused', async () => {
    const { sim, clock } = await world();
    try {
      const answers = await onVirtualTime(sim, clock, (client) =>
        Array.from({ length: 25 }, () => client.operation<MeResult>('Me')),
      );
      assert.ok(answers.every((a) => a.ok));
      assert.equal(sim.requestCount({ token }), 25);
      assert.equal(sim.requestCount({ token, refused: true }), 0);
      assert.ok(clock.nowMs() - start >= 2000, 'they were spread over three seconds');
    } finally {
      await sim.close();
    }
  });

  void it('waits out a per-second 429 and retries, keeping the hourly budget it knows', async () => {
    const { sim, clock } = await world();
    try {
      const other = sequential(sim, clock); // another daemon or the CLI, with the same token
      const { client, waits } = sequential(sim, clock);
      for (let i = 0; i < 10; i++) assert.ok((await other.client.operation('Me')).ok);
      const me = await client.operation<MeResult>('Me');
      assert.ok(me.ok);
      assert.deepEqual(waits, [1000], 'Retry-After, once');
      const usage = client.rateLimit();
      assert.deepEqual([usage.limit, usage.remaining], [1000, 989]);
      assert.equal(usage.rateLimitedLastHour, 1);
    } finally {
      await sim.close();
    }
  });

  void it('reports a per-second limit that will not lift as such, never as the hourly budget', async () => {
    const { sim, clock } = await world();
    try {
      const { client, waits } = sequential(sim, clock);
      sim.faults.next({ status: 429, retryAfter: 1 }, 4);
      const me = await client.operation('Me');
      assert.ok(!me.ok);
      assert.equal(me.error.kind, 'rate-limited');
      assert.equal(me.error.retryAfterSeconds, 1);
      assert.match(me.error.message, /per-second limit/);
      assert.doesNotMatch(me.error.message, /hourly|budget/);
      assert.deepEqual(waits, [1000, 1000, 1000]);
    } finally {
      await sim.close();
    }
  });

  void it('does not read per-second headers as the budget, and waits for them to reopen', async () => {
    const { sim, clock } = await world({ rateHeaders: 'tightest' });
    try {
      const { client } = sequential(sim, clock);
      for (let i = 0; i < 25; i++) assert.ok((await client.operation('Me')).ok);
      assert.equal(sim.requestCount({ token, refused: true }), 0);
      assert.notEqual(client.rateLimit().limit, 10);
    } finally {
      await sim.close();
    }
  });

  void it('copes with sliding windows as well as fixed ones', async () => {
    const { sim, clock } = await world({ rateWindows: 'sliding' });
    try {
      const answers = await onVirtualTime(sim, clock, (client) =>
        Array.from({ length: 25 }, () => client.operation('Me')),
      );
      assert.ok(answers.every((a) => a.ok));
      assert.equal(sim.requestCount({ token, refused: true }), 0);
    } finally {
      await sim.close();
    }
  });

  void it('says when the hourly budget is spent and sends nothing more until it renews', async () => {
    const { sim, clock } = await world({ plan: 'FREE', rateLimitPerHour: 2 });
    try {
      const { client } = sequential(sim, clock);
      assert.ok((await client.operation('Me')).ok);
      assert.ok((await client.operation('Me')).ok);
      const over = await client.operation('Me');
      assert.ok(!over.ok);
      assert.equal(over.error.kind, 'rate-limited');
      assert.match(over.error.message, /hourly request budget .* renews in about 60 min/);
      assert.equal(sim.requestCount({ token }), 2, 'the spent budget was known from the headers');
    } finally {
      await sim.close();
    }
  });
});

void describe('RailwayClient behind a proxy, or without 2FA', () => {
  let sim: RailwaySim;
  let clock: SimClock;
  before(async () => {
    ({ sim, clock } = await world());
  });
  after(() => sim.close());

  void it("reports Cloudflare's block page as blocked, not as the token, without retrying", async () => {
    const { client, waits } = sequential(sim, clock);
    sim.faults.next({ blockPage: { status: 403 } });
    const me = await client.operation('Me');
    assert.ok(!me.ok);
    assert.equal(me.error.kind, 'blocked');
    assert.equal(me.error.status, 403);
    assert.match(me.error.message, /Access denied \| backboard\.railway\.com used Cloudflare/);
    assert.match(me.error.message, /Ray ID 8f3a1c2b4d5e6f70-CDG/);
    assert.match(me.error.message, new RegExp(`allow ${new URL(sim.url).host}`));
    assert.deepEqual(waits, []);
  });

  void it("retries a proxy's 503 page, then reports it as blocked", async () => {
    const { client, waits } = sequential(sim, clock);
    sim.faults.next(
      { blockPage: { status: 503, title: 'Service Unavailable', cloudflare: false } },
      4,
    );
    const me = await client.operation('Me');
    assert.ok(!me.ok);
    assert.equal(me.error.kind, 'blocked');
    assert.match(
      me.error.message,
      /HTTP 503 with a web page \("Service Unavailable"\)\. The network/,
    );
    assert.equal(waits.length, 3);
    sim.faults.next({ blockPage: { status: 503 } });
    assert.ok((await client.operation('Me')).ok, 'a page that passes is retried through');
  });

  void it("reports Railway's 2FA requirement with the workspace, and validation does not call the token bad", async () => {
    const { client } = sequential(sim, clock);
    sim.faults.next({ twoFactorRequired: { workspaceName: 'KARS' } });
    const me = await client.operation('Me');
    assert.ok(!me.ok);
    assert.equal(me.error.kind, 'two-factor');
    assert.match(me.error.message, /workspace "KARS"/);
    const before = sim.requestCount();
    sim.faults.next({ twoFactorRequired: { workspaceName: 'KARS' } });
    const validated = await validateRailwayToken(sim.url, token, 'auto');
    assert.ok(!validated.ok);
    assert.equal(validated.error.kind, 'two-factor');
    assert.equal(sim.requestCount() - before, 1, 'no other token kind was tried');
  });
});
