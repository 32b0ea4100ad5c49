// Environments going away as Railway does it: deleting one takes its service instances, triggers,
// deployments, volumes, variables and staged patch with it; a PR environment is deleted when
// GitHub's pull_request "closed" webhook (merged or not) reaches Railway.
import type { SimTimer } from '../clock';
import type { SimEnvironment } from './model';
import type { RailwayState } from './state';

/** Deletes an environment and everything in it; subscribers see its live deployments go REMOVED first. */
export function deleteEnvironment(state: RailwayState, environmentId: string): SimEnvironment {
  const env = state.environments.find((e) => e.id === environmentId);
  if (!env) throw new Error(`the simulator has no environment ${environmentId}`);
  for (const d of state.deployments.filter((x) => x.environmentId === env.id)) {
    if (d.status !== 'REMOVED') state.setStatus(d, 'REMOVED');
  }
  removeWhere(state.deployments, (d) => d.environmentId === env.id);
  removeWhere(state.serviceInstances, (i) => i.environmentId === env.id);
  removeWhere(state.triggers, (t) => t.environmentId === env.id);
  removeWhere(state.environments, (e) => e.id === env.id);
  state.volumes.removeEnvironment(env.id);
  state.variables.removeEnvironment(env.id);
  state.stagedChanges.removeEnvironment(env.id);
  return env;
}

/** The ephemeral environment Railway made for a pull request of `repository`, if any. */
export function prEnvironment(
  state: RailwayState,
  repository: string,
  prNumber: number,
): SimEnvironment | undefined {
  return state.environments.find(
    (e) => e.isEphemeral && e.meta?.prNumber === prNumber && e.meta.prRepo === repository,
  );
}

export interface PrClosing {
  environment: SimEnvironment;
  /** The deletion waiting for the webhook; fires when the clock has moved `timings.webhookMs`. */
  timer: SimTimer;
}

/**
 * What Railway does with GitHub's pull_request "closed" webhook: deletes the PR's environment once the
 * webhook arrives (`timings.webhookMs` on the clock). Undefined when the PR has no environment.
 */
export function pullRequestClosed(
  state: RailwayState,
  repository: string,
  prNumber: number,
): PrClosing | undefined {
  const environment = prEnvironment(state, repository, prNumber);
  if (!environment) return undefined;
  const timer = state.clock.after(
    state.timings.webhookMs,
    () => {
      if (state.environments.includes(environment)) deleteEnvironment(state, environment.id);
    },
    `delete PR environment ${environment.name}`,
  );
  return { environment, timer };
}

function removeWhere<T>(items: T[], doomed: (item: T) => boolean): void {
  for (let i = items.length - 1; i >= 0; i--) if (doomed(items[i] as T)) items.splice(i, 1);
}
