// The daemon's pull request calls against the GitHub simulator: open or reuse, poll for free with ETags, reviews and their verdict, every merge outcome, and a branch's protection.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GithubClient, githubWords } from '../../daemon/github/githubClient';
import {
  branchProtection,
  findOpenPull,
  getPull,
  listReviews,
  mergePull,
  openPull,
  reviewVerdict,
  type ReviewJson,
} from '../../daemon/github/pullRequests';
import { startSimulators, type Simulators } from '../../sim/server';

const repository = 'kars/kars-app';
const lin = { token: 'ghp_simLin0123456789abcdefghijklmnopqrstu', login: 'lin' };
const release = { head: 'kars-dev', base: 'kars-prod', title: 'Release', body: 'Promotion' };

void describe('daemon: GitHub pull requests', () => {
  let sims: Simulators;
  let ada: GithubClient;
  let reviewer: GithubClient;
  let number = 0;
  before(async () => {
    sims = await startSimulators();
    sims.github.state.addToken({ ...lin, name: 'Lin Chen', scopes: ['repo'] });
    ada = new GithubClient({ token: sims.tokens.github.token, baseUrl: sims.urls.github });
    reviewer = new GithubClient({ token: lin.token, baseUrl: sims.urls.github });
  });
  after(() => sims.close());

  const ok = <T>(outcome: { ok: true; value: T } | { ok: false; error: unknown }): T => {
    if (!outcome.ok) assert.fail(`expected success, got ${JSON.stringify(outcome.error)}`);
    return outcome.value;
  };
  const merge = (sha: string) =>
    mergePull(ada, repository, number, { sha, title: 'Promote', message: 'Release' });

  void it('opens a pull request, then reuses the open one GitHub says exists', async () => {
    assert.equal(ok(await findOpenPull(ada, repository, 'kars-dev', 'kars-prod')), undefined);
    const opened = ok(await openPull(ada, repository, release));
    assert.equal(opened.reused, false);
    number = opened.pull.number;
    assert.deepEqual(
      [opened.pull.head.sha, opened.pull.base.ref],
      [sims.repo!.branches['kars-dev'], 'kars-prod'],
    );
    const again = ok(await openPull(ada, repository, release));
    assert.deepEqual([again.reused, again.pull.number], [true, number]);
    const found = ok(await findOpenPull(ada, repository, 'kars-dev', 'kars-prod'));
    assert.equal(found?.number, number);
  });

  void it("keeps GitHub's own words on other refusals, and leaves them failures", async () => {
    const nothing = await openPull(ada, repository, {
      ...release,
      head: 'kars-prod',
      base: 'kars-dev',
    });
    assert.ok(!nothing.ok);
    assert.equal(nothing.error.status, 422);
    assert.equal(
      nothing.error.upstreamMessage,
      'Validation Failed: No commits between kars-dev and kars-prod',
    );
    const missing = await mergePull(ada, repository, 999, { sha: 'x', title: 't', message: 'm' });
    assert.ok(!missing.ok);
    assert.equal(missing.error.kind, 'not-found');
  });

  void it('polls an unchanged pull request with a 304 that costs no rate limit', async () => {
    ok(await getPull(ada, repository, number));
    const computed = ok(await getPull(ada, repository, number));
    assert.equal(computed.mergeable, true);
    const free = sims.github.requestCount({ notModified: true });
    const polled = ok(await getPull(ada, repository, number));
    assert.equal(sims.github.requestCount({ notModified: true }), free + 1);
    assert.deepEqual(polled, computed);
  });

  void it("reads a branch's protection and its required checks", async () => {
    assert.deepEqual(ok(await branchProtection(ada, repository, 'kars-prod')), {
      protected: false,
      requiredChecks: [],
    });
    sims.github.state.protections.set(repository, 'kars-prod', {
      requirePullRequest: true,
      requiredApprovingReviews: 1,
      requiredChecks: ['qa'],
    });
    assert.deepEqual(ok(await branchProtection(ada, repository, 'kars-prod')), {
      protected: true,
      requiredChecks: ['qa'],
    });
    assert.deepEqual(
      ok(await branchProtection(ada, repository, 'feature/invoice-export')).protected,
      false,
    );
  });

  void it('maps each refusal of the merge to its kind, then merges at the pinned sha', async () => {
    const head = sims.repo!.branches['kars-dev'];
    const needsReview = ok(await merge(head));
    assert.deepEqual(needsReview, {
      kind: 'needs-review',
      message: 'At least 1 approving review is required by reviewers with write access.',
    });
    ok(
      await reviewer.request(`/repos/${repository}/pulls/${number}/reviews`, {
        method: 'POST',
        body: { event: 'APPROVE' },
      }),
    );
    const reviews = ok(await listReviews(ada, repository, number));
    assert.deepEqual(reviewVerdict(reviews), { approvedBy: ['lin'], changesRequestedBy: [] });
    assert.deepEqual(ok(await merge(head)), {
      kind: 'checks',
      message: 'Required status check "qa" is expected.',
    });
    const creator = sims.github.state.users.get('ada')!;
    sims.github.state.statuses.add({
      repository,
      sha: head,
      state: 'success',
      context: 'qa',
      creator,
    });
    const moved = ok(await merge(sims.repo!.branches['kars-prod']));
    assert.deepEqual(moved, {
      kind: 'head-moved',
      message: 'Head branch was modified. Review and try the merge again.',
    });
    const merged = ok(await merge(head));
    assert.equal(merged.kind, 'merged');
    assert.equal(
      await sims.git.branchHead('kars', 'kars-app', 'kars-prod'),
      merged.kind === 'merged' ? merged.sha : '',
    );
    assert.deepEqual(ok(await merge(head)), {
      kind: 'not-mergeable',
      message: 'Pull Request is not mergeable',
    });
    const closed = ok(await getPull(ada, repository, number));
    assert.deepEqual([closed.state, closed.merged], ['closed', true]);
  });

  void it("counts each reviewer's latest approval or change request; dismissed and comments count for nothing", () => {
    const r = (id: number, login: string | null, state: string): ReviewJson => ({
      id,
      user: login === null ? null : { login },
      state,
      commit_id: null,
      submitted_at: null,
    });
    const verdict = reviewVerdict([
      r(1, 'lin', 'CHANGES_REQUESTED'),
      r(2, 'lin', 'APPROVED'),
      r(3, 'lin', 'COMMENTED'),
      r(4, 'grace', 'APPROVED'),
      r(5, 'grace', 'CHANGES_REQUESTED'),
      r(6, 'tom', 'APPROVED'),
      r(7, 'tom', 'DISMISSED'),
      r(8, null, 'APPROVED'),
    ]);
    assert.deepEqual(verdict, { approvedBy: ['lin'], changesRequestedBy: ['grace'] });
  });

  void it("reads GitHub's words from an error body", () => {
    assert.equal(
      githubWords({
        message: 'Unprocessable Entity',
        errors: ['Can not approve your own pull request'],
      }),
      'Unprocessable Entity: Can not approve your own pull request',
    );
    assert.equal(
      githubWords({ message: 'Pull Request is not mergeable' }),
      'Pull Request is not mergeable',
    );
    assert.equal(githubWords('<html>'), undefined);
  });
});
