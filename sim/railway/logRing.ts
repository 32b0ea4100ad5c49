// Bounded log memory for the Railway simulator: a ring per (deployment, kind) and a nanosecond clock
// whose timestamps never go backwards, so a million lines cost the memory of the newest few thousand.

/** Fixed-size ring: pushing past capacity forgets the oldest entry. */
export class Ring<T> {
  private readonly slots: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`ring capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<T | undefined>(capacity);
  }

  push(value: T): void {
    this.slots[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Newest first, so a query for the last `limit` lines stops early. */
  *newestFirst(): Generator<T> {
    for (let i = 1; i <= this.count; i++) {
      const value = this.slots[(this.next - i + this.capacity) % this.capacity];
      if (value !== undefined) yield value;
    }
  }
}

/**
 * RFC 3339 timestamps with nanoseconds from a millisecond clock: each is after the previous one
 * (or equal to it when asked, as Railway's can be), even when the clock stands still or steps back.
 */
export class NanoClock {
  private ms = -1;
  private sub = 0;
  private text = '';

  constructor(private readonly now: () => Date) {}

  next(same = false): string {
    if (same && this.text) return this.text;
    const now = this.now().getTime();
    if (now > this.ms) {
      this.ms = now;
      this.sub = 0;
    } else if (++this.sub > 999_999) {
      this.ms += 1;
      this.sub = 0;
    }
    const digits = String(this.sub).padStart(6, '0');
    this.text = new Date(this.ms).toISOString().replace('Z', `${digits}Z`);
    return this.text;
  }
}
