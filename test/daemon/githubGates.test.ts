// Proves the CI and QA sign-off gates, the sign-off itself and the GitHub identity against the real
// GitHub simulator: CI passing, failing, running and absent on pushed commits; a sign-off recorded,
// voided by a new push, and seen when a teammate made it; every page read; and GitHub's 5xx and
// 429 answered as unknown with a retry, never as a pass.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GithubClient } from '../../daemon/github/githubClient';
import { githubIdentity } from '../../daemon/github/githubIdentity';
import type { GateOutcome } from '../../daemon/promotion/gateContext';
import { ciGate } from '../../daemon/promotion/gates/ci';
import {
  QA_SIGNOFF_CONTEXT,
  qaSignoffGate,
  recordSignOff,
} from '../../daemon/promotion/gates/qaSignoff';
import { commitAndPush } from '../../sim/git/gitClient';
import { karsPeople } from '../../sim/git/karsRepo';
import type { CiMode } from '../../sim/github/ci';
import { startSimulators, type Simulators } from '../../sim/server';
import { contextOf, noChanges, recordOf } from '../fixtures/promotionGates';

const repository = 'kars/kars-app';
const lin = { token: 'ghp_simLin0123456789abcdefghijklmnopqrstu', login: 'lin' };
const checkRunsRoute = 'GET /repos/:owner/:repo/commits/:ref/check-runs';
const combinedRoute = 'GET /repos/:owner/:repo/commits/:ref/status';

void describe('GitHub gates against the simulator', () => {
  let sims: Simulators;
  let ada: GithubClient;
  let counter = 0;
  before(async () => {
    sims = await startSimulators();
    sims.github.state.addToken({ ...lin, name: 'Lin Chen', email: null, scopes: ['repo'] });
    ada = new GithubClient({ token: sims.tokens.github.token, baseUrl: sims.urls.github });
  });
  after(() => sims.close());

  /** A new commit on its own branch, its CI run in `mode` and then left to finish. */
  const pushWithCi = async (mode: CiMode, branch = `gates-${++counter}`) => {
    sims.ci.setMode(mode, { repository, branch });
    const pushed = await commitAndPush(sims.git, {
      ...sims.repo!,
      branch,
      from: 'kars-dev',
      files: { [`gates-${++counter}.txt`]: `${counter}\n` },
      message: `Change ${counter}`,
      author: karsPeople.ada,
    });
    sims.settle();
    return pushed.sha;
  };
  const gate = (evaluate: typeof ciGate.evaluate, sha: string, patch = {}) =>
    evaluate(contextOf({ record: recordOf({ sourceCommit: sha }), github: ada, ...patch }));
  const postStatus = (client: GithubClient, sha: string, body: object) =>
    client.request(`/repos/${repository}/statuses/${sha}`, { method: 'POST', body });

  void describe('ci', () => {
    void it('passes a commit whose Actions run succeeded, linking the job', async () => {
      const sha = await pushWithCi('pass');
      const outcome = await gate(ciGate.evaluate, sha);
      assert.deepEqual(
        [outcome.state, outcome.detail],
        ['pass', `CI green on ${sha.slice(0, 7)}: 1 check passed`],
      );
      assert.match(
        outcome.evidence?.[0]?.url ?? '',
        /^https:\/\/github\.com\/kars\/kars-app\/actions\/runs\/\d+\/job\/\d+$/,
      );
    });

    void it('fails a commit whose run failed, and one a commit status failed', async () => {
      const red = await gate(ciGate.evaluate, await pushWithCi('fail'));
      assert.equal(red.state, 'fail');
      assert.match(red.detail, /^CI failed on [0-9a-f]{7}: test$/);
      assert.deepEqual([red.evidence?.[0]?.text, red.evidence?.[0]?.flag], ['failure', 'fail']);
      const sha = await pushWithCi('pass');
      await postStatus(ada, sha, {
        state: 'error',
        context: 'ci/e2e',
        target_url: 'https://ci.example/e2e/7',
      });
      const status = await gate(ciGate.evaluate, sha);
      assert.equal(status.detail, `CI failed on ${sha.slice(0, 7)}: ci/e2e`);
      assert.equal(status.evidence?.[0]?.url, 'https://ci.example/e2e/7');
    });

    void it('fails while the run is in progress, offering a retry, and passes once it finished', async () => {
      const sha = await pushWithCi('manual');
      const running = await gate(ciGate.evaluate, sha);
      assert.deepEqual(
        [running.state, running.detail, running.actions],
        ['fail', 'CI still running: 1 check pending (test)', ['retry']],
      );
      assert.equal(sims.ci.complete(repository, sha), 1);
      assert.equal((await gate(ciGate.evaluate, sha)).state, 'pass');
    });

    void it('warns when no CI ran, even with QA’s sign-off on the commit', async () => {
      const sha = await pushWithCi('absent');
      await postStatus(ada, sha, { state: 'success', context: QA_SIGNOFF_CONTEXT });
      assert.deepEqual(await gate(ciGate.evaluate, sha), {
        state: 'warn',
        detail: `No CI reported on ${sha.slice(0, 7)}`,
      });
    });

    void it('is unknown without a GitHub sign-in, and never asks GitHub', async () => {
      const before = sims.github.requestCount();
      const outcome = await gate(ciGate.evaluate, sims.repo!.branches['kars-dev'], {
        github: undefined,
      });
      assert.deepEqual(
        [outcome.state, outcome.detail],
        ['unknown', 'Sign in to GitHub (railyard login github) to check CI'],
      );
      assert.equal(sims.github.requestCount(), before);
    });
  });

  void describe('qa-signoff', () => {
    void it('records a sign-off of the exact commit, then reads it back as a pass', async () => {
      const sha = await pushWithCi('pass');
      const none = await gate(qaSignoffGate.evaluate, sha);
      assert.deepEqual([none.state, none.actions], ['needs-you', ['sign-off']]);
      const signed = await recordSignOff(
        ada,
        repository,
        sha,
        { login: 'ada', name: 'Ada Lovelace' },
        sims.clock.now(),
      );
      assert.ok(signed.ok);
      assert.deepEqual([signed.value.by, signed.value.sha], ['ada', sha]);
      const statuses = sims.github.state.statuses.list(repository, sha);
      assert.deepEqual(
        statuses.map((s) => [s.context, s.state, s.creator.login]),
        [[QA_SIGNOFF_CONTEXT, 'success', 'ada']],
      );
      assert.match(
        statuses[0]!.description ?? '',
        /^Signed off by ada \(Ada Lovelace\) at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
      const outcome = await gate(qaSignoffGate.evaluate, sha);
      assert.equal(outcome.state, 'pass');
      assert.match(outcome.detail, /^QA: signed off by ada on \w{3} \d{1,2} \w{3} \d\d:\d\d UTC$/);
    });

    void it('does not carry a sign-off over to a newer push, and says whose sign-off it voided', async () => {
      const branch = `qa-moved-${++counter}`;
      const old = await pushWithCi('pass', branch);
      assert.ok((await recordSignOff(ada, repository, old, { login: 'ada' }, sims.clock.now())).ok);
      const sha = await pushWithCi('pass', branch);
      const changes = {
        ...noChanges(),
        commitCount: 2,
        commits: [sha, old].map((s) => ({ sha: s, message: 'm', author: 'ada' })),
      };
      const record = recordOf({
        sourceCommit: sha,
        from: { name: 'kars-dev', id: 'env-dev', branch },
      });
      const outcome = await qaSignoffGate.evaluate(contextOf({ record, changes, github: ada }));
      assert.equal(outcome.state, 'needs-you');
      assert.equal(
        outcome.detail,
        `${branch} moved since ada's sign-off of ${old.slice(0, 7)}: sign off ${sha.slice(0, 7)} again`,
      );
    });

    void it('sees a sign-off a teammate recorded with their own token, and a rejection naming them', async () => {
      const linsClient = new GithubClient({ token: lin.token, baseUrl: sims.urls.github });
      const sha = await pushWithCi('pass');
      assert.ok(
        (await recordSignOff(linsClient, repository, sha, { login: 'lin' }, sims.clock.now())).ok,
      );
      assert.match((await gate(qaSignoffGate.evaluate, sha)).detail, /^QA: signed off by lin on /);
      await postStatus(linsClient, sha, {
        state: 'failure',
        context: QA_SIGNOFF_CONTEXT,
        description: 'Invoices broken',
      });
      const rejected = await gate(qaSignoffGate.evaluate, sha);
      assert.equal(rejected.state, 'fail');
      assert.match(rejected.detail, new RegExp(`^QA rejected ${sha.slice(0, 7)}: lin on `));
      assert.equal(rejected.evidence?.[0]?.text, 'Invoices broken');
    });

    void it('reads every page of statuses: a sign-off on the second page of 101 contexts still counts', async () => {
      const sha = await pushWithCi('pass');
      for (let i = 0; i < 100; i++)
        await postStatus(ada, sha, { state: 'success', context: `ci/shard-${i}` });
      assert.ok((await recordSignOff(ada, repository, sha, { login: 'ada' }, sims.clock.now())).ok);
      const pagesBefore = sims.github.requestCount(combinedRoute);
      assert.equal((await gate(qaSignoffGate.evaluate, sha)).state, 'pass');
      assert.equal(sims.github.requestCount(combinedRoute) - pagesBefore, 2);
      assert.equal(
        (await gate(ciGate.evaluate, sha)).detail,
        `CI green on ${sha.slice(0, 7)}: 101 checks passed`,
      );
    });
  });

  void describe('GitHub failing during the gates', () => {
    const assertUnknown = (outcome: GateOutcome, said: RegExp) => {
      assert.equal(outcome.state, 'unknown');
      assert.deepEqual(outcome.actions, ['retry']);
      assert.match(outcome.detail, said);
    };

    void it('answers a 5xx on check runs, or a 429 on statuses, as unknown with a retry, though CI is green', async () => {
      const sha = await pushWithCi('pass');
      sims.github.faults.next({ status: 502, on: checkRunsRoute });
      assertUnknown(
        await gate(ciGate.evaluate, sha),
        /^Could not read the check runs of [0-9a-f]{7}: GitHub had a problem .*HTTP 502/,
      );
      sims.github.faults.next({ status: 429, retryAfter: 30, on: combinedRoute });
      assertUnknown(
        await gate(ciGate.evaluate, sha),
        /^Could not read the commit statuses .*rate limit .*resets in 30 s/,
      );
      assert.equal(sims.github.faults.pending(), 0);
      assert.equal(
        (await gate(ciGate.evaluate, sha)).state,
        'pass',
        'and passes once GitHub answers',
      );
    });

    void it('answers a 5xx or 429 while reading the sign-off as unknown, never a pass, and a failed sign-off as the error', async () => {
      const sha = await pushWithCi('pass');
      assert.ok((await recordSignOff(ada, repository, sha, { login: 'ada' }, sims.clock.now())).ok);
      sims.github.faults.next({ status: 503, on: combinedRoute });
      assertUnknown(
        await gate(qaSignoffGate.evaluate, sha),
        /^Could not read the QA sign-off .*HTTP 503/,
      );
      sims.github.faults.next({ status: 429, retryAfter: 5, on: combinedRoute });
      assertUnknown(await gate(qaSignoffGate.evaluate, sha), /rate limit/);
      sims.github.faults.next({
        status: 429,
        retryAfter: 12,
        on: 'POST /repos/:owner/:repo/statuses/:sha',
      });
      const refused = await recordSignOff(ada, repository, sha, { login: 'ada' }, sims.clock.now());
      assert.ok(!refused.ok);
      assert.deepEqual([refused.error.kind, refused.error.retryAfterSeconds], ['rate-limited', 12]);
      assert.equal(
        sims.github.state.statuses.list(repository, sha).length,
        1,
        'nothing recorded twice',
      );
    });
  });

  void describe('githubIdentity', () => {
    void it('is the token’s account as a git identity, with GitHub’s noreply address for a private email', async () => {
      assert.deepEqual(await githubIdentity(ada), {
        ok: true,
        value: { login: 'ada', id: 1001, name: 'Ada Lovelace', email: 'ada@kars.example' },
      });
      const linsIdentity = await githubIdentity(
        new GithubClient({ token: lin.token, baseUrl: sims.urls.github }),
      );
      assert.ok(linsIdentity.ok);
      const { id } = sims.github.state.users.get('lin')!;
      assert.deepEqual(linsIdentity.value, {
        login: 'lin',
        id,
        name: 'Lin Chen',
        email: `${id}+lin@users.noreply.github.com`,
      });
    });

    void it('passes GitHub’s failure on as a value', async () => {
      sims.github.faults.next({ status: 500, on: 'GET /user' });
      const outcome = await githubIdentity(ada);
      assert.ok(!outcome.ok);
      assert.equal(outcome.error.kind, 'server');
    });
  });
});
