// `railyard promote status` and `--json` show a promotion's verification: its state and sentence,
// each service's figures before → after, the rollback offer when it regressed, and the line the
// command ends with while the window goes on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_VERIFICATION,
  type PromotionVerification,
  type VerificationFigures,
} from '../../protocol/metrics';
import { promotionJson, statusLines } from '../../cli/promoteOutput';
import { verificationPendingLine } from '../../cli/promoteVerification';
import { record } from './promotionRecords';

function figures(over: Partial<VerificationFigures> = {}): VerificationFigures {
  return {
    requests: 1200,
    errors5xx: 6,
    errorRate: 0.005,
    p95Ms: 182,
    crashes: 0,
    memoryGb: 0.25,
    ...over,
  };
}

const pending: PromotionVerification = {
  state: 'pending',
  releasedAt: '2026-12-01T10:32:00.000Z',
  endsAt: '2026-12-01T10:42:00.000Z',
  thresholds: DEFAULT_VERIFICATION,
  services: [{ id: 's-api', name: 'kars-api', state: 'pending', reasons: [] }],
  summary: 'Watching kars-prod for 10 min after the release…',
  autoRolledBack: false,
};

const regressed: PromotionVerification = {
  ...pending,
  state: 'regressed',
  decidedAt: '2026-12-01T10:42:00.000Z',
  services: [
    {
      id: 's-api',
      name: 'kars-api',
      state: 'regressed',
      before: figures(),
      after: figures({
        requests: 1213,
        errors5xx: 74,
        errorRate: 0.061,
        p95Ms: 190.4,
        memoryGb: null,
      }),
      reasons: ["kars-api's 5xx rate 0.5% → 6.1% (74 errors)"],
    },
    {
      id: 's-web',
      name: 'kars-web',
      state: 'verified',
      before: figures({ errors5xx: 0, errorRate: 0, p95Ms: 9 }),
      after: figures({ errors5xx: 0, errorRate: 0, p95Ms: 8 }),
      reasons: [],
    },
  ],
  summary: "kars-prod regressed: kars-api's 5xx rate 0.5% → 6.1% (74 errors). Roll back?",
};

const succeeded = (verification: PromotionVerification) =>
  record({ id: 'p-7', state: 'succeeded', summary: 'kars-prod runs abc1234.', verification });

describe('railyard promote status: the verification', () => {
  it('shows a regression with the figures side by side and offers the rollback', () => {
    const lines = statusLines(succeeded(regressed));
    const from = lines.indexOf(
      "Verification: regressed. kars-prod regressed: kars-api's 5xx rate 0.5% → 6.1% (74 errors). Roll back?",
    );
    assert.ok(from > 0, lines.join('\n'));
    assert.deepEqual(lines.slice(from + 1), [
      '  ✗ kars-api: regressed',
      '      5xx 0.5% → 6.1% (6 → 74) · p95 182 → 190 ms · requests 1200 → 1213 · crashes 0 → 0 · memory 256 MB → –',
      "      kars-api's 5xx rate 0.5% → 6.1% (74 errors)",
      '  ✓ kars-web: verified',
      '      5xx 0% → 0% (0 → 0) · p95 9 → 8 ms · requests 1200 → 1200 · crashes 0 → 0 · memory 256 MB → 256 MB',
      'To roll back: railyard promote rollback p-7',
    ]);
  });

  it('offers no rollback once rolled back, and says it was automatic', () => {
    const back = record({
      id: 'p-7',
      state: 'rolled-back',
      verification: { ...regressed, autoRolledBack: true },
    });
    const lines = statusLines(back);
    assert.ok(
      lines.some((l) => l.startsWith('Verification: regressed, rolled back automatically.')),
    );
    assert.ok(!lines.some((l) => l.startsWith('To roll back')));
  });

  it('shows a pending one with when it ends, and a quiet one in words', () => {
    const lines = statusLines(succeeded(pending));
    assert.ok(
      lines.includes(
        'Verification: pending until 10:42 UTC. Watching kars-prod for 10 min after the release…',
      ),
    );
    assert.ok(lines.includes('  → kars-api: pending'));
    const quiet = statusLines(
      succeeded({
        ...pending,
        state: 'not-enough-traffic',
        services: [{ id: 's', name: 'kars-api', state: 'not-enough-traffic', reasons: [] }],
        summary: 'kars-prod not verified, not enough traffic: …',
      }),
    );
    assert.ok(quiet.includes('  - kars-api: not enough traffic'));
  });

  it('says nothing of a verification a promotion does not have', () => {
    assert.ok(!statusLines(record()).some((l) => l.startsWith('Verification')));
  });
});

describe('railyard promote: the verification in --json and at the end', () => {
  it('puts the record’s verification in the JSON object, null without one', () => {
    assert.deepEqual(promotionJson(succeeded(regressed)).verification, regressed);
    assert.equal(promotionJson(record()).verification, null);
  });

  it('ends a successful promotion saying the verification goes on without it', () => {
    assert.equal(
      verificationPendingLine(succeeded(pending)),
      'Verifying kars-prod by its metrics until 10:42 UTC (10 min after the release): railyard promote status p-7',
    );
    assert.equal(verificationPendingLine(succeeded(regressed)), undefined);
  });
});
