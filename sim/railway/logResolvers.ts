// The log subscriptions of the Railway simulator: the backlog first as one list, then the new lines, a list per event.
import { deploymentFor, environmentFor } from './resolvers';
import { defaultLogLimit, type LogQuery, type SimLog } from './logs';
import { listIterator } from './pushIterator';
import type { SimContext } from './views';

interface LogArgs {
  deploymentId: string;
  filter?: string | null;
  limit?: number | null;
}

interface EnvironmentLogArgs {
  environmentId: string;
  filter?: string | null;
  beforeLimit?: number | null;
}

/** Railway's Log: the tags say where a line came from. */
function logView(l: SimLog) {
  return {
    timestamp: l.timestamp,
    message: l.message,
    severity: l.severity,
    attributes: l.attributes,
    tags: {
      deploymentId: l.deploymentId,
      deploymentInstanceId: null,
      environmentId: l.environmentId,
      projectId: l.projectId,
      serviceId: l.serviceId,
    },
  };
}

/**
 * Each event is a LIST of logs, as Railway sends them: the backlog first (one event, even when
 * empty), then whatever was written since the previous event, so a fast writer costs few events.
 */
function logStream(ctx: SimContext, field: string, query: LogQuery, limit: number) {
  return listIterator<SimLog, Record<string, ReturnType<typeof logView>[]>>(
    ctx.state.logs.query(query, limit),
    (push) => ctx.state.logs.onLogs(query, push),
    (logs) => ({ [field]: logs.map(logView) }),
  );
}

/** The query form: the newest `limit` lines (100 by default, as Railway's), oldest first. */
export const logQueryRoot = {
  buildLogs: (args: LogArgs, ctx: SimContext) => {
    const d = deploymentFor(ctx, args.deploymentId);
    const query = { deploymentId: d.id, kind: 'build' as const, filter: args.filter };
    return ctx.state.logs.query(query, Math.min(args.limit ?? 100, 5000)).map(logView);
  },
};

export const logSubscriptionRoot = {
  deploymentLogs: (args: LogArgs, ctx: SimContext) => {
    const d = deploymentFor(ctx, args.deploymentId);
    const query = { deploymentId: d.id, kind: 'deploy' as const, filter: args.filter };
    return logStream(ctx, 'deploymentLogs', query, args.limit ?? defaultLogLimit);
  },
  buildLogs: (args: LogArgs, ctx: SimContext) => {
    const d = deploymentFor(ctx, args.deploymentId);
    const query = { deploymentId: d.id, kind: 'build' as const, filter: args.filter };
    return logStream(ctx, 'buildLogs', query, args.limit ?? defaultLogLimit);
  },
  /** Every service of the environment, build logs excluded; `@service:<id>` narrows to one. */
  environmentLogs: (args: EnvironmentLogArgs, ctx: SimContext) => {
    const env = environmentFor(ctx, args.environmentId);
    const query = { environmentId: env.id, kind: 'deploy' as const, filter: args.filter };
    return logStream(ctx, 'environmentLogs', query, args.beforeLimit ?? defaultLogLimit);
  },
};
