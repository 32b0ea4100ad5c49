// Proves the simulated GitHub runs CI by itself: a check suite per pushed head moving queued → in_progress → completed on the SimClock, modes per world, repository or branch, CommitChecks for Railway, and GitHub's check-runs and check-suites shapes.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SimClock } from '../../sim/clock';
import { commitAndPush, tokenEnv } from '../../sim/git/gitClient';
import { runGit } from '../../sim/git/gitRun';
import { karsPeople } from '../../sim/git/karsRepo';
import { ZERO_SHA, type PushEvent } from '../../sim/git/pushEvents';
import { CiStore, type CheckSuite } from '../../sim/github/ci';
import { defaultGithubTokens } from '../../sim/github/state';
import { parseArgs } from '../../sim/cli';
import { startSimulators, type Simulators } from '../../sim/server';
import { defaultTimings } from '../../sim/timings';

const timings = defaultTimings(1000);
const repository = 'kars/kars-app';
const shaA = 'a'.repeat(40);
const shaB = 'b'.repeat(40);

function pushOf(branch: string, after: string, deleted = false): PushEvent {
  const [owner = '', repo = ''] = repository.split('/');
  const before = deleted ? after : ZERO_SHA;
  const head = deleted ? ZERO_SHA : after;
  return {
    owner,
    repo,
    branch,
    before,
    after: head,
    commits: [],
    created: !deleted,
    deleted,
    forced: false,
  };
}

type Settled = [string, string, string];

void describe('CI store: a check suite per pushed head, on the clock', () => {
  let clock: SimClock;
  let ci: CiStore;
  let settled: Settled[];
  beforeEach(() => {
    clock = new SimClock(Date.parse('2025-02-03T10:00:00Z'));
    ci = new CiStore({ clock, timings });
    settled = [];
    ci.onSettled((...args) => settled.push(args));
  });

  void it('queues at push time, runs after ciQueuedMs, succeeds after ciRunMs more, and not a moment before', () => {
    const suite = ci.receivePush(pushOf('kars-dev', shaA))!;
    const [run] = suite.runs;
    const pushedAt = clock.now();
    assert.deepEqual([suite.status, run?.status, run?.conclusion], ['queued', 'queued', null]);
    assert.deepEqual([suite.headBranch, suite.headSha, run?.name], ['kars-dev', shaA, 'test']);
    assert.equal(ci.state(repository, shaA), 'pending');
    clock.advance(timings.ciQueuedMs - 1);
    assert.equal(run?.status, 'queued');
    clock.advance(1);
    assert.deepEqual([suite.status, run?.status], ['in_progress', 'in_progress']);
    assert.equal(run?.startedAt.getTime(), pushedAt.getTime() + timings.ciQueuedMs);
    clock.advance(timings.ciRunMs - 1);
    assert.deepEqual(
      [run?.status, ci.state(repository, shaA), settled.length],
      ['in_progress', 'pending', 0],
    );
    clock.advance(1);
    assert.deepEqual(
      [suite.status, suite.conclusion, run?.conclusion],
      ['completed', 'success', 'success'],
    );
    assert.equal(run?.completedAt?.getTime(), clock.nowMs());
    assert.equal(ci.state(repository, shaA), 'success');
    assert.deepEqual(settled, [[repository, shaA, 'success']]);
  });

  void it('fail mode concludes failure; the settled listener hears it once', () => {
    ci.setMode('fail');
    const suite = ci.receivePush(pushOf('kars-dev', shaA))!;
    clock.advance(timings.ciQueuedMs + timings.ciRunMs);
    assert.deepEqual([suite.conclusion, ci.state(repository, shaA)], ['failure', 'failure']);
    clock.advance(10 * timings.ciRunMs);
    assert.deepEqual(settled, [[repository, shaA, 'failure']]);
  });

  void it('manual mode stays in_progress until a test completes it with a chosen conclusion', () => {
    ci.setMode('manual');
    const suite = ci.receivePush(pushOf('kars-dev', shaA))!;
    clock.advance(100 * (timings.ciQueuedMs + timings.ciRunMs));
    assert.deepEqual(
      [suite.status, ci.state(repository, shaA), settled.length],
      ['in_progress', 'pending', 0],
    );
    assert.equal(ci.complete(repository, shaA, 'cancelled'), 1);
    assert.deepEqual([suite.status, suite.conclusion], ['completed', 'cancelled']);
    assert.equal(ci.state(repository, shaA), 'failure');
    assert.deepEqual(settled, [[repository, shaA, 'failure']]);
    assert.equal(ci.complete(repository, shaA), 0, 'nothing left to complete');
  });

  void it('a run completed while still queued stays completed when its timers would have fired', () => {
    const suite = ci.receivePush(pushOf('kars-dev', shaA))!;
    assert.equal(ci.complete(repository, shaA, 'success'), 1);
    assert.equal(clock.advance(10 * (timings.ciQueuedMs + timings.ciRunMs)), 0, 'no timer left');
    assert.deepEqual(
      [suite.status, suite.runs[0]?.status, settled.length],
      ['completed', 'completed', 1],
    );
  });

  void it('absent mode and deleted branches create no suite: the commit is absent and nothing is scheduled', () => {
    ci.setMode('absent');
    assert.equal(ci.receivePush(pushOf('kars-dev', shaA)), null);
    ci.setMode('pass');
    assert.equal(ci.receivePush(pushOf('gone', shaB, true)), null);
    assert.deepEqual(
      [ci.state(repository, shaA), ci.state(repository, shaB)],
      ['absent', 'absent'],
    );
    assert.deepEqual(clock.pendingLabels(), []);
  });

  void it('takes the most specific mode: branch, then repository, then everywhere', () => {
    ci.setMode('fail');
    ci.setMode('manual', { repository });
    ci.setMode('absent', { repository, branch: 'kars-prod' });
    assert.deepEqual(
      [
        ci.modeFor(repository, 'kars-prod'),
        ci.modeFor(repository, 'kars-dev'),
        ci.modeFor('kars/other', 'kars-prod'),
      ],
      ['absent', 'manual', 'fail'],
    );
  });

  void it('one sha pushed to two branches runs twice and settles only when both suites completed', () => {
    ci.setMode('fail', { repository, branch: 'release' });
    ci.receivePush(pushOf('kars-dev', shaA));
    clock.advance(timings.ciQueuedMs);
    ci.receivePush(pushOf('release', shaA));
    clock.advance(timings.ciRunMs);
    assert.deepEqual(
      ci.suitesOf(repository, shaA).map((s: CheckSuite) => [s.headBranch, s.status]),
      [
        ['kars-dev', 'completed'],
        ['release', 'in_progress'],
      ],
    );
    assert.deepEqual([ci.state(repository, shaA), settled.length], ['pending', 0]);
    clock.advance(timings.ciQueuedMs);
    assert.deepEqual(settled, [[repository, shaA, 'failure']]);
  });

  void it('stops telling a listener once it unsubscribed', () => {
    const heard: string[] = [];
    const stop = ci.onSettled((_r, sha) => heard.push(sha));
    ci.receivePush(pushOf('kars-dev', shaA));
    clock.advance(timings.ciQueuedMs + timings.ciRunMs);
    stop();
    ci.receivePush(pushOf('kars-dev', shaB));
    clock.advance(timings.ciQueuedMs + timings.ciRunMs);
    assert.deepEqual(heard, [shaA]);
    assert.equal(ci.state(repository, shaB), 'success');
  });
});

interface CheckRunJson {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  html_url: string;
  details_url: string;
  app: { slug: string; name: string };
  check_suite: { id: number };
}

interface CheckSuiteJson {
  id: number;
  head_branch: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  app: { slug: string; name: string };
  created_at: string;
  updated_at: string;
}

void describe('GitHub CI in the simulators: real pushes and the REST routes', () => {
  let sims: Simulators;
  const get = async <T = Record<string, unknown>>(
    path: string,
    token = sims.tokens.github.token,
  ) => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const res = await fetch(`${sims.urls.github}/repos/${repository}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as T };
  };
  const runs = (ref: string, query = '') =>
    get<{ total_count: number; check_runs: CheckRunJson[] }>(`/commits/${ref}/check-runs${query}`);
  const suites = (ref: string) =>
    get<{ total_count: number; check_suites: CheckSuiteJson[] }>(`/commits/${ref}/check-suites`);
  let counter = 0;
  const push = (branch: string) =>
    commitAndPush(sims.git, {
      ...sims.repo!,
      branch,
      from: 'kars-dev',
      files: { [`ci-${++counter}.txt`]: `${counter}\n` },
      message: `Change ${counter}`,
      author: karsPeople.ada,
    });
  const { ciQueuedMs, ciRunMs } = defaultTimings();
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  void it('creates the suite at push time, before a push listener registered later runs', async () => {
    const seen: string[] = [];
    const stop = sims.git.onPush((e) => {
      seen.push(sims.ci.state(`${e.owner}/${e.repo}`, e.after));
    });
    await push('kars-dev');
    stop();
    assert.deepEqual(seen, ['pending']);
  });

  void it('answers check runs and suites by sha and by branch name, moving with the clock', async () => {
    const pushed = await push('kars-dev');
    const pushedAt = sims.clock.now();
    const byBranch = await runs('kars-dev');
    assert.equal(byBranch.status, 200);
    assert.equal(byBranch.body.total_count, 1);
    const queued = byBranch.body.check_runs[0]!;
    assert.deepEqual(
      [queued.name, queued.head_sha, queued.status, queued.conclusion, queued.completed_at],
      ['test', pushed.sha, 'queued', null, null],
    );
    assert.deepEqual([queued.app.slug, queued.app.name], ['github-actions', 'GitHub Actions']);
    assert.match(
      queued.html_url,
      /^https:\/\/github\.com\/kars\/kars-app\/actions\/runs\/\d+\/job\/\d+$/,
    );
    assert.equal(queued.details_url, queued.html_url);
    const suite = (await suites(pushed.sha)).body.check_suites;
    assert.deepEqual(
      suite.map((s) => [s.id, s.head_branch, s.head_sha, s.status, s.conclusion, s.app.slug]),
      [[queued.check_suite.id, 'kars-dev', pushed.sha, 'queued', null, 'github-actions']],
    );
    assert.equal(suite[0]?.created_at, utc(pushedAt));
    sims.clock.advance(ciQueuedMs);
    const running = (await runs(pushed.sha)).body.check_runs[0]!;
    assert.deepEqual([running.status, running.started_at], ['in_progress', utc(sims.clock.now())]);
    sims.clock.advance(ciRunMs);
    const done = (await runs(pushed.sha)).body.check_runs[0]!;
    assert.deepEqual(
      [done.id, done.status, done.conclusion, done.completed_at],
      [queued.id, 'completed', 'success', utc(sims.clock.now())],
    );
    const doneSuite = (await suites('kars-dev')).body.check_suites[0]!;
    assert.deepEqual([doneSuite.status, doneSuite.conclusion], ['completed', 'success']);
    assert.equal(doneSuite.updated_at, utc(sims.clock.now()));
  });

  void it('takes a branch name with a slash, encoded as clients send it', async () => {
    const head = sims.repo!.branches['feature/invoice-export'];
    const res = await runs('feature%2Finvoice-export');
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.check_runs.map((r) => [r.head_sha, r.status, r.conclusion]),
      [[head, 'completed', 'success']],
    );
  });

  void it('gives the seeded branch heads a successful past run, and a commit nobody pushed none', async () => {
    const { branches, commits } = sims.repo!;
    assert.equal(sims.ci.state(repository, branches['kars-prod']), 'success');
    const prod = (await suites(branches['kars-prod'])).body.check_suites;
    assert.deepEqual(
      prod.map((s) => [s.head_branch, s.conclusion]),
      [['kars-prod', 'success']],
    );
    const none = await runs(commits.invoiceList);
    assert.deepEqual([none.status, none.body.total_count, none.body.check_runs], [200, 0, []]);
    assert.equal((await suites(commits.invoiceList)).body.total_count, 0);
    assert.equal(sims.ci.state(repository, commits.invoiceList), 'absent');
  });

  void it('fails, waits or skips CI per branch, and completes a manual run on request', async () => {
    sims.ci.setMode('fail', { repository, branch: 'ci-fail' });
    sims.ci.setMode('manual', { repository, branch: 'ci-manual' });
    sims.ci.setMode('absent', { repository, branch: 'ci-absent' });
    const settled: Settled[] = [];
    const stop = sims.ci.onSettled((...args) => settled.push(args));
    const failing = await push('ci-fail');
    const waiting = await push('ci-manual');
    const skipped = await push('ci-absent');
    const passing = await push('kars-dev');
    sims.clock.advance(10 * (ciQueuedMs + ciRunMs));
    const conclusions = async (sha: string) =>
      (await runs(sha)).body.check_runs.map((r) => [r.status, r.conclusion]);
    assert.deepEqual(await conclusions(failing.sha), [['completed', 'failure']]);
    assert.deepEqual(await conclusions(waiting.sha), [['in_progress', null]]);
    assert.deepEqual(await conclusions(skipped.sha), []);
    assert.deepEqual(await conclusions(passing.sha), [['completed', 'success']]);
    assert.deepEqual(
      [failing, waiting, skipped, passing].map((p) => sims.ci.state(repository, p.sha)),
      ['failure', 'pending', 'absent', 'success'],
    );
    assert.equal(sims.ci.complete(repository, waiting.sha, 'success'), 1);
    assert.deepEqual(await conclusions(waiting.sha), [['completed', 'success']]);
    stop();
    const mine = [failing, waiting, skipped, passing].map((p) => p.sha);
    assert.deepEqual(
      settled.filter(([, sha]) => mine.includes(sha)).map(([, sha, state]) => [sha, state]),
      [
        [failing.sha, 'failure'],
        [passing.sha, 'success'],
        [waiting.sha, 'success'],
      ],
    );
  });

  void it('lists the latest run per name unless filter=all, when one commit was pushed to two branches', async () => {
    const sha = sims.repo!.branches['kars-prod'];
    await runGit(['push', '--quiet', sims.urls.repo!, `${sha}:refs/heads/release-copy`], {
      cwd: sims.repo!.path,
      env: tokenEnv(sims.tokens.git),
    });
    const latest = (await runs(sha)).body;
    const all = (await runs(sha, '?filter=all')).body;
    const bySuite = (await suites(sha)).body;
    assert.equal(latest.total_count, 1);
    assert.equal(latest.check_runs[0]?.status, 'queued', 'the newer run, from release-copy');
    assert.deepEqual(
      all.check_runs.map((r) => r.status),
      ['queued', 'completed'],
    );
    assert.deepEqual(
      bySuite.check_suites.map((s) => s.head_branch),
      ['kars-prod', 'release-copy'],
    );
    assert.equal((await runs(sha, '?check_name=lint')).body.total_count, 0);
    assert.equal((await runs(sha, '?status=completed&filter=all')).body.total_count, 1);
  });

  void it('answers 422 for a ref that names no commit and 404 for an unknown repository', async () => {
    for (const path of ['check-runs', 'check-suites', 'status', 'statuses']) {
      const res = await get<{ message: string }>(`/commits/no-such-branch/${path}`);
      assert.deepEqual(
        [res.status, res.body.message],
        [422, 'No commit found for SHA: no-such-branch'],
        path,
      );
    }
    const res = await fetch(`${sims.urls.github}/repos/kars/nope/commits/kars-dev/check-runs`, {
      headers: { authorization: `Bearer ${sims.tokens.github.token}` },
    });
    assert.equal(res.status, 404);
  });

  void it('asks for authentication, refuses bad credentials, and hides the repository from a token without repo', async () => {
    const anonymous = await get<{ message: string }>('/commits/kars-dev/check-runs', '');
    assert.deepEqual([anonymous.status, anonymous.body.message], [401, 'Requires authentication']);
    const bad = await get<{ message: string }>('/commits/kars-dev/check-suites', 'ghp_notAToken');
    assert.deepEqual([bad.status, bad.body.message], [401, 'Bad credentials']);
    const grace = defaultGithubTokens.find((t) => t.login === 'grace')!.token;
    assert.equal((await get('/commits/kars-dev/check-runs', grace)).status, 404);
  });
});

void describe('railyard sim --ci', () => {
  void it('parses each mode into the simulators options, and refuses others with usage', () => {
    for (const mode of ['pass', 'fail', 'manual', 'absent'] as const) {
      const parsed = parseArgs(['--ci', mode]);
      assert.ok('options' in parsed);
      assert.equal(parsed.options.ci, mode);
    }
    const none = parseArgs([]);
    assert.ok('options' in none);
    assert.equal(none.options.ci, undefined);
    for (const argv of [['--ci', 'green'], ['--ci']])
      assert.deepEqual(parseArgs(argv), { error: `railyard sim: unexpected ${argv.join(' ')}` });
  });

  void it('startSimulators runs every push in the mode it was given', async () => {
    const sims = await startSimulators({ ci: 'manual' });
    try {
      const pushed = await commitAndPush(sims.git, {
        ...sims.repo!,
        branch: 'kars-dev',
        files: { 'manual.txt': 'manual\n' },
        message: 'Manual CI',
        author: karsPeople.grace,
      });
      sims.clock.advance(100 * sims.timings.stepMs);
      assert.equal(sims.ci.state(repository, pushed.sha), 'pending');
      assert.equal(sims.github.ci, sims.ci);
    } finally {
      await sims.close();
    }
  });
});

function utc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
