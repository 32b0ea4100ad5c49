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
import type { SimDeployment, SimDeploymentStatus, SimEnvironment } from './model';
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
  deploymentRedeploy: ({ id }: { id: string }, ctx: SimContext) => {
    const old = deploymentFor(ctx, id);
    const fresh = ctx.state.createDeployment({
      environmentId: old.environmentId,
      serviceId: old.serviceId,
      meta: { ...old.meta },
      creator: old.creator,
    });
    return deploymentView(ctx, fresh);
  },
  deploymentRestart: ({ id }: { id: string }, ctx: SimContext) => Boolean(deploymentFor(ctx, id)),
  /** Railway answers a bare Boolean; the old image comes back without a rebuild. */
  deploymentRollback: ({ id }: { id: string }, ctx: SimContext) => {
    const old = deploymentFor(ctx, id);
    if (!ctx.state.canRollback(old)) throw new GraphQLError('Deployment cannot be rolled back');
    ctx.state.createDeployment({
      environmentId: old.environmentId,
      serviceId: old.serviceId,
      meta: { ...old.meta, rollbackFrom: old.id },
      creator: old.creator,
      skipBuild: true,
    });
    return true;
  },
  serviceInstanceDeployV2: (
    args: { commitSha?: string | null; environmentId: string; serviceId: string },
    ctx: SimContext,
  ) => {
    const env = environmentFor(ctx, args.environmentId);
    const trigger = ctx.state.triggers.find(
      (t) => t.environmentId === env.id && t.serviceId === args.serviceId,
    );
    const meta = trigger
      ? {
          repo: trigger.repository,
          branch: trigger.branch,
          commitHash: args.commitSha ?? undefined,
        }
      : {};
    return ctx.state.createDeployment({ environmentId: env.id, serviceId: args.serviceId, meta })
      .id;
  },
};

export const subscriptionRoot = {
  /** The current state first, then every change: a subscriber cannot miss a change made while it was connecting. */
  deployment: ({ id }: { id: string }, ctx: SimContext) => {
    const deployment = deploymentFor(ctx, id);
    return pushIterator<{ deployment: ReturnType<typeof deploymentView> }>((push) => {
      push({ deployment: deploymentView(ctx, deployment) });
      return ctx.state.onDeploymentChange((d) => {
        if (d.id === id) push({ deployment: deploymentView(ctx, d) });
      });
    });
  },
};
