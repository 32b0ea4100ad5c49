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
  /**
   * Only requests of this route take the fault (the GitHub simulator's `METHOD /route/pattern`, the
   * Railway simulator's GraphQL operation name, as `requestCount` names them); others pass it by.
   * Every request when omitted.
   */
  on?: string;
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

/** A request held on its way in: the test learns it arrived, and says when it may be answered. */
export interface Hold {
  /** Resolves once the request has arrived (and waits). */
  reached: Promise<void>;
  /** Lets it be answered; safe to call before it arrives (it then passes) and more than once. */
  release(): void;
}

export class Faults {
  private readonly queue: { fault: SimFault; remaining: number }[] = [];
  private readonly socketDrops: { remaining: number }[] = [];
  private readonly holds: { operation: string; arrived(): void; released: Promise<void> }[] = [];
  private readonly releases = new Set<() => void>();

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

  /**
   * Holds the next request of `operation` (Railway's GraphQL operation name, or GitHub's
   * `METHOD /route/pattern`) until `release()`, so a test can act while the client waits for it,
   * without timers.
   */
  hold(operation: string): Hold {
    let arrived!: () => void;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = () => {
        this.releases.delete(release);
        resolve();
      };
    });
    this.releases.add(release);
    this.holds.push({ operation, arrived, released });
    return { reached, release };
  }

  /** For a request of `operation` now arriving: what it waits for when it is held. */
  heldFor(operation: string): Promise<void> | undefined {
    const i = this.holds.findIndex((h) => h.operation === operation);
    if (i < 0) return undefined;
    const [hold] = this.holds.splice(i, 1);
    hold!.arrived();
    return hold!.released;
  }

  /** Lets every held request go (the simulator is closing). */
  releaseHolds(): void {
    for (const release of [...this.releases]) release();
    this.holds.length = 0;
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

  /** The fault for the HTTP request now arriving (of route `on`, when the simulator names routes), if one is queued. */
  takeHttp(on?: string): SimFault | undefined {
    const i = this.queue.findIndex(({ fault }) => fault.on === undefined || fault.on === on);
    return i < 0 ? undefined : take(this.queue, i)?.fault;
  }

  /** The next fault if it happens in front of the API (a block page), which then never sees the request. */
  takeInFront(): SimFault | undefined {
    return this.queue[0]?.fault.blockPage ? take(this.queue)?.fault : undefined;
  }

  /** Whether the subscription now starting should have its socket dropped. */
  takeSocketDrop(): boolean {
    return take(this.socketDrops) !== undefined;
  }
}

function take<T extends { remaining: number }>(queue: T[], index = 0): T | undefined {
  const entry = queue[index];
  if (!entry) return undefined;
  entry.remaining -= 1;
  if (entry.remaining <= 0) queue.splice(index, 1);
  return entry;
}
