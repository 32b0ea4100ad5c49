// The verdict on production after a release: thresholds at their edges, a 5xx rate from zero, a
// quiet service, a crash, an unanswered query, mixed services, and the sentences people read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_VERIFICATION,
  type VerificationFigures,
  type VerificationService,
  type VerificationState,
} from '../../protocol/metrics';
import { percent } from '../../protocol/promotionWords';
import {
  judgeService,
  verificationSummary,
  windowFigures,
  worstState,
  type ServiceWindows,
} from '../../daemon/promotion/verificationJudgement';

const t = DEFAULT_VERIFICATION;

function figures(requests: number, errors5xx: number, p95Ms: number | null): VerificationFigures {
  return {
    requests,
    errors5xx,
    errorRate: requests ? errors5xx / requests : 0,
    p95Ms,
    crashes: 0,
    memoryGb: 0.25,
  };
}

function windows(before: VerificationFigures, after: VerificationFigures): ServiceWindows {
  return { id: 's-api', name: 'kars-api', before, after, crashed: false };
}

const stateOf = (w: ServiceWindows) => judgeService(w, t).state;

describe('verification: one window of Railway series', () => {
  it('sums every status class and sample, takes the aggregate p95 and the mean memory', () => {
    const f = windowFigures(
      {
        requests: {
          ts: [100],
          byClass: { '2xx': [900], '3xx': [40], '4xx': [50], '5xx': [10] },
        },
        duration: { ts: [100], p50: [40], p90: [120], p95: [182], p99: [900] },
        resources: {
          ts: [100, 130],
          cpu: [0.1, 0.2],
          memoryGb: [0.2, 0.4],
          networkRxGb: [0, 0],
          networkTxGb: [0, 0],
        },
      },
      1,
    );
    assert.equal(f.requests, 1000);
    assert.equal(f.errors5xx, 10);
    assert.equal(f.errorRate, 0.01);
    assert.equal(f.p95Ms, 182);
    assert.equal(f.crashes, 1);
    assert.ok(Math.abs(f.memoryGb! - 0.3) < 1e-9);
  });

  it('weights several p95 samples by their requests, and has no p95 or memory without data', () => {
    const several = windowFigures(
      {
        requests: {
          ts: [100, 160],
          byClass: { '2xx': [300, 100], '3xx': [0, 0], '4xx': [0, 0], '5xx': [0, 0] },
        },
        duration: { ts: [100, 160], p50: [1, 1], p90: [1, 1], p95: [100, 500], p99: [1, 1] },
      },
      0,
    );
    assert.equal(several.p95Ms, 200, '(300×100 + 100×500) / 400');
    assert.equal(several.memoryGb, null, 'no resources answered: memory unknown');
    const empty = windowFigures(
      {
        requests: { ts: [], byClass: { '2xx': [], '3xx': [], '4xx': [], '5xx': [] } },
        duration: { ts: [], p50: [], p90: [], p95: [], p99: [] },
      },
      0,
    );
    assert.deepEqual([empty.requests, empty.errorRate, empty.p95Ms], [0, 0, null]);
  });
});

describe('verification: one service against the thresholds', () => {
  it('a 5xx rate that exactly doubles with exactly 20 errors after regresses', () => {
    const s = judgeService(windows(figures(1000, 10, 100), figures(1000, 20, 100)), t);
    assert.equal(s.state, 'regressed');
    assert.deepEqual(s.reasons, ["kars-api's 5xx rate 1% → 2% (20 errors)"]);
    assert.equal(s.before?.errors5xx, 10, 'the figures side by side are kept');
    assert.equal(s.after?.errors5xx, 20);
  });

  it('19 errors after, or a rate just short of double, does not', () => {
    assert.equal(stateOf(windows(figures(1000, 5, 100), figures(1000, 19, 100))), 'verified');
    assert.equal(stateOf(windows(figures(1000, 20, 100), figures(1000, 39, 100))), 'verified');
  });

  it('a 5xx rate from zero before regresses once 20 errors came after', () => {
    const s = judgeService(windows(figures(500, 0, 100), figures(500, 20, 100)), t);
    assert.equal(s.state, 'regressed');
    assert.deepEqual(s.reasons, ["kars-api's 5xx rate 0% → 4% (20 errors)"]);
    assert.equal(stateOf(windows(figures(500, 0, 100), figures(500, 0, 100))), 'verified');
  });

  it('p95 grown by exactly half with 200 requests after regresses; with 199 it is too quiet', () => {
    const s = judgeService(windows(figures(200, 0, 100), figures(200, 0, 150)), t);
    assert.equal(s.state, 'regressed');
    assert.deepEqual(s.reasons, ["kars-api's p95 100 → 150 ms"]);
    assert.equal(stateOf(windows(figures(200, 0, 100), figures(200, 0, 149))), 'verified');
    assert.equal(
      stateOf(windows(figures(200, 0, 100), figures(199, 0, 150))),
      'not-enough-traffic',
    );
  });

  it('p95 is compared only with 200 requests in both windows: a handful before says nothing', () => {
    const s = judgeService(windows(figures(12, 0, 40), figures(900, 0, 400)), t);
    assert.equal(s.state, 'not-enough-traffic');
  });

  it('names the figures that crossed, for a display to mark them', () => {
    const both = judgeService(windows(figures(1000, 10, 100), figures(1000, 40, 200)), t);
    assert.deepEqual(both.crossed, ['5xx', 'p95']);
    const crashed = { ...windows(figures(1000, 0, 100), figures(1000, 0, 100)), crashed: true };
    assert.deepEqual(judgeService(crashed, t).crossed, ['crash']);
    assert.deepEqual(
      judgeService(windows(figures(500, 0, 90), figures(500, 0, 90)), t).crossed,
      [],
    );
  });

  it('a quiet service is not enough traffic, below 200 requests in either window', () => {
    const quietBefore = judgeService(windows(figures(199, 0, 50), figures(900, 0, 50)), t);
    assert.equal(quietBefore.state, 'not-enough-traffic');
    assert.deepEqual(quietBefore.reasons, [
      'kars-api had 199 requests before and 900 after: 200 are needed in each window',
    ]);
    assert.equal(stateOf(windows(figures(12, 0, 50), figures(9, 0, 50))), 'not-enough-traffic');
    assert.equal(stateOf(windows(figures(200, 0, 50), figures(200, 0, 50))), 'verified');
  });

  it('a crash regresses whatever the numbers, even when Railway did not answer', () => {
    const crashed = { ...windows(figures(5, 0, 50), figures(5, 0, 50)), crashed: true };
    assert.equal(stateOf(crashed), 'regressed');
    const blind: ServiceWindows = { id: 's', name: 'kars-api', crashed: true, failure: 'HTTP 500' };
    assert.deepEqual(judgeService(blind, t).reasons, ['kars-api crashed during the window']);
  });

  it('an unanswered query is unknown, never verified', () => {
    const s = judgeService(
      { ...windows(figures(1000, 0, 50), figures(1000, 0, 50)), failure: 'HTTP 500' },
      t,
    );
    assert.equal(s.state, 'unknown');
    assert.deepEqual(s.reasons, ["Railway did not answer for kars-api's metrics (HTTP 500)"]);
    const none = judgeService({ id: 's', name: 'kars-api', crashed: false }, t);
    assert.equal(none.state, 'unknown');
  });

  it('takes the thresholds it is given', () => {
    const strict = { ...t, minErrors: 5, errorRateFactor: 1.5 };
    assert.equal(
      judgeService(windows(figures(1000, 4, 100), figures(1000, 6, 100)), strict).state,
      'regressed',
    );
  });
});

describe('verification: the promotion as the worst of its services', () => {
  const service = (state: VerificationState): VerificationService => ({
    id: state,
    name: state,
    state,
    reasons: [],
  });
  const worst = (...states: VerificationState[]) => worstState(states.map(service));

  it('orders regressed > unknown > not-enough-traffic > verified', () => {
    assert.equal(worst('verified', 'regressed', 'unknown'), 'regressed');
    assert.equal(worst('not-enough-traffic', 'unknown', 'verified'), 'unknown');
    assert.equal(worst('verified', 'not-enough-traffic'), 'not-enough-traffic');
    assert.equal(worst('verified', 'verified'), 'verified');
    assert.equal(worst(), 'unknown', 'nothing judged is never a pass');
  });
});

describe('verification: the sentence', () => {
  const judged = (name: string, before: VerificationFigures, after: VerificationFigures) =>
    judgeService({ ...windows(before, after), name, id: name }, t);

  it('says the figures of a verified release', () => {
    const api = judged('kars-api', figures(1000, 4, 182), figures(1000, 3, 176));
    assert.equal(
      verificationSummary({
        target: 'kars-prod',
        state: 'verified',
        services: [api],
        minutes: 10,
        autoRollback: false,
      }),
      'kars-prod verified: 5xx 0.4% → 0.3%, p95 182 → 176 ms over 10 min.',
    );
    const web = judged('kars-web', figures(400, 0, 9), figures(400, 0, 8));
    assert.equal(
      verificationSummary({
        target: 'kars-prod',
        state: 'verified',
        services: [web, api],
        minutes: 10,
        autoRollback: false,
      }),
      'kars-prod verified: 5xx 0.3% → 0.2%, p95 182 → 176 ms (kars-api) over 10 min.',
    );
  });

  it('says what regressed and offers the rollback, or says it is rolling back', () => {
    const api = judged('kars-api', figures(1200, 6, 180), figures(1213, 74, 190));
    const web = judged('kars-web', figures(400, 0, 9), figures(400, 0, 8));
    const input = {
      target: 'kars-prod',
      state: worstState([api, web]),
      services: [api, web],
      minutes: 10,
      autoRollback: false,
    };
    assert.equal(
      verificationSummary(input),
      "kars-prod regressed: kars-api's 5xx rate 0.5% → 6.1% (74 errors). Roll back?",
    );
    assert.match(verificationSummary({ ...input, autoRollback: true }), /Rolling back/);
  });

  it('never words unknown or too little traffic as a pass', () => {
    const quiet = judged('kars-api', figures(20, 0, 9), figures(30, 0, 8));
    const text = verificationSummary({
      target: 'kars-pr-7',
      state: 'not-enough-traffic',
      services: [quiet],
      minutes: 10,
      autoRollback: false,
    });
    assert.match(text, /^kars-pr-7 not verified, not enough traffic: kars-api had 20 requests/);
    assert.doesNotMatch(text, / verified:/);
    assert.equal(percent(0.0001), '<0.1%');
    assert.equal(percent(0), '0%');
  });
});
