// Pure (timers injected): one client's queue for one stream. Bounded: when the client cannot keep
// up, the oldest lines go and a marker says how many. Flushed in batches, a few times a second.
import type { LogItem } from '../../protocol/protocol';

export interface QueueOptions {
  /** Most items held for a client before the oldest are dropped. */
  cap: number;
  /** Longest a line waits before it is sent. */
  flushMs: number;
  /** A batch this large is sent at once. */
  maxBatch: number;
  /** Sends a batch; returns false when the client is backed up (its socket buffer is full). */
  send(items: LogItem[]): boolean;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export class ClientQueue {
  private items: LogItem[] = [];
  private head = 0;
  private dropped = 0;
  private timer: unknown;
  private closed = false;
  private lastSent = -Infinity;
  /** Held until the client knows the stream id (the answer to logs.subscribe has gone out). */
  private held = true;

  constructor(private readonly o: QueueOptions) {}

  push(item: LogItem): void {
    if (this.closed) return;
    this.items.push(item);
    if (this.items.length - this.head > this.o.cap) {
      this.head++;
      this.dropped++;
    }
    // A line after a quiet spell goes at once; while lines keep coming they wait out the interval,
    // so a fast stream costs a few messages a second and a slow one no latency.
    const wait = this.lastSent + this.o.flushMs - this.o.now();
    if (this.items.length - this.head >= this.o.maxBatch || (wait <= 0 && this.timer === undefined))
      this.flush();
    else this.timer ??= this.o.setTimeout(() => this.flush(), Math.max(wait, 0));
  }

  /** Sends what is queued (up to maxBatch per message); keeps it when the client is backed up. */
  /** Lets queued items go: the client can now tell which stream they belong to. */
  release(): void {
    this.held = false;
    this.flush();
  }

  flush(): void {
    this.o.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held) return;
    if (this.head < this.items.length) this.lastSent = this.o.now();
    while (this.head < this.items.length) {
      const batch = this.items.slice(this.head, this.head + this.o.maxBatch);
      if (this.dropped)
        batch.unshift({
          type: 'marker',
          kind: 'dropped',
          text: `${this.dropped} lines dropped: this client fell behind`,
          count: this.dropped,
        });
      if (!this.o.send(batch)) {
        this.timer = this.o.setTimeout(() => this.flush(), this.o.flushMs);
        return;
      }
      this.dropped = 0;
      this.head +=
        batch.length - (batch[0]?.type === 'marker' && batch[0].kind === 'dropped' ? 1 : 0);
    }
    this.items = [];
    this.head = 0;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  close(): void {
    this.closed = true;
    this.o.clearTimeout(this.timer);
    this.items = [];
  }
}
