// Proves the promotion gates' pure verdicts: the deploy window (zones, DST, days, windows past midnight, bad config, overrides), CI's check runs and statuses, QA's sign-off, the lock, and the git identity a GitHub account gives.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckRunJson, CommitStatusJson } from '../../daemon/github/commitChecks';
import { identityOf } from '../../daemon/github/githubIdentity';
import { evaluateCi } from '../../daemon/promotion/gates/ci';
import {
  evaluateDeployWindow,
  nextOpening,
  parseDeployWindow,
  type DeployWindow,
  type DeployWindowConfig,
} from '../../daemon/promotion/gates/deployWindow';
import { evaluateLock, lockGateWith } from '../../daemon/promotion/gates/lock';
import {
  QA_SIGNOFF_CONTEXT,
  evaluateQaSignoff,
  signOffDescription,
} from '../../daemon/promotion/gates/qaSignoff';
import { formatUtc, zonedInstant } from '../../daemon/promotion/gates/zonedTime';
import { success } from '../../daemon/upstreamError';
import { contextOf, recordOf, sourceSha } from '../fixtures/promotionGates';

const weekdays: DeployWindowConfig['days'] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const paris: DeployWindowConfig = {
  days: weekdays,
  hours: '10:00-12:00',
  timeZone: 'Europe/Paris',
};
const at = (iso: string) => new Date(iso);

function windowOf(config: DeployWindowConfig): DeployWindow {
  const window = parseDeployWindow(config);
  if (typeof window === 'string') assert.fail(`not a window: ${window}`);
  return window;
}

void describe('deploy window', () => {
  void it('passes when railyard.json sets no window', () => {
    const outcome = evaluateDeployWindow(undefined, at('2026-12-05T13:00:00Z'));
    assert.deepEqual(outcome, { state: 'pass', detail: 'No deploy window configured' });
  });

  void it('passes inside the window, naming the day, the hours and the zone', () => {
    // 10:30 in Paris (CET, UTC+1) on Monday 7 December 2026.
    const outcome = evaluateDeployWindow(paris, at('2026-12-07T09:30:00Z'));
    assert.equal(outcome.state, 'pass');
    assert.equal(outcome.detail, 'Inside the window (Mon 10:00–12:00 Europe/Paris)');
  });

  void it('opens at its first minute and closes at its last: 10:00 is in, 09:59 and 12:00 are out', () => {
    assert.equal(evaluateDeployWindow(paris, at('2026-12-07T09:00:00Z')).state, 'pass');
    const early = evaluateDeployWindow(paris, at('2026-12-07T08:59:00Z'));
    assert.equal(early.state, 'fail');
    assert.match(early.detail, /next opens Mon 7 Dec 10:00 Europe\/Paris$/);
    const late = evaluateDeployWindow(paris, at('2026-12-07T11:00:00Z'));
    assert.equal(late.state, 'fail');
    assert.match(late.detail, /next opens Tue 8 Dec 10:00 Europe\/Paris$/);
  });

  void it('fails on a weekend with the next opening, the window, the time there, and the override action', () => {
    const outcome = evaluateDeployWindow(paris, at('2026-12-05T13:03:00Z'));
    assert.equal(outcome.state, 'fail');
    assert.equal(
      outcome.detail,
      'Outside the window (Mon–Fri 10:00–12:00 Europe/Paris): next opens Mon 7 Dec 10:00 Europe/Paris',
    );
    assert.deepEqual(outcome.actions, ['override-window']);
    assert.deepEqual(
      outcome.evidence?.map((e) => [e.label, e.text]),
      [
        ['window', 'Mon–Fri 10:00–12:00 Europe/Paris'],
        ['now', 'Sat 5 Dec 14:03 Europe/Paris'],
        ['next opening', 'Mon 7 Dec 10:00 Europe/Paris'],
      ],
    );
  });

  void it('judges by the zone’s calendar day, not UTC’s: 23:30 UTC Sunday is Monday in Tokyo', () => {
    const tokyo = {
      days: ['mon'] as DeployWindowConfig['days'],
      hours: '08:00-09:00',
      timeZone: 'Asia/Tokyo',
    };
    assert.equal(evaluateDeployWindow(tokyo, at('2026-12-06T23:30:00Z')).state, 'pass');
    assert.equal(evaluateDeployWindow(tokyo, at('2026-12-07T23:30:00Z')).state, 'fail');
  });

  void it('keeps the window on wall-clock hours through the spring DST change', () => {
    const daily = windowOf({ ...paris, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
    const config = { ...paris, days: [...daily.days] };
    // Saturday 28 March 2026 is still CET (UTC+1); Monday 30 March is CEST (UTC+2).
    assert.equal(evaluateDeployWindow(config, at('2026-03-28T09:30:00Z')).state, 'pass');
    assert.equal(evaluateDeployWindow(config, at('2026-03-30T08:30:00Z')).state, 'pass');
    assert.equal(
      evaluateDeployWindow(config, at('2026-03-30T10:30:00Z')).state,
      'fail',
      '12:30 CEST',
    );
    const mondays = windowOf({ ...paris, days: ['mon'] });
    assert.equal(
      nextOpening(mondays, at('2026-03-28T12:00:00Z')).toISOString(),
      '2026-03-30T08:00:00.000Z',
      '10:00 CEST is 08:00 UTC, an hour earlier than the week before',
    );
    assert.equal(
      nextOpening(mondays, at('2026-03-21T12:00:00Z')).toISOString(),
      '2026-03-23T09:00:00.000Z',
    );
  });

  void it('keeps wall-clock hours through the autumn change in New York too', () => {
    const ny = {
      days: ['mon'] as DeployWindowConfig['days'],
      hours: '09:00-10:00',
      timeZone: 'America/New_York',
    };
    // Clocks go back on Sunday 1 November 2026: EDT (UTC-4) before, EST (UTC-5) after.
    assert.equal(
      nextOpening(windowOf(ny), at('2026-10-31T12:00:00Z')).toISOString(),
      '2026-11-02T14:00:00.000Z',
    );
    assert.equal(
      nextOpening(windowOf(ny), at('2026-10-24T12:00:00Z')).toISOString(),
      '2026-10-26T13:00:00.000Z',
    );
  });

  void it('opens a window that starts in the hour clocks skip at the same instant the clocks jump to', () => {
    // Paris skips 02:00–03:00 on Sunday 29 March 2026: 02:30 does not happen there that day.
    const sunday = windowOf({ days: ['sun'], hours: '02:30-03:30', timeZone: 'Europe/Paris' });
    assert.equal(
      nextOpening(sunday, at('2026-03-28T12:00:00Z')).toISOString(),
      '2026-03-29T01:30:00.000Z',
    );
    const outcome = evaluateDeployWindow(
      { days: ['sun'], hours: '02:30-03:30', timeZone: 'Europe/Paris' },
      at('2026-03-28T12:00:00Z'),
    );
    assert.match(outcome.detail, /next opens Sun 29 Mar 03:30 Europe\/Paris$/);
  });

  void it('opens at the first of two 02:30s when clocks go back', () => {
    assert.equal(
      zonedInstant(
        { year: 2026, month: 10, day: 25, hour: 2, minute: 30 },
        'Europe/Paris',
      ).toISOString(),
      '2026-10-25T00:30:00.000Z',
    );
  });

  void it('runs a window past midnight into the next day, counted as the day it opened', () => {
    const late = {
      days: ['fri'] as DeployWindowConfig['days'],
      hours: '22:00-02:00',
      timeZone: 'UTC',
    };
    const friNight = evaluateDeployWindow(late, at('2026-12-04T23:00:00Z'));
    assert.deepEqual(
      [friNight.state, friNight.detail],
      ['pass', 'Inside the window (Fri 22:00–02:00 UTC)'],
    );
    assert.equal(evaluateDeployWindow(late, at('2026-12-05T01:59:00Z')).state, 'pass', 'Sat 01:59');
    const closed = evaluateDeployWindow(late, at('2026-12-05T02:00:00Z'));
    assert.equal(closed.state, 'fail');
    assert.match(closed.detail, /next opens Fri 11 Dec 22:00 UTC$/);
    assert.equal(
      evaluateDeployWindow(late, at('2026-12-04T01:00:00Z')).state,
      'fail',
      'Fri 01:00 is Thursday’s night',
    );
  });

  void it('reads "00:00-24:00" as the whole day and equal hours as a full day from that time', () => {
    const allDay = {
      days: ['sat'] as DeployWindowConfig['days'],
      hours: '00:00-24:00',
      timeZone: 'UTC',
    };
    assert.equal(evaluateDeployWindow(allDay, at('2026-12-05T00:00:00Z')).state, 'pass');
    assert.equal(evaluateDeployWindow(allDay, at('2026-12-05T23:59:00Z')).state, 'pass');
    assert.equal(evaluateDeployWindow(allDay, at('2026-12-06T00:00:00Z')).state, 'fail');
    const fromNoon = { ...allDay, hours: '12:00-12:00' };
    assert.equal(evaluateDeployWindow(fromNoon, at('2026-12-06T11:59:00Z')).state, 'pass');
    assert.equal(evaluateDeployWindow(fromNoon, at('2026-12-06T12:00:00Z')).state, 'fail');
  });

  void it('fails with a sentence naming a time zone that is not one, or hours that are not times', () => {
    const mars = evaluateDeployWindow(
      { ...paris, timeZone: 'Mars/Olympus' },
      at('2026-12-07T09:30:00Z'),
    );
    assert.equal(mars.state, 'fail');
    assert.match(mars.detail, /"Mars\/Olympus" is not an IANA time zone/);
    assert.deepEqual(mars.actions, ['override-window']);
    for (const hours of ['25:00-26:00', '10:60-12:00', '10:00-24:30', '24:00-02:00']) {
      const bad = evaluateDeployWindow({ ...paris, hours }, at('2026-12-07T09:30:00Z'));
      assert.equal(bad.state, 'fail', hours);
      assert.match(bad.detail, new RegExp(`deployWindow.hours "${hours}"`));
    }
  });

  void it('passes outside the window, or with a broken one, when overridden, saying who and why', () => {
    const override = { by: 'ada', at: '2026-12-05T13:00:00Z', reason: 'hotfix for invoices' };
    const outside = evaluateDeployWindow(paris, at('2026-12-05T13:03:00Z'), override);
    assert.equal(outside.state, 'pass');
    assert.match(outside.detail, /^Outside the window .*; overridden by ada: hotfix for invoices$/);
    assert.ok(outside.evidence?.some((e) => e.label === 'next opening'));
    const broken = evaluateDeployWindow(
      { ...paris, timeZone: 'Nowhere' },
      at('2026-12-05T13:03:00Z'),
      override,
    );
    assert.equal(broken.state, 'pass');
    assert.match(broken.detail, /could not be read.*overridden by ada/);
  });

  void it('shows runs of three days or more as a range and others one by one', () => {
    const outcome = evaluateDeployWindow(
      { days: ['sat', 'mon', 'tue', 'wed', 'sun'], hours: '10:00-11:00', timeZone: 'UTC' },
      at('2026-12-10T12:00:00Z'),
    );
    assert.match(outcome.detail, /^Outside the window \(Mon–Wed, Sat, Sun 10:00–11:00 UTC\)/);
  });
});

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
