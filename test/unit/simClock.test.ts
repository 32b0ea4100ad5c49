// The simulators' clock: timers fire in time order as tests move it, never on their own.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SimClock } from '../../sim/clock';

void describe('SimClock', () => {
  void it('fires due timers in time order, and those they set when they fall due in the same advance', () => {
    const clock = new SimClock(1000);
    const fired: string[] = [];
    clock.after(30, () => fired.push(`b@${clock.nowMs()}`), 'b');
    clock.after(
      10,
      () => {
        fired.push(`a@${clock.nowMs()}`);
        clock.after(5, () => fired.push(`a2@${clock.nowMs()}`), 'a2');
      },
      'a',
    );
    clock.after(100, () => fired.push('late'), 'late');
    assert.equal(clock.advance(50), 3);
    assert.deepEqual(fired, ['a@1010', 'a2@1015', 'b@1030']);
    assert.equal(clock.nowMs(), 1050);
    assert.deepEqual(clock.pendingLabels(), ['late']);
  });

  void it('keeps insertion order for timers due at the same instant, and cancels', () => {
    const clock = new SimClock(0);
    const fired: number[] = [];
    for (const n of [1, 2, 3]) clock.after(10, () => fired.push(n));
    const cancelled = clock.after(10, () => fired.push(4));
    cancelled.cancel();
    clock.advance(10);
    assert.deepEqual(fired, [1, 2, 3]);
  });

  void it('step() jumps to the next timer; nothing moves without being told', () => {
    const clock = new SimClock(new Date('2026-01-01T00:00:00Z'));
    let done = false;
    clock.after(7_200_000, () => (done = true));
    assert.equal(clock.now().toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(done, false);
    assert.equal(clock.step(), true);
    assert.equal(done, true);
    assert.equal(clock.now().toISOString(), '2026-01-01T02:00:00.000Z');
    assert.equal(clock.step(), false);
  });

  void it('a clock following the wall clock stays ahead by what advance() added, and keeps moving', async () => {
    const clock = new SimClock();
    clock.followWallClock(5);
    try {
      clock.advance(20 * 60_000);
      const ahead = clock.nowMs() - Date.now();
      assert.ok(ahead > 19 * 60_000, `ahead by ${ahead} ms`);
      const before = clock.nowMs();
      // Waits for the clock's own tick, not a duration: a timer due 1 ms on fires when it moves.
      await new Promise<void>((resolve) => clock.after(1, resolve));
      assert.ok(clock.nowMs() > before, 'it moved on from the advanced time');
      assert.ok(clock.nowMs() - Date.now() > 19 * 60_000, 'and stayed ahead');
    } finally {
      clock.stopFollowing();
    }
  });
});
