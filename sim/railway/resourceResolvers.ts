// The simulator's `metrics` query: CPU, memory and network per step for the service instances it
// covers, summed per group (Railway's groupBy tags), derived from each service's traffic.
import { GraphQLError } from 'graphql';
import {
  bucketsBySteps,
  dashboardStepSeconds,
  metricsWindow,
  parseDate,
  tsOf,
  type MetricsWindow,
} from './metricsWindow';
import type { SimServiceInstance } from './model';
import { resourceSample, type ResourceSample } from './resourceMetrics';
import { profileOf } from './serviceProfiles';
import type { SimContext } from './views';

export interface MetricsArgs {
  startDate: unknown;
  endDate?: unknown;
  environmentId?: string | null;
  serviceId?: string | null;
  projectId?: string | null;
  measurements: string[];
  sampleRateSeconds?: number | null;
  groupBy?: string[] | null;
}

type Tag = 'SERVICE_ID' | 'ENVIRONMENT_ID' | 'PROJECT_ID';
const groupable: Record<Tag, 'serviceId' | 'environmentId' | 'projectId'> = {
  SERVICE_ID: 'serviceId',
  ENVIRONMENT_ID: 'environmentId',
  PROJECT_ID: 'projectId',
};

const derived: Record<string, keyof ResourceSample> = {
  CPU_USAGE: 'cpu',
  MEMORY_USAGE_GB: 'memoryGb',
  NETWORK_RX_GB: 'networkRxGb',
  NETWORK_TX_GB: 'networkTxGb',
};

interface Group {
  tags: Record<string, string | null>;
  instances: SimServiceInstance[];
}

export function resourceResults(
  ctx: SimContext,
  args: MetricsArgs,
  instances: SimServiceInstance[],
) {
  const now = ctx.state.clock.nowMs();
  const from = parseDate(args.startDate, 'startDate');
  const to =
    args.endDate === undefined || args.endDate === null ? now : parseDate(args.endDate, 'endDate');
  const step = args.sampleRateSeconds ?? dashboardStepSeconds(Math.max(0, to - from));
  const w = metricsWindow(args.startDate, args.endDate, step, now);
  const samples = new Map(instances.map((i) => [i.id, instanceSamples(ctx, i, w)]));
  const groups = groupsOf(ctx, args, instances);
  return args.measurements.flatMap((measurement) =>
    groups.map((g) => ({
      measurement,
      tags: g.tags,
      values: w.steps.flatMap((at, n) => {
        const value = valueOf(ctx, measurement, g.instances, (id) => samples.get(id)?.[n]);
        return value === undefined ? [] : [{ ts: tsOf(at), value }];
      }),
    })),
  );
}

function valueOf(
  ctx: SimContext,
  measurement: string,
  instances: SimServiceInstance[],
  sample: (instanceId: string) => ResourceSample | undefined,
): number | undefined {
  if (measurement === 'CPU_LIMIT' || measurement === 'MEMORY_LIMIT_GB')
    return instances.length * (['PRO', 'ENTERPRISE'].includes(ctx.state.plan) ? 32 : 8);
  const field = derived[measurement];
  // Disks, volumes and backups are not simulated: those series come back without values.
  if (!field) return undefined;
  return instances.reduce((sum, i) => sum + (sample(i.id)?.[field] ?? 0), 0);
}

function instanceSamples(
  ctx: SimContext,
  i: SimServiceInstance,
  w: MetricsWindow,
): ResourceSample[] {
  const steps = bucketsBySteps(ctx.state.metrics, i.environmentId, i.serviceId, w);
  const profile = profileOf(ctx.state, i);
  return w.steps.map((startMs) => {
    const bucket = steps.get(startMs);
    const requests = bucket ? [...bucket.counts.values()].reduce((a, b) => a + b, 0) : 0;
    const lengthMs = Math.min(w.stepMs, Math.max(1, w.toMs - startMs));
    const { environmentId, serviceId } = i;
    return resourceSample(ctx.state.metrics, {
      environmentId,
      serviceId,
      profile,
      startMs,
      lengthMs,
      requests,
    });
  });
}

function groupsOf(ctx: SimContext, args: MetricsArgs, instances: SimServiceInstance[]): Group[] {
  const tags = (args.groupBy ?? []).map((tag) => {
    if (!(tag in groupable))
      throw new GraphQLError(
        `The simulator cannot group metrics by ${tag}; use SERVICE_ID, ENVIRONMENT_ID or PROJECT_ID.`,
      );
    return groupable[tag as Tag];
  });
  if (instances.length === 0) return [];
  const groups = new Map<string, Group>();
  for (const i of instances) {
    const projectId =
      ctx.state.environments.find((e) => e.id === i.environmentId)?.projectId ?? null;
    const ids = { serviceId: i.serviceId, environmentId: i.environmentId, projectId };
    const key = tags.map((t) => ids[t]).join('/');
    const group = groups.get(key) ?? { tags: filterTags(args), instances: [] };
    for (const t of tags) group.tags[t] = ids[t];
    group.instances.push(i);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Without grouping, the tags say what the query asked for. */
function filterTags(args: MetricsArgs): Record<string, string | null> {
  return {
    serviceId: args.serviceId ?? null,
    environmentId: args.environmentId ?? null,
    projectId: args.projectId ?? null,
  };
}
