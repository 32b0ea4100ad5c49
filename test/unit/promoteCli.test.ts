// `railyard promote` as a contract scripts call: its command line, the exit code a record or an
// error stands for, the JSON object it prints, and the lines a person reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RpcError } from '../../protocol/jsonrpc';
import { ErrorCode, GATE_STATES } from '../../protocol/protocol';
import { CliError } from '../../cli/output';
import { parsePromoteArgs, PROMOTE_USAGE } from '../../cli/promoteArgs';
import { errorExitCode, exitCodeOf, PROMOTE_EXIT, PROMOTE_EXITS } from '../../cli/promoteExit';
import {
  blockedLines,
  changeLines,
  errorJson,
  GATE_SYMBOLS,
  gateLines,
  headerLine,
  historyLine,
  historyLines,
  mergeQuestion,
  promotionJson,
  stepLine,
} from '../../cli/promoteOutput';
import { PromotionProgress } from '../../cli/promoteProgress';
import { allGates, gate, record, step, withGate } from './promotionRecords';

/** The sentence of the exit-2 error `argv` is refused with. */
function refused(argv: string[]): string {
  try {
    parsePromoteArgs(argv);
  } catch (e) {
    assert.ok(e instanceof CliError, String(e));
    assert.equal(e.exitCode, 2, e.message);
    return e.message;
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

describe('railyard promote: the command line', () => {
  it('reads <from> <to> with every flag', () => {
    const args = parsePromoteArgs([
      'kars-dev',
      'kars-prod',
      '--check',
      '--yes',
      '--confirm',
      'kars-prod',
      '--sign-off',
      '--override-window=hotfix for the outage',
      '--ack-backup',
      'snapshot taken by hand',
      '--rollback-on-failure',
      '--strategy',
      'pull-request',
      '--reapply-reverts',
      '--json',
      '--folder',
      '/work/kars',
    ]);
    assert.deepEqual(args, {
      kind: 'run',
      from: 'kars-dev',
      to: 'kars-prod',
      check: true,
      yes: true,
      confirm: 'kars-prod',
      signOff: true,
      overrideWindow: 'hotfix for the outage',
      ackBackup: 'snapshot taken by hand',
      rollbackOnFailure: true,
      strategy: 'pull-request',
      reapplyReverts: true,
      backMerge: false,
      json: true,
      folder: '/work/kars',
    });
  });

  it('reads --take-over NAME, and --back-merge with the target first', () => {
    const takeOver = parsePromoteArgs([
      'kars-dev',
      'kars-prod',
      '--yes',
      '--take-over',
      'kars-prod',
    ]);
    assert.equal(takeOver.kind === 'run' && takeOver.takeOver, 'kars-prod');
    const back = parsePromoteArgs(['kars-prod', 'kars-dev', '--back-merge', '--strategy=merge']);
    assert.ok(back.kind === 'run');
    assert.equal(back.backMerge, true);
    assert.equal(back.strategy, 'merge');
    assert.equal(back.from, 'kars-prod');
  });

  it('leaves every flag off, and absent options absent, when none is given', () => {
    assert.deepEqual(parsePromoteArgs(['kars-dev', 'kars-prod']), {
      kind: 'run',
      from: 'kars-dev',
      to: 'kars-prod',
      check: false,
      yes: false,
      signOff: false,
      rollbackOnFailure: false,
      reapplyReverts: false,
      backMerge: false,
      json: false,
    });
  });

  it('reads the subcommands, with and without an ID', () => {
    assert.deepEqual(parsePromoteArgs(['status']), { kind: 'status', yes: false, json: false });
    assert.deepEqual(parsePromoteArgs(['status', 'p-7', '--json']), {
      kind: 'status',
      id: 'p-7',
      yes: false,
      json: true,
    });
    assert.deepEqual(parsePromoteArgs(['history', '--folder', 'x']), {
      kind: 'history',
      yes: false,
      json: false,
      folder: 'x',
    });
    assert.equal(parsePromoteArgs(['cancel', 'p-7']).kind, 'cancel');
    assert.deepEqual(parsePromoteArgs(['rollback', 'p-7', '--confirm', 'kars-prod', '--yes']), {
      kind: 'rollback',
      id: 'p-7',
      confirm: 'kars-prod',
      yes: true,
      json: false,
    });
    assert.deepEqual(parsePromoteArgs(['deploy-missing', 'p-7', '--confirm', 'kars-prod']), {
      kind: 'deploy-missing',
      id: 'p-7',
      confirm: 'kars-prod',
      yes: false,
      json: false,
    });
    assert.deepEqual(parsePromoteArgs(['revert', 'p-7', '--confirm', 'kars-prod', '--yes']), {
      kind: 'revert',
      id: 'p-7',
      confirm: 'kars-prod',
      yes: true,
      json: false,
    });
    assert.deepEqual(parsePromoteArgs(['revert']), { kind: 'revert', yes: false, json: false });
    assert.deepEqual(parsePromoteArgs(['kars-dev', '--help']), { kind: 'help' });
  });

  it('refuses a bad command line with exit 2 and a sentence saying what to do', () => {
    assert.match(refused([]), /Name both environments/);
    assert.match(refused(['kars-dev']), /Name both environments/);
    assert.match(refused(['a', 'b', 'c']), /Unexpected argument "c"/);
    assert.match(refused(['a', 'a']), /both "a"/);
    assert.match(refused(['a', 'b', '--force']), /Unknown option "--force"/);
    assert.match(refused(['a', 'b', '-y']), /Unknown option "-y"/);
    assert.match(refused(['a', 'b', '--yes', '--yes']), /--yes is given twice/);
    assert.match(refused(['a', 'b', '--yes=1']), /--yes takes no value/);
    assert.match(refused(['a', 'b', '--confirm']), /--confirm needs a value: the target/);
    assert.match(refused(['a', 'b', '--folder=']), /--folder needs a value/);
    assert.match(refused(['a', 'b', '--override-window', 'no']), /3 to 500 characters/);
    assert.match(refused(['a', 'b', '--ack-backup', '  x  ']), /--ack-backup needs a reason/);
    assert.match(refused(['history', 'p-1']), /history takes no argument/);
    assert.match(refused(['status', 'p-1', 'p-2']), /one ID at most/);
    assert.match(refused(['status', '--yes']), /--yes does not apply to railyard promote status/);
    assert.match(refused(['cancel', '--check']), /--check does not apply/);
    assert.match(refused(['rollback', '--sign-off']), /--sign-off does not apply/);
    assert.match(refused(['deploy-missing', '--yes']), /--yes does not apply/);
  });

  it('refuses the new flags where they mean nothing, with exit 2 and a sentence', () => {
    assert.match(
      refused(['a', 'b', '--strategy', 'rebase']),
      /--strategy is merge or pull-request, not "rebase"/,
    );
    assert.match(
      refused(['a', 'b', '--strategy']),
      /--strategy needs a value: merge or pull-request/,
    );
    assert.match(refused(['a', 'b', '--take-over']), /--take-over needs a value: the target/);
    assert.match(refused(['a', 'b', '--take-over', '--yes']), /--take-over needs a value/);
    assert.match(
      refused(['a', 'b', '--take-over', 'a']),
      /needs <to>'s name typed \("b"\), not "a"/,
    );
    assert.match(refused(['a', 'b', '--check', '--take-over', 'b']), /--check never starts one/);
    assert.match(refused(['a', 'b', '--back-merge', '--reapply-reverts']), /one or the other/);
    assert.match(refused(['a', 'b', '--back-merge=yes']), /--back-merge takes no value/);
    assert.match(refused(['revert', 'p-1', 'p-2']), /one ID at most/);
    assert.match(
      refused(['revert', '--take-over', 'x']),
      /--take-over does not apply to railyard promote revert/,
    );
    assert.match(refused(['revert', '--check']), /--check does not apply/);
    assert.match(refused(['history', '--strategy', 'merge']), /--strategy does not apply/);
    assert.match(refused(['rollback', '--back-merge']), /--back-merge does not apply/);
  });

  it('never takes the next flag as a value: --confirm --yes does not confirm with "--yes"', () => {
    assert.match(refused(['a', 'b', '--confirm', '--yes']), /--confirm needs a value/);
    // Inline, a value may start with a dash.
    assert.equal(parsePromoteArgs(['a', 'b', '--confirm=-x']).kind, 'run');
  });

  it('never echoes a word long enough to be a pasted token', () => {
    const token = 'ghp_' + 'a'.repeat(36);
    for (const argv of [
      ['a', 'b', `--${token}`],
      ['a', 'b', token],
      ['status', 'p-1', token],
    ]) {
      const message = refused(argv);
      assert.ok(!message.includes(token), message);
      assert.match(message, /not shown/);
    }
  });
});

describe('railyard promote: exit codes', () => {
  const gated = (gates = allGates('pass')) => record({ state: 'gated', gates });

  it('lists every code once, 0 to 8, in --help, from the one table', () => {
    const codes = Object.values(PROMOTE_EXITS).map((r) => r.code);
    assert.deepEqual(codes, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const row of Object.values(PROMOTE_EXITS))
      assert.ok(PROMOTE_USAGE.includes(`  ${row.code}  ${row.meaning}\n`), row.meaning);
  });

  it('0 succeeded, 7 rolled back, 6 deploy failed, 4 merge step, 5 push step', () => {
    assert.equal(exitCodeOf(record({ state: 'succeeded' })), 0);
    assert.equal(exitCodeOf(record({ state: 'rolled-back' })), 7);
    const failed = (steps: ReturnType<typeof step>[]) =>
      exitCodeOf(record({ state: 'failed', steps }));
    assert.equal(
      failed([step('merge', 'done'), step('push', 'done'), step('deploy', 'failed')]),
      6,
    );
    assert.equal(failed([step('deploy', 'done'), step('verify', 'failed')]), 6);
    assert.equal(failed([step('merge', 'failed', 'conflicts in src/app.ts')]), 4);
    assert.equal(failed([step('merge', 'done'), step('push', 'failed')]), 5);
    assert.equal(failed([step('merge', 'pending')]), 1, 'failed before anything ran');
  });

  it('before the start: 0 when it could go, 3 when a required gate does not, 4 for conflicts', () => {
    assert.equal(exitCodeOf(gated()), 0);
    assert.equal(exitCodeOf(gated(withGate(allGates('pass'), gate('ci', 'fail')))), 3);
    assert.equal(exitCodeOf(gated(withGate(allGates('pass'), gate('ci', 'unknown')))), 3);
    assert.equal(exitCodeOf(gated(withGate(allGates('pass'), gate('ci', 'pending')))), 3);
    assert.equal(exitCodeOf(gated(withGate(allGates('pass'), gate('ci', 'warn')))), 0);
    assert.equal(exitCodeOf(gated(withGate(allGates('pass'), gate('ci', 'off')))), 0);
    const warnOnly = gate('config-drift', 'fail', { level: 'warn' });
    assert.equal(exitCodeOf(gated(withGate(allGates('pass'), warnOnly))), 0);
    const conflicts = withGate(allGates('pass'), gate('merge', 'fail'));
    assert.equal(exitCodeOf(gated(withGate(conflicts, gate('ci', 'fail')))), 4);
  });

  it('counts a gate the flags given would resolve, and only that gate', () => {
    const qa = gate('qa-signoff', 'needs-you', { actions: ['sign-off'] });
    const window = gate('deploy-window', 'fail', { actions: ['override-window'] });
    const backup = gate('backup', 'needs-you', { actions: ['ack-backup'] });
    const r = gated([qa, window, backup]);
    assert.equal(exitCodeOf(r), 3);
    assert.equal(exitCodeOf(r, { signOff: true, overrideWindow: 'hotfix' }), 3);
    assert.equal(exitCodeOf(r, { signOff: true, overrideWindow: 'hotfix', ackBackup: 'done' }), 0);
    const unknownQa = gate('qa-signoff', 'unknown', { actions: ['sign-off', 'retry'] });
    assert.equal(exitCodeOf(gated([unknownQa]), { signOff: true }), 3, 'unknown is never a pass');
    const overridden = gate('deploy-window', 'fail', {
      override: { by: 'ana', at: '2026-12-01T10:00:00Z', reason: 'hotfix' },
    });
    assert.equal(exitCodeOf(gated([overridden])), 0);
  });

  it('counts --reapply-reverts for a divergence that waits on that choice, and only then', () => {
    const reverted = gate('divergence', 'needs-you', { actions: ['revert-revert'] });
    assert.equal(exitCodeOf(gated([reverted])), 3);
    assert.equal(exitCodeOf(gated([reverted]), { reapplyReverts: true }), 0);
    const diverged = gate('divergence', 'fail', { actions: ['back-merge'] });
    assert.equal(exitCodeOf(gated([diverged]), { reapplyReverts: true }), 3);
  });

  it('4 for a revert that conflicts, as for a merge', () => {
    const r = record({ state: 'failed', kind: 'revert', steps: [step('revert', 'failed')] });
    assert.equal(exitCodeOf(r), 4);
  });

  it('5 for a push git refused (back to gated), 1 for cancelled or still in flight', () => {
    const rejected = record({
      state: 'gated',
      rejectedPushes: 1,
      steps: [step('merge', 'done'), step('push', 'failed')],
    });
    assert.equal(exitCodeOf(rejected), 5);
    assert.equal(exitCodeOf(record({ state: 'cancelled' })), 1);
    assert.equal(exitCodeOf(record({ state: 'deploying' })), 1);
  });

  it('maps errors without clashing with 3-7: gates 3, confirmation 2, kept 1/2/8, others 1', () => {
    const code = (c: number, data?: unknown) => errorExitCode(new RpcError(c, 'x', data));
    assert.equal(code(ErrorCode.Conflict), PROMOTE_EXIT.gateFailed);
    assert.equal(errorExitCode(new RpcError(ErrorCode.Conflict, 'x'), 1), 1);
    assert.equal(code(ErrorCode.Forbidden), 2);
    assert.equal(code(ErrorCode.Forbidden, { untrusted: true }), 1);
    assert.equal(code(ErrorCode.InvalidParams), 2);
    assert.equal(code(ErrorCode.Network), 8);
    assert.equal(code(ErrorCode.RateLimited), 8);
    for (const c of [ErrorCode.SignedOut, ErrorCode.NoProject, ErrorCode.NotFound, ErrorCode.Auth])
      assert.equal(code(c), 1, `code ${c} would clash`);
    const held = {
      lock: { by: 'ada', promotion: 'p-9', since: 'x', stale: true },
      gates: ['lock'],
    };
    assert.equal(errorExitCode(new RpcError(ErrorCode.Conflict, 'held', held), 1), 3);
    assert.equal(errorExitCode(new Error('boom')), 1);
    assert.equal(errorExitCode(new CliError('x', 2)), 2);
  });
});

describe('railyard promote: the JSON object', () => {
  it('has exactly the contract keys, with the record’s exact state word and nulls for absent values', () => {
    const r = record({
      id: 'p-9',
      state: 'deploying',
      mergeCommit: undefined,
      gates: [gate('ci', 'pass', { detail: 'all 4 checks passed' })],
      steps: [step('merge', 'done', 'merged as abc1234'), step('deploy', 'running')],
    });
    r.steps[0]!.startedAt = '2026-12-01T10:00:00Z';
    r.steps[0]!.endedAt = '2026-12-01T10:00:02Z';
    const json = promotionJson(r);
    assert.deepEqual(json, {
      id: 'p-9',
      state: 'deploying',
      kind: 'promotion',
      from: 'kars-dev',
      to: 'kars-prod',
      sourceCommit: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      mergeCommit: null,
      pullRequest: null,
      tag: null,
      gates: [{ id: 'ci', state: 'pass', detail: 'all 4 checks passed' }],
      steps: [
        {
          id: 'merge',
          state: 'done',
          startedAt: '2026-12-01T10:00:00Z',
          endedAt: '2026-12-01T10:00:02Z',
          detail: 'merged as abc1234',
        },
        { id: 'deploy', state: 'running', startedAt: null, endedAt: null, detail: null },
      ],
      verification: null,
    });
    assert.equal(promotionJson(r, 'the daemon went away').error, 'the daemon went away');
  });

  it('has the same keys with id and state null and an error when no record exists', () => {
    const json = errorJson('Railyard cannot reach Railway.', { from: 'kars-dev', to: 'kars-prod' });
    assert.deepEqual(Object.keys(json), Object.keys(promotionJson(record(), 'x')));
    assert.equal(json.id, null);
    assert.equal(json.state, null);
    assert.equal(json.from, 'kars-dev');
    assert.equal(json.error, 'Railyard cannot reach Railway.');
  });
});

describe('railyard promote: what a person reads', () => {
  it('marks each settled gate with its symbol, and indents what a failing or warning gate saw', () => {
    assert.deepEqual(
      GATE_STATES.filter((s) => s !== 'pending').map((s) => GATE_SYMBOLS[s]),
      ['✓', '✗', '!', '?', '…', '-'],
    );
    const evidence = [{ label: 'kars-backend-dev', text: 'FAILED at 1a2b3c4' }];
    assert.deepEqual(
      gateLines(gate('source-deployed', 'fail', { detail: '1 of 2 failed', evidence })),
      ['  ✗ Source deployed: 1 of 2 failed', '      kars-backend-dev: FAILED at 1a2b3c4'],
    );
    assert.deepEqual(gateLines(gate('source-deployed', 'pass', { detail: 'all', evidence })), [
      '  ✓ Source deployed: all',
    ]);
    assert.equal(gateLines(gate('ci', 'warn', { evidence })).length, 2);
  });

  it('asks the question naming the source, its pinned commit, the count and the target', () => {
    const changes = {
      commits: [],
      commitCount: 12,
      authors: ['ana', 'ben'],
      files: ['a.ts', 'db/migrations/004_add.sql', 'Dockerfile'],
      migrations: ['db/migrations/004_add.sql'],
      risky: [{ path: 'Dockerfile', why: 'changes the build' }],
      prs: [],
    };
    const r = record({ changes });
    assert.equal(mergeQuestion(r), 'Merge kars-dev (9f8e7d6, 12 commits) into kars-prod and push?');
    assert.deepEqual(changeLines(changes), [
      'Changes: 12 commits by ana, ben, 3 files',
      '  migrations: db/migrations/004_add.sql',
      '  risky: Dockerfile (changes the build)',
    ]);
  });

  it('says which gates block and what would resolve each', () => {
    const r = record({
      gates: [
        gate('qa-signoff', 'needs-you', { actions: ['sign-off'] }),
        gate('divergence', 'fail', { actions: ['back-merge'] }),
        gate('ci', 'pass'),
      ],
    });
    const lines = blockedLines(r, {});
    assert.equal(
      lines[0],
      'Cannot promote kars-dev → kars-prod: QA sign-off, No divergence do not pass. Nothing changed.',
    );
    assert.match(lines[1]!, /QA sign-off: --sign-off/);
    assert.equal(
      lines[2],
      '  No divergence: merge kars-prod into kars-dev first: railyard promote kars-prod kars-dev --back-merge',
    );
    assert.equal(blockedLines(r, { signOff: true })[0]?.includes('QA sign-off'), false);
  });

  it('shows a gate once when it settles, never while pending, and again only if it changes', () => {
    const progress = new PromotionProgress();
    const pending = record({ state: 'planned', gates: allGates('pending') });
    assert.deepEqual(progress.next(pending), []);
    const ciPassed = record({
      state: 'planned',
      gates: withGate(allGates('pending'), gate('ci', 'pass')),
    });
    assert.deepEqual(progress.next(ciPassed), ['  ✓ CI: CI is pass']);
    assert.deepEqual(progress.next(ciPassed), []);
    const ciFailed = record({ gates: withGate(allGates('pending'), gate('ci', 'fail')) });
    assert.deepEqual(progress.next(ciFailed), ['  ✗ CI: CI is fail']);
  });

  it('shows each step as it runs and ends, and each service as its deploy status moves', () => {
    const progress = new PromotionProgress();
    const service = { id: 's1', name: 'kars-backend' };
    progress.next(
      record({ state: 'merged', steps: [step('merge', 'done')], mergeCommit: 'abcdef1234' }),
    );
    const lines = progress.next(
      record({
        state: 'deploying',
        mergeCommit: 'abcdef1234',
        steps: [step('merge', 'done'), step('push', 'done'), step('deploy', 'running')],
        services: [{ ...service, status: 'BUILDING', detail: 'building abcdef1' }],
      }),
    );
    assert.deepEqual(lines, [
      '  ✓ push',
      '  → deploy',
      '      kars-backend         BUILDING — building abcdef1',
    ]);
  });

  it('shows the pull request’s link and the tag beside their steps', () => {
    const pullRequest = {
      number: 12,
      url: 'https://github.com/acme/kars/pull/12',
      state: 'open' as const,
      reused: false,
    };
    const r = record({ state: 'merged', pullRequest, tag: 'v2026.12.01' });
    assert.equal(
      stepLine(step('pull-request', 'running', 'opened'), r),
      '  → pull-request: opened — #12 https://github.com/acme/kars/pull/12',
    );
    assert.equal(
      stepLine(step('pull-request', 'running'), r),
      '  → pull-request: #12 https://github.com/acme/kars/pull/12',
    );
    assert.equal(
      stepLine(step('pull-request', 'running', 'merged https://github.com/acme/kars/pull/12'), r),
      '  → pull-request: merged https://github.com/acme/kars/pull/12',
    );
    assert.equal(stepLine(step('tag', 'done'), r), '  ✓ tag: v2026.12.01');
  });

  it('says once that a step waits for an approving review, however often the record changes', () => {
    const progress = new PromotionProgress();
    const pullRequest = {
      number: 12,
      url: 'https://github.com/acme/kars/pull/12',
      state: 'open' as const,
      reused: true,
    };
    const waiting = (detail: string) =>
      record({
        state: 'confirmed',
        pullRequest,
        steps: [step('pull-request', 'needs-you', detail)],
      });
    progress.next(record({ state: 'gated' })); // the gates, shown before the start
    assert.deepEqual(progress.next(waiting('1 review required')), [
      '  ? pull-request: 1 review required — reused #12 https://github.com/acme/kars/pull/12',
      'Waiting for an approving review of #12: https://github.com/acme/kars/pull/12 (the promotion resumes by itself once approved; Ctrl-C stops following, not the promotion)',
    ]);
    assert.deepEqual(progress.next(waiting('1 review required')), []);
    assert.deepEqual(progress.next(waiting('changes requested')), [
      '  ? pull-request: changes requested — reused #12 https://github.com/acme/kars/pull/12',
    ]);
  });

  it('heads a revert and a back-merge by what they do', () => {
    const revert = record({
      id: 'p-5',
      kind: 'revert',
      reverts: { promotion: 'p-1', commit: 'abc1234def' },
    });
    assert.equal(
      headerLine(revert),
      'Revert p-5: undoes promotion p-1 (merge abc1234) on kars-prod',
    );
    assert.match(
      headerLine(record({ kind: 'back-merge' })),
      /^Back-merge p-1: kars-dev at 9f8e7d6 → kars-prod$/,
    );
  });

  it('merges the team’s promotions into history by time, newest first, with who, where and when last heard', () => {
    const now = Date.parse('2026-12-01T10:30:00.000Z');
    const team = {
      id: 'a1b2c3d4',
      deploymentId: 7,
      repo: 'acme/kars',
      from: 'kars-dev',
      to: 'kars-prod',
      kind: 'promotion' as const,
      by: 'ada',
      machine: 'laptop-2',
      state: 'in-progress' as const,
      detail: 'deploying',
      sourceCommit: '5555555aaaaaaa',
      startedAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:27:00.000Z',
    };
    const lines = historyLines(
      [
        record({ id: 'p-2', createdAt: '2026-12-01T10:10:00.000Z' }),
        record({ id: 'p-1', createdAt: '2026-12-01T09:00:00.000Z' }),
      ],
      [team],
      now,
    );
    assert.deepEqual(
      lines.map((l) => l.split('  ')[0]),
      ['p-2', 'a1b2c3d4', 'p-1'],
    );
    assert.equal(
      lines[1],
      'a1b2c3d4  2026-12-01T10:00:00.000Z  kars-dev → kars-prod  5555555  in-progress  ada@laptop-2  3 min ago  deploying',
    );
  });

  it('prints history one line per promotion with its state word', () => {
    const line = historyLine(record({ id: 'p-3', state: 'rolled-back', summary: 'Rolled back.' }));
    assert.equal(
      line,
      'p-3  2026-12-01T09:59:00.000Z  kars-dev → kars-prod  9f8e7d6  rolled-back: Rolled back.',
    );
  });
});
