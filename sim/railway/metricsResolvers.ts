// Railway's metrics queries in the simulator: request counts by exact status code and duration
// percentiles from the request lines the deployments wrote, and CPU, memory and network derived
// from them. What Railway leaves open (empty steps, aggregate samples) follows state.ambiguities.
import { GraphQLError } from 'graphql';
import { canSeeEnvironment, notFound, requireViewer } from './access';
import { percentile } from './durationHistogram';
import type { Bucket } from './metricsStore';
import {
  bucketsBySteps,
  dashboardStepSeconds,
  metricsWindow,
  tsOf,
  type MetricsWindow,
} from './metricsWindow';
import type { SimServiceInstance } from './model';
import { environmentFor } from './resolvers';
import { resourceResults, type MetricsArgs } from './resourceResolvers';
import type { SimContext } from './views';

interface HttpArgs {
  environmentId: string;
  serviceId: string;
  startDate: unknown;
  endDate: unknown;
  stepSeconds?: number | null;
}

/** The instance the query names, or an error as Railway answers for an unknown one. */
export function serviceTarget(ctx: SimContext, environmentId: string, serviceId: string) {
  const env = environmentFor(ctx, environmentId);
  const service = ctx.state.services.find((s) => s.id === serviceId);
  if (!service || service.projectId !== env.projectId) throw notFound('Service');
  return { env, service };
}

function httpWindow(ctx: SimContext, args: HttpArgs): MetricsWindow {
  const now = ctx.state.clock.nowMs();
  const step = args.stepSeconds ?? undefined;
  const w = metricsWindow(args.startDate, args.endDate, step, now);
  if (step !== undefined || ctx.state.ambiguities.metricsAggregate === 'one') return w;
  // The other reading of "aggregate": samples at the dashboard's step for the window.
  return metricsWindow(args.startDate, args.endDate, dashboardStepSeconds(w.toMs - w.fromMs), now);
}

/** The steps answered: those with requests, or every step (zeros) when empty steps are zero. */
function answeredSteps(ctx: SimContext, w: MetricsWindow, steps: Map<number, Bucket>): number[] {
  return ctx.state.ambiguities.metricsEmptySteps === 'zero'
    ? w.steps
    : [...steps.keys()].sort((a, b) => a - b);
}

export const metricsQueryRoot = {
  httpMetricsGroupedByStatus: (args: HttpArgs, ctx: SimContext) => {
    serviceTarget(ctx, args.environmentId, args.serviceId);
    const w = httpWindow(ctx, args);
    const steps = bucketsBySteps(ctx.state.metrics, args.environmentId, args.serviceId, w);
    const codes = new Set<number>();
    for (const b of steps.values()) for (const code of b.counts.keys()) codes.add(code);
    const zero = ctx.state.ambiguities.metricsEmptySteps === 'zero';
    return [...codes]
      .sort((a, b) => a - b)
      .map((statusCode) => ({
        statusCode,
        samples: answeredSteps(ctx, w, steps).flatMap((at) => {
          const value = steps.get(at)?.counts.get(statusCode) ?? 0;
          return value > 0 || zero ? [{ ts: tsOf(at), value }] : [];
        }),
      }));
  },
  httpDurationMetrics: (args: HttpArgs, ctx: SimContext) => {
    serviceTarget(ctx, args.environmentId, args.serviceId);
    const w = httpWindow(ctx, args);
    const steps = bucketsBySteps(ctx.state.metrics, args.environmentId, args.serviceId, w);
    const samples = answeredSteps(ctx, w, steps).map((at) => {
      const h = steps.get(at)?.durations;
      const p = (q: number) => (h ? (percentile(h, q) ?? 0) : 0);
      return { ts: tsOf(at), p50: p(0.5), p90: p(0.9), p95: p(0.95), p99: p(0.99) };
    });
    return { samples };
  },
  metrics: (args: MetricsArgs, ctx: SimContext) =>
    resourceResults(ctx, args, instancesFor(ctx, args)),
};

/** The service instances a `metrics` query covers, those the token may see. */
function instancesFor(ctx: SimContext, args: MetricsArgs): SimServiceInstance[] {
  const viewer = requireViewer(ctx.viewer);
  const { state } = ctx;
  if (!args.projectId && !args.environmentId && !args.serviceId)
    throw new GraphQLError('Must provide projectId, environmentId or serviceId');
  if (args.environmentId) environmentFor(ctx, args.environmentId);
  if (args.serviceId && !state.services.some((s) => s.id === args.serviceId))
    throw notFound('Service');
  if (args.projectId && !state.projects.some((p) => p.id === args.projectId))
    throw notFound('Project');
  return state.serviceInstances.filter((i) => {
    const env = state.environments.find((e) => e.id === i.environmentId);
    if (!env || !canSeeEnvironment(viewer, state, env)) return false;
    return (
      (!args.environmentId || i.environmentId === args.environmentId) &&
      (!args.serviceId || i.serviceId === args.serviceId) &&
      (!args.projectId || env.projectId === args.projectId)
    );
  });
}
