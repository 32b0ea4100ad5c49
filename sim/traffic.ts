// Per-token request accounting and rate limits, as Railway and GitHub apply them to each token: an
// hourly budget, and for Railway's paid plans a per-second limit beside it, each a window on a clock.

/** One token's limits: requests per hour, and per second where the plan sets one. */
export interface RateLimits {
  perHour: number;
  perSecond: number | null;
}

/**
 * How a window counts. Railway does not say: `fixed` opens a window at the first request and
 * forgets it whole when it ends; `sliding` counts the requests of the last window length.
 */
export type WindowKind = 'fixed' | 'sliding';

/**
 * Which window the X-RateLimit-* headers describe. Railway documents one set of headers (and calls
 * it the hourly budget); whether a per-second window ever shows in them is not known, so the
 * simulator can do either: `hour` always, or `tightest`, the window with the fewest requests left.
 */
export type RateHeaderWindow = 'hour' | 'tightest';

export interface RateDecision {
  limit: number;
  remaining: number;
  /** Unix seconds at which the window resets (the `X-RateLimit-Reset` value). */
  resetEpochSeconds: number;
  allowed: boolean;
  retryAfterSeconds: number;
  /** The window that refused the request, when one did (the longer one when both did). */
  refusedBy?: 'hour' | 'second';
}

export interface RequestFilter {
  operationName?: string;
  token?: string;
  /** Only requests refused for rate limits (true) or only those let through (false). */
  refused?: boolean;
  /** Only conditional requests answered 304 (true), or only the others (false). */
  notModified?: boolean;
}

export interface TrafficOptions {
  windows?: WindowKind;
  headers?: RateHeaderWindow;
}

const hourMs = 3_600_000;
const secondMs = 1_000;

/** One rate window of one token. Refused requests are not counted in it: they used nothing. */
export class RateWindow {
  private readonly times: number[] = [];
  private fixedStart = -Infinity;
  private fixedUsed = 0;

  constructor(
    readonly limit: number,
    readonly lengthMs: number,
    private readonly kind: WindowKind,
  ) {}

  remaining(now: number): number {
    return Math.max(0, this.limit - this.used(now));
  }

  /** When the window next lets a request through again (epoch ms). */
  resetAt(now: number): number {
    if (this.kind === 'fixed')
      return now >= this.fixedStart + this.lengthMs
        ? now + this.lengthMs
        : this.fixedStart + this.lengthMs;
    this.prune(now);
    return (this.times[0] ?? now) + this.lengthMs;
  }

  /** Takes back the newest request: a conditional request GitHub answered 304 costs nothing. */
  unrecord(): void {
    if (this.kind === 'sliding') this.times.pop();
    else this.fixedUsed = Math.max(0, this.fixedUsed - 1);
  }

  record(now: number): void {
    if (this.kind === 'sliding') {
      this.times.push(now);
      return;
    }
    if (now >= this.fixedStart + this.lengthMs) {
      this.fixedStart = now;
      this.fixedUsed = 0;
    }
    this.fixedUsed += 1;
  }

  private used(now: number): number {
    if (this.kind === 'fixed') return now >= this.fixedStart + this.lengthMs ? 0 : this.fixedUsed;
    this.prune(now);
    return this.times.length;
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] ?? 0) <= now - this.lengthMs) drop++;
    if (drop > 0) this.times.splice(0, drop);
  }
}

interface TokenWindows {
  hour: RateWindow;
  second?: RateWindow;
}

export class Traffic {
  private readonly windows = new Map<string, TokenWindows>();
  private readonly log: {
    operationName: string;
    token: string;
    refused: boolean;
    /** Answered 304 Not Modified to a conditional request: free, as GitHub counts it. */
    notModified?: boolean;
  }[] = [];
  private readonly limitsFor: (token: string) => RateLimits;

  /** @param limits an hourly budget for every token, or each token's limits. */
  constructor(
    limits: number | ((token: string) => RateLimits),
    private readonly nowMs: () => number,
    private readonly options: TrafficOptions = {},
  ) {
    this.limitsFor =
      typeof limits === 'number' ? () => ({ perHour: limits, perSecond: null }) : limits;
  }

  /** Records one request and decides whether the token's windows allow it. */
  hit(token: string, operationName: string): RateDecision {
    const now = this.nowMs();
    const w = this.windowsFor(token);
    const spent = spentWindows(w, now);
    const allowed = spent.length === 0;
    if (allowed) {
      w.hour.record(now);
      w.second?.record(now);
    }
    this.log.push({ operationName, token, refused: !allowed });
    const shown = this.headerWindow(w, spent, now);
    const waits = spent.map(([, window]) => window.resetAt(now) - now);
    return {
      limit: shown.limit,
      remaining: shown.remaining(now),
      resetEpochSeconds: Math.ceil(shown.resetAt(now) / 1000),
      allowed,
      retryAfterSeconds: Math.max(1, Math.ceil(Math.max(0, ...waits) / 1000)),
      refusedBy: spent.at(-1)?.[0],
    };
  }

  /**
   * Records a subscription start: logged and counted in the hourly budget, never refused and kept
   * out of the per-second window (whether Railway counts subscription starts there is not known).
   */
  note(token: string, operationName: string): void {
    this.windowsFor(token).hour.record(this.nowMs());
    this.log.push({ operationName, token, refused: false });
  }

  /**
   * A request of the token to `operationName` was a conditional one answered 304: GitHub does not
   * count it against the primary rate limit, so it leaves the windows (it stays in the log, marked).
   * The newest such request not yet marked is marked: with requests in flight together, the newest
   * of the token alone may be another one, and two 304s would mark one entry twice.
   */
  forgive(token: string, operationName: string): void {
    const w = this.windowsFor(token);
    w.hour.unrecord();
    w.second?.unrecord();
    for (let i = this.log.length - 1; i >= 0; i--) {
      const r = this.log[i]!;
      if (r.token !== token || r.operationName !== operationName || r.refused || r.notModified)
        continue;
      r.notModified = true;
      return;
    }
  }

  /** The hourly budget, as `apiTokenRateLimit` reports it. */
  remaining(token: string): { remainingPoints: number; resetsAt: string } {
    const now = this.nowMs();
    const { hour } = this.windowsFor(token);
    return {
      remainingPoints: hour.remaining(now),
      resetsAt: new Date(hour.resetAt(now)).toISOString(),
    };
  }

  /** All requests, those of one operation name (a string), or those matching a filter. */
  count(filter?: string | RequestFilter): number {
    const f: RequestFilter =
      typeof filter === 'string' ? { operationName: filter } : (filter ?? {});
    return this.log.filter(
      (r) =>
        (f.operationName === undefined || r.operationName === f.operationName) &&
        (f.token === undefined || r.token === f.token) &&
        (f.refused === undefined || r.refused === f.refused) &&
        (f.notModified === undefined || (r.notModified === true) === f.notModified),
    ).length;
  }

  private windowsFor(token: string): TokenWindows {
    let w = this.windows.get(token);
    if (!w) {
      const limits = this.limitsFor(token);
      const kind = this.options.windows ?? 'fixed';
      w = { hour: new RateWindow(limits.perHour, hourMs, kind) };
      if (limits.perSecond !== null) w.second = new RateWindow(limits.perSecond, secondMs, kind);
      this.windows.set(token, w);
    }
    return w;
  }

  /** The window the headers describe: the hour, or the one with the fewest requests left. */
  private headerWindow(w: TokenWindows, spent: [string, RateWindow][], now: number): RateWindow {
    if (this.options.headers !== 'tightest' || !w.second) return w.hour;
    if (spent.length > 0) return spent.at(-1)![1];
    return w.second.remaining(now) < w.hour.remaining(now) ? w.second : w.hour;
  }
}

/** The windows that have no request left, shortest first. */
function spentWindows(w: TokenWindows, now: number): ['second' | 'hour', RateWindow][] {
  const all: ['second' | 'hour', RateWindow | undefined][] = [
    ['second', w.second],
    ['hour', w.hour],
  ];
  return all.filter(
    (e): e is ['second' | 'hour', RateWindow] => !!e[1] && e[1].remaining(now) <= 0,
  );
}

/**
 * Railway's time as its rate limiter sees it: the simulators' clock, and the wall clock while that
 * clock stands still. Tests move the SimClock by hand while a daemon runs on real time; without the
 * wall clock a real-time client would seem to send everything within one simulated instant, and a
 * per-second window would never reopen. Each read moves on by whichever of the two moved further, so
 * a SimClock that follows the wall clock (the demo) is not counted twice.
 */
export function simOrWallClock(
  simNowMs: () => number,
  wallNowMs: () => number = () => performance.now(),
): () => number {
  let at = simNowMs();
  let sim = at;
  let wall = wallNowMs();
  return () => {
    const s = simNowMs();
    const w = wallNowMs();
    at += Math.max(0, s - sim, w - wall);
    sim = s;
    wall = w;
    return at;
  };
}
