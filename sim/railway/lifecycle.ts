// Pure: where a simulated deployment goes next from its status, and after how long on the clock.
// Railway's path: (WAITING for CI) → QUEUED/INITIALIZING → BUILDING → DEPLOYING → SUCCESS, where
// FAILED can end the build, the pre-deploy command or a healthcheck that never passes, and CRASHED
// comes after the deployment took over. A rollback has no build.
import type { SimTimings } from '../timings';
import type { SimDeployment, SimDeploymentStatus } from './model';

export interface Transition {
  to: SimDeploymentStatus;
  afterMs: number;
}

/** Statuses that wait on something other than time: CI, an approval, or nothing at all. */
const waitsOnEvent: ReadonlySet<SimDeploymentStatus> = new Set([
  'WAITING',
  'NEEDS_APPROVAL',
  'FAILED',
  'CRASHED',
  'REMOVED',
  'SKIPPED',
  'SLEEPING',
]);

export function nextTransition(d: SimDeployment, t: SimTimings): Transition | undefined {
  if (waitsOnEvent.has(d.status)) return undefined;
  switch (d.status) {
    case 'QUEUED':
    case 'INITIALIZING':
      return { to: d.skipBuild ? 'DEPLOYING' : 'BUILDING', afterMs: t.queueMs };
    case 'BUILDING':
      return failsAt(d, 'build')
        ? { to: 'FAILED', afterMs: t.buildMs }
        : { to: 'DEPLOYING', afterMs: t.buildMs };
    case 'DEPLOYING':
      return deployingEnd(d, t);
    case 'SUCCESS':
      return d.outcome === 'CRASHED' ? { to: 'CRASHED', afterMs: t.crashMs } : undefined;
    case 'REMOVING':
      return { to: 'REMOVED', afterMs: t.drainMs };
    default:
      return undefined;
  }
}

/** A healthcheck that never passes holds the deployment for Railway's whole timeout before FAILED. */
function deployingEnd(d: SimDeployment, t: SimTimings): Transition {
  if (failsAt(d, 'healthcheck')) return { to: 'FAILED', afterMs: t.healthcheckTimeoutMs };
  if (failsAt(d, 'preDeploy')) return { to: 'FAILED', afterMs: t.deployMs };
  return { to: 'SUCCESS', afterMs: t.deployMs };
}

function failsAt(d: SimDeployment, stage: SimDeployment['failure']): boolean {
  return d.outcome === 'FAILED' && d.failure === stage;
}

/** Statuses a deployment is "in flight" in: it may still become the serving one. */
export const inFlightStatuses: ReadonlySet<SimDeploymentStatus> = new Set([
  'WAITING',
  'NEEDS_APPROVAL',
  'QUEUED',
  'INITIALIZING',
  'BUILDING',
  'DEPLOYING',
]);
