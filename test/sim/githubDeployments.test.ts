// Proves the simulated GitHub Deployments API: refs resolved in git, 409 for red contexts unless
// required_contexts says otherwise, auto-merge, filtered and paged lists newest first, statuses with
// GitHub's auto_inactive rule and its 140-character limit, delete rules, and Railway's own
// railway-app[bot] deployments following a pushed deploy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commitAndPush } from '../../sim/git/gitClient';
import { karsPeople } from '../../sim/git/karsRepo';
import { changedFiles, resolveRef } from '../../sim/git/repoQueries';
import { startSimulators, type Simulators } from '../../sim/server';

interface DeploymentJson {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  original_environment: string;
  description: string;
  creator: { login: string; type: string };
  created_at: string;
  updated_at: string;
  statuses_url: string;
  transient_environment: boolean;
  production_environment: boolean;
  performed_via_github_app: { slug: string } | null;
}

interface StatusJson {
  id: number;
  state: string;
  description: string;
  environment: string;
  log_url: string;
  target_url: string;
  environment_url: string;
  creator: { login: string };
  created_at: string;
  deployment_url: string;
}

interface ErrorJson {
  message: string;
  errors?: { field?: string; code?: string; contexts?: { context: string; state: string }[] }[];
}

const repository = 'kars/kars-app';
const author = { ...karsPeople.grace, date: '2025-02-03T09:00:00+00:00' };

function caller(sims: () => Simulators) {
  return async <T>(method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${sims().urls.github}/repos/${repository}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token ?? sims().tokens.github.token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  };
}

void describe('GitHub simulator: deployments', () => {
  let sims: Simulators;
  const call = caller(() => sims);
  const create = (body: unknown) => call<DeploymentJson & ErrorJson>('POST', '/deployments', body);
  const status = (id: number, body: unknown) =>
    call<StatusJson & ErrorJson>('POST', `/deployments/${id}/statuses`, body);
  const push = (branch: string, from: string, files: Record<string, string>) =>
    commitAndPush(sims.git, {
      ...sims.repo!,
      branch,
      from,
      files,
      message: `Work on ${branch}`,
      author,
    });
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  void it('creates a deployment of a sha in GitHub shape, with GitHub defaults and a parsed payload', async () => {
    const sha = sims.repo!.commits.invoiceList;
    const res = await create({ ref: sha, payload: '{"railyard":{"version":1}}' });
    assert.equal(res.status, 201);
    const d = res.body;
    assert.deepEqual(
      [d.sha, d.ref, d.task, d.environment, d.original_environment, d.description],
      [sha, sha, 'deploy', 'production', 'production', ''],
    );
    assert.deepEqual([d.production_environment, d.transient_environment], [true, false]);
    assert.deepEqual(d.payload, { railyard: { version: 1 } });
    assert.deepEqual([d.creator.login, d.creator.type], ['ada', 'User']);
    assert.equal(
      d.created_at,
      sims.clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    );
    assert.equal(
      d.statuses_url,
      `https://api.github.com/repos/${repository}/deployments/${d.id}/statuses`,
    );
    assert.equal(d.performed_via_github_app, null);
    const got = await call<DeploymentJson>('GET', `/deployments/${d.id}`);
    assert.deepEqual(got.body, d);
  });

  void it('resolves a branch ref to its head, and answers 422 for a ref the repository lacks', async () => {
    const res = await create({ ref: 'kars-dev', environment: 'staging' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(
      [res.body.ref, res.body.sha, res.body.production_environment],
      ['kars-dev', sims.repo!.branches['kars-dev'], false],
    );
    const missing = await create({ ref: 'no-such-branch' });
    assert.deepEqual(
      [missing.status, missing.body.message],
      [422, 'No ref found for: no-such-branch'],
    );
    const noRef = await create({ environment: 'staging' });
    assert.deepEqual([noRef.status, noRef.body.errors?.[0]?.field], [422, 'ref']);
  });

  void it('answers 409 when a context of the commit is not green; required_contexts narrows or bypasses it', async () => {
    const sha = sims.repo!.commits.release;
    await call('POST', `/statuses/${sha}`, { state: 'failure', context: 'qa' });
    const red = await create({ ref: sha, environment: 'qa-check' });
    assert.equal(red.status, 409);
    assert.equal(red.body.message, `Conflict: Commit status checks failed for ${sha}.`);
    assert.deepEqual(red.body.errors?.[0]?.contexts, [
      { context: 'qa', state: 'failure' },
      { context: 'test', state: 'success' },
    ]);
    const onlyCi = await create({ ref: sha, environment: 'qa-check', required_contexts: ['test'] });
    assert.equal(onlyCi.status, 201);
    const bypass = await create({ ref: sha, environment: 'qa-check', required_contexts: [] });
    assert.equal(bypass.status, 201);
    const absent = await create({ ref: sha, environment: 'qa-check', required_contexts: ['lint'] });
    assert.deepEqual(absent.body.errors?.[0]?.contexts, [{ context: 'lint', state: 'missing' }]);
  });

  void it('counts a check run still running as not green', async () => {
    const pushed = await push('wip/pending-ci', 'kars-dev', { 'wip.txt': 'wip\n' });
    assert.equal(sims.ci.state(repository, pushed.sha), 'pending');
    const res = await create({ ref: pushed.sha, auto_merge: false });
    assert.equal(res.status, 409);
    assert.deepEqual(res.body.errors?.[0]?.contexts, [{ context: 'test', state: 'pending' }]);
  });

  void it('auto-merges the default branch into a branch behind it (202), and answers 409 for a conflict', async () => {
    const clean = await push('release/clean', 'kars-prod', { 'notes.txt': 'notes\n' });
    const res = await create({ ref: 'release/clean', required_contexts: [] });
    assert.deepEqual(
      [res.status, res.body.message],
      [202, 'Auto-merged kars-dev into release/clean on deployment.'],
    );
    const head = await resolveRef(sims.repo!.path, 'refs/heads/release/clean');
    assert.notEqual(head, clean.sha, 'the merge moved the branch');
    const again = await create({ ref: 'release/clean', required_contexts: [] });
    assert.equal(again.status, 201, 'nothing left to merge: the deployment is made');
    assert.equal(again.body.sha, head);
    const { path } = sims.repo!;
    const [file] = await changedFiles(path, sims.repo!.branches['kars-prod'], 'kars-dev');
    await push('release/conflict', 'kars-prod', { [file!.filename]: 'conflicting\n' });
    const conflict = await create({ ref: 'release/conflict', required_contexts: [] });
    assert.deepEqual(
      [conflict.status, conflict.body.message],
      [409, 'Conflict merging kars-dev into release/conflict.'],
    );
    const shaRef = await create({ ref: sims.repo!.branches['kars-prod'], required_contexts: [] });
    assert.equal(shaRef.status, 201, 'a sha is deployed as it is');
  });

  void it('lists newest first, filtered by environment, sha, ref and task, a page at a time', async () => {
    const sha = sims.repo!.commits.initial;
    const made: number[] = [];
    for (const task of ['deploy', 'deploy:migrations', 'deploy'])
      made.push((await create({ ref: sha, environment: 'lists', task })).body.id);
    const all = await call<DeploymentJson[]>('GET', '/deployments?environment=lists');
    assert.deepEqual(
      all.body.map((d) => d.id),
      [...made].reverse(),
    );
    const tasks = await call<DeploymentJson[]>('GET', `/deployments?environment=lists&task=deploy`);
    assert.deepEqual(
      tasks.body.map((d) => d.id),
      [made[2], made[0]],
    );
    const bySha = await call<DeploymentJson[]>('GET', `/deployments?sha=${sha}&ref=${sha}`);
    assert.equal(bySha.body.length, 3);
    const page = await call<DeploymentJson[]>(
      'GET',
      '/deployments?environment=lists&per_page=2&page=2',
    );
    assert.deepEqual(
      page.body.map((d) => d.id),
      [made[0]],
    );
    assert.match(page.headers.get('link') ?? '', /rel="prev"/);
    const first = await call<DeploymentJson[]>('GET', '/deployments?environment=lists&per_page=2');
    assert.match(first.headers.get('link') ?? '', /[?&]page=2>; rel="next"/);
    const big = await call<DeploymentJson[]>('GET', '/deployments?per_page=500');
    assert.ok(big.body.length <= 100);
    assert.equal((await call('GET', '/deployments/999')).status, 404);
  });

  void it('posts statuses in GitHub shape, lists them newest first, and refuses a description over 140 characters', async () => {
    const { body: d } = await create({ ref: sims.repo!.commits.initial, environment: 'shapes' });
    const started = await status(d.id, {
      state: 'in_progress',
      description: 'Merging',
      log_url: 'https://log.example/1',
    });
    assert.equal(started.status, 201);
    assert.deepEqual(
      [started.body.state, started.body.description, started.body.log_url, started.body.target_url],
      ['in_progress', 'Merging', 'https://log.example/1', 'https://log.example/1'],
    );
    assert.deepEqual([started.body.environment, started.body.creator.login], ['shapes', 'ada']);
    assert.equal(
      started.body.deployment_url,
      `https://api.github.com/repos/${repository}/deployments/${d.id}`,
    );
    const done = await status(d.id, { state: 'success', environment_url: 'https://app.example' });
    assert.deepEqual(
      [done.body.description, done.body.environment_url],
      ['', 'https://app.example'],
    );
    const list = await call<StatusJson[]>('GET', `/deployments/${d.id}/statuses`);
    assert.deepEqual(
      list.body.map((s) => s.state),
      ['success', 'in_progress'],
    );
    const one = await call<StatusJson>('GET', `/deployments/${d.id}/statuses/${started.body.id}`);
    assert.deepEqual(one.body, started.body);
    const long = await status(d.id, { state: 'success', description: 'x'.repeat(141) });
    assert.deepEqual([long.status, long.body.errors?.[0]?.field], [422, 'description']);
    assert.equal((await status(d.id, { state: 'done' })).status, 422);
    assert.equal((await status(d.id, { description: 'no state' })).status, 422);
    const exact = await status(d.id, { state: 'success', description: 'x'.repeat(140) });
    assert.equal(exact.status, 201);
    const moved = await status(d.id, { state: 'success', environment: 'shapes-2' });
    const after = await call<DeploymentJson>('GET', `/deployments/${d.id}`);
    assert.deepEqual(
      [moved.body.environment, after.body.environment, after.body.original_environment],
      ['shapes-2', 'shapes-2', 'shapes'],
    );
    assert.equal(after.body.updated_at, moved.body.created_at, 'a status touches its deployment');
  });

  void it('auto_inactive: a success makes earlier successful non-production, non-transient deployments of the environment inactive', async () => {
    const sha = sims.repo!.commits.initial;
    const make = async (environment: string, extra: object = {}) =>
      (await create({ ref: sha, environment, ...extra })).body.id;
    const latest = async (id: number) =>
      (await call<StatusJson[]>('GET', `/deployments/${id}/statuses`)).body[0]?.state;
    const [old, failed, transient] = [
      await make('staging'),
      await make('staging'),
      await make('staging', { transient_environment: true }),
    ];
    await status(old, { state: 'success' });
    await status(failed, { state: 'failure' });
    await status(transient, { state: 'success' });
    const next = await make('staging');
    await status(next, { state: 'success' });
    assert.deepEqual(
      [await latest(old), await latest(failed), await latest(transient), await latest(next)],
      ['inactive', 'failure', 'success', 'success'],
    );
    const kept = await make('staging');
    await status(kept, { state: 'success', auto_inactive: false });
    assert.equal(await latest(next), 'success', 'auto_inactive false leaves it');
    const prodOld = await make('production');
    await status(prodOld, { state: 'success' });
    await status(await make('production'), { state: 'success' });
    assert.equal(await latest(prodOld), 'success', 'production deployments are left alone');
  });

  void it('deletes only an inactive deployment, or the only one of its environment', async () => {
    const sha = sims.repo!.commits.initial;
    const a = (await create({ ref: sha, environment: 'deleting' })).body.id;
    const b = (await create({ ref: sha, environment: 'deleting' })).body.id;
    const refused = await call<ErrorJson>('DELETE', `/deployments/${a}`);
    assert.deepEqual(
      [refused.status, refused.body.message],
      [
        422,
        'We cannot delete an active deployment unless it is the only deployment in a given environment.',
      ],
    );
    await status(a, { state: 'inactive' });
    assert.equal((await call('DELETE', `/deployments/${a}`)).status, 204);
    assert.equal((await call('GET', `/deployments/${a}`)).status, 404);
    assert.equal((await call('DELETE', `/deployments/${b}`)).status, 204, 'the only one left');
  });

  void it('answers 404 to a token without the repo scope, as for any private repository', async () => {
    const grace = sims.github.tokens.find((t) => t.login === 'grace')!.token;
    const res = await call('GET', '/deployments', undefined, grace);
    assert.equal(res.status, 404);
    const made = await call('POST', '/deployments', { ref: 'kars-dev' }, grace);
    assert.equal(made.status, 404);
  });
});

void describe("GitHub simulator: Railway's own deployments", () => {
  let sims: Simulators;
  const call = caller(() => sims);
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  void it('a push that Railway deploys gets a railway-app[bot] deployment per service whose statuses follow it to success', async () => {
    const pushed = await commitAndPush(sims.git, {
      ...sims.repo!,
      branch: 'kars-dev',
      files: { 'frontend/export.js': 'export {};\n' },
      message: 'Add the export button',
      author,
    });
    sims.clock.advance(sims.timings.webhookMs);
    const waiting = await call<DeploymentJson[]>('GET', `/deployments?sha=${pushed.sha}`);
    assert.deepEqual(waiting.body, [], 'nothing while Railway waits for CI');
    sims.settle();
    const list = await call<DeploymentJson[]>('GET', `/deployments?sha=${pushed.sha}`);
    assert.equal(list.body.length, 2, 'one per service');
    const lastStates: (string | undefined)[] = [];
    for (const d of list.body) {
      assert.deepEqual(
        [d.creator.login, d.creator.type, d.environment, d.ref, d.performed_via_github_app?.slug],
        ['railway-app[bot]', 'Bot', 'kars / kars-dev', 'kars-dev', 'railway-app'],
      );
      const statuses = (await call<StatusJson[]>('GET', `/deployments/${d.id}/statuses`)).body;
      const oldestFirst = [...statuses].reverse();
      assert.deepEqual(
        oldestFirst.slice(0, 3).map((s) => s.state),
        ['queued', 'in_progress', 'success'],
      );
      const success = oldestFirst[2]!;
      assert.match(
        success.environment_url,
        /^https:\/\/kars-(backend|frontend)-kars-dev\.up\.railway\.app$/,
      );
      assert.match(success.log_url, /^https:\/\/railway\.com\/project\//);
      lastStates.push(statuses[0]?.state);
    }
    // Both services share GitHub's environment "kars / kars-dev", so by GitHub's auto_inactive rule
    // the one that succeeded last leaves the other inactive.
    assert.deepEqual(lastStates, ['success', 'inactive']);
  });

  void it('a deploy that fails ends in failure, and the next success makes the earlier success inactive', async () => {
    const first = await call<DeploymentJson[]>(
      'GET',
      '/deployments?environment=kars%20%2F%20kars-dev',
    );
    const earlier = first.body.map((d) => d.id);
    sims.setPushOutcome(repository, 'kars-dev', 'FAILED');
    const failed = await commitAndPush(sims.git, {
      ...sims.repo!,
      branch: 'kars-dev',
      files: { 'broken.txt': 'broken\n' },
      message: 'Break the build',
      author,
    });
    sims.settle();
    const broken = await call<DeploymentJson[]>('GET', `/deployments?sha=${failed.sha}`);
    for (const d of broken.body) {
      const [last] = (await call<StatusJson[]>('GET', `/deployments/${d.id}/statuses`)).body;
      assert.equal(last?.state, 'failure');
    }
    sims.setPushOutcome(repository, 'kars-dev', 'SUCCESS');
    await commitAndPush(sims.git, {
      ...sims.repo!,
      branch: 'kars-dev',
      files: { 'fixed.txt': 'fixed\n' },
      message: 'Fix the build',
      author,
    });
    sims.settle();
    for (const id of earlier) {
      const [last] = (await call<StatusJson[]>('GET', `/deployments/${id}/statuses`)).body;
      assert.equal(last?.state, 'inactive', 'auto_inactive: the environment is not production');
    }
  });
});
