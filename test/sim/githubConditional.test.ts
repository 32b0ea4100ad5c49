// Proves the simulated GitHub answers conditional requests as GitHub does (an ETag on every GET
// answer, 304 for a matching If-None-Match, free against the rate limit) and dates its answers by
// the simulators' clock, and that the daemon's GitHub client sends them and hands back the last body.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startGithubSim, type GithubSim } from '../../sim/github/server';
import { GithubClient } from '../../daemon/github/githubClient';

void describe('GitHub simulator: conditional requests', () => {
  let sim: GithubSim;
  const token = () => sim.tokens[0]!.token;
  const get = (etag?: string) =>
    fetch(`${sim.url}/user`, {
      headers: { authorization: `Bearer ${token()}`, ...(etag ? { 'if-none-match': etag } : {}) },
    });
  before(async () => {
    sim = await startGithubSim();
  });
  after(() => sim.close());

  void it('answers 304 to a matching If-None-Match and does not count it against the limit', async () => {
    const first = await get();
    const etag = first.headers.get('etag');
    assert.ok(etag, 'a 200 to a GET carries an ETag');
    const before = Number(first.headers.get('x-ratelimit-remaining'));
    const again = await get(etag);
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    const third = await get('W/"stale"');
    assert.equal(third.status, 200);
    // The 304 was free: only the third request spent one.
    assert.equal(Number(third.headers.get('x-ratelimit-remaining')), before - 1);
    assert.equal(sim.requestCount({ notModified: true }), 1);
  });

  void it('dates its answers by the simulators clock', async () => {
    sim.clock.advance(3 * 3_600_000);
    const answer = await get();
    const date = Date.parse(answer.headers.get('date') ?? '');
    assert.ok(Math.abs(date - sim.clock.now().getTime()) < 2_000);
  });

  void it('GithubClient sends the ETag it kept and hands back the last body on a 304', async () => {
    const client = new GithubClient({ token: token(), baseUrl: sim.url });
    const one = await client.get<{ login: string }>('/user', { conditional: true });
    const two = await client.get<{ login: string }>('/user', { conditional: true });
    assert.ok(one.ok && two.ok);
    assert.deepEqual([one.value.status, two.value.status], [200, 304]);
    assert.equal(two.value.data.login, one.value.data.login);
    const plain = await client.get<{ login: string }>('/user');
    assert.ok(plain.ok && plain.value.status === 200, 'an unconditional GET is never answered 304');
  });
});
