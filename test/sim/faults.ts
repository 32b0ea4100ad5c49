// Failures injected on demand into a simulator: error statuses, 429s, slow answers, dropped sockets.

export interface SimFault {
  /** Answer with this HTTP status instead of executing the operation. */
  status?: number;
  /** Seconds for the `Retry-After` header (with status 429). */
  retryAfter?: number;
  /** Wait this long before answering (the answer may still be a fault status). */
  delayMs?: number;
  /** Terminate open WebSocket connections (and new subscriptions while the fault has uses left). */
  dropSockets?: boolean;
}

export class Faults {
  private readonly queue: { fault: SimFault; remaining: number }[] = [];
  private readonly socketDrops: { remaining: number }[] = [];

  /** @param dropOpenSockets terminates every open socket and returns how many it closed. */
  constructor(private readonly dropOpenSockets: () => number = () => 0) {}

  /** Applies `fault` to the next `times` requests (HTTP faults) or socket events (dropSockets). */
  next(fault: SimFault, times = 1): void {
    if (fault.dropSockets) {
      const drop = { remaining: times };
      if (this.dropOpenSockets() > 0) drop.remaining -= 1;
      if (drop.remaining > 0) this.socketDrops.push(drop);
      return;
    }
    this.queue.push({ fault, remaining: times });
  }

  clear(): void {
    this.queue.length = 0;
    this.socketDrops.length = 0;
  }

  pending(): number {
    return (
      this.queue.reduce((n, q) => n + q.remaining, 0) +
      this.socketDrops.reduce((n, q) => n + q.remaining, 0)
    );
  }

  /** The fault for the HTTP request now arriving, if one is queued. */
  takeHttp(): SimFault | undefined {
    return take(this.queue)?.fault;
  }

  /** Whether the subscription now starting should have its socket dropped. */
  takeSocketDrop(): boolean {
    return take(this.socketDrops) !== undefined;
  }
}

function take<T extends { remaining: number }>(queue: T[]): T | undefined {
  const head = queue[0];
  if (!head) return undefined;
  head.remaining -= 1;
  if (head.remaining <= 0) queue.shift();
  return head;
}
