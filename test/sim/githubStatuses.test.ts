// Proves the simulated GitHub's commit statuses: POST a status, list them newest first, and the combined status, which like GitHub's covers statuses and never check runs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulators, type Simulators } from '../../sim/server';

interface StatusJson {
  id: number;
  state: string;
  context: string;
  description: string | null;
  target_url: string | null;
  created_at: string;
  creator: { login: string };
}

interface CombinedJson {
  state: string;
  sha: string;
  total_count: number;
  statuses: StatusJson[];
  repository: { full_name: string };
}

interface ErrorJson {
  message: string;
  errors?: { resource: string; field: string; code: string }[];
}

const repository = 'kars/kars-app';

void describe('GitHub simulator: commit statuses', () => {
  let sims: Simulators;
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sims.urls.github}/repos/${repository}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${sims.tokens.github.token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const post = (sha: string, body: unknown) =>
    call<StatusJson & ErrorJson>('POST', `/statuses/${sha}`, body);
  const combined = (ref: string) => call<CombinedJson>('GET', `/commits/${ref}/status`);
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  void it('answers pending with no statuses even when the check suite succeeded: checks are not statuses', async () => {
    const sha = sims.repo!.branches['kars-dev'];
    assert.equal(sims.ci.state(repository, sha), 'success');
    const res = await combined('kars-dev');
    assert.equal(res.status, 200);
    assert.deepEqual(
      [res.body.state, res.body.sha, res.body.total_count, res.body.statuses],
      ['pending', sha, 0, []],
    );
    assert.equal(res.body.repository.full_name, repository);
  });

  void it('creates statuses (201) and combines the newest of each context', async () => {
    const sha = sims.repo!.branches['kars-prod'];
    const created = await post(sha, {
      state: 'pending',
      context: 'ci/lint',
      description: 'Linting',
      target_url: 'https://ci.example/1',
    });
    assert.equal(created.status, 201);
    assert.deepEqual(
      [created.body.state, created.body.context, created.body.description, created.body.target_url],
      ['pending', 'ci/lint', 'Linting', 'https://ci.example/1'],
    );
    assert.equal(created.body.creator.login, 'ada');
    assert.equal(
      created.body.created_at,
      sims.clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    );
    await post(sha, { state: 'success', context: 'ci/e2e' });
    assert.equal((await combined(sha)).body.state, 'pending', 'ci/lint is still pending');
    await post(sha, { state: 'success', context: 'ci/lint' });
    const green = (await combined('kars-prod')).body;
    assert.deepEqual(
      [green.state, green.total_count, green.statuses.map((s) => [s.context, s.state])],
      [
        'success',
        2,
        [
          ['ci/lint', 'success'],
          ['ci/e2e', 'success'],
        ],
      ],
    );
    await post(sha, { state: 'error', context: 'ci/e2e' });
    assert.equal((await combined(sha)).body.state, 'failure');
  });

  void it('lists every status of a ref newest first, the default context included', async () => {
    const sha = sims.repo!.commits.invoiceList;
    await post(sha, { state: 'failure' });
    await post(sha, { state: 'success', description: 'Retried' });
    const list = await call<StatusJson[]>('GET', `/commits/${sha}/statuses`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.map((s) => [s.state, s.context, s.description]),
      [
        ['success', 'default', 'Retried'],
        ['failure', 'default', null],
      ],
    );
    assert.ok(list.body[0]!.id > list.body[1]!.id);
    assert.equal((await combined(sha)).body.state, 'success');
  });

  void it('refuses a status without a valid state, on a branch name, or on an unknown sha', async () => {
    const sha = sims.repo!.branches['kars-dev'];
    const missing = await post(sha, { context: 'ci' });
    assert.deepEqual([missing.status, missing.body.message], [422, 'Validation Failed']);
    assert.deepEqual(missing.body.errors?.[0], {
      resource: 'Status',
      field: 'state',
      code: 'missing_field',
    });
    const bogus = await post(sha, { state: 'green' });
    assert.deepEqual([bogus.status, bogus.body.errors?.[0]?.field], [422, 'state']);
    const branch = await post('kars-dev', { state: 'success' });
    assert.deepEqual(
      [branch.status, branch.body.message],
      [422, 'No commit found for SHA: kars-dev'],
    );
    const unknown = await post('f'.repeat(40), { state: 'success' });
    assert.deepEqual(
      [unknown.status, unknown.body.message],
      [422, `No commit found for SHA: ${'f'.repeat(40)}`],
    );
    assert.equal((await combined(sha)).body.total_count, 0, 'nothing was stored');
  });

  void it('asks for authentication', async () => {
    const res = await fetch(`${sims.urls.github}/repos/${repository}/statuses/${'a'.repeat(40)}`, {
      method: 'POST',
      body: JSON.stringify({ state: 'success' }),
    });
    assert.equal(res.status, 401);
  });
});
