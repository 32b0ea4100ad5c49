// Pure: after an upstream reconnect Railway sends a backlog again. Drop every line already
// delivered (same nanosecond timestamp and message, counted, since lines often share an instant),
// and say when the replay did not reach back to the last delivered line: a possible gap.
import { timestampKey } from './logTimestamps';

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

  /**
   * A run of lines whose oldest instant is `first` and newest `last` (fixed-width timestamps),
   * taken whole without a look at each line when it is all past everything delivered and no
   * replay is under way; false otherwise (then each line goes through accept()).
   */
  acceptRun(first: string, last: string, messagesAtLast: string[]): boolean {
    if (this.replay || first <= this.last || last < first) return false;
    this.last = last;
    this.delivered = new Map();
    for (const m of messagesAtLast) this.delivered.set(m, (this.delivered.get(m) ?? 0) + 1);
    return true;
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
