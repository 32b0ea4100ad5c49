// What kind of application each simulated service is and how busy it is: shared by the demo's
// chatter (sim/demoTraffic.ts) and the metrics derived from it, so the two cannot disagree.
import { profileRates, type AppProfile } from './appChatter';
import type { SimEnvironment, SimServiceInstance } from './model';
import type { RailwayState } from './state';

export function profileOf(state: RailwayState, instance: SimServiceInstance): AppProfile {
  if (instance.source.image?.includes('postgres')) return 'postgres';
  const name = state.services.find((s) => s.id === instance.serviceId)?.name ?? '';
  return /front|web/i.test(name) ? 'web' : 'api';
}

/** Production serves the customers; development and PR environments see a tester or two. */
export function environmentShare(env: SimEnvironment | undefined): number {
  if (!env) return 0;
  if (env.isEphemeral) return 0.3;
  return /prod/i.test(env.name) ? 1 : 0.5;
}

/** Chatter events per second of the instance at the demo's usual rate. */
export function eventsPerSecond(state: RailwayState, instance: SimServiceInstance): number {
  const env = state.environments.find((e) => e.id === instance.environmentId);
  return profileRates[profileOf(state, instance)] * environmentShare(env);
}

export function instanceOf(
  state: RailwayState,
  environmentId: string,
  serviceId: string,
): SimServiceInstance | undefined {
  return state.serviceInstances.find(
    (i) => i.environmentId === environmentId && i.serviceId === serviceId,
  );
}
