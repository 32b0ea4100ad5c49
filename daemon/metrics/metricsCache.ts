// The daemon's cache of Railway's metrics: one upstream request per chart per step, however many
// clients ask. An entry answers while its step lasts; a request in flight is shared by every
// caller; a failure is not kept (the next caller asks again, paced by the Railway client).

export interface Cached<T> {
  value: T;
  /** When Railway answered. */
  fetchedAt: Date;
}

interface Entry<T> {
  /** The step the entry was fetched for (its window's aligned end, Unix seconds). */
  step: number;
  pending: Promise<Cached<T>>;
}

export class MetricsCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /**
   * The entry of `key` for `step`, or `fetch`'s answer stored under it. A newer step replaces the
   * entry of an older one, so the cache holds at most one entry per key.
   */
  get(key: string, step: number, fetch: () => Promise<T>, now: () => Date): Promise<Cached<T>> {
    const entry = this.entries.get(key);
    if (entry && entry.step === step) return entry.pending;
    const pending = fetch().then((value) => ({ value, fetchedAt: now() }));
    const fresh = { step, pending };
    this.entries.set(key, fresh);
    pending.catch(() => {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
    });
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }
}
