// Rate-limit accounting for one token: Railway's X-RateLimit-* headers, told apart by window (the
// hourly budget, or a short one such as the per-second limit), plus our own count of the last hour.

export interface RateLimitSnapshot {
  /** The hourly budget, from the last X-RateLimit-* headers that described it. */
  limit?: number;
  remaining?: number;
  /** Epoch milliseconds at which the hourly window resets. */
  resetAtMs?: number;
  /** Requests this process sent in the last hour (a sliding window), whatever the headers say. */
  requestsLastHour: number;
  /** Of those, how many were refused with a 429, for either window (when the client counts them). */
  rateLimitedLastHour?: number;
}

/** Which of Railway's windows a reading or a 429 is about: a short one (per second) or the hour. */
export type RateWindowKind = 'burst' | 'hour';

interface Reading {
  limit?: number;
  remaining?: number;
  resetAtMs?: number;
}

const hourMs = 3_600_000;

/**
 * A window that resets this soon is not the hourly budget: Railway documents one set of headers
 * and does not say whether its per-second window ever shows in them, so readings are told apart
 * by when they reset. (The hour's own last seconds read as short too; that only delays a request
 * until the reset, which is right anyway.)
 */
export const burstHorizonMs = 10_000;

export class RateLimitTracker {
  private readonly sent: number[] = [];
  private readonly refused: number[] = [];
  private hour: Reading = {};
  private burst: Reading = {};

  constructor(private readonly now: () => number = Date.now) {}

  recordRequest(): void {
    this.sent.push(this.now());
    this.prune();
  }

  recordRateLimited(): void {
    this.refused.push(this.now());
  }

  /** 429s recorded in the last hour. */
  rateLimitedLastHour(): number {
    this.prune();
    return this.refused.length;
  }

  /** Reads X-RateLimit-Limit/Remaining/Reset; Reset may be epoch seconds (GitHub, Railway) or seconds from now. */
  recordHeaders(headers: Headers): void {
    const reading = this.read(headers);
    if (!reading) return;
    if (this.windowOf(reading) === 'burst') this.burst = reading;
    else this.hour = { ...this.hour, ...defined(reading) };
  }

  /**
   * Which window a 429 was about: a short Retry-After, or headers that show a short window or an
   * hour with requests left, mean the burst limit; a long wait or a spent hour mean the budget.
   */
  windowOf429(headers: Headers, retryAfterSeconds: number | undefined): RateWindowKind | undefined {
    if (retryAfterSeconds !== undefined && retryAfterSeconds * 1000 <= burstHorizonMs)
      return 'burst';
    const reading = this.read(headers);
    if (reading && this.windowOf(reading) === 'burst') return 'burst';
    if (reading?.remaining !== undefined && reading.remaining > 0) return 'burst';
    return reading?.remaining === 0 || retryAfterSeconds !== undefined ? 'hour' : undefined;
  }

  /** How long until a window the last headers said is spent lets requests through again. */
  spent(): { ms: number; window: RateWindowKind } | undefined {
    for (const [window, r] of [
      ['hour', this.hour],
      ['burst', this.burst],
    ] as const) {
      if (r.remaining !== 0 || r.resetAtMs === undefined) continue;
      const ms = r.resetAtMs - this.now();
      if (ms > 0) return { ms, window };
    }
    return undefined;
  }

  snapshot(): RateLimitSnapshot {
    this.prune();
    return {
      limit: this.hour.limit,
      remaining: this.hour.remaining,
      resetAtMs: this.hour.resetAtMs,
      requestsLastHour: this.sent.length,
    };
  }

  private read(headers: Headers): Reading | undefined {
    const limit = numberHeader(headers, 'x-ratelimit-limit');
    const remaining = numberHeader(headers, 'x-ratelimit-remaining');
    const reset = numberHeader(headers, 'x-ratelimit-reset');
    if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
    const resetAtMs =
      reset === undefined ? undefined : reset > 1e9 ? reset * 1000 : this.now() + reset * 1000;
    return { limit, remaining, resetAtMs };
  }

  private windowOf(r: Reading): RateWindowKind {
    return r.resetAtMs !== undefined && r.resetAtMs - this.now() <= burstHorizonMs
      ? 'burst'
      : 'hour';
  }

  private prune(): void {
    const cutoff = this.now() - hourMs;
    for (const times of [this.sent, this.refused]) {
      let drop = 0;
      while (drop < times.length && (times[drop] ?? 0) <= cutoff) drop++;
      if (drop > 0) times.splice(0, drop);
    }
  }
}

function defined(r: Reading): Reading {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
}

function numberHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Retry-After in seconds: either a number of seconds or an HTTP date. */
export function retryAfterSeconds(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
