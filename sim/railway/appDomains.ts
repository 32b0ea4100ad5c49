// The public side of deployed services: each service domain answers on the simulator's port, picked by the Host header.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimServiceInstance } from './model';
import type { RailwayState } from './state';

export const railwayAppSuffix = 'up.railway.app';

export interface AppRuntime {
  state: RailwayState;
  /** Resolves after `ms`, or at once when the simulator closes. */
  wait(ms: number): Promise<void>;
  isClosed(): boolean;
}

interface AppAnswer {
  status: number;
  body: unknown;
}

/** The domain a request is for when it is one of Railway's or a service's custom domain; null for the API. */
export function appHostOf(state: RailwayState, req: IncomingMessage): string | null {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  if (host === railwayAppSuffix || host.endsWith(`.${railwayAppSuffix}`)) return host;
  return state.instanceByDomain(host) ? host : null;
}

/** Answers as Railway's edge and the team's app would: `/api/health` per the health the test set. */
export async function handleAppRequest(
  rt: AppRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  host: string,
): Promise<void> {
  const instance = rt.state.instanceByDomain(host);
  const setting = instance && rt.state.healthOf(instance.environmentId, instance.serviceId);
  if (setting?.health === 'slow') await rt.wait(setting.delayMs);
  if (rt.isClosed()) return void res.destroy();
  const path = new URL(req.url ?? '/', 'http://app.invalid').pathname;
  const answer = instance ? appAnswer(rt.state, instance, path) : edgeError(404);
  res.statusCode = answer.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(answer.body));
}

function appAnswer(state: RailwayState, instance: SimServiceInstance, path: string): AppAnswer {
  const { environmentId, serviceId } = instance;
  const active = state.servingDeployment(environmentId, serviceId);
  // Railway's edge answers for a service with nothing running (crashed, never deployed, its process
  // restarting), and counts it in the service's metrics; the app the rest (its request lines are what the metrics count).
  if (!active || state.crashLoops.isRestarting(active.id)) {
    state.metrics.recordEdge(environmentId, serviceId, 502);
    return edgeError(502);
  }
  const { health } = state.healthOf(environmentId, serviceId);
  if (health === 'unhealthy') return { status: 503, body: { status: 'error' } };
  if (path !== instance.healthcheckPath)
    return path === '/'
      ? { status: 200, body: { service: serviceId, deployment: active.id } }
      : { status: 404, body: { error: 'Not Found' } };
  const database = health === 'db-down' ? 'disconnected' : 'connected';
  return { status: 200, body: { status: 'ok', database } };
}

/** The JSON Railway's edge answers with when no deployment can take the request. */
function edgeError(status: 404 | 502): AppAnswer {
  const message = status === 404 ? 'Application not found' : 'Application failed to respond';
  return { status, body: { status: 'error', code: status, message } };
}
