// The checklist panel's pure model: what the header and each gate say, when Promote is enabled
// (and the sentence saying what is missing), the start message, the run, the outcome, the log
// tail and what a reload remembers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromPanel, panelMemento, type PanelAction, type PanelState } from '../../protocol/panel';
import type { GateResult, PromotionRecord } from '../../protocol/promotion';
import {
  EMPTY_INPUTS,
  cancelOffered,
  controlShown,
  gateCounts,
  gateRows,
  gatesSummary,
  headerModel,
  phaseOf,
  promoteReadiness,
  readOnlyText,
  reasonProblem,
  signOffModel,
  startMessage,
  windowInfo,
  type ModelContext,
  type PanelInputs,
} from '../../webview/panelModel';
import {
  anyRunning,
  changesModel,
  deployMissingOffer,
  errorAnchor,
  logKindFor,
  outcomeModel,
  serviceRows,
  stepRows,
  teamModel,
} from '../../webview/runModel';
import { ago, clockTime, elapsedText, timeOfDay } from '../../webview/panelWords';
import { appendLogs, logGroups, TAIL_LINES } from '../../webview/logTail';
import { inputsFor, mementoOf, memoryOf, readMemory } from '../../webview/panelMemory';
import { BusyActions } from '../../webview/busyActions';
import { NOW, failedRecord, gatedRecord, readyGates } from './panelFixtures';

const ctx = (over: Partial<ModelContext> = {}): ModelContext => ({
  readOnly: false,
  busy: new Set<PanelAction>(),
  now: NOW,
  timeZone: 'UTC',
  ...over,
});
const inputs = (over: Partial<PanelInputs> = {}): PanelInputs => ({ ...EMPTY_INPUTS, ...over });
const withGate = (record: PromotionRecord, id: GateResult['id'], over: Partial<GateResult>) => ({
  ...record,
  gates: record.gates.map((g) => (g.id === id ? { ...g, ...over } : g)),
});
/** Everything the gated fixture asks for, typed. */
const allTyped = inputs({
  overrideWindow: 'Hotfix for the export',
  ackBackup: 'pg_dump to s3 at 15:20',
  confirm: 'kars-prod',
});

describe('panel phases and banners', () => {
  it('tells the gates, the run and the outcome apart, and a teammate’s promotion', () => {
    const at = (state: PromotionRecord['state']) => phaseOf({ record: gatedRecord({ state }) });
    assert.equal(at('planned'), 'gates');
    assert.equal(at('gated'), 'gates');
    assert.equal(at('confirmed'), 'run');
    assert.equal(at('rolling-back'), 'run');
    assert.equal(at('failed'), 'outcome');
    assert.equal(at('cancelled'), 'outcome');
    assert.equal(phaseOf({}), 'empty');
  });

  it('says why the panel is read-only, naming the teammate', () => {
    assert.equal(readOnlyText({ record: gatedRecord() }), undefined);
    assert.equal(
      readOnlyText({ readOnly: 'untrusted' }),
      'Restricted Mode: trust this workspace to promote; the checklist is read-only.',
    );
    assert.equal(
      readOnlyText({ readOnly: 'teammate', team: teamPromotion() }),
      "bo's promotion, seen through GitHub: read-only.",
    );
    assert.match(readOnlyText({ readOnly: 'disconnected' }) ?? '', /unreachable; reconnecting/);
  });
});

describe('panel header', () => {
  it('draws the pipeline with short commits, commits ahead, strategy and protection', () => {
    const m = headerModel(gatedRecord());
    assert.deepEqual(m.from, { name: 'kars-dev', commit: '9f8e7d6' });
    assert.deepEqual(m.to, { name: 'kars-prod', commit: '1a2b3c4' });
    assert.equal(m.ahead, '12 commits ahead');
    assert.equal(m.title, 'Promote kars-dev → kars-prod');
    assert.equal(m.strategy, 'merge (--no-ff)');
    assert.equal(m.protected, true);
    assert.equal(headerModel(gatedRecord({ strategy: 'pull-request' })).strategy, 'pull request');
  });

  it('reads the deploy window from the gate: closed with its next opening, open, overridden', () => {
    assert.deepEqual(windowInfo(gatedRecord()), {
      text: 'Mon 10:00–12:00 Europe/Paris',
      open: false,
      next: 'Mon 7 Dec 10:00 Europe/Paris',
    });
    const open = withGate(gatedRecord(), 'deploy-window', {
      state: 'pass',
      detail: 'Inside the window (Mon 10:00–12:00 Europe/Paris)',
      evidence: [],
    });
    assert.deepEqual(windowInfo(open), { text: 'Mon 10:00–12:00 Europe/Paris', open: true });
    const overridden = withGate(gatedRecord(), 'deploy-window', {
      state: 'pass',
      override: { by: 'ana', at: '2026-12-04T15:29:00Z', reason: 'hotfix' },
    });
    assert.equal(windowInfo(overridden)?.override, 'overridden by ana: hotfix');
    const off = withGate(gatedRecord(), 'deploy-window', { state: 'off' });
    assert.equal(windowInfo(off), undefined);
    const none = withGate(gatedRecord(), 'deploy-window', {
      state: 'pass',
      detail: 'No deploy window configured',
      evidence: [],
    });
    assert.deepEqual(windowInfo(none), { text: 'No deploy window configured', open: true });
  });
});

describe('panel gate rows', () => {
  it('lists every gate in order with an icon and a word, never colour alone', () => {
    const rows = gateRows(gatedRecord(), ctx());
    assert.deepEqual(
      rows.map((r) => r.id),
      gatedRecord().gates.map((g) => g.id),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.deepEqual(
      [
        byId.get('ci')?.look.word,
        byId.get('qa-signoff')?.look.word,
        byId.get('deploy-window')?.look.word,
      ],
      ['passed', 'needs you', 'failed'],
    );
    assert.equal(byId.get('config-drift')?.level, 'informs only');
    assert.equal(byId.get('ci')?.level, undefined);
  });

  it('offers Re-check on unknown and failed gates only, pressable while gated', () => {
    const record = withGate(gatedRecord(), 'ci', { state: 'unknown', detail: 'GitHub: 502' });
    const rows = new Map(gateRows(record, ctx()).map((r) => [r.id, r]));
    assert.deepEqual(rows.get('ci')?.recheck, { enabled: true });
    assert.deepEqual(rows.get('deploy-window')?.recheck, { enabled: true });
    assert.equal(rows.get('qa-signoff')?.recheck, undefined);
    const planned = gateRows({ ...record, state: 'planned' }, ctx());
    assert.deepEqual(planned.find((r) => r.id === 'ci')?.recheck, { enabled: false });
    const busy = gateRows(record, ctx({ busy: new Set(['recheck']) }));
    assert.deepEqual(busy.find((r) => r.id === 'ci')?.recheck, { enabled: false });
  });

  it('says an override once, in words, without the evidence line repeating it', () => {
    const record = withGate(gatedRecord(), 'deploy-window', {
      state: 'pass',
      override: { by: 'ana', at: '2026-12-04T15:29:00Z', reason: 'Hotfix' },
      evidence: [
        { label: 'window', text: 'Mon 10:00–12:00 Europe/Paris' },
        { label: 'override', text: 'ana at 2026-12-04T15:29:00Z: Hotfix' },
      ],
    });
    const row = gateRows(record, ctx()).find((r) => r.id === 'deploy-window');
    assert.equal(row?.override, 'Overridden by ana at Fri 4 Dec 15:29 UTC: Hotfix');
    assert.deepEqual(
      row?.evidence.map((e) => e.label),
      ['window'],
    );
    assert.match(gatesSummary(record), /1 overridden/);
  });

  it('counts the rows drawn and those still checking', () => {
    const record = withGate(gatedRecord({ state: 'planned' }), 'ci', { state: 'pending' });
    assert.deepEqual(gateCounts(record), { gates: 12, pendingGates: 1 });
    assert.deepEqual(gateCounts(undefined), { gates: 0, pendingGates: 0 });
  });

  it('keeps a reason field while its gate is checked again, and drops it once the gate no longer asks', () => {
    const gate = gatedRecord().gates.find((g) => g.id === 'deploy-window')!;
    assert.equal(controlShown(gate, 'override-window', false), true);
    const pending = { ...gate, state: 'pending' as const, actions: [] };
    assert.equal(controlShown(pending, 'override-window', true), true);
    assert.equal(controlShown(pending, 'override-window', false), false);
    const open = { ...gate, state: 'pass' as const, actions: [] };
    assert.equal(controlShown(open, 'override-window', true), false);
  });
});

describe('panel QA sign-off', () => {
  it('offers the checkbox for the pinned commit, busy while recorded', () => {
    assert.deepEqual(signOffModel(gatedRecord(), ctx()), {
      checked: false,
      disabled: false,
      label: 'QA: sign off 9f8e7d6 as tested',
    });
    const busy = signOffModel(gatedRecord(), ctx({ busy: new Set(['sign-off']) }));
    assert.equal(busy.checked, true);
    assert.equal(busy.disabled, true);
    assert.equal(signOffModel(gatedRecord(), ctx({ readOnly: true })).disabled, true);
  });

  it('once recorded: who and when, ticked and disabled; the user’s own reads "you"', () => {
    const record = failedRecord();
    assert.deepEqual(signOffModel(record, ctx()), {
      checked: true,
      disabled: true,
      label: 'Signed off by qa-lin at Fri 4 Dec 15:00 UTC',
    });
    assert.equal(
      signOffModel(record, ctx({ login: 'qa-lin' })).label,
      'Signed off by you at Fri 4 Dec 15:00 UTC',
    );
  });
});

describe('Promote: enabled only when everything is in place', () => {
  it('says everything that is missing, in the words of what to do', () => {
    const r = promoteReadiness(gatedRecord(), inputs(), ctx());
    assert.equal(r.enabled, false);
    assert.equal(
      r.why,
      'To promote: tick the QA sign-off; give a reason to promote outside the deploy window; give a reason to go on without a backup (the backup acknowledgement); type kars-prod to confirm.',
    );
  });

  it('counts the typed reasons and confirmation, but not a QA sign-off still missing', () => {
    const r = promoteReadiness(gatedRecord(), allTyped, ctx());
    assert.equal(r.why, 'To promote: tick the QA sign-off.');
    const signed = withGate(gatedRecord(), 'qa-signoff', { state: 'pass', actions: [] });
    const ready = promoteReadiness(signed, allTyped, ctx());
    assert.equal(ready.enabled, true);
    assert.equal(
      ready.why,
      'Ready: merges kars-dev (9f8e7d6, 12 commits) into kars-prod, pushes and watches the deploy.',
    );
  });

  it('refuses a reason too short and a confirmation that is not the target’s name', () => {
    const record = gatedRecord({ gates: readyGates() });
    const signed = withGate(gatedRecord(), 'qa-signoff', { state: 'pass', actions: [] });
    const short = withGate(signed, 'backup', { state: 'pass', actions: [] });
    assert.match(
      promoteReadiness(short, inputs({ overrideWindow: ' ok ', confirm: 'kars-prod' }), ctx()).why,
      /a reason to promote outside the deploy window needs 3 characters at least/,
    );
    assert.equal(
      promoteReadiness(record, inputs({ confirm: 'kars-pro' }), ctx()).why,
      'To promote: type kars-prod to confirm.',
    );
    assert.equal(promoteReadiness(record, inputs({ confirm: 'kars-prod' }), ctx()).enabled, true);
    assert.equal(promoteReadiness({ ...record, protected: false }, inputs(), ctx()).enabled, true);
  });

  it('is never enabled outside gated, read-only, for a check, or while starting', () => {
    const record = gatedRecord({ gates: readyGates() });
    const go = inputs({ confirm: 'kars-prod' });
    const planned = withGate({ ...record, state: 'planned' }, 'ci', { state: 'pending' });
    assert.deepEqual(promoteReadiness(planned, go, ctx()), {
      enabled: false,
      why: 'The gates are being checked (11 of 12 done).',
    });
    assert.equal(promoteReadiness(record, go, ctx({ readOnly: true })).enabled, false);
    assert.equal(promoteReadiness({ ...record, checkOnly: true }, go, ctx()).enabled, false);
    assert.deepEqual(promoteReadiness(record, go, ctx({ busy: new Set(['start']) })), {
      enabled: false,
      why: 'Starting…',
    });
    assert.equal(
      promoteReadiness({ ...record, state: 'deploying' }, go, ctx()).why,
      'The promotion is deploying.',
    );
  });

  it('lets warn-level gates inform, but never an unknown or failing required gate', () => {
    const record = gatedRecord({ gates: readyGates() });
    const go = inputs({ confirm: 'kars-prod' });
    assert.equal(
      promoteReadiness(withGate(record, 'config-drift', { state: 'fail' }), go, ctx()).enabled,
      true,
    );
    assert.equal(
      promoteReadiness(withGate(record, 'ci', { state: 'unknown' }), go, ctx()).why,
      'To promote: CI green could not be checked (Re-check it).',
    );
    assert.equal(
      promoteReadiness(
        withGate(record, 'ci', { state: 'fail', detail: 'CI failed on 9f8e7d6: test' }),
        go,
        ctx(),
      ).why,
      'To promote: CI green does not pass (CI failed on 9f8e7d6: test).',
    );
  });

  it('takes over a stale lock only with the target’s name typed', () => {
    const record = withGate(gatedRecord({ gates: readyGates() }), 'lock', {
      state: 'fail',
      actions: ['take-over', 'retry'],
    });
    const go = inputs({ confirm: 'kars-prod' });
    assert.match(
      promoteReadiness(record, go, ctx()).why,
      /type kars-prod to take over the stale promotion/,
    );
    assert.equal(promoteReadiness(record, { ...go, takeOver: 'kars-prod' }, ctx()).enabled, true);
  });

  it('reapplies reverts when ticked, except through a pull request', () => {
    const record = withGate(gatedRecord({ gates: readyGates() }), 'divergence', {
      state: 'needs-you',
      actions: ['revert-revert', 'back-merge'],
    });
    const go = inputs({ confirm: 'kars-prod' });
    assert.match(
      promoteReadiness(record, go, ctx()).why,
      /tick "Revert the reverts", or back-merge kars-prod first/,
    );
    assert.equal(promoteReadiness(record, { ...go, reapplyReverts: true }, ctx()).enabled, true);
    const pr = { ...record, strategy: 'pull-request' as const };
    assert.match(
      promoteReadiness(pr, { ...go, reapplyReverts: true }, ctx()).why,
      /back-merge kars-prod into kars-dev first/,
    );
  });
});

describe('the start message', () => {
  it('carries the typed reasons (trimmed), the confirmation and the choices, and the protocol accepts it', () => {
    const typed = {
      ...allTyped,
      overrideWindow: '  Hotfix for the export ',
      rollbackOnFailure: true,
    };
    const message = startMessage(gatedRecord(), typed);
    assert.deepEqual(message, {
      type: 'start',
      confirm: 'kars-prod',
      overrideWindow: 'Hotfix for the export',
      ackBackup: 'pg_dump to s3 at 15:20',
      rollbackOnFailure: true,
      reapplyReverts: false,
    });
    assert.deepEqual(fromPanel.parse(message), message);
  });

  it('never sends an override the gates did not ask for, nor a stray take-over or reapply', () => {
    const record = gatedRecord({ gates: readyGates(), protected: false });
    const message = startMessage(record, {
      ...allTyped,
      takeOver: 'kars-prod',
      reapplyReverts: true,
    });
    assert.deepEqual(message, { type: 'start', rollbackOnFailure: false, reapplyReverts: false });
  });

  it('offers Cancel until the push', () => {
    assert.equal(cancelOffered(gatedRecord()), true);
    assert.equal(cancelOffered(gatedRecord({ state: 'merged' })), true);
    assert.equal(cancelOffered(gatedRecord({ state: 'pushed' })), false);
    assert.equal(cancelOffered(gatedRecord({ checkOnly: true })), false);
  });

  it('validates a reason as the protocol does', () => {
    assert.equal(reasonProblem('   '), 'empty');
    assert.equal(reasonProblem(' ab '), 'needs 3 characters at least');
    assert.equal(reasonProblem('abc'), undefined);
    assert.equal(reasonProblem('x'.repeat(501)), 'is longer than 500 characters');
  });
});

describe('panel changes and run', () => {
  it('lists commits with short sha, subject, author, age and PR, saying when shortened', () => {
    const m = changesModel(gatedRecord().changes!, NOW);
    assert.equal(m.heading, '12 commits by ana, bo, dependabot[bot] · 41 files');
    assert.deepEqual(m.commits[0], {
      sha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      short: '9f8e7d6',
      url: 'https://github.com/acme/kars/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      subject: 'Export invoices as CSV',
      author: 'ana',
      age: '3 h ago',
      pr: { text: '#91', url: 'https://github.com/acme/kars/pull/91' },
    });
    assert.equal(m.commits[2]?.pr, undefined);
    assert.equal(m.shortened, 'Showing 3 of 12 commits');
    assert.equal(m.migrations.length, 1);
    assert.equal(m.risky[0]?.why, "changes Railway's build or deploy settings");
  });

  it('times steps: running ones tick from their start, done ones show their duration', () => {
    const record = failedRecord({
      steps: [
        {
          id: 'merge',
          state: 'done',
          startedAt: '2026-12-04T15:29:10Z',
          endedAt: '2026-12-04T15:29:12Z',
        },
        { id: 'deploy', state: 'running', startedAt: '2026-12-04T15:27:55Z' },
        { id: 'verify', state: 'pending' },
      ],
    });
    const rows = stepRows(record, NOW);
    assert.deepEqual(
      rows.map((r) => [r.id, r.look.word, r.elapsed]),
      [
        ['merge', 'done', '2 s'],
        ['deploy', 'running', '2 min 05 s'],
        ['verify', 'waiting', ''],
      ],
    );
    assert.equal(anyRunning(record), true);
    assert.equal(anyRunning(failedRecord()), false);
  });

  it('shows each service’s status, and "none" before Railway lists a deployment', () => {
    const rows = serviceRows(failedRecord());
    assert.deepEqual(
      rows.map((r) => [r.id, r.status]),
      [
        ['svc-backend', 'FAILED'],
        ['svc-frontend', 'SUCCESS'],
      ],
    );
    assert.match(rows[0]!.facts, /pre-deploy command ran/);
    const waiting = serviceRows(failedRecord({ services: [{ id: 's', name: 'web' }] }));
    assert.deepEqual([waiting[0]?.status, waiting[0]?.statusText], ['none', 'no deployment yet']);
  });

  it('offers Deploy-missing only once the daemon says Railway never started a deployment', () => {
    const slow = {
      id: 's',
      name: 'kars-frontend-prod',
      detail: 'Railway has not listed a deployment of 3c4d5e6 yet.',
    };
    const lost = {
      ...slow,
      detail:
        'Railway has not started a deployment of 3c4d5e6 (…). Deploy it: railyard promote deploy-missing p-1',
    };
    const deploying = (s: typeof slow) => failedRecord({ state: 'deploying', services: [s] });
    assert.equal(deployMissingOffer(deploying(slow), ctx()), undefined);
    assert.equal(
      deployMissingOffer(deploying(lost), ctx()),
      'Railway has not started 3c4d5e6 on kars-frontend-prod.',
    );
    assert.equal(deployMissingOffer(deploying(lost), ctx({ readOnly: true })), undefined);
    assert.equal(deployMissingOffer(failedRecord({ services: [lost] }), ctx()), undefined);
  });

  it('opens the log being written: the last kind seen, else build while it builds', () => {
    assert.equal(logKindFor('BUILDING'), 'build');
    assert.equal(logKindFor('FAILED'), 'build');
    assert.equal(logKindFor('SUCCESS'), 'deploy');
    assert.equal(logKindFor(undefined), 'deploy');
    assert.equal(logKindFor('BUILDING', 'deploy'), 'deploy');
  });
});

describe('panel outcome', () => {
  it('after a failure: the sentence, Roll back first, Revert, the deployment link', () => {
    const m = outcomeModel(failedRecord(), ctx())!;
    assert.equal(m.tone, 'bad');
    assert.equal(m.heading, 'The promotion failed');
    assert.match(m.sentence, /kars-prod still serves 1a2b3c4/);
    assert.deepEqual(m.rollback, { enabled: true, primary: true });
    assert.deepEqual(m.revert, { enabled: true });
    assert.deepEqual(m.deployment, {
      text: 'GitHub Deployment to kars-prod',
      url: 'https://github.com/acme/kars/deployments/4711',
    });
    assert.deepEqual(outcomeModel(failedRecord(), ctx({ busy: new Set(['rollback']) }))?.rollback, {
      enabled: false,
      primary: true,
    });
    assert.equal(outcomeModel(failedRecord(), ctx({ readOnly: true }))?.revert?.enabled, false);
  });

  it('after a success: the tag, the deployment and the pull request', () => {
    const m = outcomeModel(
      failedRecord({
        state: 'succeeded',
        tag: 'v2026.12.04',
        pullRequest: {
          number: 93,
          url: 'https://github.com/acme/kars/pull/93',
          state: 'merged',
          reused: false,
        },
      }),
      ctx(),
    )!;
    assert.equal(m.heading, 'Promoted');
    assert.equal(m.tag, 'v2026.12.04');
    assert.deepEqual(m.pullRequest, {
      text: 'Pull request #93',
      url: 'https://github.com/acme/kars/pull/93',
    });
    assert.equal(m.rollback?.primary, false);
  });

  it('offers nothing that cannot be done: no rollback once rolled back, no second revert', () => {
    const rolledBack = outcomeModel(failedRecord({ state: 'rolled-back' }), ctx())!;
    assert.equal(rolledBack.rollback, undefined);
    assert.deepEqual(rolledBack.revert, { enabled: true });
    const reverted = outcomeModel(failedRecord({ revertedBy: { promotion: 'p-9' } }), ctx())!;
    assert.equal(reverted.revert, undefined);
    assert.equal(reverted.note, 'Reverted by promotion p-9.');
    const unpushed = outcomeModel(failedRecord({ mergeCommit: undefined }), ctx())!;
    assert.deepEqual([unpushed.rollback, unpushed.revert], [undefined, undefined]);
    assert.equal(outcomeModel(gatedRecord(), ctx()), undefined);
    assert.equal(
      outcomeModel(gatedRecord({ state: 'cancelled' }), ctx())?.heading,
      'Cancelled: nothing changed',
    );
  });

  it('puts an error beside the control that asked', () => {
    assert.equal(errorAnchor('start'), 'actions');
    assert.equal(errorAnchor('sign-off'), 'sign-off');
    assert.equal(errorAnchor('rollback'), 'outcome');
    assert.equal(errorAnchor(undefined), 'header');
  });
});

function teamPromotion() {
  return {
    id: 'p-9',
    deploymentId: 88,
    repo: 'acme/kars',
    from: 'kars-dev',
    to: 'kars-prod',
    kind: 'promotion' as const,
    by: 'bo',
    machine: 'bo-laptop',
    state: 'in-progress' as const,
    detail: 'deploying 7e8f9a0',
    sourceCommit: '7e8f9a0b1c2d3e4f',
    startedAt: '2026-12-04T15:20:00Z',
    updatedAt: '2026-12-04T15:29:00Z',
    url: 'https://github.com/acme/kars/deployments/88',
  };
}

describe('a teammate’s promotion', () => {
  it('shows from, to, who on which machine, state, detail, commit, times and the link', () => {
    const m = teamModel(teamPromotion(), ctx());
    assert.equal(m.title, 'Promotion kars-dev → kars-prod');
    assert.deepEqual(
      m.rows.map((r) => `${r.label}: ${r.text}`),
      [
        'From: kars-dev',
        'To: kars-prod',
        'By: bo on bo-laptop',
        'State: in progress',
        'Detail: deploying 7e8f9a0',
        'Commit: 7e8f9a0',
        'Started: Fri 4 Dec 15:20 UTC (10 min ago)',
        'Last report: Fri 4 Dec 15:29 UTC (1 min ago)',
      ],
    );
    assert.equal(m.link?.url, 'https://github.com/acme/kars/deployments/88');
  });
});

describe('panel words', () => {
  it('ages as the CLI says them', () => {
    assert.equal(ago('2026-12-04T15:29:30Z', NOW), 'just now');
    assert.equal(ago('2026-12-04T15:27:00Z', NOW), '3 min ago');
    assert.equal(ago('2026-12-04T12:30:00Z', NOW), '3 h ago');
    assert.equal(ago('2026-11-30T15:30:00Z', NOW), '4 d ago');
    assert.equal(ago(undefined, NOW), '');
    assert.equal(ago('not a date', NOW), '');
  });

  it('elapsed times and clock times', () => {
    assert.equal(elapsedText(45_400), '45 s');
    assert.equal(elapsedText(185_000), '3 min 05 s');
    assert.equal(elapsedText(3_725_000), '1 h 02 min');
    assert.equal(elapsedText(-5), '0 s');
    assert.equal(clockTime('2026-11-27T16:02:11Z', 'UTC'), 'Fri 27 Nov 16:02 UTC');
    assert.equal(clockTime('2026-11-27T16:02:11Z', 'Europe/Paris'), 'Fri 27 Nov 17:02');
    assert.equal(timeOfDay('2026-11-27T16:02:11Z', 'UTC'), '16:02:11');
  });
});

describe('the log tail', () => {
  const line = (i: number, serviceId = 'svc-backend') => ({
    serviceId,
    kind: 'build' as const,
    text: `line ${i}`,
  });

  it('keeps the last lines only, and starts over on reset', () => {
    const many = Array.from({ length: TAIL_LINES + 50 }, (_, i) => line(i));
    const tail = appendLogs([], many, false);
    assert.equal(tail.length, TAIL_LINES);
    assert.equal(tail[0]?.text, 'line 50');
    assert.deepEqual(appendLogs(tail, [line(1000)], true), [line(1000)]);
    assert.equal(appendLogs([line(1)], [line(2)], false).length, 2);
  });

  it('groups by service in the order they spoke, named from the record, text kept as text', () => {
    const tail = [
      { ...line(1, 'svc-frontend'), kind: 'deploy' as const, ts: '2026-12-04T15:32:10Z' },
      { ...line(2), text: '<script>alert(1)</script>', severity: 'ERROR' },
      { ...line(3, 'svc-frontend'), kind: 'deploy' as const },
    ];
    const groups = logGroups(tail, new Map([['svc-frontend', 'kars-frontend-prod']]), 'UTC');
    assert.deepEqual(
      groups.map((g) => [g.serviceId, g.name, g.kind, g.lines.length]),
      [
        ['svc-frontend', 'kars-frontend-prod', 'deploy', 2],
        ['svc-backend', 'svc-backend', 'build', 1],
      ],
    );
    assert.equal(groups[0]?.lines[0]?.text, '15:32:10 line 1');
    assert.deepEqual(groups[1]?.lines[0], {
      text: 'build <script>alert(1)</script>',
      kind: 'build',
      severity: 'error',
    });
  });
});

describe('what a reload remembers', () => {
  const state: PanelState = { record: gatedRecord() };

  it('stores which promotion it shows, in the form the serializer reads', () => {
    const stored = memoryOf(mementoOf(state), allTyped);
    assert.deepEqual(panelMemento.parse(stored), { id: 'p-20261204-1a2b' });
    const team: PanelState = { team: teamPromotion() };
    assert.deepEqual(panelMemento.parse(memoryOf(mementoOf(team), EMPTY_INPUTS)), {
      team: { deploymentId: 88, repo: 'acme/kars' },
    });
  });

  it('restores the inputs typed for the same promotion only', () => {
    const stored = readMemory(JSON.parse(JSON.stringify(memoryOf(mementoOf(state), allTyped))));
    assert.deepEqual(inputsFor(stored, { id: 'p-20261204-1a2b' }), allTyped);
    assert.deepEqual(inputsFor(stored, { id: 'p-other' }), EMPTY_INPUTS);
  });

  it('ignores a state that is not its own', () => {
    assert.deepEqual(readMemory('garbage'), {});
    assert.deepEqual(readMemory({ id: 42 }), {});
    const bad = readMemory({
      id: 'p-1',
      inputsFor: 'p-1',
      inputs: { confirm: 7, reapplyReverts: 'yes' },
    });
    assert.deepEqual(inputsFor(bad, { id: 'p-1' }), EMPTY_INPUTS);
  });
});

describe('busy actions', () => {
  /** Timers the test fires by hand. */
  function manualTimers() {
    const due = new Map<number, () => void>();
    let next = 0;
    return {
      timers: {
        setTimeout: (fn: () => void) => (due.set(++next, fn), next),
        clearTimeout: (h: unknown) => void due.delete(h as number),
      },
      fireAll: () => [...due.values()].forEach((fn) => fn()),
      pending: () => due.size,
    };
  }

  it('is busy from the click until the extension answers, then as the extension says', () => {
    const t = manualTimers();
    const busy = new BusyActions(() => {}, 10_000, t.timers);
    busy.sending('start');
    assert.deepEqual([...busy.current()], ['start']);
    busy.answered('start', true);
    assert.equal(t.pending(), 0, 'an answer cancels the forgetting');
    assert.deepEqual([...busy.current()], ['start']);
    busy.answered('start', false);
    assert.deepEqual([...busy.current()], []);
    busy.sending('sign-off');
    busy.failed('sign-off');
    assert.deepEqual([...busy.current()], []);
  });

  it('forgets a sent action the extension never answered, and says so', () => {
    const t = manualTimers();
    let forgotten = 0;
    const busy = new BusyActions(() => forgotten++, 10_000, t.timers);
    busy.sending('rollback');
    t.fireAll();
    assert.deepEqual([...busy.current()], []);
    assert.equal(forgotten, 1);
  });
});
