// Proves the GitHub simulator answers /user like GitHub: scopes header, both auth schemes, bad credentials, rate limits.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startGithubSim, type GithubSim } from '../../sim/github/server';

const ada = 'ghp_testAda0123456789abcdefghijklmnopq';
const fine = 'github_pat_testFine0123456789abcdefghij';

void describe('GitHub simulator', () => {
  let sim: GithubSim;
  before(async () => {
    sim = await startGithubSim({
      tokens: [
        { token: ada, login: 'ada', id: 7, name: 'Ada Lovelace', scopes: ['repo', 'read:org'] },
        { token: fine, login: 'grace', scopes: null },
      ],
      rateLimitPerHour: 6,
    });
  });
  after(() => sim.close());

  void it('answers GET /user with the login and X-OAuth-Scopes, for Bearer and token schemes', async () => {
    for (const scheme of ['Bearer', 'token']) {
      const res = await fetch(`${sim.url}/user`, {
        headers: { authorization: `${scheme} ${ada}` },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), {
        login: 'ada',
        id: 7,
        name: 'Ada Lovelace',
        email: null,
        type: 'User',
      });
      assert.equal(res.headers.get('x-oauth-scopes'), 'repo, read:org');
      assert.equal(res.headers.get('x-ratelimit-limit'), '6');
      assert.ok(res.headers.get('x-ratelimit-reset'));
    }
    assert.equal(sim.requestCount('GET /user'), 2);
  });

  void it('sends no X-OAuth-Scopes for a fine-grained token', async () => {
    const res = await fetch(`${sim.url}/user`, { headers: { authorization: `Bearer ${fine}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-oauth-scopes'), null);
  });

  void it('answers 401 Bad credentials for an unknown token and 404 for an unknown route', async () => {
    const bad = await fetch(`${sim.url}/user`, { headers: { authorization: 'Bearer ghp_nope' } });
    assert.equal(bad.status, 401);
    assert.equal(((await bad.json()) as { message: string }).message, 'Bad credentials');
    const missing = await fetch(`${sim.url}/nowhere`, {
      headers: { authorization: `Bearer ${ada}` },
    });
    assert.equal(missing.status, 404);
  });

  void it('injects a 502 once', async () => {
    sim.faults.next({ status: 502 });
    const res = await fetch(`${sim.url}/user`, { headers: { authorization: `Bearer ${fine}` } });
    assert.equal(res.status, 502);
  });

  void it('answers 403 with X-RateLimit-Remaining 0 past the hourly budget', async () => {
    let last: Response | undefined;
    while (sim.requestCount({ token: ada }) < 7) {
      last = await fetch(`${sim.url}/user`, { headers: { authorization: `Bearer ${ada}` } });
    }
    assert.equal(last?.status, 403);
    assert.equal(last?.headers.get('x-ratelimit-remaining'), '0');
  });

  void it('closes twice without complaint', async () => {
    const local = await startGithubSim();
    await Promise.all([local.close(), local.close()]);
  });
});
