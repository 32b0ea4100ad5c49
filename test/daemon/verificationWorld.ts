// What verification tests share: a live simulated world whose daemon waits on a clock the test
// holds (its sleeps move the simulators' SimClock in 10 s steps, the demo's traffic flowing with
// it, so a 10-minute window passes in moments), and a kars-dev → kars-prod promotion driven to
// success with its verification still pending.
import assert from 'node:assert/strict';
import type { DaemonClock } from '../../daemon/clock';
import type { PromotionRecord } from '../../protocol/protocol';
import type { RpcClient } from '../../client/rpcClient';
import { demoTraffic } from '../../sim/demoTraffic';
import { seeded } from '../../sim/railway/metricsHistory';
import { signedInDaemonEnv, type Simulators } from '../../sim/server';
import { startInProcess, type FolderContext, type InProcessDaemon } from './harness';
import { final, gate, gated, liveSimulators, promotionFolder, recordUntil } from './promotionWorld';

const STEP_MS = 10_000;

/**
 * The daemon's clock in these tests. Closed until `open`: the verification's wait stands still
 * while the test sets the world up after the success (a bad release, a fault). Open, each sleep
 * moves the SimClock in 10 s steps and writes that much of the demo's traffic at `rate`.
 */
export class SteppedClock implements DaemonClock {
  private opened!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));
  private tick: ((ms: number) => number) | undefined;
  /** Sleep the clock still moves for (openFor); undefined: no end. */
  private budget: number | undefined;

  constructor(private readonly sims: Simulators) {}

  now(): Date {
    return this.sims.clock.now();
  }

  async sleep(ms: number): Promise<void> {
    await this.gate;
    if (this.budget !== undefined) {
      // Spent: this sleep stands still until the daemon stops.
      if (this.budget < ms) await new Promise<never>(() => undefined);
      this.budget -= ms;
    }
    for (let left = ms; left > 0; left -= STEP_MS) {
      const step = Math.min(STEP_MS, left);
      this.sims.clock.advance(step);
      this.tick?.(step);
    }
    // The daemon's sockets (the watcher's view, Railway's answers) are heard between steps.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Time moves with the daemon's sleeps for `ms` of them, then stands still again. */
  openFor(ms: number, rate = 1, seed = 14): void {
    this.budget = ms;
    this.open(rate, seed);
  }

  /** From now on time moves with every sleep; `rate` scales the demo's traffic (1: as usual). */
  open(rate = 1, seed = 14): void {
    const traffic = demoTraffic(this.sims.railway.state, { rate, random: seeded(seed) });
    this.tick = (ms) => traffic.tick(ms);
    this.opened();
  }
}

export interface VerificationWorld {
  sims: Simulators;
  clock: SteppedClock;
  daemon: InProcessDaemon;
  client: RpcClient;
}

export async function verificationWorld(): Promise<VerificationWorld> {
  const sims = await liveSimulators();
  const clock = new SteppedClock(sims);
  const daemon = await startInProcess(signedInDaemonEnv(sims), [], { clock });
  return { sims, clock, daemon, client: await daemon.client('verification-test') };
}

export async function closeWorld(w: VerificationWorld): Promise<void> {
  await w.daemon.stop();
  await w.sims.close();
}

/** Plans, signs off, starts and waits for success: the verification is pending then. */
export async function promoted(
  w: VerificationWorld,
  pair: Record<string, unknown> = {},
): Promise<{ record: PromotionRecord; folder: FolderContext }> {
  const folder = promotionFolder(w.sims, pair);
  const { client } = w;
  const planned = await client.request('promotion.plan', {
    folder,
    from: 'kars-dev',
    to: 'kars-prod',
  });
  await recordUntil(client, planned.id, gated);
  await client.request('promotion.signOff', { folder, id: planned.id });
  await recordUntil(client, planned.id, (x) => gated(x) && gate(x, 'qa-signoff').state === 'pass');
  await client.request('promotion.start', { folder, id: planned.id, confirm: 'kars-prod' });
  const record = await recordUntil(client, planned.id, final);
  assert.equal(record.state, 'succeeded', record.summary);
  assert.equal(record.verification?.state, 'pending', 'pending from the success on');
  return { record, folder };
}

/** The record once its verification is decided (from the notifications). */
export function decided(w: VerificationWorld, id: string): Promise<PromotionRecord> {
  return recordUntil(w.client, id, (r) => r.verification?.state !== 'pending');
}

/** A service's verdict by name. */
export function serviceVerdict(r: PromotionRecord, name: string) {
  const s = r.verification?.services.find((x) => x.name === name);
  assert.ok(s, `${name} was verified`);
  return s;
}
