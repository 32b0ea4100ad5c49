// The panel's requests as the extension relays them, with a fake host and a daemon that records
// each call: what reaches the daemon and with which params, busy around each call, the daemon's
// sentence on failure, modals before what changes production, refusals of invalid messages, of
// links that are not http(s) and of actions in a panel that only shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RpcError } from '../../protocol/jsonrpc';
import type { PanelReadOnly, ToPanel } from '../../protocol/panel';
import { ErrorCode, type PromotionRecord } from '../../protocol/protocol';
import { relay, type RelayHost } from '../../extension/panelRelay';
import type { Question } from '../../extension/panelHostModel';
import { record } from './promotionRecords';

const folder = { path: '/work/kars', trusted: true };

interface Call {
  method: string;
  params: Record<string, unknown>;
}

/** A host around `shown`; the daemon answers each method with `answer` (or throws it). */
function fakeHost(
  shown: PromotionRecord | undefined,
  options: {
    readOnly?: PanelReadOnly;
    answer?: (method: string, params: Record<string, unknown>) => PromotionRecord;
    yes?: boolean;
  } = {},
) {
  const calls: Call[] = [];
  const posted: ToPanel[] = [];
  const asked: Question[] = [];
  const offered: PromotionRecord[] = [];
  const opened: PromotionRecord[] = [];
  const urls: string[] = [];
  const logs: unknown[] = [];
  const failures: unknown[] = [];
  const warnings: string[] = [];
  let readies = 0;
  const client = {
    request: (method: string, params: Record<string, unknown>) => {
      calls.push({ method, params });
      try {
        return Promise.resolve(options.answer?.(method, params) ?? shown);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
  } as unknown as ReturnType<RelayHost['client']>;
  const host: RelayHost = {
    record: () => shown,
    team: () => undefined,
    readOnly: () => options.readOnly,
    client: () => client,
    folder: () => folder,
    post: (m) => void posted.push(m),
    offer: (r) => void offered.push(r),
    ready: () => void readies++,
    rendered: () => undefined,
    cspViolation: () => undefined,
    ask: (q) => {
      asked.push(q);
      // A person who goes ahead types exactly what is asked of them.
      return Promise.resolve((options.yes ?? true) ? { confirm: q.typed } : undefined);
    },
    open: (r) => {
      opened.push(r);
      return Promise.resolve();
    },
    openLogs: (spec) => {
      logs.push(spec);
      return Promise.resolve();
    },
    openExternal: (url) => {
      urls.push(url);
      return Promise.resolve();
    },
    failed: (e) => void failures.push(e),
    warn: (m) => void warnings.push(m),
  };
  return {
    host,
    calls,
    posted,
    asked,
    offered,
    opened,
    urls,
    logs,
    failures,
    warnings,
    readies: () => readies,
  };
}

const busy = (posted: ToPanel[]) => posted.flatMap((m) => (m.type === 'busy' ? [m.busy] : []));

describe('panel relay', () => {
  it('answers ready with the state, and nothing goes to the daemon', async () => {
    const t = fakeHost(record());
    await relay(t.host, { type: 'ready' });
    assert.equal(t.readies(), 1);
    assert.deepEqual(t.calls, []);
  });

  it('relays Re-check of one gate, with busy around the call, and shows the answer', async () => {
    const shown = record({ id: 'p-7' });
    const again = record({ id: 'p-7', state: 'planned' });
    const t = fakeHost(shown, { answer: () => again });
    await relay(t.host, { type: 'recheck', gate: 'ci' });
    assert.deepEqual(t.calls, [
      { method: 'promotion.recheck', params: { folder, id: 'p-7', gate: 'ci' } },
    ]);
    assert.deepEqual(t.posted, [
      { type: 'busy', action: 'recheck', busy: true },
      { type: 'busy', action: 'recheck', busy: false },
    ]);
    assert.deepEqual(t.offered, [again]);
  });

  it('relays Promote with what the person gave, and nothing they did not', async () => {
    const t = fakeHost(record({ protected: true }));
    await relay(t.host, {
      type: 'start',
      confirm: 'kars-prod',
      overrideWindow: 'hotfix for the login outage',
    });
    assert.deepEqual(t.calls, [
      {
        method: 'promotion.start',
        params: {
          folder,
          id: 'p-1',
          confirm: 'kars-prod',
          overrideWindow: 'hotfix for the login outage',
          rollbackOnFailure: false,
          reapplyReverts: false,
        },
      },
    ]);
  });

  it('posts the daemon’s sentence when it refuses, never a stack, and still clears busy', async () => {
    const refusal = new RpcError(
      ErrorCode.Conflict,
      'Not started: QA sign-off: nobody signed off.',
    );
    const t = fakeHost(record(), {
      answer: () => {
        throw refusal;
      },
    });
    await relay(t.host, { type: 'start' });
    assert.deepEqual(t.posted, [
      { type: 'busy', action: 'start', busy: true },
      { type: 'error', action: 'start', message: 'Not started: QA sign-off: nobody signed off.' },
      { type: 'busy', action: 'start', busy: false },
    ]);
    assert.deepEqual(t.failures, [refusal]);
  });

  it('asks in a modal what a rollback restores, then for the protected target’s name typed, and sends what was typed', async () => {
    const failed = record({
      state: 'failed',
      protected: true,
      mergeCommit: 'abcdef0123456789',
      services: [
        {
          id: 's1',
          name: 'kars-backend',
          previousDeploymentId: 'a1b2c3d4-0000-4000-8000-000000000001',
          previousCommit: '1111111aaaa',
        },
      ],
    });
    const t = fakeHost(failed);
    await relay(t.host, { type: 'rollback' });
    assert.equal(t.asked.length, 1);
    assert.match(t.asked[0]!.detail, /kars-backend: back to its deployment a1b2c3d4 \(1111111\)/);
    assert.equal(t.asked[0]!.typed, 'kars-prod');
    assert.deepEqual(t.calls, [
      { method: 'promotion.rollback', params: { folder, id: 'p-1', confirm: 'kars-prod' } },
    ]);
  });

  it('sends nothing when the modal is dismissed, and the page stops waiting at once', async () => {
    const t = fakeHost(record({ state: 'failed' }), { yes: false });
    for (const type of ['rollback', 'revert', 'deploy-missing'] as const)
      await relay(t.host, { type });
    assert.equal(t.asked.length, 3);
    assert.deepEqual(t.calls, []);
    assert.deepEqual(
      t.posted,
      (['rollback', 'revert', 'deploy-missing'] as const).map((action) => ({
        type: 'busy',
        action,
        busy: false,
      })),
    );
  });

  it('asks no name for an unprotected target, and sends no confirmation', async () => {
    const t = fakeHost(record({ state: 'failed', protected: false }));
    await relay(t.host, { type: 'rollback' });
    assert.equal(t.asked[0]?.typed, undefined);
    assert.deepEqual(t.calls, [{ method: 'promotion.rollback', params: { folder, id: 'p-1' } }]);
  });

  it('shows the revert, a promotion of its own, in its own panel', async () => {
    const revert = record({ id: 'p-revert', kind: 'revert', state: 'confirmed' });
    const t = fakeHost(record({ state: 'failed' }), { answer: () => revert });
    await relay(t.host, { type: 'revert' });
    assert.equal(t.calls[0]?.method, 'promotion.revert');
    assert.deepEqual(t.opened, [revert]);
    assert.deepEqual(t.offered, []);
  });

  it('plans the back-merge of the target into the source and opens it', async () => {
    const back = record({ id: 'p-back', kind: 'back-merge', state: 'planned' });
    const t = fakeHost(record(), { answer: () => back });
    await relay(t.host, { type: 'back-merge' });
    assert.deepEqual(t.calls, [
      {
        method: 'promotion.plan',
        params: { folder, from: 'kars-prod', to: 'kars-dev', kind: 'back-merge' },
      },
    ]);
    assert.deepEqual(t.opened, [back]);
  });

  it('refuses every action in Restricted Mode with the way to trust, without asking the daemon', async () => {
    const t = fakeHost(record(), { readOnly: 'untrusted' });
    await relay(t.host, { type: 'sign-off' });
    await relay(t.host, { type: 'rollback' });
    assert.deepEqual(t.calls, []);
    assert.deepEqual(t.asked, [], 'asked before refusing');
    const errors = t.posted.filter((m) => m.type === 'error');
    assert.equal(errors.length, 2);
    assert.match(errors[0]!.type === 'error' ? errors[0]!.message : '', /trust the workspace/);
    const untrusted = t.failures[0];
    assert.ok(untrusted instanceof RpcError && untrusted.code === ErrorCode.Forbidden);
    assert.deepEqual(untrusted.data, { untrusted: true }, 'the pop-up would not offer trust');
  });

  it('refuses actions on a teammate’s promotion and while the daemon is away', async () => {
    for (const readOnly of ['teammate', 'disconnected'] as const) {
      const t = fakeHost(record(), { readOnly });
      await relay(t.host, { type: 'cancel' });
      assert.deepEqual(t.calls, [], readOnly);
      assert.equal(t.posted[0]?.type, 'error', readOnly);
    }
  });

  it('refuses what does not parse, naming the action when it was one', async () => {
    const t = fakeHost(record());
    await relay(t.host, { type: 'start', rollbackOnFailure: 'yes' });
    await relay(t.host, { type: 'recheck', gate: '<script>' });
    await relay(t.host, { type: 'no-such', extra: 1 });
    await relay(t.host, null);
    assert.deepEqual(t.calls, []);
    assert.deepEqual(
      t.posted.map((m) => (m.type === 'error' ? (m.action ?? '-') : m.type)),
      ['start', 'recheck', '-', '-'],
    );
    assert.equal(t.warnings.length, 4);
    assert.match(t.warnings[0]!, /rollbackOnFailure/);
  });

  it('opens http(s) links only', async () => {
    const t = fakeHost(record());
    await relay(t.host, { type: 'open-url', url: 'https://github.com/kars/kars-app/pull/7' });
    for (const url of ['command:workbench.action.quit', 'file:///etc/passwd', 'javascript:1'])
      await relay(t.host, { type: 'open-url', url });
    assert.deepEqual(t.urls, ['https://github.com/kars/kars-app/pull/7']);
    assert.equal(t.posted.filter((m) => m.type === 'error').length, 3);
  });

  it('opens a service’s log channel by its name in the target, and refuses a service it does not know', async () => {
    const t = fakeHost(record({ services: [{ id: 's1', name: 'kars-backend' }] }));
    await relay(t.host, { type: 'open-logs', serviceId: 's1', kind: 'build' });
    await relay(t.host, { type: 'open-logs', serviceId: 'nope', kind: 'deploy' });
    assert.deepEqual(t.logs, [
      { environment: 'kars-prod', service: 'kars-backend', kind: 'build' },
    ]);
    assert.equal(t.posted.filter((m) => m.type === 'error').length, 1);
  });

  it('busy is cleared when a request was answered but a deploy was refused', async () => {
    const t = fakeHost(record({ state: 'deploying', protected: true }), {
      answer: () => {
        throw new RpcError(ErrorCode.Upstream, 'Railway answered 503.');
      },
    });
    await relay(t.host, { type: 'deploy-missing' });
    assert.deepEqual(busy(t.posted), [true, false]);
    assert.deepEqual(t.calls[0]?.params, { folder, id: 'p-1', confirm: 'kars-prod' });
  });
});
