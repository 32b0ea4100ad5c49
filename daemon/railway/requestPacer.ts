// Keeps one token's Railway requests under Railway's per-second limit: a burst queues for a moment
// instead of being refused, and a 429's Retry-After holds every request of the token back.

export interface Pace {
  /** Requests allowed in any `windowMs`; Infinity turns pacing off. */
  perWindow: number;
  windowMs: number;
}

/** Hobby's 10 requests a second: the lowest per-second limit of Railway's plans (Free has none, but only 100 an hour). */
export const railwayPace: Pace = { perWindow: 10, windowMs: 1_000 };

interface Ticket {
  /** When its answer (or failure) came back. */
  doneAt?: number;
  finished: Promise<void>;
  finish(): void;
}

/**
 * A request goes only once the one `perWindow` places before it has been answered and `windowMs`
 * has passed since. Railway counts a request when it arrives, which is after it was sent and before
 * it was answered; so however late the network delivers requests, any `perWindow + 1` of them
 * arrive more than `windowMs` apart, whether Railway counts fixed or sliding windows. (Timing sends
 * alone is not enough: requests sent a second apart can arrive closer together.) The cost: while
 * ten requests are out, an eleventh waits for the first answer (or its timeout).
 */
export class RequestPacer {
  /** The last `perWindow` requests let through, oldest first. */
  private readonly recent: Ticket[] = [];
  private heldUntil = 0;

  constructor(
    private readonly pace: Pace,
    private readonly now: () => number,
    private readonly delay: (ms: number, signal?: AbortSignal) => Promise<void>,
  ) {}

  /**
   * Resolves when this request may go (at once while fewer than `perWindow` went in the last
   * window); call the function it gives as soon as the request is answered or has failed.
   */
  async take(signal?: AbortSignal): Promise<() => void> {
    const ticket = this.ticket();
    if (!Number.isFinite(this.pace.perWindow)) return this.waitForHold(signal, ticket);
    const blocker = this.recent.length >= this.pace.perWindow ? this.recent.shift() : undefined;
    this.recent.push(ticket);
    if (blocker) {
      await untilAborted(blocker.finished, signal);
      const wait = (blocker.doneAt ?? this.now()) + this.pace.windowMs - this.now();
      if (wait > 0 && !signal?.aborted) await this.delay(wait, signal);
    }
    return this.waitForHold(signal, ticket);
  }

  /** Nothing leaves before `ms` from now (Railway's Retry-After, or a window the headers say is spent). */
  holdFor(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.now() + ms);
  }

  private async waitForHold(signal: AbortSignal | undefined, ticket: Ticket): Promise<() => void> {
    const wait = this.heldUntil - this.now();
    if (wait > 0 && !signal?.aborted) await this.delay(wait, signal);
    return () => ticket.finish();
  }

  private ticket(): Ticket {
    let resolve = () => {};
    const ticket: Ticket = {
      finished: new Promise<void>((r) => (resolve = r)),
      finish: () => {
        if (ticket.doneAt !== undefined) return;
        ticket.doneAt = this.now();
        resolve();
      },
    };
    return ticket;
  }
}

/** Resolves when `p` does, or at once when the signal aborts (the caller then gives up). */
function untilAborted(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void p.then(done);
  });
}
