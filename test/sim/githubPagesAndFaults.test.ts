// Proves the simulated GitHub pages its check-run and status lists as GitHub does (per_page, page, Link, total_count), answers /user with the public email, and injects 5xx and 429 on one route only, in GitHub's words.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startGithubSim } from '../../sim/github/server';
import { startSimulators, type Simulators } from '../../sim/server';

const repository = 'kars/kars-app';
const combinedRoute = 'GET /repos/:owner/:repo/commits/:ref/status';

void describe('GitHub simulator: pages and route faults', () => {
  let sims: Simulators;
  const get = (path: string) =>
    fetch(`${sims.urls.github}${path}`, {
      headers: { authorization: `Bearer ${sims.tokens.github.token}` },
    });
  const postStatus = (sha: string, context: string) =>
    fetch(`${sims.urls.github}/repos/${repository}/statuses/${sha}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sims.tokens.github.token}` },
      body: JSON.stringify({ state: 'success', context }),
    });
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  void it('pages check runs: per_page, page, total_count of all, a Link to the next and last page', async () => {
    const sha = sims.repo!.commits.invoiceList;
    for (let i = 0; i < 3; i++) sims.ci.startSuite(repository, 'kars-dev', sha);
    const path = `/repos/${repository}/commits/${sha}/check-runs`;
    const first = await get(`${path}?filter=all&per_page=2`);
    const one = (await first.json()) as { total_count: number; check_runs: { id: number }[] };
    assert.deepEqual([one.total_count, one.check_runs.length], [3, 2]);
    const link = first.headers.get('link') ?? '';
    assert.match(link, /[?&]page=2>; rel="next"/);
    assert.match(link, /[?&]page=2>; rel="last"/);
    const second = await get(`${path}?filter=all&per_page=2&page=2`);
    const two = (await second.json()) as { total_count: number; check_runs: { id: number }[] };
    assert.deepEqual([two.total_count, two.check_runs.length], [3, 1]);
    const ids = new Set([...one.check_runs, ...two.check_runs].map((r) => r.id));
    assert.equal(ids.size, 3, 'no run on two pages');
    assert.doesNotMatch(second.headers.get('link') ?? '', /rel="next"/);
    const single = await get(path);
    assert.equal(single.headers.get('link'), null, 'one page has no Link');
  });

  void it('pages the combined status: total_count counts every context, statuses one page of them', async () => {
    const sha = sims.repo!.branches['kars-prod'];
    for (const context of ['a', 'b', 'c'])
      assert.equal((await postStatus(sha, context)).status, 201);
    const res = await get(`/repos/${repository}/commits/${sha}/status?per_page=2&page=2`);
    const body = (await res.json()) as { total_count: number; statuses: { context: string }[] };
    assert.deepEqual([body.total_count, body.statuses.map((s) => s.context)], [3, ['c']]);
    assert.match(res.headers.get('link') ?? '', /rel="prev"/);
  });

  void it('fails only the route a fault names, as many times as asked, then answers', async () => {
    const sha = sims.repo!.branches['kars-dev'];
    sims.github.faults.next({ status: 503, on: combinedRoute }, 2);
    assert.equal((await get('/user')).status, 200, 'another route passes the fault by');
    const failed = await get(`/repos/${repository}/commits/${sha}/status`);
    assert.equal(failed.status, 503);
    assert.deepEqual(await failed.json(), {
      message: 'Server Error',
      documentation_url: 'https://docs.github.com/rest',
      status: '503',
    });
    assert.equal((await get(`/repos/${repository}/commits/${sha}/status`)).status, 503);
    assert.equal((await get(`/repos/${repository}/commits/${sha}/status`)).status, 200);
    assert.equal(sims.github.faults.pending(), 0);
  });

  void it("answers an injected 429 as GitHub's secondary rate limit, with Retry-After", async () => {
    sims.github.faults.next({ status: 429, retryAfter: 60, on: 'GET /user' });
    const res = await get('/user');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '60');
    assert.ok(res.headers.get('x-ratelimit-remaining'), 'rate headers still sent');
    const body = (await res.json()) as { message: string; documentation_url: string };
    assert.match(body.message, /^You have exceeded a secondary rate limit/);
    assert.match(body.documentation_url, /secondary-rate-limits$/);
  });
});

void describe('GitHub simulator: /user', () => {
  void it('answers the public email, or null when the user keeps it private', async () => {
    const sim = await startGithubSim({
      tokens: [
        {
          token: 'ghp_simUserPublic000000000000000000000',
          login: 'ada',
          email: 'ada@kars.example',
        },
        { token: 'ghp_simUserPrivate00000000000000000000', login: 'lin', id: 77, email: null },
      ],
    });
    try {
      const me = async (token: string) =>
        (await (
          await fetch(`${sim.url}/user`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as { login: string; id: number; email: string | null };
      assert.equal((await me('ghp_simUserPublic000000000000000000000')).email, 'ada@kars.example');
      const lin = await me('ghp_simUserPrivate00000000000000000000');
      assert.deepEqual([lin.login, lin.id, lin.email], ['lin', 77, null]);
    } finally {
      await sim.close();
    }
  });
});
