// The simulators' one clock: every simulated duration (webhook delay, CI, build, deploy, timeouts,
// retention) is a timer on it. Tests move it with advance(ms); the demo and `railyard sim` let it
// follow the wall clock. Nothing in the simulators waits on a real timer for a Railway duration.

export interface SimTimer {
  /** Cancels the timer if it has not fired yet. */
  cancel(): void;
}

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  label: string;
}

export class SimClock {
  private ms: number;
  private seq = 0;
  private pending: Pending[] = [];
  private following: NodeJS.Timeout | undefined;
  /** While following the wall clock: how far ahead of it advance() has put the clock. */
  private ahead = 0;

  constructor(start: Date | number = Date.now()) {
    this.ms = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  nowMs(): number {
    return this.ms;
  }

  /** Runs `fn` once the clock has moved `ms` further; `label` names it in pendingLabels(). */
  after(ms: number, fn: () => void, label = 'timer'): SimTimer {
    const entry: Pending = { at: this.ms + Math.max(0, ms), seq: ++this.seq, fn, label };
    this.pending.push(entry);
    return { cancel: () => (this.pending = this.pending.filter((p) => p !== entry)) };
  }

  /**
   * Moves the clock `ms` forward, firing every timer due on the way in time order (a timer set by
   * one that fires runs too when it falls due within the same advance). Returns how many fired.
   */
  advance(ms: number): number {
    // A clock following the wall clock stays that far ahead and keeps moving ("20 minutes later"
    // in a live world), rather than standing still until the wall clock catches up.
    if (this.following) this.ahead += Math.max(0, ms);
    return this.advanceTo(this.ms + Math.max(0, ms));
  }

  advanceTo(targetMs: number): number {
    let fired = 0;
    for (let next = this.nextDue(targetMs); next; next = this.nextDue(targetMs)) {
      this.pending = this.pending.filter((p) => p !== next);
      this.ms = Math.max(this.ms, next.at);
      next.fn();
      fired += 1;
    }
    this.ms = Math.max(this.ms, targetMs);
    return fired;
  }

  /** Jumps to the next timer and fires everything due then; false when nothing is pending. */
  step(): boolean {
    const next = this.nextDue(Infinity);
    if (!next) return false;
    this.advanceTo(next.at);
    return true;
  }

  /** Labels of the timers still to fire, soonest first: what a test or `railyard sim` is waiting on. */
  pendingLabels(): string[] {
    return [...this.pending].sort(byDue).map((p) => p.label);
  }

  /** Keeps the clock on the wall clock (demo, `railyard sim`): every `tickMs` it catches up. */
  followWallClock(tickMs: number): void {
    this.stopFollowing();
    this.ms = Math.max(this.ms, Date.now());
    this.ahead = 0;
    this.following = setInterval(() => this.advanceTo(Date.now() + this.ahead), tickMs);
    this.following.unref();
  }

  stopFollowing(): void {
    clearInterval(this.following);
    this.following = undefined;
  }

  private nextDue(limit: number): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending) if (p.at <= limit && (!best || byDue(p, best) < 0)) best = p;
    return best;
  }
}

function byDue(a: Pending, b: Pending): number {
  return a.at - b.at || a.seq - b.seq;
}
