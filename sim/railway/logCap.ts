// Railway's logging limit as the simulator applies it: at most 500 deploy-log lines per second per
// replica; the rest are dropped, and afterwards Railway writes one line per replica saying how many.
//
// Railway's docs (railwayapp/docs, content/docs/observability/logs.md, "Logging throughput"):
// "Railway enforces a logging rate limit of 500 log lines per second per replica across all plans.
// When this limit is exceeded, additional logs are dropped and you'll see a warning message like
// this:
//   Railway rate limit of 500 logs/sec reached for replica, update your application to reduce the
//   logging rate. Messages dropped: 50"
// Users quote the same words from their deploy logs (counts from 92 to 113987), so the simulator
// writes exactly them. Not documented, so chosen here: the line is a `warn` (the docs call it a
// warning) in the deployment's deploy log, and it comes once the second is over.

/** Railway's limit: deploy-log lines per second per replica. */
export const railwayLogLinesPerSecond = 500;

/** Railway's own words when it dropped lines of a replica over the limit. */
export function railwayDroppedMessage(
  dropped: number,
  perSecond = railwayLogLinesPerSecond,
): string {
  return (
    `Railway rate limit of ${perSecond} logs/sec reached for replica, ` +
    `update your application to reduce the logging rate. Messages dropped: ${dropped}`
  );
}

interface Window {
  /** Which second of the clock (ms / 1000, floored). */
  second: number;
  /** Lines written this second, kept or not: the next one goes to replica `written % replicas`. */
  written: number;
  kept: number[];
  dropped: number[];
}

/**
 * Per-second counts of one writer (a deployment): which lines Railway keeps, and how many each
 * replica lost. The simulator does not know which replica wrote a line, so lines take turns
 * (round robin): n replicas keep n × 500 lines a second between them, as Railway's limit allows.
 */
export class ReplicaLogCap {
  private window: Window | undefined;

  constructor(private readonly perSecond = railwayLogLinesPerSecond) {}

  /**
   * The lines Railway keeps of `lines` written in `second` by `replicas` replicas. Take what is
   * `due` first: a new second starts afresh. The replica count holds until the second ends.
   */
  take<T>(second: number, replicas: number, lines: T[]): T[] {
    const w = (this.window ??= newWindow(second, Math.max(1, Math.floor(replicas))));
    const kept: T[] = [];
    for (const line of lines) {
      const replica = w.written++ % w.kept.length;
      if (w.kept[replica]! < this.perSecond) {
        w.kept[replica]! += 1;
        kept.push(line);
      } else w.dropped[replica]! += 1;
    }
    return kept;
  }

  /**
   * The dropped counts (one per replica that dropped any) of a second that is over by `second`,
   * once: Railway's notices are due. Empty while the second runs, or when nothing was dropped.
   */
  due(second: number): number[] {
    const w = this.window;
    if (!w || w.second >= second) return [];
    this.window = undefined;
    return w.dropped.filter((n) => n > 0);
  }

  /** Whether the current second dropped anything yet: a notice will be due when it ends. */
  dropping(): boolean {
    return this.window?.dropped.some((n) => n > 0) ?? false;
  }
}

function newWindow(second: number, replicas: number): Window {
  const zeros = () => new Array<number>(replicas).fill(0);
  return { second, written: 0, kept: zeros(), dropped: zeros() };
}
