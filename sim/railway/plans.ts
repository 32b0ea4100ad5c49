// Which Railway plan's rate limits apply to each token: the token's own plan, else its workspace's,
// else the simulator's default (Hobby, as for most users).
import { planRateLimits, type SimPlan } from '../timings';
import type { RateLimits } from '../traffic';
import type { Viewer } from './access';
import type { RailwayState } from './state';

export interface PlanOptions {
  /** Tokens and workspaces that name no plan are on this one; Hobby by default. */
  plan?: SimPlan;
  /** Plans by workspace id, for the workspace's own tokens and its projects' tokens. */
  workspacePlans?: Record<string, SimPlan>;
  /** Overrides every plan's hourly budget (tests that run out of it). */
  rateLimitPerHour?: number;
  /** Overrides every plan's per-second limit; null turns it off. */
  rateLimitPerSecond?: number | null;
}

/** @param tokenPlans the plans token specs named, by token. */
export function rateLimitsByToken(
  state: RailwayState,
  viewers: Map<string, Viewer>,
  tokenPlans: Map<string, SimPlan>,
  options: PlanOptions,
): (token: string) => RateLimits {
  return (token) => {
    const viewer = viewers.get(token);
    const workspaceId = viewer ? workspaceOf(state, viewer) : undefined;
    const plan =
      tokenPlans.get(token) ??
      (workspaceId === undefined ? undefined : options.workspacePlans?.[workspaceId]) ??
      options.plan ??
      'HOBBY';
    const limits = planRateLimits[plan];
    return {
      perHour: options.rateLimitPerHour ?? limits.perHour,
      perSecond:
        options.rateLimitPerSecond === undefined ? limits.perSecond : options.rateLimitPerSecond,
    };
  };
}

function workspaceOf(state: RailwayState, viewer: Viewer): string | undefined {
  if (viewer.kind === 'workspace') return viewer.workspace.id;
  if (viewer.kind === 'project')
    return state.projects.find((p) => p.id === viewer.projectId)?.workspaceId;
  return undefined;
}
