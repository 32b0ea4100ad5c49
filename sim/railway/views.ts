// GraphQL-shaped views of the simulator's records: plain fields plus methods graphql-js calls for nested fields.
import type {
  SimDeployment,
  SimEnvironment,
  SimProject,
  SimService,
  SimServiceInstance,
  SimUser,
  SimVolumeBackup,
  SimVolumeInstance,
  SimWorkspace,
} from './model';
import { canSeeEnvironment, canSeeProject, type Viewer } from './access';
import type { RailwayState } from './state';
import { environmentVariables } from './variableResolvers';

export interface SimContext {
  state: RailwayState;
  viewer: Viewer | null;
  /** What this token has left, for `apiTokenRateLimit`. */
  rateLimit: { remainingPoints: number; resetsAt: string };
}

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** A Relay connection over ids as cursors, which is all the paging Railway's callers rely on. */
export function connection<T extends { id: string }, V>(
  items: T[],
  args: PageArgs,
  view: (item: T) => V,
) {
  let start = 0;
  let end = items.length;
  if (args.after) start = items.findIndex((i) => i.id === args.after) + 1;
  if (args.before)
    end = Math.max(
      start,
      items.findIndex((i) => i.id === args.before),
    );
  if (typeof args.first === 'number') end = Math.min(end, start + args.first);
  if (typeof args.last === 'number') start = Math.max(start, end - args.last);
  const page = items.slice(start, end);
  return {
    edges: page.map((item) => ({ cursor: item.id, node: view(item) })),
    pageInfo: {
      startCursor: page[0]?.id ?? null,
      endCursor: page[page.length - 1]?.id ?? null,
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
    },
  };
}

const notDeleted = { deletedAt: null };

export function userView(ctx: SimContext, user: SimUser) {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    avatar: null,
    username: null,
    apiTokenRateLimit: ctx.rateLimit,
    workspaces: () =>
      ctx.state.workspaces
        .filter((w) => user.workspaceIds.includes(w.id))
        .map((w) => workspaceView(ctx, w)),
  };
}

export function workspaceView(ctx: SimContext, workspace: SimWorkspace) {
  return {
    id: workspace.id,
    name: workspace.name,
    apiTokenRateLimit: ctx.rateLimit,
    projects: (args: PageArgs) =>
      connection(visibleProjects(ctx, workspace.id), args, (p) => projectView(ctx, p)),
  };
}

export function visibleProjects(ctx: SimContext, workspaceId?: string | null): SimProject[] {
  const viewer = ctx.viewer;
  if (!viewer) return [];
  return ctx.state.projects.filter(
    (p) => canSeeProject(viewer, p) && (!workspaceId || p.workspaceId === workspaceId),
  );
}

export function visibleEnvironments(ctx: SimContext, projectId: string): SimEnvironment[] {
  const viewer = ctx.viewer;
  if (!viewer) return [];
  return ctx.state.environments.filter(
    (e) => e.projectId === projectId && canSeeEnvironment(viewer, ctx.state, e),
  );
}

export function projectView(ctx: SimContext, project: SimProject) {
  return {
    ...project,
    ...notDeleted,
    workspace: () => {
      const w = ctx.state.workspaces.find((x) => x.id === project.workspaceId);
      return w ? workspaceView(ctx, w) : null;
    },
    environments: (args: PageArgs & { isEphemeral?: boolean | null }) => {
      const envs = visibleEnvironments(ctx, project.id).filter(
        (e) => typeof args.isEphemeral !== 'boolean' || e.isEphemeral === args.isEphemeral,
      );
      return connection(envs, args, (e) => environmentView(ctx, e));
    },
    services: (args: PageArgs) =>
      connection(
        ctx.state.services.filter((s) => s.projectId === project.id),
        args,
        (s) => serviceView(s),
      ),
  };
}

export function environmentView(ctx: SimContext, env: SimEnvironment) {
  const { state } = ctx;
  return {
    ...env,
    ...notDeleted,
    sourceEnvironment: () => {
      const source = state.environments.find((e) => e.id === env.sourceEnvironmentId);
      return source ? environmentView(ctx, source) : null;
    },
    serviceInstances: (args: PageArgs) =>
      connection(
        state.serviceInstances.filter((i) => i.environmentId === env.id),
        args,
        (i) => serviceInstanceView(ctx, i),
      ),
    deploymentTriggers: (args: PageArgs) =>
      connection(
        state.triggers.filter((t) => t.environmentId === env.id),
        args,
        (t) => t,
      ),
    // Newest first, as Railway lists them.
    deployments: (args: PageArgs) =>
      connection(
        state.deployments
          .filter((d) => d.environmentId === env.id)
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
        args,
        (d) => deploymentView(ctx, d),
      ),
    volumeInstances: (args: PageArgs) =>
      connection(
        state.volumes.instances.filter((i) => i.environmentId === env.id),
        args,
        (i) => volumeInstanceView(ctx, i),
      ),
    variables: (args: PageArgs) => environmentVariables(ctx, env, args),
  };
}

export function serviceView(service: SimService) {
  return { ...service, ...notDeleted };
}

export function serviceInstanceView(ctx: SimContext, instance: SimServiceInstance) {
  const { state } = ctx;
  const service = state.services.find((s) => s.id === instance.serviceId);
  const domain = (domain: string) => ({
    id: `${instance.id}:${domain}`,
    domain,
    environmentId: instance.environmentId,
    serviceId: instance.serviceId,
    targetPort: null,
  });
  return {
    ...instance,
    ...notDeleted,
    serviceName: service?.name ?? '',
    rootDirectory: null,
    startCommand: null,
    domains: {
      serviceDomains: instance.serviceDomains.map(domain),
      customDomains: instance.customDomains.map(domain),
    },
    latestDeployment: () => {
      const latest = state.deploymentsOf(instance.environmentId, instance.serviceId)[0];
      return latest ? deploymentView(ctx, latest) : null;
    },
    activeDeployments: () =>
      state
        .activeDeployments(instance.environmentId, instance.serviceId)
        .map((d) => deploymentView(ctx, d)),
  };
}

export function deploymentView(ctx: SimContext, d: SimDeployment) {
  const { state } = ctx;
  return {
    id: d.id,
    status: d.status,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    statusUpdatedAt: d.statusUpdatedAt,
    canRedeploy: state.canRedeploy(d),
    canRollback: state.canRollback(d),
    url: d.url,
    staticUrl: d.staticUrl,
    meta: d.meta,
    creator: d.creator,
    serviceId: d.serviceId,
    environmentId: d.environmentId,
    projectId: d.projectId,
    deploymentStopped: false,
    instances: () => state.instancesOf(d),
    environment: () =>
      environmentView(ctx, must(state.environments.find((e) => e.id === d.environmentId))),
    service: () => serviceView(must(state.services.find((s) => s.id === d.serviceId))),
  };
}

/** Railway's VolumeInstance with its Volume; the simulator never deletes one. */
export function volumeInstanceView(ctx: SimContext, instance: SimVolumeInstance) {
  const { state } = ctx;
  const volume = must(state.volumes.volume(instance.volumeId));
  return {
    ...instance,
    ...notDeleted,
    externalId: null,
    isPendingDeletion: false,
    environment: () =>
      environmentView(ctx, must(state.environments.find((e) => e.id === instance.environmentId))),
    service: () => serviceView(must(state.services.find((s) => s.id === instance.serviceId))),
    volume: {
      ...volume,
      project: () => projectView(ctx, must(state.projects.find((p) => p.id === volume.projectId))),
    },
  };
}

export function volumeBackupView(backup: SimVolumeBackup) {
  const { volumeInstanceId: _instance, ...fields } = backup;
  return { ...fields, expiresAt: null, scheduleId: null };
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('dangling reference in the simulator state');
  return value;
}
