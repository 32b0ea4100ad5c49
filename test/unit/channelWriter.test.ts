// The Output channels' pacing: a line after a quiet spell at once, lines that come faster together.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelWriter } from '../../extension/channelWriter';

/** A writer on a clock the test moves, recording each append. */
function harness(intervalMs = 250) {
  let now = 0;
  const timers: { at: number; run: () => void; cancelled: boolean }[] = [];
  const appended: string[] = [];
  const writer = new ChannelWriter(
    {
      appendLine: (text) => appended.push(text),
      now: () => now,
      schedule: (run, ms) => {
        const timer = { at: now + ms, run, cancelled: false };
        timers.push(timer);
        return { cancel: () => (timer.cancelled = true) };
      },
    },
    intervalMs,
  );
  /** Moves the clock to `t`, running the timers due by then. */
  const advance = (t: number) => {
    now = t;
    for (const timer of timers.filter((x) => !x.cancelled && x.at <= t)) {
      timer.cancelled = true;
      timer.run();
    }
  };
  const pending = () => timers.filter((x) => !x.cancelled).length;
  return { writer, appended, advance, pending };
}

void describe('ChannelWriter', () => {
  void it('writes the first line at once, and a line after a quiet interval at once', () => {
    const h = harness();
    h.writer.appendLine('a');
    assert.deepEqual(h.appended, ['a']);
    h.advance(250);
    h.writer.appendLine('b');
    assert.deepEqual(h.appended, ['a', 'b']);
    assert.equal(h.pending(), 0);
  });

  void it('holds lines that come within the interval and writes them together, in order, when it ends', () => {
    const h = harness();
    h.writer.appendLine('a');
    h.advance(40);
    h.writer.appendLine('b');
    h.advance(120);
    h.writer.appendLine('c');
    assert.deepEqual(h.appended, ['a']);
    assert.equal(h.pending(), 1, 'one timer for the held lines, not one per line');
    h.advance(249);
    assert.deepEqual(h.appended, ['a']);
    h.advance(250);
    assert.deepEqual(h.appended, ['a', 'b\nc']);
  });

  void it('writes at most once per interval under a steady stream', () => {
    const h = harness();
    for (let t = 0; t <= 1000; t += 10) {
      h.advance(t);
      h.writer.appendLine(`line ${t}`);
    }
    h.advance(1250);
    // 0 at once, then 250, 500, 750, 1000 and 1250 for what came after 1000's write.
    assert.equal(h.appended.length, 6);
    assert.equal(h.appended.join('\n').split('\n').length, 101, 'every line, none twice');
    assert.equal(h.appended.at(-1)?.split('\n').at(-1), 'line 1000');
  });

  void it('flush writes what waits now and cancels its timer; a flush with nothing waiting writes nothing', () => {
    const h = harness();
    h.writer.appendLine('a');
    h.writer.appendLine('b');
    h.writer.flush();
    assert.deepEqual(h.appended, ['a', 'b']);
    assert.equal(h.pending(), 0);
    h.writer.flush();
    assert.deepEqual(h.appended, ['a', 'b']);
  });
});
