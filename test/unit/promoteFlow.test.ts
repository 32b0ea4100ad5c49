// `railyard promote` from plan to exit code against a scripted daemon: what it sends, when it
// asks, how it follows `promotion.changed`, and what it ends with. The fake fails loudly on any
// call its script does not expect; records are built by the protocol's own schema.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RpcError } from '../../protocol/jsonrpc';
import {
  ErrorCode,
  methods,
  type PromotionRecord,
  type TeamPromotion,
} from '../../protocol/protocol';
import { CliError } from '../../cli/output';
import { promoteCommand } from '../../cli/promoteCommand';
import type { PromotionClient } from '../../cli/promoteFollow';
import type { PromoteIo } from '../../cli/promoteIo';
import type { PromoteJson } from '../../cli/promoteOutput';
import type { PromoteDeps } from '../../cli/promoteSession';
import { allGates, gate, record, step, withGate } from './promotionRecords';

type ListResult = { promotions: PromotionRecord[]; team?: TeamPromotion[] };

interface Reply {
  /** The answer, or the error the daemon answers with. */
  reply: PromotionRecord | ListResult | RpcError;
  /** `promotion.changed` notifications sent after it, one per turn of the event loop. */
  then?: PromotionRecord[];
}

class FakeDaemon {
  readonly calls: { method: string; params: Record<string, unknown> }[] = [];
  /** Calls and notifications in the order they happened: what the CLI waited for before acting. */
  readonly log: string[] = [];
  private listener?: (n: { promotion: PromotionRecord }) => void;

  constructor(private readonly script: Record<string, Reply[]>) {}

  readonly client: PromotionClient = {
    request: ((method: string, params: Record<string, unknown>) =>
      this.handle(method, params)) as PromotionClient['request'],
    onNotification: ((_name: string, listener: (n: { promotion: PromotionRecord }) => void) => {
      this.listener = listener;
      return () => undefined;
    }) as PromotionClient['onNotification'],
    onClosed: () => () => undefined,
    close: () => undefined,
  };

  methods(): string[] {
    return this.calls.map((c) => c.method);
  }

  private handle(method: string, params: Record<string, unknown>): Promise<unknown> {
    this.calls.push({ method, params });
    this.log.push(method);
    const next = this.script[method]?.shift();
    if (!next) return Promise.reject(new Error(`unexpected ${method} ${JSON.stringify(params)}`));
    this.notifyInTurns(next.then ?? []);
    if (next.reply instanceof RpcError) return Promise.reject(next.reply);
    return Promise.resolve(this.stamp(next.reply));
  }

  private sent = Date.parse('2027-01-01T00:00:00Z');

  /**
   * As the daemon does, each record sent is newer than the one before, whenever it was built; a
   * list goes through the protocol's schema, as the real client reads it (team defaults to []).
   */
  private stamp<T extends PromotionRecord | ListResult>(value: T): T {
    if ('promotions' in value) return methods['promotion.list'].result.parse(value) as T;
    return { ...value, updatedAt: new Date((this.sent += 1000)).toISOString() };
  }

  private notifyInTurns(records: PromotionRecord[]): void {
    const [first, ...rest] = records;
    if (!first) return;
    setImmediate(() => {
      this.log.push(`changed ${first.state}`);
      this.listener?.({ promotion: this.stamp(first) });
      this.notifyInTurns(rest);
    });
  }
}

function scriptedIo(interactive: boolean, answers: string[] = []) {
  const seen = {
    out: [] as string[],
    warned: [] as string[],
    json: [] as unknown[],
    asked: [] as string[],
  };
  const io: PromoteIo = {
    say: (...lines) => seen.out.push(...lines),
    warn: (line) => seen.warned.push(line),
    json: (value) => seen.json.push(value),
    interactive,
    ask: (question) => {
      seen.asked.push(question);
      const answer = answers.shift();
      return answer === undefined
        ? Promise.reject(new Error(`unexpected question: ${question}`))
        : Promise.resolve(answer);
    },
  };
  return { io, seen };
}

async function promote(
  argv: string[],
  script: Record<string, Reply[]>,
  terminal: { interactive?: boolean; answers?: string[] } = {},
) {
  const daemon = new FakeDaemon(script);
  const { io, seen } = scriptedIo(terminal.interactive ?? false, terminal.answers);
  let opened = 0;
  const deps: PromoteDeps = {
    open: () => (opened++, Promise.resolve(daemon.client)),
    io: () => io,
    folder: (dir) => ({ path: dir ?? '/work/kars', trusted: true }),
    now: () => Date.parse('2026-12-01T10:06:00.000Z'),
  };
  const code = await promoteCommand(argv, deps);
  for (const [method, left] of Object.entries(script))
    assert.equal(left.length, 0, `${method}: ${left.length} scripted answers never asked for`);
  return { code, daemon, seen, opened, json: seen.json as PromoteJson[] };
}

const planned = () => record({ state: 'planned', gates: allGates('pending') });
const gated = (overrides: Partial<PromotionRecord> = {}) =>
  record({ state: 'gated', ...overrides });
const plan = (then: PromotionRecord[]): Reply[] => [{ reply: planned(), then }];
const ran = (...states: Parameters<typeof step>[1][]) =>
  (['merge', 'push', 'deploy', 'verify'] as const).map((id, i) => step(id, states[i] ?? 'pending'));
const startedThen = (then: PromotionRecord[]): Reply => ({
  reply: record({ state: 'confirmed' }),
  then,
});
const succeeded = () =>
  record({
    state: 'succeeded',
    steps: ran('done', 'done', 'done', 'done'),
    mergeCommit: 'abc1234def',
    summary: 'kars-prod runs abc1234.',
  });

describe('railyard promote <from> <to>', () => {
  it('--check: shows the gates as they settle and exits 0 when it could go, without starting', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--check', '--json'], {
      'promotion.plan': plan([gated()]),
    });
    assert.equal(r.code, 0);
    assert.deepEqual(r.daemon.methods(), ['promotion.plan']);
    assert.equal(r.daemon.calls[0]!.params.checkOnly, true);
    assert.ok(r.seen.out.includes('  ✓ CI: CI is pass'));
    assert.equal(r.json.length, 1);
    assert.equal(r.json[0]!.state, 'gated');
  });

  it('--check: exits 3 when a required gate fails, and 0 when a flag given would resolve it', async () => {
    const window = gate('deploy-window', 'fail', { actions: ['override-window'] });
    const closed = () => gated({ gates: withGate(allGates('pass'), window) });
    const without = await promote(['a', 'b', '--check'], { 'promotion.plan': plan([closed()]) });
    assert.equal(without.code, 3);
    assert.ok(without.seen.out.some((l) => l.includes('--override-window REASON')));
    const withFlag = await promote(['a', 'b', '--check', '--override-window', 'outage fix'], {
      'promotion.plan': plan([closed()]),
    });
    assert.equal(withFlag.code, 0);
  });

  it('--yes: starts without asking, follows every step to the summary, exit 0', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes'], {
      'promotion.plan': plan([gated()]),
      'promotion.start': [
        startedThen([
          record({ state: 'merged', steps: ran('done'), mergeCommit: 'abc1234def' }),
          record({ state: 'deploying', steps: ran('done', 'done', 'running') }),
          succeeded(),
        ]),
      ],
    });
    assert.equal(r.code, 0);
    assert.deepEqual(r.daemon.calls[1], {
      method: 'promotion.start',
      params: {
        folder: { path: '/work/kars', trusted: true },
        id: 'p-1',
        rollbackOnFailure: false,
      },
    });
    assert.deepEqual(r.seen.asked, []);
    const at = (line: string) => r.seen.out.indexOf(line);
    assert.ok(at('  ✓ merge: abc1234') > at('  ✓ CI: CI is pass'), r.seen.out.join('\n'));
    assert.ok(at('  → deploy') > at('  ✓ merge: abc1234'));
    assert.equal(r.seen.out.at(-1), 'kars-prod runs abc1234.');
  });

  it('without --yes and without a terminal: exit 2 before reaching the daemon', async () => {
    await assert.rejects(
      promote(['kars-dev', 'kars-prod'], {}),
      (e) => e instanceof CliError && e.exitCode === 2 && /not a terminal/.test(e.message),
    );
  });

  it('asks before merging; a no cancels the plan and exits 1 with nothing changed', async () => {
    const r = await promote(
      ['kars-dev', 'kars-prod', '--json'],
      {
        'promotion.plan': plan([gated()]),
        'promotion.cancel': [{ reply: record({ state: 'cancelled' }) }],
      },
      { interactive: true, answers: ['n'] },
    );
    assert.equal(r.code, 1);
    assert.deepEqual(r.seen.asked, ['Merge kars-dev (9f8e7d6) into kars-prod and push? [y/N] ']);
    assert.deepEqual(r.daemon.methods(), ['promotion.plan', 'promotion.cancel']);
    assert.equal(r.json.length, 1);
    assert.equal(r.json[0]!.state, 'cancelled');
  });

  it('a protected target: asks for its name and sends what was typed for the daemon to check', async () => {
    const r = await promote(
      ['kars-dev', 'kars-prod'],
      {
        'promotion.plan': plan([gated({ protected: true })]),
        'promotion.start': [startedThen([succeeded()])],
      },
      { interactive: true, answers: ['kars-prod'] },
    );
    assert.equal(r.code, 0);
    assert.match(
      r.seen.asked[0]!,
      /^Merge kars-dev .* and push\? kars-prod is protected: type its name/,
    );
    assert.equal(r.daemon.calls[1]!.params.confirm, 'kars-prod');
  });

  it('a protected target under --yes without a terminal or --confirm: the daemon refuses, exit 2, no JSON', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes', '--json'], {
      'promotion.plan': plan([gated({ protected: true })]),
      'promotion.start': [
        {
          reply: new RpcError(
            ErrorCode.Forbidden,
            'kars-prod is protected: type its name to confirm.',
          ),
        },
      ],
    });
    assert.equal(r.code, 2);
    assert.equal(r.json.length, 0);
    assert.ok(r.seen.warned.some((w) => w.includes('--confirm kars-prod')));
    assert.equal(r.daemon.calls[1]!.params.confirm, undefined, '--yes never confirms by itself');
  });

  it('a refusal at start (a required gate, the lock): exit 3, one JSON object with the error', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes', '--json'], {
      'promotion.plan': plan([gated()]),
      'promotion.start': [
        { reply: new RpcError(ErrorCode.Conflict, 'kars-prod is locked by ben.') },
      ],
    });
    assert.equal(r.code, 3);
    assert.equal(r.json.length, 1);
    assert.equal(r.json[0]!.id, 'p-1');
    assert.equal(r.json[0]!.error, 'kars-prod is locked by ben.');
  });

  it('no daemon: exit 8 and the object with id and state null', async () => {
    const { io, seen } = scriptedIo(false);
    const code = await promoteCommand(['kars-dev', 'kars-prod', '--check', '--json'], {
      open: () =>
        Promise.reject(new RpcError(ErrorCode.Network, 'Cannot reach the Railyard daemon.')),
      io: () => io,
      folder: () => ({ path: '/x', trusted: true }),
      now: Date.now,
    });
    assert.equal(code, 8);
    assert.deepEqual(seen.json, [
      {
        id: null,
        state: null,
        kind: null,
        from: 'kars-dev',
        to: 'kars-prod',
        sourceCommit: null,
        mergeCommit: null,
        pullRequest: null,
        tag: null,
        gates: [],
        steps: [],
        verification: null,
        error: 'Cannot reach the Railyard daemon.',
      },
    ]);
  });

  it('--sign-off: signs off once gated and waits for the gates re-checked after it', async () => {
    // Checked before the sign-off: the engine stamps every gate with when it ran.
    const qaNeeded = gate('qa-signoff', 'needs-you', {
      actions: ['sign-off'],
      checkedAt: '2026-12-01T10:59:00.000Z',
    });
    const signOff = { by: 'qa@acme', at: '2026-12-01T11:00:00.000Z' };
    const qaPassed = gate('qa-signoff', 'pass', { checkedAt: '2026-12-01T11:00:01.000Z' });
    const r = await promote(['kars-dev', 'kars-prod', '--sign-off', '--yes'], {
      'promotion.plan': plan([gated({ gates: withGate(allGates('pass'), qaNeeded) })]),
      'promotion.signOff': [
        {
          // The answer still shows the old gate: the CLI must wait for the re-check.
          reply: gated({ signOff, gates: withGate(allGates('pass'), qaNeeded) }),
          then: [gated({ signOff, gates: withGate(allGates('pass'), qaPassed) })],
        },
      ],
      'promotion.start': [startedThen([succeeded()])],
    });
    assert.equal(r.code, 0);
    assert.deepEqual(r.daemon.log, [
      'promotion.plan',
      'changed gated',
      'promotion.signOff',
      'changed gated',
      'promotion.start',
      'changed succeeded',
    ]);
    assert.ok(r.seen.out.includes('Signed off 9f8e7d6 as qa@acme; the gates are checked again.'));
  });
});

describe('railyard promote: a push git refused', () => {
  const pushEnded = '2026-12-01T12:00:00.000Z';
  const rejected = (n: number) =>
    gated({
      rejectedPushes: n,
      steps: [step('merge', 'done'), { id: 'push', state: 'failed', endedAt: pushEnded }],
      gates: allGates('pass').map((g) => ({ ...g, checkedAt: '2026-12-01T11:59:00.000Z' })),
    });
  const rechecked = (n: number, sourceCommit?: string) => ({
    ...rejected(n),
    ...(sourceCommit && { sourceCommit }),
    gates: allGates('pass').map((g) => ({ ...g, checkedAt: '2026-12-01T12:00:05.000Z' })),
  });

  it('under --yes: waits for the gates to run again and retries once, the source unmoved', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes'], {
      'promotion.plan': plan([gated()]),
      'promotion.start': [startedThen([rejected(1), rechecked(1)]), startedThen([succeeded()])],
    });
    assert.equal(r.code, 0);
    assert.deepEqual(r.daemon.log, [
      'promotion.plan',
      'changed gated',
      'promotion.start',
      'changed gated', // refused, the gates still those seen before the push
      'changed gated', // checked again after it
      'promotion.start',
      'changed succeeded',
    ]);
    assert.ok(r.seen.out.some((l) => l.startsWith('git refused the push')));
  });

  it('under --yes: exit 5 without retrying when the source moved meanwhile', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes', '--json'], {
      'promotion.plan': plan([gated()]),
      'promotion.start': [startedThen([rejected(1), rechecked(1, 'feedbeef'.repeat(5))])],
    });
    assert.equal(r.code, 5);
    assert.equal(r.daemon.methods().filter((m) => m === 'promotion.start').length, 1);
    assert.equal(r.json[0]!.state, 'gated');
  });

  it('refused again after the retry: exit 5', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes'], {
      'promotion.plan': plan([gated()]),
      'promotion.start': [startedThen([rejected(1), rechecked(1)]), startedThen([rejected(2)])],
    });
    assert.equal(r.code, 5);
  });

  it('in a terminal: asks once more', async () => {
    const r = await promote(
      ['kars-dev', 'kars-prod'],
      {
        'promotion.plan': plan([gated()]),
        'promotion.start': [startedThen([rejected(1), rechecked(1)]), startedThen([succeeded()])],
      },
      { interactive: true, answers: ['y', 'yes'] },
    );
    assert.equal(r.code, 0);
    assert.equal(r.seen.asked.length, 2);
  });
});

describe('railyard promote: a failed deploy', () => {
  const failed = (rollbackOnFailure: boolean) =>
    record({
      state: 'failed',
      rollbackOnFailure,
      steps: [...ran('done', 'done', 'failed'), step('rollback', 'pending')],
      summary: 'kars-backend failed to deploy; kars-prod still runs 1111111.',
    });

  it('without --rollback-on-failure: exit 6 and how to roll back', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes'], {
      'promotion.plan': plan([gated()]),
      'promotion.start': [startedThen([failed(false)])],
    });
    assert.equal(r.code, 6);
    assert.equal(
      r.seen.out.at(-1),
      'kars-prod was not rolled back. To roll back: railyard promote rollback p-1',
    );
  });

  it('with --rollback-on-failure: follows past failed to rolled-back, exit 7', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes', '--rollback-on-failure'], {
      'promotion.plan': plan([gated()]),
      'promotion.start': [
        startedThen([
          failed(true),
          record({
            state: 'rolling-back',
            rollbackOnFailure: true,
            steps: [...ran('done', 'done', 'failed'), step('rollback', 'running')],
          }),
          record({
            state: 'rolled-back',
            rollbackOnFailure: true,
            steps: [...ran('done', 'done', 'failed'), step('rollback', 'done')],
          }),
        ]),
      ],
    });
    assert.equal(r.daemon.calls[1]!.params.rollbackOnFailure, true);
    assert.equal(r.code, 7);
  });

  it('a merge conflict found by the merge step: exit 4, nothing pushed', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes'], {
      'promotion.plan': plan([gated()]),
      'promotion.start': [
        startedThen([
          record({
            state: 'failed',
            steps: [step('merge', 'failed', 'conflicts in src/app.ts, package.json')],
          }),
        ]),
      ],
    });
    assert.equal(r.code, 4);
    assert.ok(r.seen.out.includes('  ✗ merge: conflicts in src/app.ts, package.json'));
  });
});

describe('railyard promote status|history|cancel|rollback', () => {
  it('status without an ID shows the folder’s latest', async () => {
    const r = await promote(['status'], {
      'promotion.list': [{ reply: { promotions: [record({ id: 'p-4', state: 'succeeded' })] } }],
    });
    assert.equal(r.code, 0);
    assert.deepEqual(r.daemon.calls[0]!.params, {
      folder: { path: '/work/kars', trusted: true },
      limit: 1,
    });
    assert.match(r.seen.out[0]!, /^Promotion p-4: kars-dev at 9f8e7d6 → kars-prod$/);
  });

  it('history: one line each, newest first as the daemon lists them', async () => {
    const r = await promote(['history', '--json'], {
      'promotion.list': [{ reply: { promotions: [record({ id: 'p-2' }), record({ id: 'p-1' })] } }],
    });
    assert.equal(r.code, 0);
    assert.equal(r.seen.out.length, 2);
    assert.deepEqual(
      (r.seen.json[0] as { promotions: PromoteJson[] }).promotions.map((p) => p.id),
      ['p-2', 'p-1'],
    );
  });

  it('cancel after the push: the daemon refuses, exit 1 (not a gate’s 3)', async () => {
    const r = await promote(['cancel', 'p-1'], {
      'promotion.get': [{ reply: record({ state: 'deploying' }) }],
      'promotion.cancel': [{ reply: new RpcError(ErrorCode.Conflict, 'p-1 already pushed.') }],
    });
    assert.equal(r.code, 1);
  });

  it('rollback --yes: rolls back, follows it to rolled-back, exit 0', async () => {
    const r = await promote(['rollback', 'p-1', '--yes', '--confirm', 'kars-prod'], {
      'promotion.get': [{ reply: record({ state: 'failed', protected: true }) }],
      'promotion.rollback': [
        {
          reply: record({ state: 'rolling-back', protected: true }),
          then: [
            record({
              state: 'rolled-back',
              protected: true,
              summary: 'kars-prod runs 1111111 again.',
            }),
          ],
        },
      ],
    });
    assert.equal(r.code, 0);
    assert.equal(r.daemon.calls[1]!.params.confirm, 'kars-prod');
    assert.equal(r.seen.out.at(-1), 'kars-prod runs 1111111 again.');
  });

  it('rollback without --yes and without a terminal: exit 2', async () => {
    await assert.rejects(
      promote(['rollback', 'p-1'], {}),
      (e) => e instanceof CliError && e.exitCode === 2,
    );
  });
});

describe('railyard promote: a teammate holding the target', () => {
  const held = (stale: boolean) =>
    new RpcError(
      ErrorCode.Conflict,
      stale
        ? "kars-prod is held by ada's promotion p-9 on laptop-2, silent since 2026-12-01 09:00 UTC: their daemon may be gone. Take it over by typing kars-prod (takeOver)."
        : 'kars-prod is being promoted by ada on laptop-2 (promotion p-9, since 2026-12-01 09:00 UTC): wait for it to finish.',
      {
        lock: {
          by: 'ada',
          promotion: 'p-9',
          since: '2026-12-01T09:00:00Z',
          stale,
          machine: 'laptop-2',
        },
        gates: ['lock'],
      },
    );

  it('stale, in a terminal: asks for the target’s name typed and starts again taking it over', async () => {
    const r = await promote(
      ['kars-dev', 'kars-prod'],
      {
        'promotion.plan': plan([gated()]),
        'promotion.start': [{ reply: held(true) }, startedThen([succeeded()])],
      },
      { interactive: true, answers: ['y', 'kars-prod'] },
    );
    assert.equal(r.code, 0);
    assert.deepEqual(r.daemon.methods(), ['promotion.plan', 'promotion.start', 'promotion.start']);
    assert.equal(r.daemon.calls[1]!.params.takeOver, undefined, 'never taken over unasked');
    assert.equal(r.daemon.calls[2]!.params.takeOver, 'kars-prod');
    assert.match(
      r.seen.asked[1]!,
      /silent since .*\nType kars-prod to take over ada's promotion p-9/,
    );
  });

  it('stale, in a terminal, Enter: not taken over, exit 3', async () => {
    const r = await promote(
      ['kars-dev', 'kars-prod', '--json'],
      { 'promotion.plan': plan([gated()]), 'promotion.start': [{ reply: held(true) }] },
      { interactive: true, answers: ['y', ''] },
    );
    assert.equal(r.code, 3);
    assert.match(r.json[0]!.error!, /^Not taken over: ada's promotion p-9 still holds kars-prod/);
  });

  it('stale, --yes --take-over NAME without a terminal: says so and starts again with the name', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes', '--take-over', 'kars-prod'], {
      'promotion.plan': plan([gated()]),
      'promotion.start': [{ reply: held(true) }, startedThen([succeeded()])],
    });
    assert.equal(r.code, 0);
    assert.equal(r.daemon.calls[2]!.params.takeOver, 'kars-prod');
    assert.ok(r.seen.out.includes('Taking it over (--take-over kars-prod).'));
  });

  it('stale, --yes without --take-over: exit 3, the daemon’s sentence and how to take it over', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes', '--json'], {
      'promotion.plan': plan([gated()]),
      'promotion.start': [{ reply: held(true) }],
    });
    assert.equal(r.code, 3);
    assert.match(r.json[0]!.error!, /silent since .* Add --take-over kars-prod to take it over\.$/);
  });

  it('still reporting: exit 3 with who and since when, never taken over even with --take-over', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes', '--take-over', 'kars-prod'], {
      'promotion.plan': plan([gated()]),
      'promotion.start': [{ reply: held(false) }],
    });
    assert.equal(r.code, 3);
    assert.equal(r.daemon.methods().filter((m) => m === 'promotion.start').length, 1);
    assert.ok(r.seen.warned.some((w) => w.includes('being promoted by ada on laptop-2')));
  });
});

describe('railyard promote: the new ways to promote', () => {
  it('sends --strategy and --reapply-reverts', async () => {
    const reverted = gate('divergence', 'needs-you', { actions: ['revert-revert'] });
    const r = await promote(
      ['kars-dev', 'kars-prod', '--yes', '--strategy', 'pull-request', '--reapply-reverts'],
      {
        'promotion.plan': plan([gated({ gates: withGate(allGates('pass'), reverted) })]),
        'promotion.start': [startedThen([succeeded()])],
      },
    );
    assert.equal(r.code, 0);
    assert.equal(r.daemon.calls[0]!.params.strategy, 'pull-request');
    assert.equal(r.daemon.calls[0]!.params.kind, 'promotion');
    assert.equal(r.daemon.calls[1]!.params.reapplyReverts, true);
  });

  it('says once that the pull request waits for an approving review, with its link', async () => {
    const pullRequest = {
      number: 12,
      url: 'https://github.com/acme/kars/pull/12',
      state: 'open' as const,
      reused: false,
    };
    const atPr = (state: Parameters<typeof step>[1], detail?: string) =>
      record({
        state: 'confirmed',
        strategy: 'pull-request',
        pullRequest,
        steps: [step('pull-request', state, detail)],
      });
    const r = await promote(['kars-dev', 'kars-prod', '--yes'], {
      'promotion.plan': plan([gated()]),
      'promotion.start': [
        startedThen([
          atPr('running', 'opened'),
          atPr('needs-you', 'waiting for 1 approving review'),
          atPr('running', 'checks running'),
          atPr('needs-you', 'waiting for 1 approving review'),
          succeeded(),
        ]),
      ],
    });
    assert.equal(r.code, 0);
    assert.ok(
      r.seen.out.includes('  → pull-request: opened — #12 https://github.com/acme/kars/pull/12'),
    );
    const waits = r.seen.out.filter((l) =>
      l.startsWith('Waiting for an approving review of #12: https://github.com/acme/kars/pull/12'),
    );
    assert.equal(waits.length, 1, r.seen.out.join('\n'));
  });

  it('--back-merge: plans the target’s commits back into the source as a back-merge', async () => {
    const back = (over: Partial<PromotionRecord> = {}) =>
      record({
        kind: 'back-merge',
        from: { name: 'kars-prod', id: 'env-prod', branch: 'kars-prod' },
        to: { name: 'kars-dev', id: 'env-dev', branch: 'kars-dev' },
        ...over,
      });
    const r = await promote(['kars-prod', 'kars-dev', '--back-merge', '--yes'], {
      'promotion.plan': [
        { reply: back({ state: 'planned', gates: allGates('pending') }), then: [back()] },
      ],
      'promotion.start': [
        startedThen([back({ state: 'succeeded', summary: 'kars-dev has kars-prod’s commits.' })]),
      ],
    });
    assert.equal(r.code, 0);
    assert.equal(r.daemon.calls[0]!.params.kind, 'back-merge');
    assert.equal(r.daemon.calls[0]!.params.from, 'kars-prod');
    assert.match(r.seen.out[0]!, /^Back-merge p-1: kars-prod at 9f8e7d6 → kars-dev$/);
  });
});

describe('railyard promote: a divergence a back-merge resolves', () => {
  const diverged = () =>
    gated({
      gates: withGate(allGates('pass'), gate('divergence', 'fail', { actions: ['back-merge'] })),
    });
  const back = (over: Partial<PromotionRecord> = {}) =>
    record({
      id: 'p-2',
      kind: 'back-merge',
      from: { name: 'kars-prod', id: 'env-prod', branch: 'kars-prod' },
      to: { name: 'kars-dev', id: 'env-dev', branch: 'kars-dev' },
      ...over,
    });

  it('in a terminal: offers it, runs it as its own promotion, then says to promote again (exit 3)', async () => {
    const r = await promote(
      ['kars-dev', 'kars-prod'],
      {
        'promotion.plan': [
          { reply: planned(), then: [diverged()] },
          { reply: back({ state: 'planned', gates: allGates('pending') }), then: [back()] },
        ],
        'promotion.cancel': [{ reply: record({ state: 'cancelled' }) }],
        'promotion.start': [startedThen([back({ state: 'succeeded', summary: 'Back-merged.' })])],
      },
      { interactive: true, answers: ['y', 'y'] },
    );
    assert.equal(r.code, 3, 'the promotion itself did not go');
    assert.deepEqual(r.daemon.methods(), [
      'promotion.plan',
      'promotion.cancel',
      'promotion.plan',
      'promotion.start',
    ]);
    assert.match(r.seen.asked[0]!, /^Back-merge kars-prod's extra commits into kars-dev first/);
    assert.match(r.seen.asked[1]!, /^Merge kars-prod .* into kars-dev and push\?/);
    assert.deepEqual(
      {
        kind: r.daemon.calls[2]!.params.kind,
        from: r.daemon.calls[2]!.params.from,
        to: r.daemon.calls[2]!.params.to,
      },
      { kind: 'back-merge', from: 'kars-prod', to: 'kars-dev' },
    );
    assert.equal(
      r.seen.out.at(-1),
      "kars-dev has kars-prod's commits now. Run railyard promote kars-dev kars-prod again to promote.",
    );
  });

  it('in a terminal, no (the default): nothing else happens, exit 3', async () => {
    const r = await promote(
      ['kars-dev', 'kars-prod'],
      { 'promotion.plan': plan([diverged()]) },
      { interactive: true, answers: [''] },
    );
    assert.equal(r.code, 3);
    assert.deepEqual(r.daemon.methods(), ['promotion.plan']);
  });

  it('under --yes: never offered nor done, exit 3 with the command to run', async () => {
    const r = await promote(['kars-dev', 'kars-prod', '--yes'], {
      'promotion.plan': plan([diverged()]),
    });
    assert.equal(r.code, 3);
    assert.deepEqual(r.seen.asked, []);
    assert.ok(
      r.seen.out.some((l) => l.endsWith('railyard promote kars-prod kars-dev --back-merge')),
    );
  });
});

describe('railyard promote revert', () => {
  const finished = () =>
    record({
      state: 'succeeded',
      mergeCommit: 'abc1234def',
      steps: ran('done', 'done', 'done', 'done'),
    });
  const revertOf = (over: Partial<PromotionRecord> = {}) =>
    record({
      id: 'p-2',
      kind: 'revert',
      state: 'confirmed',
      reverts: { promotion: 'p-1', commit: 'abc1234def' },
      steps: [
        step('revert', 'running'),
        step('push', 'pending'),
        step('deploy', 'pending'),
        step('verify', 'pending'),
      ],
      ...over,
    });
  const revertSteps = (deploy: 'done' | 'failed') => [
    step('revert', 'done', 'reverted as 7777777'),
    step('push', 'done'),
    step('deploy', deploy),
    step('verify', deploy === 'done' ? 'done' : 'skipped'),
  ];

  it('asks first, then follows the revert to deployed and healthy: exit 0', async () => {
    const r = await promote(
      ['revert', 'p-1'],
      {
        'promotion.get': [{ reply: finished() }],
        'promotion.revert': [
          {
            reply: revertOf(),
            then: [
              revertOf({
                state: 'succeeded',
                steps: revertSteps('done'),
                summary: 'kars-prod runs 7777777.',
              }),
            ],
          },
        ],
      },
      { interactive: true, answers: ['y'] },
    );
    assert.equal(r.code, 0);
    assert.deepEqual(r.seen.asked, [
      "Revert promotion p-1's merge abc1234 on kars-prod (a new commit undoing it), push and deploy? [y/N] ",
    ]);
    assert.deepEqual(r.daemon.calls[1]!.params, {
      folder: { path: '/work/kars', trusted: true },
      id: 'p-1',
    });
    assert.ok(r.seen.out.includes('Revert p-2: undoes promotion p-1 (merge abc1234) on kars-prod'));
    assert.ok(r.seen.out.includes('  ✓ revert: reverted as 7777777'));
    assert.equal(r.seen.out.at(-1), 'kars-prod runs 7777777.');
  });

  it('a deploy that fails: exit 6 and how to roll back the revert', async () => {
    const r = await promote(['revert', 'p-1', '--yes', '--json'], {
      'promotion.get': [{ reply: finished() }],
      'promotion.revert': [
        { reply: revertOf(), then: [revertOf({ state: 'failed', steps: revertSteps('failed') })] },
      ],
    });
    assert.equal(r.code, 6);
    assert.equal(
      r.seen.out.at(-1),
      'kars-prod was not rolled back. To roll back: railyard promote rollback p-2',
    );
    assert.equal(r.json[0]!.id, 'p-2');
    assert.equal(r.json[0]!.kind, 'revert');
  });

  it('a no: nothing is sent, exit 1', async () => {
    const r = await promote(
      ['revert'],
      { 'promotion.list': [{ reply: { promotions: [finished()] } }] },
      { interactive: true, answers: ['n'] },
    );
    assert.equal(r.code, 1);
    assert.deepEqual(r.daemon.methods(), ['promotion.list']);
    assert.ok(r.seen.out.includes('Not reverted: nothing changed.'));
  });

  it('a teammate holding the target: exit 3 as for a run; already reverted: exit 1', async () => {
    const lock = {
      lock: { by: 'ada', promotion: 'p-9', since: 'x', stale: false },
      gates: ['lock'],
    };
    const locked = await promote(['revert', 'p-1', '--yes'], {
      'promotion.get': [{ reply: finished() }],
      'promotion.revert': [
        { reply: new RpcError(ErrorCode.Conflict, 'kars-prod is being promoted by ada.', lock) },
      ],
    });
    assert.equal(locked.code, 3);
    const again = await promote(['revert', 'p-1', '--yes'], {
      'promotion.get': [{ reply: finished() }],
      'promotion.revert': [
        { reply: new RpcError(ErrorCode.Conflict, 'Promotion p-1 was reverted already.') },
      ],
    });
    assert.equal(again.code, 1);
  });

  it('without --yes and without a terminal: exit 2 before reaching the daemon', async () => {
    await assert.rejects(
      promote(['revert', 'p-1'], {}),
      (e) =>
        e instanceof CliError &&
        e.exitCode === 2 &&
        /promote revert asks before it reverts/.test(e.message),
    );
  });
});

describe('railyard promote history: the team', () => {
  const teammate = (over: Partial<TeamPromotion> = {}): TeamPromotion => ({
    id: 'a1b2c3d4',
    deploymentId: 41,
    repo: 'acme/kars',
    from: 'kars-dev',
    to: 'kars-prod',
    kind: 'promotion',
    by: 'ada',
    machine: 'laptop-2',
    state: 'in-progress',
    detail: 'deploying 9f8e7d6',
    sourceCommit: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
    startedAt: '2026-12-01T09:58:00.000Z',
    updatedAt: '2026-12-01T09:59:00.000Z',
    ...over,
  });

  it('lists teammates’ promotions among the folder’s own, newest first, and under team in --json', async () => {
    const r = await promote(['history', '--json'], {
      'promotion.list': [
        {
          reply: {
            promotions: [
              record({ id: 'p-2', createdAt: '2026-12-01T10:05:00.000Z' }),
              record({ id: 'p-1', createdAt: '2026-12-01T09:00:00.000Z' }),
            ],
            team: [
              teammate(),
              teammate({
                id: 'e5f6a7b8',
                by: 'ben',
                machine: undefined,
                state: 'stale',
                startedAt: '2026-12-01T09:30:00.000Z',
              }),
            ],
          },
        },
      ],
    });
    assert.equal(r.code, 0);
    assert.deepEqual(
      r.seen.out.map((l) => l.split('  ')[0]),
      ['p-2', 'a1b2c3d4', 'e5f6a7b8', 'p-1'],
    );
    assert.equal(
      r.seen.out[1],
      'a1b2c3d4  2026-12-01T09:58:00.000Z  kars-dev → kars-prod  9f8e7d6  in-progress  ada@laptop-2  7 min ago  deploying 9f8e7d6',
    );
    assert.ok(r.seen.out[2]!.includes('  stale  ben  '), r.seen.out[2]);
    const json = r.seen.json[0] as { promotions: PromoteJson[]; team: TeamPromotion[] };
    assert.deepEqual(
      json.promotions.map((p) => p.id),
      ['p-2', 'p-1'],
    );
    assert.deepEqual(
      json.team.map((t) => t.id),
      ['a1b2c3d4', 'e5f6a7b8'],
    );
  });

  it('says there are none only when neither the folder nor the team has any', async () => {
    const r = await promote(['history'], {
      'promotion.list': [{ reply: { promotions: [], team: [teammate()] } }],
    });
    assert.equal(r.seen.out.length, 1);
    assert.match(r.seen.out[0]!, /^a1b2c3d4 /);
  });
});
