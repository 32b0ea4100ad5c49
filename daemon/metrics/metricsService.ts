// `metrics.service`: a service's Railway metrics over a range for the metrics panel and the tree's
// hover. Only the parts asked are fetched, each through the cache (one Railway request per part per
// step for every client together); a part Railway would not give is `unavailable`, the rest answer.
import { ErrorCode, type FolderContext, type ServiceView } from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import {
  RANGE_SECONDS,
  RANGE_STEP_SECONDS,
  type DeploymentMark,
  type MetricsPart,
  type MetricsRange,
  type ServiceMetrics,
} from '../../protocol/metrics';
import type { EnvironmentService } from '../environments/environmentService';
import { unavailableError } from '../environments/projectUnavailable';
import { MetricsCache } from './metricsCache';
import type { MetricsSource, MetricsWindow } from './metricsSource';

export interface MetricsServiceDeps {
  environments: Pick<EnvironmentService, 'watcherFor'>;
  source: MetricsSource;
  /** Who Railway answers for (not the token itself): caches never cross accounts. */
  identity: () => string | undefined;
  now: () => Date;
}

export interface MetricsParams {
  folder: FolderContext;
  environmentId: string;
  serviceId: string;
  range: MetricsRange;
  parts: MetricsPart[];
}

type PartValue = NonNullable<ServiceMetrics['requests' | 'duration' | 'resources']>;

/** The window of a range now: it ends at the last step boundary, so it moves once per step. */
export function rangeWindow(
  range: MetricsRange,
  now: Date,
): { from: number; to: number; step: number } {
  const step = RANGE_STEP_SECONDS[range];
  const to = Math.floor(now.getTime() / 1000 / step) * step;
  return { from: to - RANGE_SECONDS[range], to, step };
}

export class MetricsService {
  private readonly cache = new MetricsCache<PartValue>();

  constructor(private readonly deps: MetricsServiceDeps) {}

  async service(p: MetricsParams): Promise<ServiceMetrics> {
    const { env, service } = await this.target(p);
    const { from, to, step } = rangeWindow(p.range, this.deps.now());
    const window: MetricsWindow = {
      environmentId: p.environmentId,
      serviceId: p.serviceId,
      from: new Date(from * 1000),
      to: new Date(to * 1000),
      stepSeconds: step,
    };
    const parts = [...new Set(p.parts)];
    const settled = await Promise.allSettled(parts.map((part) => this.part(p, part, window, to)));
    const answer: ServiceMetrics = {
      environmentId: p.environmentId,
      serviceId: p.serviceId,
      serviceName: service.name,
      environmentName: env.name,
      range: p.range,
      stepSeconds: step,
      from,
      to,
      deployments: deploymentMarks(service, from),
      unavailable: [],
      fetchedAt: '',
    };
    const fetched: Date[] = [];
    settled.forEach((s, i) => {
      const part = parts[i]!;
      if (s.status === 'fulfilled') {
        Object.assign(answer, { [part]: s.value.value });
        fetched.push(s.value.fetchedAt);
      } else answer.unavailable.push({ part, message: messageOf(s.reason) });
    });
    if (fetched.length === 0) throw (settled[0] as PromiseRejectedResult).reason;
    answer.fetchedAt = new Date(Math.min(...fetched.map((d) => d.getTime()))).toISOString();
    return answer;
  }

  private part(p: MetricsParams, part: MetricsPart, w: MetricsWindow, step: number) {
    const key = JSON.stringify([this.deps.identity(), p.environmentId, p.serviceId, p.range, part]);
    const fetch = (): Promise<PartValue> => this.deps.source[part](w);
    return this.cache.get(key, step, fetch, this.deps.now);
  }

  /** The environment and service from the folder's watcher: no request when a client watches it. */
  private async target(p: MetricsParams) {
    const watcher = await this.deps.environments.watcherFor(p.folder);
    const view = watcher.current;
    if (view.state !== 'ready') throw unavailableError(view, watcher.failure);
    const env = view.environments.find((e) => e.id === p.environmentId);
    const service = env?.services.find((s) => s.id === p.serviceId);
    if (!env || !service)
      throw new RpcError(
        ErrorCode.NotFound,
        'That service is not in this project any more; refresh the tree and try again.',
      );
    return { env, service };
  }
}

/**
 * The service's deployments the watcher already knows (its recent ones), made in the window:
 * marked on the time axis, oldest first. Older deployments than the watcher keeps are not marked.
 */
export function deploymentMarks(service: ServiceView, from: number): DeploymentMark[] {
  return service.recent
    .map((d) => ({
      id: d.id,
      ts: Math.floor(Date.parse(d.createdAt) / 1000),
      status: d.status,
      ...(d.commitHash && { commit: d.commitHash }),
      ...(d.commitMessage && { message: d.commitMessage }),
    }))
    .filter((m) => m.ts >= from)
    .sort((a, b) => a.ts - b.ts);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
