// SYNTHETIC metrics history: the week before the simulator started, made up on demand so that a
// 24 h or 7 d chart in the demo is not empty. Nothing is stored: each 10-second bucket is derived
// deterministically (seeded by service and time) from the same profiles the demo's chatter uses
// (its rates, status mix and durations), so the history looks like the live traffic that follows.
import { chatter, type Random } from './appChatter';
import { addRequest, BUCKET_MS, newBucket, type Bucket } from './metricsStore';
import { eventsPerSecond, instanceOf, profileOf } from './serviceProfiles';
import type { RailwayState } from './state';

/** A made-up bucket of the service's traffic; undefined when the service is not in that environment. */
export function syntheticBucket(
  state: RailwayState,
  environmentId: string,
  serviceId: string,
  startMs: number,
): Bucket | undefined {
  const instance = instanceOf(state, environmentId, serviceId);
  if (!instance) return undefined;
  const random = seeded(hash(`${environmentId}/${serviceId}/${startMs}`));
  const expected = (eventsPerSecond(state, instance) * dailyShape(startMs) * BUCKET_MS) / 1000;
  // Rounded up or down at random (seeded), so slow services still see their share of requests.
  const events = Math.floor(expected + random());
  const profile = profileOf(state, instance);
  const bucket = newBucket();
  for (let i = 0; i < events; i++) {
    for (const line of chatter(profile, 'healthy', random))
      addRequest(bucket, line.attributes?.status, line.attributes?.durationMs);
  }
  return bucket;
}

/** Busier in the (UTC) afternoon than at night; averages 1 over a day. */
export function dailyShape(atMs: number): number {
  const hour = (atMs / 3_600_000) % 24;
  return 1 + 0.4 * Math.cos((2 * Math.PI * (hour - 14)) / 24);
}

/** Made-up restarts before the simulator started: one every 36 h, so memory shows its sawtooth. */
export const SYNTHETIC_RESTART_MS = 36 * 3_600_000;

/** mulberry32: a small seeded generator. */
export function seeded(seed: number): Random {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, 32 bits. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
