// Proves the deploy-window gate's verdict: the zone's own calendar and wall clock, DST changes both ways (a skipped and a repeated hour), the window's edges, windows past midnight, whole days, bad zones and hours, and overrides.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluateDeployWindow,
  nextOpening,
  parseDeployWindow,
  type DeployWindow,
  type DeployWindowConfig,
} from '../../daemon/promotion/gates/deployWindow';
import { zonedInstant } from '../../daemon/promotion/gates/zonedTime';

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
