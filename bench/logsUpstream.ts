// The logs bench's fast Railway, seen from the main thread: starts logsUpstreamWorker.ts in front of
// the simulator, points a daemon at it, and makes its fast deployments log (lines numbered per
// deployment, `seq` from 1, as the simulator's LogGenerator numbers them).
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Simulators } from '../sim/server';
import type { UpstreamCommand, UpstreamEvent, UpstreamWorkerData } from './logsUpstreamWorker';

export class FastUpstream {
  private readonly seqs = new Map<string, number>();
  private readonly open = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly worker: Worker,
    /** Where a daemon should send Railway's HTTP and ws traffic (RAILYARD_RAILWAY_URL). */
    readonly url: string,
  ) {
    worker.on('message', (e: UpstreamEvent) => {
      if (e.type !== 'subscriptions') return;
      this.open.set(e.deploymentId, e.open);
      for (const w of [...this.waiters]) w();
    });
  }

  /** Serves the deploy logs of `deploymentIds` itself; relays everything else to `sims.railway`. */
  static async start(sims: Simulators, deploymentIds: string[]): Promise<FastUpstream> {
    const { state } = sims.railway;
    const fast = deploymentIds.map((deploymentId) => {
      const d = state.deployment(deploymentId);
      if (!d) throw new Error(`the simulator has no deployment ${deploymentId}`);
      return { deploymentId, serviceId: d.serviceId };
    });
    const data: UpstreamWorkerData & { entry: string } = {
      simUrl: sims.railway.url,
      fast,
      entry: path.join(__dirname, 'logsUpstreamWorker.ts'),
    };
    // tsx's loader does not reach worker threads by itself: register it there first.
    const worker = new Worker(
      "require('tsx/cjs'); require(require('worker_threads').workerData.entry);",
      { eval: true, workerData: data },
    );
    const port = await new Promise<number>((resolve, reject) => {
      worker.on('message', (e: UpstreamEvent) => e.type === 'listening' && resolve(e.port));
      worker.once('error', reject);
    });
    const url = new URL(sims.railway.url);
    return new FastUpstream(worker, `http://127.0.0.1:${port}${url.pathname}`);
  }

  /** Writes `count` lines to every subscriber of `deploymentId` (as one event per 5,000 lines). */
  emit(deploymentId: string, count: number): void {
    this.seqs.set(deploymentId, this.lastSeq(deploymentId) + count);
    this.post({ type: 'emit', deploymentId, count });
  }

  lastSeq(deploymentId: string): number {
    return this.seqs.get(deploymentId) ?? 0;
  }

  /** Resolves once `ok(open DeploymentLogs subscriptions served here for deploymentId)` holds. */
  untilSubscriptions(ok: (open: number) => boolean, deploymentId: string): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!ok(this.open.get(deploymentId) ?? 0)) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    this.post({ type: 'close' });
    await this.worker.terminate();
  }

  private post(c: UpstreamCommand): void {
    this.worker.postMessage(c);
  }
}
