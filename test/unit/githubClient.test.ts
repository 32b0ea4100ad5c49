// Proves the GitHub client and validateGithubToken against the GitHub simulator: headers, scopes, and every error kind.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGithubSim, type GithubSim } from '../../sim/github/server';
import { GithubClient } from '../../daemon/github/githubClient';
import { parseScopes, validateGithubToken } from '../../daemon/github/githubAuth';

const ada = 'ghp_clientTestAda0123456789abcdefghijk';
const fine = 'github_pat_clientTestFine0123456789ab';
const limited = 'ghp_clientTestLimited0123456789abcdef';

void describe('GithubClient against the simulator', () => {
  let sim: GithubSim;
  before(async () => {
    sim = await startGithubSim({
      tokens: [
        { token: ada, login: 'ada', id: 1, name: 'Ada', scopes: ['repo', 'read:org'] },
        { token: fine, login: 'grace', scopes: null },
      ],
    });
  });
  after(() => sim.close());

  void it('sends GitHub’s auth, media type and API version headers, and reads the rate-limit headers', async () => {
    let sent: Headers | undefined;
    const client = new GithubClient({
      token: ada,
      baseUrl: sim.url,
      fetch: (url, init) => ((sent = new Headers(init?.headers)), fetch(url, init)),
    });
    const me = await client.get<{ login: string }>('/user');
    assert.ok(me.ok);
    assert.equal(me.value.data.login, 'ada');
    assert.equal(sent?.get('authorization'), `Bearer ${ada}`);
    assert.equal(sent?.get('accept'), 'application/vnd.github+json');
    assert.equal(sent?.get('x-github-api-version'), '2022-11-28');
    assert.deepEqual(
      { ...client.rateLimit(), resetAtMs: undefined },
      { limit: 5000, remaining: 4999, resetAtMs: undefined, requestsLastHour: 1 },
    );
  });

  void it('validates a classic token with its scopes and a fine-grained one with none', async () => {
    assert.deepEqual(await validateGithubToken(sim.url, ada), {
      ok: true,
      value: { login: 'ada', scopes: ['repo', 'read:org'] },
    });
    assert.deepEqual(
      await validateGithubToken((t) => new GithubClient({ token: t, baseUrl: sim.url }), fine),
      {
        ok: true,
        value: { login: 'grace', scopes: [] },
      },
    );
  });

  void it('maps 401 to auth with advice, never quoting the token', async () => {
    const bad = 'ghp_thisTokenIsNotKnown0123456789abcd';
    const outcome = await validateGithubToken(sim.url, bad);
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.kind, 'auth');
    assert.equal(outcome.error.status, 401);
    assert.match(outcome.error.message, /Bad credentials.*github\.com\/settings\/tokens/);
    assert.ok(!outcome.error.message.includes(bad));
  });

  void it('maps 404 to not-found and 5xx to server', async () => {
    const client = new GithubClient({ token: fine, baseUrl: sim.url });
    const missing = await client.get('/repos/kars-org/nope');
    assert.ok(!missing.ok);
    assert.equal(missing.error.kind, 'not-found');
    sim.faults.next({ status: 502 });
    const down = await client.get('/user');
    assert.ok(!down.ok);
    assert.equal(down.error.kind, 'server');
    assert.equal(down.error.status, 502);
  });

  void it('maps a 429 with Retry-After to rate-limited with that wait', async () => {
    sim.faults.next({ status: 429, retryAfter: 7 });
    const outcome = await new GithubClient({ token: fine, baseUrl: sim.url }).get('/user');
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.kind, 'rate-limited');
    assert.equal(outcome.error.retryAfterSeconds, 7);
  });

  void it('times out a slow answer as a network error', async () => {
    sim.faults.next({ delayMs: 60_000 });
    const outcome = await new GithubClient({ token: fine, baseUrl: sim.url, timeoutMs: 30 }).get(
      '/user',
    );
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.kind, 'network');
    assert.match(outcome.error.message, /did not answer GET \/user/);
  });
});

void describe('GithubClient past the hourly budget', () => {
  let sim: GithubSim;
  before(async () => {
    sim = await startGithubSim({
      tokens: [{ token: limited, login: 'linus', scopes: ['repo'] }],
      rateLimitPerHour: 3,
    });
  });
  after(() => sim.close());

  void it('maps 403 with X-RateLimit-Remaining 0 to rate-limited until the reset', async () => {
    const client = new GithubClient({ token: limited, baseUrl: sim.url });
    for (let i = 0; i < 3; i++) assert.ok((await client.get('/user')).ok);
    const over = await client.get('/user');
    assert.ok(!over.ok);
    assert.equal(over.error.kind, 'rate-limited');
    assert.equal(over.error.status, 403);
    assert.ok((over.error.retryAfterSeconds ?? 0) > 3000);
  });
});

void describe('GithubClient transport failures', () => {
  void it('reports an unreachable GitHub as a network error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await validateGithubToken(`http://127.0.0.1:${port}`, ada);
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.kind, 'network');
    assert.match(outcome.error.message, /ECONNREFUSED/);
  });

  void it('parses X-OAuth-Scopes loosely', () => {
    assert.deepEqual(parseScopes('repo,  read:org ,'), ['repo', 'read:org']);
    assert.deepEqual(parseScopes(null), []);
  });
});
