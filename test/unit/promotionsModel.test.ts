// How promotions read in the editor: the Promotions view's rows (own and team, merged, newest
// first), the in-flight status bar item, and which record changes notify (once, never on first sight).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  IN_FLIGHT_STATES,
  PROMOTION_STATES,
  teamPromotion,
  type EnvironmentView,
  type ProjectView,
  type PromotionRecord,
  type TeamPromotion,
} from '../../protocol/protocol';
import {
  DEFAULT_VERIFICATION,
  type PromotionVerification,
  type VerificationState,
} from '../../protocol/metrics';
import {
  OUTCOME_LOOK,
  inFlightStatus,
  noticeFor,
  notifiesHere,
  outcomeOf,
  ownRow,
  promotionRows,
  routeLabel,
  sameFolder,
  shownRows,
  supersedes,
  teamPromotingKey,
  teamRow,
} from '../../extension/promotionsModel';
import { record, step } from './promotionRecords';

const now = Date.parse('2026-12-01T10:03:00Z');

function team(overrides: Partial<TeamPromotion> = {}): TeamPromotion {
  return teamPromotion.parse({
    id: 'b2c3d4e5',
    deploymentId: 77,
    repo: 'acme/kars',
    from: 'kars-dev',
    to: 'kars-prod',
    by: 'lin',
    machine: 'lin-laptop',
    state: 'in-progress',
    detail: 'Deploying kars-prod',
    sourceCommit: 'abcdef0123456789abcdef0123456789abcdef01',
    startedAt: '2026-12-01T09:30:00Z',
    updatedAt: '2026-12-01T10:01:00Z',
    url: 'https://github.com/acme/kars/deployments/kars-prod',
    ...overrides,
  });
}

const changes = {
  commits: [
    { sha: '1a2b3c4d5e6f', message: 'Add index\n\nbody', author: 'ada' },
    { sha: '2b3c4d5e6f7a', message: 'Fix *login*', author: 'lin' },
  ],
  commitCount: 4,
  authors: ['ada', 'lin'],
  files: ['a.ts'],
  migrations: [],
  risky: [],
  prs: [],
};

/** `r` moved to `state`, a second later, with what that state usually brings. */
function moved(r: PromotionRecord, state: PromotionRecord['state'], extra = {}): PromotionRecord {
  // Without r's updatedAt, the builder stamps a newer one, as the daemon's transition does.
  const { updatedAt: _, ...rest } = r;
  return record({ ...rest, state, ...extra });
}

describe('promotion rows', () => {
  it('words a succeeded promotion: route, outcome, who, when, commits, and opens it by id', () => {
    const row = ownRow(
      record({ id: 'p-7', state: 'succeeded', createdAt: '2026-12-01T10:00:00Z', changes }),
      now,
    );
    assert.equal(row.label, 'kars-dev → kars-prod');
    assert.equal(row.description, 'succeeded · you · 3 min ago · 4 commits');
    assert.deepEqual(row.look, { icon: 'pass', color: 'testing.iconPassed' });
    assert.deepEqual(row.open, { id: 'p-7' });
    assert.equal(row.accessibilityLabel, `Promotion kars-dev → kars-prod, ${row.description}`);
  });

  it('leaves the commits out while they are not known', () => {
    const row = ownRow(record({ state: 'planned', createdAt: '2026-12-01T10:02:30Z' }), now);
    assert.equal(row.description, 'checking · you · just now');
    assert.equal(row.look.icon, 'checklist');
  });

  it('names back-merges and reverts as such', () => {
    assert.equal(
      routeLabel('kars-prod', 'kars-dev', 'back-merge'),
      'kars-prod → kars-dev (back-merge)',
    );
    assert.equal(routeLabel('kars-prod', 'kars-prod', 'revert'), 'Revert on kars-prod');
    assert.equal(
      teamRow(team({ kind: 'revert', from: 'kars-prod' }), now).label,
      'Revert on kars-prod',
    );
  });

  it('spins for every in-flight state and gives each outcome its icon', () => {
    for (const state of PROMOTION_STATES) {
      const icon = OUTCOME_LOOK[outcomeOf(state)].icon;
      assert.equal(icon === 'sync~spin', IN_FLIGHT_STATES.includes(state), `${state}: ${icon}`);
    }
    assert.equal(OUTCOME_LOOK[outcomeOf('failed')].icon, 'error');
    assert.equal(OUTCOME_LOOK[outcomeOf('rolled-back')].icon, 'discard');
    assert.equal(OUTCOME_LOOK[outcomeOf('cancelled')].icon, 'circle-slash');
    assert.equal(OUTCOME_LOOK[outcomeOf('gated')].icon, 'checklist');
  });

  it('says a pull request waits for its review, and a check-only run was only checked', () => {
    const waiting = record({ state: 'confirmed', steps: [step('pull-request', 'needs-you')] });
    assert.match(ownRow(waiting, now).description, /^waiting for a review · /);
    assert.match(
      ownRow(record({ state: 'gated', checkOnly: true }), now).description,
      /^checked · /,
    );
  });

  it("a teammate's row: who, when, no commits, the machine in the tooltip, opened with the team entry", () => {
    const t = team();
    const row = teamRow(t, now);
    assert.equal(row.description, 'in progress · lin · 33 min ago');
    assert.equal(row.look.icon, 'sync~spin');
    assert.equal(row.mine, false);
    assert.deepEqual(row.open, { team: t });
    assert.match(row.tooltip, /By lin on lin\\-laptop, 33 min ago; last reported 2 min ago/);
    assert.match(
      row.tooltip,
      /\[GitHub deployment\]\(https:\/\/github\.com\/acme\/kars\/deployments\/kars-prod\)/,
    );
  });

  it('words a silent and an inactive teammate promotion', () => {
    const stale = teamRow(team({ state: 'stale' }), now);
    assert.match(stale.description, /^silent · /);
    assert.match(stale.tooltip, /stopped reporting/);
    assert.equal(teamRow(team({ state: 'inactive' }), now).look.icon, 'circle-slash');
  });

  it('merges own and team newest first, dropping the team entry that is one of ours', () => {
    const mine = record({ id: 'a1', createdAt: '2026-12-01T09:00:00Z' });
    const newer = record({ id: 'a2', createdAt: '2026-12-01T09:45:00Z' });
    const rows = promotionRows(
      [mine, newer],
      [
        team({ id: 'a1', deploymentId: 1, startedAt: '2026-12-01T09:00:05Z' }),
        team({ id: 't1', deploymentId: 2, startedAt: '2026-12-01T09:30:00Z' }),
        team({ id: 't0', deploymentId: 3, startedAt: '2026-11-30T09:30:00Z' }),
      ],
      now,
    );
    assert.deepEqual(
      rows.map((r) => r.key),
      ['promotion:a2', 'team:2', 'promotion:a1', 'team:3'],
    );
  });

  it('tooltips: summary, commits (first line, escaped), pinned commits, links', () => {
    const r = record({
      state: 'succeeded',
      summary: 'kars-prod runs 1a2b3c4 and stayed healthy.',
      changes,
      mergeCommit: '3c4d5e6f7a8b',
      deployment: {
        id: 9,
        environment: 'kars-prod',
        url: 'https://github.com/acme/kars/deployments',
      },
    });
    const lines = ownRow(r, now).tooltip.split('  \n');
    assert.equal(lines[0], '**kars\\-dev → kars\\-prod**');
    assert.ok(lines.includes('4 commits by ada, lin:'), lines.join('\n'));
    assert.ok(lines.includes('`1a2b3c4` Add index (ada)'), lines.join('\n'));
    assert.ok(lines.includes('`2b3c4d5` Fix \\*login\\* (lin)'), lines.join('\n'));
    assert.ok(lines.includes('and 2 more'));
    assert.ok(lines.some((l) => l.includes('merge `3c4d5e6`')));
    assert.ok(lines.includes('[GitHub deployment](https://github.com/acme/kars/deployments)'));
  });

  it('shownRows changes when an age does', () => {
    const rows = (at: number) =>
      promotionRows([record({ createdAt: '2026-12-01T10:00:00Z' })], [], at);
    assert.equal(shownRows(rows(now)), shownRows(rows(now + 10_000)));
    assert.notEqual(shownRows(rows(now)), shownRows(rows(now + 120_000)));
  });
});

describe('the in-flight status bar item', () => {
  it('is absent while nothing is in flight', () => {
    const records = [
      'planned',
      'gated',
      'succeeded',
      'failed',
      'rolled-back',
      'cancelled',
    ] as const;
    assert.equal(inFlightStatus(records.map((state) => record({ state }))), undefined);
  });

  it('shows the in-flight promotion, with a stable accessible label, and opens it', () => {
    const status = inFlightStatus([
      record({ id: 'old', state: 'succeeded' }),
      record({ id: 'p-9', state: 'deploying', summary: 'Deploying kars-prod…' }),
    ]);
    assert.equal(status?.text, '$(sync~spin) kars-dev → kars-prod: deploying');
    assert.equal(status?.accessibilityLabel, 'Railyard promotion: kars-dev → kars-prod, deploying');
    assert.deepEqual(status?.open, { id: 'p-9' });
    assert.match(status?.tooltip ?? '', /Deploying kars-prod…/);
  });

  it('shows the newest of several, and how many more', () => {
    const status = inFlightStatus([
      record({ id: 'x', state: 'rolling-back', createdAt: '2026-12-01T08:00:00Z' }),
      record({
        id: 'y',
        state: 'pushed',
        createdAt: '2026-12-01T09:00:00Z',
        from: { name: 'kars-prod', id: 'e2', branch: 'kars-prod' },
        to: { name: 'kars-dev', id: 'e1', branch: 'kars-dev' },
        kind: 'back-merge',
      }),
    ]);
    assert.equal(status?.text, '$(sync~spin) kars-prod → kars-dev (back-merge): pushed (+1)');
    assert.equal(
      status?.accessibilityLabel,
      'Railyard promotion: kars-prod → kars-dev (back-merge), pushed, 1 more in flight',
    );
    assert.deepEqual(status?.open, { id: 'y' });
    assert.match(status?.tooltip ?? '', /kars-dev → kars-prod: rolling back/);
  });
});

describe('notifications', () => {
  const deploying = record({ id: 'p-3', state: 'deploying' });

  it('says a success once, naming what the target runs, with Open', () => {
    const done = moved(deploying, 'succeeded', { mergeCommit: '1a2b3c4d5e6f' });
    const n = noticeFor(deploying, done);
    assert.deepEqual(n, {
      severity: 'information',
      message: 'kars-dev → kars-prod succeeded: kars-prod runs 1a2b3c4',
      actions: ['open'],
      id: 'p-3',
    });
    assert.equal(noticeFor(done, moved(done, 'succeeded')), undefined, 'the same state re-sent');
  });

  it('never on first sight, even of a finished record (the initial list)', () => {
    for (const state of ['succeeded', 'failed', 'rolled-back'] as const)
      assert.equal(noticeFor(undefined, record({ state, mergeCommit: 'abc' })), undefined);
  });

  it('a failure: the summary, as an error, with Open, Roll Back and Show Logs', () => {
    const failed = moved(deploying, 'failed', {
      summary: 'The promotion to kars-prod failed: kars-backend FAILED.',
      mergeCommit: '1a2b3c4d5e6f',
    });
    const n = noticeFor(deploying, failed);
    assert.equal(n?.severity, 'error');
    assert.equal(n?.message, failed.summary);
    assert.deepEqual(n?.actions, ['open', 'rollback', 'logs']);
  });

  it('no Roll Back for a failure before anything was pushed', () => {
    const merging = record({ state: 'confirmed' });
    assert.deepEqual(noticeFor(merging, moved(merging, 'failed'))?.actions, ['open', 'logs']);
  });

  it('waits for the automatic rollback rather than offering one, then says its outcome', () => {
    const auto = record({ state: 'deploying', rollbackOnFailure: true, mergeCommit: 'abc1234' });
    const failed = moved(auto, 'failed');
    assert.equal(noticeFor(auto, failed), undefined);
    const rolling = moved(failed, 'rolling-back');
    assert.equal(noticeFor(failed, rolling), undefined);
    const back = moved(rolling, 'rolled-back', {
      summary: 'Rolled back: kars-prod runs what it ran before.',
    });
    assert.deepEqual(noticeFor(rolling, back), {
      severity: 'warning',
      message: back.summary,
      actions: ['open'],
      id: auto.id,
    });
    // The rollback itself failing is news again.
    assert.equal(noticeFor(rolling, moved(rolling, 'failed'))?.severity, 'error');
  });

  describe("production's verdict after a success", () => {
    const succeeded = record({ id: 'p-4', state: 'succeeded', mergeCommit: '1a2b3c4d5e6f' });
    const verification = (
      state: VerificationState,
      summary: string,
      autoRolledBack = false,
    ): PromotionVerification => ({
      state,
      releasedAt: '2026-12-01T10:00:00Z',
      endsAt: '2026-12-01T10:10:00Z',
      thresholds: DEFAULT_VERIFICATION,
      services: [],
      summary,
      autoRolledBack,
    });
    const later = (r: PromotionRecord, v: PromotionVerification): PromotionRecord => ({
      ...r,
      verification: v,
      updatedAt: new Date(Date.parse(r.updatedAt) + 1000).toISOString(),
    });
    const pending = later(succeeded, verification('pending', 'Watching kars-prod for 10 min.'));

    it("the Promotions view's row says the verdict beside the outcome, the tooltip its sentence", () => {
      assert.match(ownRow(pending, now).description, /^succeeded, watching metrics · /);
      const bad = later(pending, verification('regressed', 'kars-backend 5xx 0.4% → 6.1%.'));
      assert.match(ownRow(bad, now).description, /^succeeded, regressed · /);
      assert.match(
        ownRow(bad, now).tooltip,
        /kars\\-backend 5xx 0\.4% → 6\.1%\./,
        'escaped as Markdown',
      );
      assert.match(ownRow(succeeded, now).description, /^succeeded · /);
    });

    it('nothing while it watches', () => {
      assert.equal(noticeFor(succeeded, pending), undefined);
    });

    it('a regression warns once, with its figures and Roll Back', () => {
      const bad = later(pending, verification('regressed', "kars-backend's 5xx rate 0.4% → 6.1%."));
      assert.deepEqual(noticeFor(pending, bad), {
        severity: 'warning',
        message: bad.verification!.summary,
        actions: ['open', 'rollback'],
        id: 'p-4',
      });
      assert.equal(noticeFor(bad, later(bad, bad.verification!)), undefined, 'the verdict re-sent');
    });

    it('railyard.json rolling back by itself: the verdict is told as the rollback starts, without Roll Back', () => {
      const auto = verification('regressed', 'kars-prod regressed; rolling it back.', true);
      const rolling = moved(pending, 'rolling-back', { verification: auto });
      assert.deepEqual(noticeFor(pending, rolling), {
        severity: 'warning',
        message: auto.summary,
        actions: ['open'],
        id: 'p-4',
      });
      // A rollback by hand says nothing now; its pending verdict turning unknown says nothing either.
      const byHand = moved(pending, 'rolling-back');
      assert.equal(noticeFor(pending, byHand), undefined);
      const moot = later(
        byHand,
        verification('unknown', 'Not judged: the promotion was rolling-back.'),
      );
      assert.equal(noticeFor(byHand, moot), undefined);
    });

    it('verified, not enough traffic and unknown inform, with Open', () => {
      for (const state of ['verified', 'not-enough-traffic', 'unknown'] as const) {
        const n = noticeFor(pending, later(pending, verification(state, `said ${state}`)));
        assert.deepEqual(n, {
          severity: 'information',
          message: `said ${state}`,
          actions: ['open'],
          id: 'p-4',
        });
      }
    });

    it('an older record arriving late says nothing', () => {
      const bad = later(pending, verification('regressed', 'late'));
      assert.equal(noticeFor(bad, { ...pending, verification: bad.verification }), undefined);
    });
  });

  it('nothing for cancellation or steps along the way', () => {
    const gated = record({ state: 'gated' });
    assert.equal(noticeFor(gated, moved(gated, 'cancelled')), undefined);
    assert.equal(noticeFor(gated, moved(gated, 'confirmed')), undefined);
  });

  it('told in the window showing the promotion’s panel, else only in the focused one', () => {
    assert.equal(notifiesHere({ panelOpen: true, focused: false }), true);
    assert.equal(notifiesHere({ panelOpen: true, focused: true }), true);
    assert.equal(notifiesHere({ panelOpen: false, focused: true }), true);
    assert.equal(notifiesHere({ panelOpen: false, focused: false }), false);
  });

  it('nothing for an older record arriving after a newer one', () => {
    const done = moved(deploying, 'succeeded');
    assert.equal(noticeFor(done, deploying), undefined);
    assert.equal(supersedes(done, deploying), false);
    assert.equal(supersedes(deploying, done), true);
    assert.equal(supersedes(done, done), true);
  });
});

describe('sameFolder', () => {
  it('ignores a trailing slash, nothing else', () => {
    assert.equal(sameFolder('/work/kars/', '/work/kars'), true);
    assert.equal(sameFolder('/work/kars', '/work/kars2'), false);
  });
});

describe('teamPromotingKey', () => {
  const env = (name: string, promoting?: EnvironmentView['promoting']): EnvironmentView => ({
    id: name,
    name,
    isEphemeral: false,
    protected: false,
    health: { state: 'healthy' },
    services: [],
    ...(promoting && { promoting }),
  });
  const view = (...environments: EnvironmentView[]): ProjectView => ({
    state: 'ready',
    environments,
  });
  const lin = {
    id: 't1',
    by: 'lin',
    since: '2026-12-01T10:00:00Z',
    from: 'kars-dev',
    mine: false,
    stale: false,
  };

  it("changes when a teammate's promotion begins, goes silent or ends, not for our own", () => {
    const none = teamPromotingKey(view(env('kars-dev'), env('kars-prod')));
    const begun = teamPromotingKey(view(env('kars-dev'), env('kars-prod', lin)));
    const silent = teamPromotingKey(
      view(env('kars-dev'), env('kars-prod', { ...lin, stale: true })),
    );
    const ours = teamPromotingKey(view(env('kars-dev'), env('kars-prod', { ...lin, mine: true })));
    assert.notEqual(begun, none);
    assert.notEqual(silent, begun);
    assert.equal(ours, none);
    assert.equal(teamPromotingKey(undefined), none);
  });
});
