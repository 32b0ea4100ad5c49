// Rate-limit accounting for one token: the upstream's X-RateLimit-* headers plus our own count of the last hour's requests.

export interface RateLimitSnapshot {
  /** From the last X-RateLimit-Limit header seen, when there was one. */
  limit?: number;
  remaining?: number;
  /** Epoch milliseconds at which the upstream's window resets. */
  resetAtMs?: number;
  /** Requests this process sent in the last hour (a sliding window), whatever the headers say. */
  requestsLastHour: number;
}

const hourMs = 3_600_000;

export class RateLimitTracker {
  private readonly sent: number[] = [];
  private limit?: number;
  private remaining?: number;
  private resetAtMs?: number;

  constructor(private readonly now: () => number = Date.now) {}

  recordRequest(): void {
    this.sent.push(this.now());
    this.prune();
  }

  /** Reads X-RateLimit-Limit/Remaining/Reset; Reset may be epoch seconds (GitHub, Railway) or seconds from now. */
  recordHeaders(headers: Headers): void {
    const limit = numberHeader(headers, 'x-ratelimit-limit');
    const remaining = numberHeader(headers, 'x-ratelimit-remaining');
    const reset = numberHeader(headers, 'x-ratelimit-reset');
    if (limit !== undefined) this.limit = limit;
    if (remaining !== undefined) this.remaining = remaining;
    if (reset !== undefined)
      this.resetAtMs = reset > 1e9 ? reset * 1000 : this.now() + reset * 1000;
  }

  /** Seconds until the upstream's window reopens, when the last headers said the budget is spent. */
  exhaustedForSeconds(): number | undefined {
    if (this.remaining !== 0 || this.resetAtMs === undefined) return undefined;
    const wait = Math.ceil((this.resetAtMs - this.now()) / 1000);
    return wait > 0 ? wait : undefined;
  }

  snapshot(): RateLimitSnapshot {
    this.prune();
    return {
      limit: this.limit,
      remaining: this.remaining,
      resetAtMs: this.resetAtMs,
      requestsLastHour: this.sent.length,
    };
  }

  private prune(): void {
    const cutoff = this.now() - hourMs;
    let drop = 0;
    while (drop < this.sent.length && (this.sent[drop] ?? 0) <= cutoff) drop++;
    if (drop > 0) this.sent.splice(0, drop);
  }
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
