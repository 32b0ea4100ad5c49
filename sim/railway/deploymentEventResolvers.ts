// Railway's deploymentEvents in the simulator: the query pages a deployment's steps; the subscription sends each step as it starts, completes or fails.
import type { SimDeploymentEvent } from './model';
import { pushIterator } from './pushIterator';
import { deploymentFor } from './resolvers';
import { connection, type PageArgs, type SimContext } from './views';

/** Railway's DeploymentEvent: the payload says how long a finished step took, or why it failed. */
export function deploymentEventView(e: SimDeploymentEvent) {
  const durationMs =
    e.completedAt === null ? null : Date.parse(e.completedAt) - Date.parse(e.createdAt);
  const payload =
    e.error === null && durationMs === null
      ? null
      : {
          attempt: null,
          detail: null,
          durationMs,
          error: e.error,
          maxAttempts: null,
          reason: null,
          skipped: null,
        };
  const { id, step, createdAt, completedAt } = e;
  return { id, step, createdAt, completedAt, payload };
}

type EventView = ReturnType<typeof deploymentEventView>;

export const deploymentEventQueryRoot = {
  deploymentEvents: (args: PageArgs & { id: string }, ctx: SimContext) => {
    const d = deploymentFor(ctx, args.id);
    return connection(ctx.state.deploymentEvents.of(d.id), args, deploymentEventView);
  },
};

export const deploymentEventSubscriptionRoot = {
  /**
   * The steps so far first, one message each, then every change as it happens (a step appears
   * again when it completes or fails), so a subscriber connecting mid-deployment misses nothing.
   */
  deploymentEvents: ({ id }: { id: string }, ctx: SimContext) => {
    const d = deploymentFor(ctx, id);
    const events = ctx.state.deploymentEvents;
    return pushIterator<{ deploymentEvents: EventView }>((push) => {
      for (const e of events.of(d.id)) push({ deploymentEvents: deploymentEventView(e) });
      return events.onEvent((e) => {
        if (e.deploymentId === d.id) push({ deploymentEvents: deploymentEventView(e) });
      });
    });
  },
};
