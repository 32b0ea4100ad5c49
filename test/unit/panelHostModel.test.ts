// How the checklist panel reads around the page: its title, why it only shows, and what the modals
// say before a revert or a deploy of what Railway missed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  afterFailedRead,
  deployMissingQuestion,
  isNewer,
  panelTitle,
  readOnlyOf,
  recordTitle,
  refusalOf,
  revertQuestion,
  teamUpdate,
} from '../../extension/panelHostModel';
import { teamPromotion, type TeamPromotion } from '../../protocol/protocol';
import { record } from './promotionRecords';

/** A teammate's promotion as promotion.list's team lists it, parsed by the protocol's schema. */
function team(overrides: Partial<TeamPromotion> = {}): TeamPromotion {
  return teamPromotion.parse({
    id: 'b2c3d4e5',
    deploymentId: 77,
    repo: 'acme/kars',
    from: 'kars-dev',
    to: 'kars-prod',
    by: 'lin',
    state: 'in-progress',
    detail: 'Deploying kars-prod',
    sourceCommit: 'abcdef0123456789abcdef0123456789abcdef01',
    startedAt: '2026-12-01T09:30:00Z',
    updatedAt: '2026-12-01T10:01:00Z',
    ...overrides,
  });
}

describe('panel host model', () => {
  it('titles a promotion, a back-merge and a revert', () => {
    assert.equal(
      panelTitle({ kind: 'promotion', from: 'kars-dev', to: 'kars-prod' }),
      'Promote kars-dev → kars-prod',
    );
    assert.equal(
      panelTitle({ kind: 'back-merge', from: 'kars-prod', to: 'kars-dev' }),
      'Back-merge kars-prod → kars-dev',
    );
    assert.equal(
      panelTitle({ kind: 'revert', from: 'kars-prod', to: 'kars-prod' }),
      'Revert on kars-prod',
    );
  });

  it('says in the tab how a promotion ended, and nothing while it runs', () => {
    assert.equal(recordTitle(record({ state: 'deploying' })), 'Promote kars-dev → kars-prod');
    assert.equal(
      recordTitle(record({ state: 'rolled-back' })),
      'Promote kars-dev → kars-prod: rolled back',
    );
  });

  it('only shows a teammate’s promotion, then without a daemon, then in Restricted Mode', () => {
    assert.equal(readOnlyOf({ team: true, connected: false, trusted: false }), 'teammate');
    assert.equal(readOnlyOf({ team: false, connected: false, trusted: false }), 'disconnected');
    assert.equal(readOnlyOf({ team: false, connected: true, trusted: false }), 'untrusted');
    assert.equal(readOnlyOf({ team: false, connected: true, trusted: true }), undefined);
    assert.match(refusalOf('untrusted'), /trust the workspace/);
  });

  it('keeps the newer of two records of a promotion', () => {
    const older = record();
    const newer = record();
    assert.equal(isNewer(newer, older), true);
    assert.equal(isNewer(older, newer), false);
    assert.equal(isNewer(older, undefined), true);
  });

  it('says before a revert that a commit goes to the target branch and deploys', () => {
    const q = revertQuestion(
      record({ state: 'failed', mergeCommit: 'abcdef0123', changes: undefined }),
    );
    assert.equal(q.confirm, 'Revert');
    assert.match(q.detail, /pushes a commit to kars-prod that undoes the merge abcdef0/);
  });

  it('names the services Railway never started the merge commit on', () => {
    const q = deployMissingQuestion(
      record({
        state: 'deploying',
        mergeCommit: 'abcdef0123',
        services: [
          { id: 's1', name: 'kars-backend', deploymentId: 'd1' },
          { id: 's2', name: 'kars-frontend' },
        ],
      }),
    );
    assert.equal(q.message, 'Deploy abcdef0 to kars-frontend in kars-prod?');
  });

  it('updates a teammate’s panel with its own entry of a new list, only when it says something new', () => {
    const subject = { deploymentId: 77, repo: 'acme/kars' };
    const shown = team();
    const done = team({ state: 'succeeded', updatedAt: '2026-12-01T10:05:00Z' });
    // The same deployment number in another repository is another promotion.
    const elsewhere = team({
      repo: 'acme/other',
      state: 'failed',
      updatedAt: '2026-12-01T10:06:00Z',
    });
    assert.equal(teamUpdate([elsewhere, done], subject, shown), done);
    assert.equal(teamUpdate([elsewhere, done], subject, undefined), done);
    assert.equal(teamUpdate([elsewhere], subject, shown), undefined, 'listed no more: kept');
    assert.equal(teamUpdate([team()], subject, shown), undefined, 'nothing new: no redraw');
    assert.equal(teamUpdate([shown], subject, done), undefined, 'an older entry replaced a newer');
  });

  it('a panel that shows nothing of an unknown promotion closes; any other failed read is said', () => {
    // Restored in a window whose daemon never ran the promotion: "Loading" would never end.
    assert.equal(afterFailedRead({ unknown: true, showing: false }), 'close');
    assert.equal(afterFailedRead({ unknown: true, showing: true }), 'say', 'what it shows is kept');
    // A timeout, a closed connection: the next connection reads it again.
    assert.equal(afterFailedRead({ unknown: false, showing: false }), 'say');
    assert.equal(afterFailedRead({ unknown: false, showing: true }), 'say');
  });
});
