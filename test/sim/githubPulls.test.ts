// The simulated GitHub's pull requests, reviews and merge button, against the real git server: GitHub's refusals word for word, background mergeability, and a merge that is a real push.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commitAndPush } from '../../sim/git/gitClient';
import { karsPeople } from '../../sim/git/karsRepo';
import type { PushEvent } from '../../sim/git/pushEvents';
import { commitInfo } from '../../sim/git/repoQueries';
import { startSimulators, type Simulators } from '../../sim/server';

const repository = 'kars/kars-app';
const grace = { ...karsPeople.grace, date: '2025-01-20T09:30:00+00:00' };
const linus = 'ghp_simLinus0123456789abcdefghijklmnopqr';
const margaret = 'ghp_simMargaret23456789abcdefghijklmnopq';

interface PullJson {
  number: number;
  html_url: string;
  state: string;
  title: string;
  body: string | null;
  user: { login: string };
  head: { ref: string; sha: string; label: string };
  base: { ref: string; sha: string; label: string };
  merged: boolean;
  merged_at: string | null;
  merged_by: { login: string } | null;
  mergeable: boolean | null;
  mergeable_state: string;
  merge_commit_sha: string | null;
  draft: boolean;
}

interface ErrorJson {
  message: string;
  errors?: ({ resource: string; code: string; field?: string; message?: string } | string)[];
}

interface ReviewJson {
  id: number;
  user: { login: string };
  state: string;
  commit_id: string;
}

void describe('GitHub simulator: pull requests', () => {
  let sims: Simulators;
  const pushes: PushEvent[] = [];
  const call = async <T>(method: string, route: string, body?: unknown, token?: string) => {
    const res = await fetch(`${sims.urls.github}/repos/${repository}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token ?? sims.tokens.github.token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T & ErrorJson };
  };
  const open = (head: string, base: string, title = `${head} into ${base}`) =>
    call<PullJson>('POST', '/pulls', { head, base, title, body: 'Promotion' });
  const get = (n: number) => call<PullJson>('GET', `/pulls/${n}`);
  /** Reads until GitHub's background job has answered (the first read starts it). */
  const settled = async (n: number) => {
    const first = await get(n);
    return first.body.mergeable === null ? get(n) : first;
  };
  const merge = (n: number, body: Record<string, unknown> = {}, token?: string) =>
    call<{ sha: string; merged: boolean }>('PUT', `/pulls/${n}/merge`, body, token);
  const review = (n: number, event: string, token: string) =>
    call<ReviewJson>('POST', `/pulls/${n}/reviews`, { event, body: 'Looked at it' }, token);
  const push = (branch: string, files: Record<string, string>, from?: string) =>
    commitAndPush(sims.git, {
      owner: 'kars',
      repo: 'kars-app',
      branch,
      files,
      message: `Change ${Object.keys(files).join(', ')}`,
      author: grace,
      token: sims.tokens.git,
      from,
    });
  const head = (branch: string) => sims.git.branchHead('kars', 'kars-app', branch);

  before(async () => {
    sims = await startSimulators();
    sims.git.onPush((event) => void pushes.push(event));
    sims.github.state.addToken({ token: linus, login: 'linus', name: 'Linus', scopes: ['repo'] });
    sims.github.state.addToken({ token: margaret, login: 'margaret', scopes: ['repo'] });
  });
  after(() => sims.close());

  void it("opens a pull request in GitHub's shape, and refuses a second one for the same head", async () => {
    const created = await open('kars-dev', 'kars-prod', 'Release');
    assert.equal(created.status, 201);
    const pull = created.body;
    assert.equal(pull.number, 1);
    assert.equal(pull.html_url, 'https://github.com/kars/kars-app/pull/1');
    assert.deepEqual(
      [pull.state, pull.title, pull.body, pull.user.login],
      ['open', 'Release', 'Promotion', 'ada'],
    );
    assert.deepEqual(
      [pull.head.label, pull.head.sha],
      ['kars:kars-dev', sims.repo!.branches['kars-dev']],
    );
    assert.deepEqual(
      [pull.base.label, pull.base.sha],
      ['kars:kars-prod', sims.repo!.branches['kars-prod']],
    );
    assert.deepEqual([pull.merged, pull.mergeable, pull.mergeable_state], [false, null, 'unknown']);
    const again = await open('kars:kars-dev', 'kars-prod');
    assert.equal(again.status, 422);
    assert.equal(again.body.message, 'Validation Failed');
    assert.deepEqual(again.body.errors, [
      {
        resource: 'PullRequest',
        code: 'custom',
        message: 'A pull request already exists for kars:kars-dev.',
      },
    ]);
  });

  void it('refuses a head that adds nothing, and a branch that does not exist', async () => {
    const nothing = await open('kars-prod', 'kars-dev');
    assert.equal(nothing.status, 422);
    assert.deepEqual(nothing.body.errors, [
      {
        resource: 'PullRequest',
        code: 'custom',
        message: 'No commits between kars-dev and kars-prod',
      },
    ]);
    const missing = await open('no-such-branch', 'kars-prod');
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body.errors, [
      { resource: 'PullRequest', field: 'head', code: 'invalid' },
    ]);
    assert.equal((await get(99)).status, 404);
  });

  void it('lists pull requests by state, head and base', async () => {
    const list = (q: string) => call<PullJson[]>('GET', `/pulls?${q}`);
    assert.deepEqual(
      (await list('head=kars:kars-dev&base=kars-prod')).body.map((p) => p.number),
      [1],
    );
    assert.deepEqual((await list('head=kars:kars-dev&base=kars-dev')).body, []);
    assert.deepEqual((await list('state=closed')).body, []);
    assert.equal((await list('state=all')).body.length, 1);
  });

  void it('computes mergeability in the background: null on the first read, then clean with a test merge', async () => {
    const first = await get(1);
    assert.deepEqual([first.body.mergeable, first.body.mergeable_state], [null, 'unknown']);
    const second = await get(1);
    assert.deepEqual([second.body.mergeable, second.body.mergeable_state], [true, 'clean']);
    const testMerge = await commitInfo(
      sims.git.repoPath('kars', 'kars-app'),
      second.body.merge_commit_sha!,
    );
    assert.deepEqual(testMerge?.parents, [
      sims.repo!.branches['kars-prod'],
      sims.repo!.branches['kars-dev'],
    ]);
  });

  void it('blocks the merge until enough approvals stand: own approval refused, a change request blocks', async () => {
    sims.github.state.protections.set(repository, 'kars-prod', {
      requirePullRequest: true,
      requiredApprovingReviews: 1,
      requiredChecks: ['test', 'qa'],
    });
    assert.equal((await get(1)).body.mergeable_state, 'blocked');
    const unreviewed = await merge(1);
    assert.deepEqual(
      [unreviewed.status, unreviewed.body.message],
      [405, 'At least 1 approving review is required by reviewers with write access.'],
    );
    const own = await review(1, 'APPROVE', sims.tokens.github.token);
    assert.deepEqual(
      [own.status, own.body.message, own.body.errors],
      [422, 'Unprocessable Entity', ['Can not approve your own pull request']],
    );
    assert.equal((await review(1, 'APPROVE', linus)).body.state, 'APPROVED');
    assert.equal((await review(1, 'REQUEST_CHANGES', margaret)).body.state, 'CHANGES_REQUESTED');
    assert.equal((await merge(1)).status, 405, 'a standing change request blocks');
    assert.equal((await review(1, 'APPROVE', margaret)).body.state, 'APPROVED');
    const reviews = await call<ReviewJson[]>('GET', '/pulls/1/reviews');
    assert.deepEqual(
      reviews.body.map((r) => [r.user.login, r.state, r.commit_id]),
      [
        ['linus', 'APPROVED', sims.repo!.branches['kars-dev']],
        ['margaret', 'CHANGES_REQUESTED', sims.repo!.branches['kars-dev']],
        ['margaret', 'APPROVED', sims.repo!.branches['kars-dev']],
      ],
    );
  });

  void it('refuses the merge while a required check has not passed on the head', async () => {
    const unchecked = await merge(1);
    assert.deepEqual(
      [unchecked.status, unchecked.body.message],
      [405, 'Required status check "qa" is expected.'],
    );
    const ada = sims.github.state.users.get('ada')!;
    const sha = sims.repo!.branches['kars-dev'];
    sims.github.state.statuses.add({
      repository,
      sha,
      state: 'failure',
      context: 'qa',
      creator: ada,
    });
    assert.equal((await merge(1)).body.message, 'Required status check "qa" is failing.');
    sims.github.state.statuses.add({
      repository,
      sha,
      state: 'success',
      context: 'qa',
      creator: ada,
    });
    assert.equal((await settled(1)).body.mergeable_state, 'clean');
  });

  void it('merges at the pinned sha with a real merge commit, moving the base as a push would', async () => {
    const prodBefore = sims.repo!.branches['kars-prod'];
    const devHead = sims.repo!.branches['kars-dev'];
    const announced = pushes.length;
    const merged = await merge(1, { sha: devHead, merge_method: 'merge' });
    assert.equal(merged.status, 200);
    assert.deepEqual(merged.body, {
      sha: merged.body.sha,
      merged: true,
      message: 'Pull Request successfully merged',
    });
    const sha = merged.body.sha;
    assert.equal(await head('kars-prod'), sha);
    const commit = await commitInfo(sims.git.repoPath('kars', 'kars-app'), sha);
    assert.deepEqual(commit?.parents, [prodBefore, devHead]);
    assert.equal(commit?.message, 'Merge pull request #1 from kars/kars-dev\n\nRelease');
    assert.deepEqual(
      [commit?.author.name, commit?.author.email],
      ['Ada Lovelace', 'ada@kars.example'],
    );
    assert.deepEqual(
      [commit?.committer.name, commit?.committer.email],
      ['GitHub', 'noreply@github.com'],
    );
    assert.equal(
      commit?.author.date,
      sims.clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    );
    const event = pushes.slice(announced).find((e) => e.branch === 'kars-prod');
    assert.deepEqual([event?.before, event?.after], [prodBefore, sha]);
    assert.equal(sims.ci.suitesOf(repository, sha).length, 1, 'CI runs on the merge');
    sims.settle();
    assert.ok(
      sims.railway.state.deployments.some((d) => d.meta.commitHash === sha),
      'Railway deployed it',
    );
    const after = await get(1);
    assert.deepEqual(
      [
        after.body.state,
        after.body.merged,
        after.body.merged_by?.login,
        after.body.merge_commit_sha,
      ],
      ['closed', true, 'ada', sha],
    );
    const again = await merge(1);
    assert.deepEqual([again.status, again.body.message], [405, 'Pull Request is not mergeable']);
  });

  void it('answers 409 when the head moved from the pinned sha, and follows the head', async () => {
    const pinned = sims.repo!.branches['feature/invoice-export'];
    const pull = (await open('feature/invoice-export', 'kars-dev')).body;
    const moved = await push('feature/invoice-export', { 'more.txt': 'more\n' });
    assert.equal((await get(pull.number)).body.head.sha, moved.sha);
    const stale = await merge(pull.number, { sha: pinned });
    assert.deepEqual(
      [stale.status, stale.body.message],
      [409, 'Head branch was modified. Review and try the merge again.'],
    );
    assert.equal((await merge(pull.number, { sha: moved.sha })).status, 200);
  });

  void it('says dirty and refuses to merge when the branches conflict', async () => {
    await push('kars-dev', { 'clash.txt': 'dev\n' });
    await push('clash', { 'clash.txt': 'clash\n' }, 'kars-prod');
    const pull = (await open('clash', 'kars-dev')).body;
    const read = await settled(pull.number);
    assert.deepEqual([read.body.mergeable, read.body.mergeable_state], [false, 'dirty']);
    const refused = await merge(pull.number);
    assert.deepEqual(
      [refused.status, refused.body.message],
      [405, 'Pull Request is not mergeable'],
    );
  });

  void it('dismisses approvals when the head moves, if the base says so', async () => {
    sims.github.state.protections.set(repository, 'kars-dev', {
      requirePullRequest: true,
      requiredApprovingReviews: 1,
      dismissStaleReviews: true,
    });
    await push('docs', { 'docs.txt': 'docs\n' }, 'kars-dev');
    const pull = (await open('docs', 'kars-dev')).body;
    await review(pull.number, 'APPROVE', linus);
    await push('docs', { 'docs.txt': 'more docs\n' });
    const reviews = await call<ReviewJson[]>('GET', `/pulls/${pull.number}/reviews`);
    assert.deepEqual(
      reviews.body.map((r) => r.state),
      ['DISMISSED'],
    );
    assert.equal((await merge(pull.number)).status, 405);
  });

  void it('allows merge commits only', async () => {
    const squash = await merge(1, { merge_method: 'squash' });
    assert.deepEqual(
      [squash.status, squash.body.message],
      [405, 'Squash merges are not allowed on this repository.'],
    );
  });
});
