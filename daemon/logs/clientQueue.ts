// Pure (timers injected): one client's queue for one stream. Bounded in bytes: when the client
// cannot keep up, the oldest lines go and a marker says how many. Flushed in batches, a few times a
// second, each batch whole runs of lines as Railway sent them.
import { lineCount, markerRun, type LogRun } from './logRuns';

export interface QueueOptions {
  /** Most bytes held for a client before the oldest lines are dropped. */
  capBytes: number;
  /** Longest a line waits before it is sent. */
  flushMs: number;
  /** Once this many bytes wait they are sent at once. */
  maxBatchBytes: number;
  /** Sends a batch; returns false when the client is backed up (its socket buffer is full). */
  send(runs: LogRun[]): boolean;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export class ClientQueue {
  private runs: LogRun[] = [];
  private bytes = 0;
  private dropped = 0;
  private timer: unknown;
  private closed = false;
  private lastSent = -Infinity;
  /** Held until the client knows the stream id (the answer to logs.subscribe has gone out). */
  private held = true;

  constructor(private readonly o: QueueOptions) {}

  push(run: LogRun): void {
    if (this.closed) return;
    this.runs.push(run);
    this.bytes += run.json.length;
    if (this.bytes > this.o.capBytes) this.dropOldest();
    // A line after a quiet spell goes at once; while lines keep coming they wait out the interval,
    // so a fast stream costs a few messages a second and a slow one no latency.
    const wait = this.lastSent + this.o.flushMs - this.o.now();
    if (this.bytes >= this.o.maxBatchBytes || (wait <= 0 && this.timer === undefined)) this.flush();
    else this.timer ??= this.o.setTimeout(() => this.flush(), Math.max(wait, 0));
  }

  /** Lets queued runs go: the client can now tell which stream they belong to. */
  release(): void {
    this.held = false;
    this.flush();
  }

  /** Sends what is queued, in batches of about maxBatchBytes; keeps it when the client is backed up. */
  flush(): void {
    this.o.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held) return;
    if (this.runs.length) this.lastSent = this.o.now();
    while (this.runs.length) {
      const taken = this.batchLength();
      const batch = this.runs.slice(0, taken);
      if (this.dropped) batch.unshift(droppedMarker(this.dropped));
      if (!this.o.send(batch)) {
        this.timer = this.o.setTimeout(() => this.flush(), this.o.flushMs);
        return;
      }
      this.dropped = 0;
      for (const run of this.runs.splice(0, taken)) this.bytes -= run.json.length;
    }
  }

  /** Lines waiting (counting them: tests and status, not the hot path). */
  get size(): number {
    return this.runs.reduce((n, r) => n + lineCount(r), 0);
  }

  close(): void {
    this.closed = true;
    this.o.clearTimeout(this.timer);
    this.runs = [];
    this.bytes = 0;
  }

  /** Whole runs up to about maxBatchBytes, at least one. */
  private batchLength(): number {
    let n = 0;
    let bytes = 0;
    while (
      n < this.runs.length &&
      (n === 0 || bytes + this.runs[n]!.json.length <= this.o.maxBatchBytes)
    )
      bytes += this.runs[n++]!.json.length;
    return n;
  }

  /** Drops the oldest line runs (markers stay: they say what happened) but never the newest. */
  private dropOldest(): void {
    for (let i = 0; this.bytes > this.o.capBytes && i < this.runs.length - 1;) {
      const run = this.runs[i]!;
      if (run.marker) {
        i++;
        continue;
      }
      this.runs.splice(i, 1);
      this.bytes -= run.json.length;
      this.dropped += lineCount(run);
    }
  }
}

function droppedMarker(count: number): LogRun {
  return markerRun({
    type: 'marker',
    kind: 'dropped',
    text: `${count} lines dropped: this client fell behind`,
    count,
  });
}
