// TeamWatch, the poll of teammates' promotions, with a fake PromotingSource and manual timers:
// a look on demand (the user's Refresh), looks that never overlap, and a timer that stop() ends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TeamPromotion } from '../../protocol/protocol';
import { TeamWatch, type PromotingSource } from '../../daemon/environments/promotingWatch';
import type { Timers } from '../../daemon/environments/projectWatcher';

class ManualTimers implements Timers {
  readonly pending = new Map<number, { ms: number; fn: () => void }>();
  private seq = 0;
  setTimeout(fn: () => void, ms: number): unknown {
    this.pending.set(++this.seq, { ms, fn });
    return this.seq;
  }
  clearTimeout(h: unknown): void {
    this.pending.delete(h as number);
  }
  fireAll(): void {
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      p.fn();
    }
  }
}

const lin: TeamPromotion = {
  id: 'prm-lin',
  deploymentId: 7,
  repo: 'kars/kars-app',
  from: 'kars-dev',
  to: 'kars-prod',
  kind: 'promotion',
  by: 'lin',
  machine: 'lin-laptop',
  state: 'in-progress',
  detail: 'pushing',
  sourceCommit: 'abc',
  startedAt: '2026-11-24T10:00:00Z',
  updatedAt: '2026-11-24T10:00:00Z',
};

/** A GitHub whose every look waits until the test answers it, so overlaps can be seen. */
function fakeSource() {
  const waiting: ((found: TeamPromotion[] | undefined) => void)[] = [];
  const source: PromotingSource = {
    local: () => new Map(),
    team: () => new Promise((resolve) => waiting.push(resolve)),
    onChange: () => () => undefined,
  };
  return {
    source,
    looks: () => waiting.length,
    answer: (found: TeamPromotion[] | undefined) => {
      const next = waiting.shift();
      assert.ok(next, 'no look is waiting for an answer');
      next(found);
    },
  };
}

function setup() {
  const timers = new ManualTimers();
  const gh = fakeSource();
  let changes = 0;
  const watch = new TeamWatch(
    gh.source,
    () => ['kars/kars-app'],
    () => changes++,
    timers,
    30_000,
  );
  return { timers, gh, watch, changes: () => changes };
}

describe('team watch', () => {
  it('looks at once on pollNow and shows what it found', async () => {
    const t = setup();
    const looked = t.watch.pollNow();
    assert.equal(t.gh.looks(), 1);
    t.gh.answer([lin]);
    await looked;
    assert.deepEqual(t.watch.current, [lin]);
    assert.equal(t.changes(), 1);
    assert.equal(t.timers.pending.size, 1, 'the regular poll goes on after a look on demand');
    t.watch.stop();
  });

  it('shares a look under way: two Refreshes cost one request', async () => {
    const t = setup();
    const first = t.watch.pollNow();
    const second = t.watch.pollNow();
    assert.equal(t.gh.looks(), 1);
    t.gh.answer([lin]);
    await Promise.all([first, second]);
    assert.equal(t.changes(), 1);
    assert.equal(t.timers.pending.size, 1, 'one timer, not one per caller');
    t.watch.stop();
  });

  it('a Refresh while the timer waits looks now; the interval starts again after it', async () => {
    const t = setup();
    const first = t.watch.pollNow();
    t.gh.answer([]);
    await first;
    assert.equal(t.timers.pending.size, 1);
    const refreshed = t.watch.pollNow();
    assert.equal(t.gh.looks(), 1, 'looked without waiting for the timer');
    t.gh.answer([lin]);
    await refreshed;
    assert.deepEqual(t.watch.current, [lin]);
    assert.equal(t.timers.pending.size, 1, 'the old timer was replaced, not doubled');
    t.watch.stop();
  });

  it('keeps what it knew when a look fails, and the timer looks again', async () => {
    const t = setup();
    const first = t.watch.pollNow();
    t.gh.answer([lin]);
    await first;
    t.timers.fireAll();
    assert.equal(t.gh.looks(), 1, 'the timer looked');
    const joined = t.watch.pollNow(); // joins the timer's look
    t.gh.answer(undefined);
    await joined;
    assert.equal(t.gh.looks(), 0);
    assert.deepEqual(t.watch.current, [lin]);
    assert.equal(t.changes(), 1);
    t.watch.stop();
  });

  it('stop() ends the timer, and a look answered after it changes nothing', async () => {
    const t = setup();
    const first = t.watch.pollNow();
    t.gh.answer([]);
    await first;
    assert.equal(t.timers.pending.size, 1);
    const late = t.watch.pollNow();
    t.watch.stop();
    assert.equal(t.timers.pending.size, 0);
    t.gh.answer([lin]);
    await late;
    assert.deepEqual(t.watch.current, []);
    assert.equal(t.changes(), 0);
    assert.equal(t.timers.pending.size, 0, 'no timer set after stop');
    await t.watch.pollNow();
    assert.equal(t.gh.looks(), 0, 'a stopped watch does not look');
  });
});
