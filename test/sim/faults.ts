// Failures injected on demand into a simulator: error statuses, 429s, slow answers, dropped sockets,
// a proxy's block page in front of the API, and Railway's "Two Factor Authentication Required".

/** A web page from something in front of the API (a proxy, a firewall, Cloudflare) instead of its answer. */
export interface BlockPage {
  /** 403 for a block ("Access denied"), 503 for a proxy that will not pass the request on. */
  status: number;
  /** The page's <title>; Cloudflare's "Access denied" page by default. */
  title?: string;
  /** Cloudflare's headers (Server: cloudflare, CF-RAY); true by default. */
  cloudflare?: boolean;
}

export interface SimFault {
  /** Answer with this HTTP status instead of executing the operation. */
  status?: number;
  /** Seconds for the `Retry-After` header (with status 429). */
  retryAfter?: number;
  /** Wait this long before answering (the answer may still be a fault status). */
  delayMs?: number;
  /** Terminate open WebSocket connections (and new subscriptions while the fault has uses left). */
  dropSockets?: boolean;
  /** Answer with an HTML page, as a proxy in front of the API would; the API never sees the request. */
  blockPage?: BlockPage;
  /**
   * Answer Railway's GraphQL error for an account without two-factor authentication in a workspace
   * that requires it, `extensions.workspaceName` naming the workspace.
   */
  twoFactorRequired?: { workspaceName: string };
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

  /** The next fault if it happens in front of the API (a block page), which then never sees the request. */
  takeInFront(): SimFault | undefined {
    return this.queue[0]?.fault.blockPage ? this.takeHttp() : undefined;
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
