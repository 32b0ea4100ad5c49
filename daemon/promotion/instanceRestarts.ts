// Restarts of a released deployment's process, seen in Railway's Deployment.instances during a
// verification window: Railway restarts a dying process up to the restart policy's retries while
// the deployment stays SUCCESS, so a crash loop shows nowhere else until it gives up.
import type { RailwayClient } from '../railway/railwayClient';

export interface InstanceStatus {
  id: string;
  status: string;
}

/** What one service's reads have seen so far. */
export interface RestartTally {
  /**
   * Each instance's status at the last read; undefined for a tally resumed from the journal, whose
   * last read is not known: an instance down at its first read may already be in the count.
   */
  last: Readonly<Record<string, string>> | undefined;
  restarts: number;
  /** Reads that answered; none means the restarts are unknown. */
  reads: number;
  /** Reads that failed (signed out, an upstream error). */
  failures: number;
}

export const emptyTally: RestartTally = { last: {}, restarts: 0, reads: 0, failures: 0 };

/** The count a daemon journaled before it stopped, to go on from (a read answered then). */
export function resumedTally(restarts: number): RestartTally {
  return { last: undefined, restarts, reads: 1, failures: 0 };
}

const DOWN = new Set(['RESTARTING', 'CRASHED']);

/**
 * Counts the instances seen going down since the last read: RESTARTING or CRASHED now, and not
 * already down when read last (the same restart seen on two reads in a row is one). An instance
 * CRASHED with its deployment CRASHED is the deployment's crash, counted as such elsewhere. Reads
 * a minute apart miss a restart quicker than that: the count is a floor, never too high.
 */
export function countRestarts(
  previous: RestartTally,
  deploymentStatus: string,
  instances: readonly InstanceStatus[],
): RestartTally {
  const down = (status: string | undefined) =>
    status !== undefined &&
    DOWN.has(status) &&
    !(status === 'CRASHED' && deploymentStatus === 'CRASHED');
  // Resumed, an instance already down is taken as counted: the count stays a floor.
  const wasDown = (id: string) => previous.last === undefined || down(previous.last[id]);
  const fresh = instances.filter((i) => down(i.status) && !wasDown(i.id)).length;
  return {
    last: Object.fromEntries(instances.map((i) => [i.id, i.status])),
    restarts: previous.restarts + fresh,
    reads: previous.reads + 1,
    failures: previous.failures,
  };
}

/** The restarts a tally knows of; undefined when no read answered (unknown, not zero). */
export function knownRestarts(t: RestartTally | undefined): number | undefined {
  return t && t.reads > 0 ? t.restarts : undefined;
}

/**
 * The instances are read once a minute per released service (every `EVERY` looks of the 10 s
 * wait): a crash loop lasts minutes, and reading on every look would spend six times the requests
 * against Railway's rate limit for a count that reads a minute apart already give. A count that
 * grew is journaled (the record's `restartsSeen`), not every read: a restarted daemon goes on from
 * it (`resumed`).
 */
export class RestartWatch {
  static readonly EVERY = 6;
  private looks = 0;
  private readonly tallies = new Map<string, RestartTally>();

  constructor(
    private readonly client: () => RailwayClient | undefined,
    /** Restarts per service id journaled by an earlier daemon for this window. */
    resumed: ReadonlyMap<string, number> = new Map(),
  ) {
    for (const [id, n] of resumed) if (n > 0) this.tallies.set(id, resumedTally(n));
  }

  /** Called on every look; reads each service's deployment once every EVERY looks. */
  async look(services: readonly { id: string; deploymentId?: string }[]): Promise<void> {
    if (this.looks++ % RestartWatch.EVERY !== 0) return;
    // One service after the other, like the metrics: never a burst against the rate limit.
    for (const s of services) if (s.deploymentId) await this.read(s.id, s.deploymentId);
  }

  tally(serviceId: string): RestartTally | undefined {
    return this.tallies.get(serviceId);
  }

  private async read(serviceId: string, deploymentId: string): Promise<void> {
    const previous = this.tallies.get(serviceId) ?? emptyTally;
    const answer = await this.client()
      ?.operation<{
        deployment: { status: string; instances: InstanceStatus[] } | null;
      }>('DeploymentInstances', { id: deploymentId })
      .catch(() => undefined);
    const deployment = answer?.ok ? answer.value.deployment : undefined;
    this.tallies.set(
      serviceId,
      deployment
        ? countRestarts(previous, deployment.status, deployment.instances)
        : { ...previous, failures: previous.failures + 1 },
    );
  }
}
