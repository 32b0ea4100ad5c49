// Per-token request accounting and hourly rate limits, as Railway and GitHub apply them to each token.

export interface RateDecision {
  limit: number;
  remaining: number;
  /** Unix seconds at which the window resets (the `X-RateLimit-Reset` value). */
  resetEpochSeconds: number;
  allowed: boolean;
  retryAfterSeconds: number;
}

export interface RequestFilter {
  operationName?: string;
  token?: string;
}

interface Window {
  startMs: number;
  used: number;
}

const hourMs = 3_600_000;

export class Traffic {
  private readonly windows = new Map<string, Window>();
  private readonly log: { operationName: string; token: string }[] = [];

  constructor(
    private readonly limitPerHour: number,
    private readonly nowMs: () => number,
  ) {}

  /** Records one request and decides whether the token's budget allows it. */
  hit(token: string, operationName: string): RateDecision {
    this.log.push({ operationName, token });
    const window = this.windowFor(token);
    window.used += 1;
    const resetMs = window.startMs + hourMs;
    return {
      limit: this.limitPerHour,
      remaining: Math.max(0, this.limitPerHour - window.used),
      resetEpochSeconds: Math.ceil(resetMs / 1000),
      allowed: window.used <= this.limitPerHour,
      retryAfterSeconds: Math.max(1, Math.ceil((resetMs - this.nowMs()) / 1000)),
    };
  }

  remaining(token: string): { remainingPoints: number; resetsAt: string } {
    const window = this.windowFor(token);
    return {
      remainingPoints: Math.max(0, this.limitPerHour - window.used),
      resetsAt: new Date(window.startMs + hourMs).toISOString(),
    };
  }

  /** All requests, those of one operation name (a string), or those matching a filter. */
  count(filter?: string | RequestFilter): number {
    const f: RequestFilter =
      typeof filter === 'string' ? { operationName: filter } : (filter ?? {});
    return this.log.filter(
      (r) =>
        (f.operationName === undefined || r.operationName === f.operationName) &&
        (f.token === undefined || r.token === f.token),
    ).length;
  }

  private windowFor(token: string): Window {
    const now = this.nowMs();
    let window = this.windows.get(token);
    if (!window || now >= window.startMs + hourMs) {
      window = { startMs: now, used: 0 };
      this.windows.set(token, window);
    }
    return window;
  }
}
