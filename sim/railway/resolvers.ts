// The simulator's root resolvers for queries, mutations and subscriptions, with Railway's access rules.
import { GraphQLError } from 'graphql';
import {
  authError,
  canSeeEnvironment,
  canSeeProject,
  notFound,
  projectTokenNotFound,
  requireViewer,
} from './access';
import type { SimCreator, SimDeployment, SimDeploymentStatus, SimEnvironment } from './model';
import { gitMeta } from './state';
import { pushIterator } from './pushIterator';
import {
  connection,
  deploymentView,
  environmentView,
  projectView,
  serviceInstanceView,
  serviceView,
  userView,
  visibleEnvironments,
  visibleProjects,
  workspaceView,
  type PageArgs,
  type SimContext,
} from './views';

interface DeploymentListInput {
  projectId?: string | null;
  environmentId?: string | null;
  serviceId?: string | null;
  includeDeleted?: boolean | null;
  status?: { in?: SimDeploymentStatus[] | null; notIn?: SimDeploymentStatus[] | null } | null;
}

export function environmentFor(ctx: SimContext, id: string): SimEnvironment {
  const viewer = requireViewer(ctx.viewer);
  const env = ctx.state.environments.find((e) => e.id === id);
  if (!env) throw notFound('Environment');
  if (!canSeeEnvironment(viewer, ctx.state, env)) throw authError();
  return env;
}

function projectFor(ctx: SimContext, id: string) {
  const viewer = requireViewer(ctx.viewer);
  const project = ctx.state.projects.find((p) => p.id === id);
  if (!project) throw notFound('Project');
  if (!canSeeProject(viewer, project)) throw authError();
  return project;
}

export function deploymentFor(ctx: SimContext, id: string): SimDeployment {
  requireViewer(ctx.viewer);
  const deployment = ctx.state.deployment(id);
  if (!deployment) throw notFound('Deployment');
  environmentFor(ctx, deployment.environmentId);
  return deployment;
}

function listDeployments(ctx: SimContext, input: DeploymentListInput): SimDeployment[] {
  if (!input.projectId && !input.environmentId && !input.serviceId) {
    throw new GraphQLError('Must provide projectId, environmentId or serviceId');
  }
  const viewer = requireViewer(ctx.viewer);
  const envs = new Set(
    ctx.state.environments.filter((e) => canSeeEnvironment(viewer, ctx.state, e)).map((e) => e.id),
  );
  const { status } = input;
  return ctx.state.deployments
    .filter((d) => envs.has(d.environmentId))
    .filter(
      (d) =>
        (!input.projectId || d.projectId === input.projectId) &&
        (!input.environmentId || d.environmentId === input.environmentId),
    )
    .filter((d) => !input.serviceId || d.serviceId === input.serviceId)
    .filter(
      (d) =>
        (!status?.in || status.in.includes(d.status)) &&
        (!status?.notIn || !status.notIn.includes(d.status)),
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

export const queryRoot = {
  me: (_: unknown, ctx: SimContext) => {
    if (ctx.viewer?.kind !== 'account') throw authError();
    return userView(ctx, ctx.viewer.user);
  },
  apiToken: (_: unknown, ctx: SimContext) => {
    const viewer = requireViewer(ctx.viewer);
    if (viewer.kind === 'project') throw authError();
    const ids = viewer.kind === 'account' ? viewer.user.workspaceIds : [viewer.workspace.id];
    return {
      workspaces: ctx.state.workspaces
        .filter((w) => ids.includes(w.id))
        .map(({ id, name }) => ({ id, name })),
    };
  },
  projectToken: (_: unknown, ctx: SimContext) => {
    const viewer = ctx.viewer;
    if (viewer?.kind !== 'project') throw authError(projectTokenNotFound);
    return {
      id: viewer.tokenId,
      name: viewer.name,
      createdAt: ctx.state.projects.find((p) => p.id === viewer.projectId)?.createdAt,
      projectId: viewer.projectId,
      environmentId: viewer.environmentId,
      project: () => projectView(ctx, projectFor(ctx, viewer.projectId)),
      environment: () => environmentView(ctx, environmentFor(ctx, viewer.environmentId)),
    };
  },
  workspace: ({ workspaceId }: { workspaceId: string }, ctx: SimContext) => {
    const viewer = requireViewer(ctx.viewer);
    const workspace = ctx.state.workspaces.find((w) => w.id === workspaceId);
    if (!workspace) throw notFound('Workspace');
    const allowed =
      viewer.kind === 'account'
        ? viewer.user.workspaceIds.includes(workspace.id)
        : viewer.kind === 'workspace' && viewer.workspace.id === workspace.id;
    if (!allowed) throw authError();
    return workspaceView(ctx, workspace);
  },
  project: ({ id }: { id: string }, ctx: SimContext) => projectView(ctx, projectFor(ctx, id)),
  projects: (args: PageArgs & { workspaceId?: string | null }, ctx: SimContext) => {
    requireViewer(ctx.viewer);
    return connection(visibleProjects(ctx, args.workspaceId), args, (p) => projectView(ctx, p));
  },
  environment: ({ id }: { id: string }, ctx: SimContext) =>
    environmentView(ctx, environmentFor(ctx, id)),
  environments: (
    args: PageArgs & { projectId: string; isEphemeral?: boolean | null },
    ctx: SimContext,
  ) => {
    projectFor(ctx, args.projectId);
    const envs = visibleEnvironments(ctx, args.projectId).filter(
      (e) => typeof args.isEphemeral !== 'boolean' || e.isEphemeral === args.isEphemeral,
    );
    return connection(envs, args, (e) => environmentView(ctx, e));
  },
  service: ({ id }: { id: string }, ctx: SimContext) => {
    const service = ctx.state.services.find((s) => s.id === id);
    if (!service) throw notFound('Service');
    projectFor(ctx, service.projectId);
    return serviceView(service);
  },
  serviceInstance: (args: { environmentId: string; serviceId: string }, ctx: SimContext) => {
    environmentFor(ctx, args.environmentId);
    const instance = ctx.state.serviceInstances.find(
      (i) => i.environmentId === args.environmentId && i.serviceId === args.serviceId,
    );
    if (!instance) throw notFound('ServiceInstance');
    return serviceInstanceView(ctx, instance);
  },
  deployment: ({ id }: { id: string }, ctx: SimContext) =>
    deploymentView(ctx, deploymentFor(ctx, id)),
  deployments: (args: PageArgs & { input: DeploymentListInput }, ctx: SimContext) =>
    connection(listDeployments(ctx, args.input), args, (d) => deploymentView(ctx, d)),
  deploymentTriggers: (
    args: PageArgs & { projectId: string; environmentId: string; serviceId: string },
    ctx: SimContext,
  ) => {
    environmentFor(ctx, args.environmentId);
    const triggers = ctx.state.triggers.filter(
      (t) =>
        t.projectId === args.projectId &&
        t.environmentId === args.environmentId &&
        t.serviceId === args.serviceId,
    );
    return connection(triggers, args, (t) => t);
  },
};

export const mutationRoot = {
  /** Rebuilds the same source as a new deployment; only finished deployments can be redeployed. */
  deploymentRedeploy: ({ id }: { id: string }, ctx: SimContext) => {
    const old = deploymentFor(ctx, id);
    if (!ctx.state.canRedeploy(old)) throw new GraphQLError('Deployment cannot be redeployed');
    ctx.state.supersedeFor(old.environmentId, old.serviceId);
    const fresh = ctx.state.createDeployment({
      environmentId: old.environmentId,
      serviceId: old.serviceId,
      meta: { ...old.meta },
      creator: creatorOf(ctx),
    });
    return deploymentView(ctx, fresh);
  },
  /** Restarts the running instances of a deployment; anything not running has nothing to restart. */
  deploymentRestart: ({ id }: { id: string }, ctx: SimContext) => {
    const d = deploymentFor(ctx, id);
    ctx.state.restart(d);
    return true;
  },
  /**
   * Railway answers a bare Boolean and creates a NEW deployment from the old image, with its
   * variables and settings and no build; nothing in it names the deployment it restored.
   */
  deploymentRollback: ({ id }: { id: string }, ctx: SimContext) => {
    const old = deploymentFor(ctx, id);
    if (!ctx.state.canRollback(old)) throw new GraphQLError(rollbackRefusal(ctx, old));
    ctx.state.supersedeFor(old.environmentId, old.serviceId);
    ctx.state.createDeployment({
      environmentId: old.environmentId,
      serviceId: old.serviceId,
      meta: { ...old.meta },
      creator: creatorOf(ctx),
      skipBuild: true,
    });
    return true;
  },
  deploymentApprove: ({ id }: { id: string }, ctx: SimContext) => {
    const d = deploymentFor(ctx, id);
    if (d.status !== 'NEEDS_APPROVAL') throw new GraphQLError('Deployment does not need approval');
    ctx.state.approve(d);
    return true;
  },
  /** Without a sha: the service's current commit again. An unknown sha: "Commit not found". */
  serviceInstanceDeployV2: async (
    args: { commitSha?: string | null; environmentId: string; serviceId: string },
    ctx: SimContext,
  ) => {
    const env = environmentFor(ctx, args.environmentId);
    const trigger = ctx.state.triggers.find(
      (t) => t.environmentId === env.id && t.serviceId === args.serviceId,
    );
    if (!trigger) throw new GraphQLError('Service instance has no source to deploy');
    const commit = await ctx.state.findCommit(trigger, args.commitSha ?? undefined);
    if (!commit) throw new GraphQLError('Commit not found');
    ctx.state.supersedeFor(env.id, args.serviceId);
    const meta = gitMeta(trigger.repository, trigger.branch, commit);
    const d = ctx.state.createDeployment({
      environmentId: env.id,
      serviceId: args.serviceId,
      meta,
      creator: creatorOf(ctx),
    });
    return d.id;
  },
};

/** Railway's refusal; the retention wording is ours, since Railway's exact text is not on record. */
function rollbackRefusal(ctx: SimContext, d: SimDeployment): string {
  if (d.status === 'REMOVED' && d.succeeded)
    return `Deployment image is past the ${ctx.state.plan} plan's retention window and cannot be rolled back`;
  return 'Deployment cannot be rolled back';
}

/** Deployments made through the API are the token owner's; project and workspace tokens have no user. */
function creatorOf(ctx: SimContext): SimCreator | null {
  const viewer = ctx.viewer;
  if (viewer?.kind !== 'account') return null;
  const { id, name, email } = viewer.user;
  return { id, name, email, avatar: null };
}

export const subscriptionRoot = {
  /** The current state first, then every change: a subscriber cannot miss a change made while it was connecting. */
  deployment: ({ id }: { id: string }, ctx: SimContext) => {
    const deployment = deploymentFor(ctx, id);
    return pushIterator<{ deployment: ReturnType<typeof deploymentView> }>((push) => {
      push({ deployment: deploymentView(ctx, deployment) });
      return ctx.state.subscribeDeployment(id, (d) => push({ deployment: deploymentView(ctx, d) }));
    });
  },
};
