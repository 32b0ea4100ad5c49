// How the checklist reads production's numbers after a success: the verdict's look and heading,
// each service's before → after figures with the crossed ones flagged in words, and Roll back
// made the first action when the release regressed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_VERIFICATION,
  type PromotionVerification,
  type VerificationFigures,
} from '../../protocol/metrics';
import type { PanelAction } from '../../protocol/panel';
import { outcomeModel } from '../../webview/runModel';
import { verificationModel } from '../../webview/verificationModel';
import { percent } from '../../protocol/promotionWords';
import { NOW, failedRecord } from './panelFixtures';

const figures = (over: Partial<VerificationFigures> = {}): VerificationFigures => ({
  requests: 1840,
  errors5xx: 7,
  errorRate: 7 / 1840,
  p95Ms: 182.4,
  crashes: 0,
  memoryGb: 0.21,
  ...over,
});

const regressed: PromotionVerification = {
  state: 'regressed',
  releasedAt: '2026-12-01T10:00:00Z',
  endsAt: '2026-12-01T10:10:00Z',
  decidedAt: '2026-12-01T10:10:00Z',
  thresholds: DEFAULT_VERIFICATION,
  summary: "Production regressed: kars-backend's 5xx rate 0.4% → 6.1% (112 errors). Roll back?",
  autoRolledBack: false,
  services: [
    {
      id: 'svc-api',
      name: 'kars-backend',
      state: 'regressed',
      before: figures(),
      after: figures({ requests: 1836, errors5xx: 112, errorRate: 112 / 1836, memoryGb: 1.5 }),
      reasons: ['The 5xx rate went from 0.4% to 6.1% (112 errors after).'],
      crossed: ['5xx'],
    },
    {
      id: 'svc-web',
      name: 'kars-frontend',
      state: 'verified',
      before: figures({ requests: 900, errors5xx: 0, errorRate: 0, p95Ms: 12 }),
      after: figures({ requests: 912, errors5xx: 0, errorRate: 0, p95Ms: 11 }),
      reasons: [],
    },
  ],
};

describe("production's numbers in the checklist", () => {
  it('a regression: its look, heading and sentence, the crossed figure flagged', () => {
    const m = verificationModel(regressed);
    assert.deepEqual(m.look, { icon: 'error', word: 'regressed', tone: 'bad' });
    assert.equal(m.heading, "Production's numbers: regressed");
    assert.equal(m.summary, regressed.summary);
    const api = m.services[0]!;
    assert.equal(api.name, 'kars-backend');
    const rate = api.rows.find((r) => r.label === '5xx rate')!;
    assert.deepEqual(rate, {
      label: '5xx rate',
      before: '0.4% (7)',
      after: '6.1% (112)',
      flagged: true,
    });
    assert.equal(api.rows.find((r) => r.label === 'p95 duration')?.flagged, false);
    assert.deepEqual(
      api.rows.find((r) => r.label === 'Memory'),
      { label: 'Memory', before: '215 MB', after: '1.5 GB', flagged: false },
      'memory is shown, never judged',
    );
    assert.deepEqual(api.reasons, regressed.services[0]!.reasons);
  });

  it('a service that held flags nothing, even beside one that regressed', () => {
    const web = verificationModel(regressed).services[1]!;
    assert.equal(web.look.word, 'verified');
    assert.ok(web.rows.every((r) => !r.flagged));
    assert.deepEqual(
      web.rows.find((r) => r.label === 'p95 duration'),
      {
        label: 'p95 duration',
        before: '12 ms',
        after: '11 ms',
        flagged: false,
      },
    );
  });

  it('while watching: the window in the heading, no figures before they are read', () => {
    const pending: PromotionVerification = {
      ...regressed,
      state: 'pending',
      summary: 'Watching kars-prod for 10 min.',
      services: [{ id: 'svc-api', name: 'kars-backend', state: 'pending', reasons: [] }],
    };
    const m = verificationModel(pending);
    assert.equal(m.heading, "Production's numbers: watching 10 min after the release");
    assert.equal(m.look.spin, true);
    assert.deepEqual(m.services[0]!.rows, []);
  });

  it('no traffic reads 0%, a null p95 a dash', () => {
    assert.equal(percent(0), '0%');
    assert.equal(percent(0.061), '6.1%');
    assert.equal(percent(0.25), '25%');
    const quiet = verificationModel({
      ...regressed,
      state: 'not-enough-traffic',
      services: [
        {
          id: 'svc-api',
          name: 'kars-backend',
          state: 'not-enough-traffic',
          before: figures({ requests: 0, errors5xx: 0, errorRate: 0, p95Ms: null, memoryGb: null }),
          after: figures({ requests: 12, errors5xx: 0, errorRate: 0 }),
          reasons: ['Only 0 requests before the release (200 needed).'],
        },
      ],
    });
    const rows = quiet.services[0]!.rows;
    assert.equal(rows.find((r) => r.label === 'p95 duration')?.before, '—');
    assert.equal(rows.find((r) => r.label === 'Memory')?.before, '—');
    assert.equal(quiet.look.word, 'not enough traffic');
  });

  it('Roll back is the first action after a regression, secondary after a verified success', () => {
    const ctx = { readOnly: false, busy: new Set<PanelAction>(), now: NOW, timeZone: 'UTC' };
    const succeeded = failedRecord({ state: 'succeeded', verification: regressed });
    assert.deepEqual(outcomeModel(succeeded, ctx)?.rollback, { enabled: true, primary: true });
    const fine = failedRecord({
      state: 'succeeded',
      verification: { ...regressed, state: 'verified' },
    });
    assert.equal(outcomeModel(fine, ctx)?.rollback?.primary, false);
  });
});
