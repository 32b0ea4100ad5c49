// Demo mode's application chatter: every service's ACTIVE deployment writes realistic deploy-log
// lines a few times a second, moving to the new active deployment as soon as one takes over.
import { chatter, type Random } from './railway/appChatter';
import type { NewLog } from './railway/logs';
import type { SimServiceInstance } from './railway/model';
import { eventsPerSecond, profileOf } from './railway/serviceProfiles';
import type { RailwayState } from './railway/state';

export interface DemoTrafficOptions {
  /** How often lines are written (what is due, as one list per service); 250 ms by default. */
  tickMs?: number;
  /** Scales every service's rate (1 by default). */
  rate?: number;
  random?: Random;
}

export interface DemoTraffic {
  /** Writes what `elapsedMs` of traffic produces; returns the number of lines written. */
  tick(elapsedMs: number): number;
  /** Safe to call twice. */
  stop(): void;
}

/** Starts the chatter on a timer that never keeps the process alive by itself. */
export function startDemoTraffic(
  state: RailwayState,
  options: DemoTrafficOptions = {},
): DemoTraffic {
  const traffic = demoTraffic(state, options);
  const tickMs = options.tickMs ?? 250;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    traffic.tick(now - last);
    last = now;
  }, tickMs);
  timer.unref();
  return { tick: (ms) => traffic.tick(ms), stop: () => clearInterval(timer) };
}

/** The chatter without a timer: `tick` decides what is due (tests drive it directly). */
export function demoTraffic(state: RailwayState, options: DemoTrafficOptions = {}): DemoTraffic {
  const random = options.random ?? Math.random;
  const rate = options.rate ?? 1;
  /** Fractional lines carried over per service instance, so slow services still speak. */
  const credit = new Map<string, number>();
  const tick = (elapsedMs: number): number => {
    let written = 0;
    for (const instance of state.serviceInstances) {
      const perSecond = rate * eventsPerSecond(state, instance);
      const due = (credit.get(instance.id) ?? 0) + (perSecond * elapsedMs * 2 * random()) / 1000;
      const events = Math.floor(due);
      credit.set(instance.id, due - events);
      if (events > 0) written += speak(state, instance, events, random);
    }
    return written;
  };
  return { tick, stop: () => undefined };
}

/** Writes `events` events to the instance's active deployment, if it has one. */
function speak(
  state: RailwayState,
  instance: SimServiceInstance,
  events: number,
  random: Random,
): number {
  const active = state.servingDeployment(instance.environmentId, instance.serviceId);
  if (!active || active.status !== 'SUCCESS') return 0;
  // A process Railway is restarting serves nothing: its customers meet the edge's 502 instead,
  // which Railway's metrics count (the app writes no lines).
  if (state.crashLoops.isRestarting(active.id)) {
    for (let i = 0; i < events; i++)
      state.metrics.recordEdge(instance.environmentId, instance.serviceId, 502);
    return 0;
  }
  const profile = profileOf(state, instance);
  const { health } = state.healthOf(instance.environmentId, instance.serviceId);
  const lines: NewLog[] = [];
  for (let i = 0; i < events; i++) lines.push(...chatter(profile, health, random));
  state.logs.appendMany(active, 'deploy', lines);
  return lines.length;
}
