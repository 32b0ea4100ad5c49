// Proves the promotion gates' pure verdicts: CI's check runs and statuses, QA's sign-off, the lock, and the git identity a GitHub account gives (the deploy window's are in deployWindow.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckRunJson, CommitStatusJson } from '../../daemon/github/commitChecks';
import { identityOf } from '../../daemon/github/githubIdentity';
import { evaluateCi } from '../../daemon/promotion/gates/ci';
import { evaluateLock, lockGateWith } from '../../daemon/promotion/gates/lock';
import {
  QA_SIGNOFF_CONTEXT,
  evaluateQaSignoff,
  signOffDescription,
} from '../../daemon/promotion/gates/qaSignoff';
import { formatUtc } from '../../daemon/promotion/gates/zonedTime';
import { success } from '../../daemon/upstreamError';
import { contextOf, recordOf, sourceSha } from '../fixtures/promotionGates';

const at = (iso: string) => new Date(iso);

function run(name: string, status: string, conclusion: string | null): CheckRunJson {
  return { id: name.length, name, status, conclusion, html_url: `https://github.com/run/${name}` };
}

function commitStatus(
  context: string,
  state: CommitStatusJson['state'],
  patch: Partial<CommitStatusJson> = {},
): CommitStatusJson {
  return {
    id: 1,
    state,
    context,
    description: null,
    target_url: null,
    created_at: '2026-11-27T16:02:11Z',
    creator: { login: 'ada', id: 1001 },
    ...patch,
  };
}

void describe('CI', () => {
  void it('passes when every check run and status finished green; neutral and skipped count as green', () => {
    const outcome = evaluateCi(
      [
        run('test', 'completed', 'success'),
        run('docs', 'completed', 'skipped'),
        run('lint', 'completed', 'neutral'),
      ],
      [commitStatus('ci/e2e', 'success')],
      sourceSha,
    );
    assert.deepEqual(
      [outcome.state, outcome.detail],
      ['pass', 'CI green on 9f8e7d6: 4 checks passed'],
    );
    assert.ok(outcome.evidence?.every((e) => e.flag === undefined));
  });

  void it('fails on any failing conclusion or status, listing them first with their pages', () => {
    for (const conclusion of ['failure', 'cancelled', 'timed_out', 'action_required', 'stale']) {
      const outcome = evaluateCi(
        [run('test', 'completed', 'success'), run('build', 'completed', conclusion)],
        [],
        sourceSha,
      );
      assert.equal(outcome.state, 'fail', conclusion);
      assert.equal(outcome.detail, 'CI failed on 9f8e7d6: build');
      assert.deepEqual(outcome.evidence?.[0], {
        label: 'build',
        text: conclusion.replace(/_/g, ' '),
        url: 'https://github.com/run/build',
        flag: 'fail',
      });
    }
    const errored = evaluateCi(
      [],
      [commitStatus('ci/e2e', 'error', { target_url: 'https://ci.example/9' })],
      sourceSha,
    );
    assert.equal(errored.state, 'fail');
    assert.equal(errored.evidence?.[0]?.url, 'https://ci.example/9');
  });

  void it('fails while checks run, counting them and offering a retry; a failure outranks it', () => {
    const running = evaluateCi(
      [run('test', 'in_progress', null), run('lint', 'completed', 'success')],
      [commitStatus('ci/e2e', 'pending')],
      sourceSha,
    );
    assert.equal(running.state, 'fail');
    assert.equal(running.detail, 'CI still running: 2 checks pending (test, ci/e2e)');
    assert.deepEqual(running.actions, ['retry']);
    const both = evaluateCi(
      [run('test', 'queued', null), run('lint', 'completed', 'failure')],
      [],
      sourceSha,
    );
    assert.equal(both.detail, 'CI failed on 9f8e7d6: lint');
  });

  void it('warns when nothing reported CI, and leaves QA’s own sign-off status out of it', () => {
    const none = evaluateCi([], [commitStatus(QA_SIGNOFF_CONTEXT, 'success')], sourceSha);
    assert.deepEqual(none, { state: 'warn', detail: 'No CI reported on 9f8e7d6' });
    const rejected = evaluateCi(
      [run('test', 'completed', 'success')],
      [commitStatus(QA_SIGNOFF_CONTEXT, 'failure')],
      sourceSha,
    );
    assert.equal(rejected.state, 'pass', 'a QA rejection is the qa-signoff gate’s to report');
  });

  void it('never passes a check run with no conclusion or one GitHub may add later', () => {
    assert.equal(evaluateCi([run('x', 'completed', null)], [], sourceSha).state, 'fail');
    assert.equal(
      evaluateCi([run('x', 'completed', 'startup_failure')], [], sourceSha).state,
      'fail',
    );
    assert.equal(evaluateCi([run('x', 'waiting', null)], [], sourceSha).state, 'fail');
  });
});

void describe('QA sign-off', () => {
  const branch = 'kars-dev';

  void it('passes on a success status, naming who (GitHub’s creator) and when', () => {
    const status = commitStatus(QA_SIGNOFF_CONTEXT, 'success', {
      description: 'Signed off by ada at 2026-11-27T16:02:11Z',
    });
    const outcome = evaluateQaSignoff(status, sourceSha, { branch });
    assert.deepEqual(
      [outcome.state, outcome.detail],
      ['pass', 'QA: signed off by ada on Fri 27 Nov 16:02 UTC'],
    );
    assert.equal(outcome.evidence?.[0]?.text, 'Signed off by ada at 2026-11-27T16:02:11Z');
  });

  void it('fails a rejection naming who, and an error; pending needs QA; all offer a sign-off', () => {
    const rejected = evaluateQaSignoff(
      commitStatus(QA_SIGNOFF_CONTEXT, 'failure', { creator: { login: 'grace', id: 2 } }),
      sourceSha,
      { branch },
    );
    assert.deepEqual(
      [rejected.state, rejected.detail],
      ['fail', 'QA rejected 9f8e7d6: grace on Fri 27 Nov 16:02 UTC'],
    );
    assert.equal(
      evaluateQaSignoff(commitStatus(QA_SIGNOFF_CONTEXT, 'error'), sourceSha, { branch }).state,
      'fail',
    );
    const pending = evaluateQaSignoff(commitStatus(QA_SIGNOFF_CONTEXT, 'pending'), sourceSha, {
      branch,
    });
    assert.equal(pending.state, 'needs-you');
    for (const o of [rejected, pending]) assert.deepEqual(o.actions, ['sign-off']);
  });

  void it('needs a sign-off of this exact commit, saying so, and naming an older one the push voided', () => {
    const none = evaluateQaSignoff(undefined, sourceSha, { branch });
    assert.equal(none.state, 'needs-you');
    assert.match(none.detail, /only a sign-off of this exact commit counts/);
    const earlier = { sha: '1a2b3c4d5e6f', by: 'ada', at: '2026-11-26T09:00:00Z' };
    const moved = evaluateQaSignoff(undefined, sourceSha, { branch, earlier });
    assert.equal(
      moved.detail,
      "kars-dev moved since ada's sign-off of 1a2b3c4: sign off 9f8e7d6 again",
    );
    assert.deepEqual(moved.actions, ['sign-off']);
  });

  void it('writes who and when into the description, within the 140 characters GitHub keeps', () => {
    const now = at('2026-11-27T16:02:11.345Z');
    assert.equal(
      signOffDescription({ login: 'ada', name: 'Ada Lovelace' }, now),
      'Signed off by ada (Ada Lovelace) at 2026-11-27T16:02:11Z',
    );
    assert.equal(
      signOffDescription({ login: 'ada', name: 'ada' }, now),
      'Signed off by ada at 2026-11-27T16:02:11Z',
    );
    const long = signOffDescription({ login: 'ada', name: 'A'.repeat(200) }, now);
    assert.equal(long, 'Signed off by ada at 2026-11-27T16:02:11Z');
  });

  void it('prints UTC times the same way whatever the machine’s zone', () => {
    assert.equal(formatUtc(at('2026-12-31T23:59:00Z')), 'Thu 31 Dec 23:59 UTC');
  });
});

void describe('lock', () => {
  const holder = recordOf({
    id: 'p-7',
    state: 'deploying',
    summary: 'Deploying 2 services',
    createdBy: 'grace',
    confirmedBy: 'lin',
    history: [
      { state: 'planned', at: '2026-11-27T15:00:00Z' },
      { state: 'confirmed', at: '2026-11-27T15:10:00Z' },
      { state: 'deploying', at: '2026-11-27T15:12:00Z' },
    ],
  });

  void it('passes when no promotion holds the target', () => {
    assert.equal(evaluateLock(undefined, 'kars-prod').state, 'pass');
  });

  void it('fails naming the other promotion, who confirmed it, its state, and since its confirmation', () => {
    const outcome = evaluateLock(holder, 'kars-prod');
    assert.equal(outcome.state, 'fail');
    assert.equal(
      outcome.detail,
      'kars-prod is held by promotion p-7 (lin, deploying, since Fri 27 Nov 15:10 UTC)',
    );
    assert.deepEqual(outcome.actions, ['retry']);
    const unconfirmed = evaluateLock(recordOf({ ...holder, confirmedBy: undefined }), 'kars-prod');
    assert.match(unconfirmed.detail, /\(grace,/);
  });

  void it('asks the hook for a teammate’s promotion only when this daemon holds none, and trusts no failed answer', async () => {
    let asked = 0;
    const gate = lockGateWith(() => {
      asked += 1;
      return Promise.resolve(
        success({ by: 'grace', since: '2026-11-27T15:00:00Z', what: 'GitHub Deployment 42' }),
      );
    });
    const held = await gate.evaluate(contextOf({ lockHolder: () => holder }));
    assert.deepEqual([held.state, asked], ['fail', 0]);
    const foreign = await gate.evaluate(contextOf());
    assert.equal(
      foreign.detail,
      "kars-prod is held by grace's promotion, since Fri 27 Nov 15:00 UTC",
    );
    const failing = lockGateWith(() =>
      Promise.resolve({
        ok: false as const,
        error: { kind: 'server' as const, message: 'HTTP 502' },
      }),
    );
    const unknown = await failing.evaluate(contextOf());
    assert.deepEqual([unknown.state, unknown.actions], ['unknown', ['retry']]);
  });
});

void describe('GitHub identity', () => {
  void it('takes the profile name and public email, else the login and GitHub’s noreply address', () => {
    assert.deepEqual(
      identityOf({ login: 'ada', id: 1001, name: 'Ada Lovelace', email: 'ada@kars.example' }),
      {
        login: 'ada',
        id: 1001,
        name: 'Ada Lovelace',
        email: 'ada@kars.example',
      },
    );
    assert.deepEqual(identityOf({ login: 'lin', id: 77, name: null, email: null }), {
      login: 'lin',
      id: 77,
      name: 'lin',
      email: '77+lin@users.noreply.github.com',
    });
  });
});
