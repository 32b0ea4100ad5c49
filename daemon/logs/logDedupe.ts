// Pure: after an upstream reconnect Railway sends a backlog again. Drop every line already
// delivered (same nanosecond timestamp and message, counted, since lines often share an instant),
// and say when the replay did not reach back to the last delivered line: a possible gap.
import { timestampKey } from './logLine';

export type Verdict = 'new' | 'duplicate' | 'new-after-gap';

export class LogDedupe {
  /** The newest instant delivered, as a timestampKey ('' before any). */
  private last = '';
  /** How many times each message was delivered at exactly `last`. */
  private delivered = new Map<string, number>();
  /** During a replay: duplicates still expected at `last`; `overlap` once the replay reached back. */
  private replay: { left: Map<string, number>; overlap: boolean } | undefined;

  accept(timestamp: string, message: string): Verdict {
    const t = timestampKey(timestamp);
    let verdict: Verdict = 'new';
    if (this.replay) {
      if (t < this.last) {
        this.replay.overlap = true;
        return 'duplicate';
      }
      if (t === this.last) {
        this.replay.overlap = true;
        const left = this.replay.left.get(message) ?? 0;
        if (left > 0) {
          this.replay.left.set(message, left - 1);
          return 'duplicate';
        }
      } else {
        // The first line past everything delivered ends the replay.
        if (!this.replay.overlap && this.last !== '') verdict = 'new-after-gap';
        this.replay = undefined;
      }
    }
    this.record(t, message);
    return verdict;
  }

  /** The upstream reconnected: what follows starts with a backlog that may repeat delivered lines. */
  beginReplay(): void {
    this.replay = { left: new Map(this.delivered), overlap: false };
  }

  private record(t: string, message: string): void {
    if (t > this.last) {
      this.last = t;
      this.delivered = new Map();
    }
    if (t === this.last) this.delivered.set(message, (this.delivered.get(message) ?? 0) + 1);
  }
}
