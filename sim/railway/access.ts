// Who a simulator request acts as, from Railway's auth headers, and what that identity may see.
import { GraphQLError } from 'graphql';
import type { SimPlan } from '../timings';
import type { SimEnvironment, SimProject, SimUser, SimWorkspace } from './model';
import type { RailwayState } from './state';

/**
 * A token the simulator accepts; ids default to the fixture's first workspace, project and
 * environment. `plan` sets the token's rate limits (else its workspace's plan, else Hobby).
 */
export type SimTokenSpec = (
  | { token: string; kind: 'account'; name?: string; email?: string }
  | { token: string; kind: 'workspace'; workspaceId?: string }
  | {
      token: string;
      kind: 'project';
      projectId?: string;
      environmentId?: string;
      environment?: string;
      name?: string;
    }
) & { plan?: SimPlan };

export type Viewer =
  | { kind: 'account'; token: string; user: SimUser }
  | { kind: 'workspace'; token: string; workspace: SimWorkspace }
  | {
      kind: 'project';
      token: string;
      tokenId: string;
      name: string;
      projectId: string;
      environmentId: string;
    };

/** What the request's headers say: a viewer, no credentials at all, or credentials Railway would refuse. */
export type Identity =
  { viewer: Viewer } | { anonymous: true } | { refused: string; token: string };

export const notAuthorized = 'Not Authorized';
export const projectTokenNotFound = 'project token not found';

export const defaultRailwayTokens: SimTokenSpec[] = [
  { token: 'sim-account-3f9c1e7a-5b2d-4c8e-9a41-6d0b2f8e7c15', kind: 'account' },
  { token: 'sim-workspace-8e2b4d6f-1a3c-4e5b-8d7f-9c0a2b4d6e81', kind: 'workspace' },
  {
    token: 'sim-project-dev-5c7e9a1b-3d5f-4a7c-9e1b-2d4f6a8c0e23',
    kind: 'project',
    environment: 'kars-dev',
  },
  {
    token: 'sim-project-prod-7a9c1e3b-5d7f-4b9d-8f1a-3c5e7a9b1d45',
    kind: 'project',
    environment: 'kars-prod',
  },
];

/** The default tokens this state can honour: a project token needs its environment to exist. */
export function defaultTokensFor(state: RailwayState): SimTokenSpec[] {
  return defaultRailwayTokens.filter(
    (spec) =>
      spec.kind !== 'project' || state.environments.some((e) => e.name === spec.environment),
  );
}

/** Resolves token specs against the state once, at start, so requests only look tokens up. */
export function resolveViewers(state: RailwayState, specs: SimTokenSpec[]): Map<string, Viewer> {
  const viewers = new Map<string, Viewer>();
  for (const spec of specs) viewers.set(spec.token, resolveViewer(state, spec));
  return viewers;
}

function resolveViewer(state: RailwayState, spec: SimTokenSpec): Viewer {
  const firstWorkspace = state.workspaces[0];
  if (spec.kind === 'account')
    return { kind: 'account', token: spec.token, user: userFor(state, spec) };
  if (spec.kind === 'workspace') {
    const workspace = state.workspaces.find(
      (w) => w.id === (spec.workspaceId ?? firstWorkspace?.id),
    );
    if (!workspace) throw new Error('a workspace token needs a workspace in the simulator');
    return { kind: 'workspace', token: spec.token, workspace };
  }
  const env = state.environments.find((e) =>
    spec.environmentId
      ? e.id === spec.environmentId
      : (!spec.projectId || e.projectId === spec.projectId) &&
        (!spec.environment || e.name === spec.environment),
  );
  if (!env) throw new Error('a project token needs an environment in the simulator');
  const name = spec.name ?? `railyard-${env.name}`;
  return {
    kind: 'project',
    token: spec.token,
    tokenId: state.nextId(),
    name,
    projectId: env.projectId,
    environmentId: env.id,
  };
}

function userFor(state: RailwayState, spec: { name?: string; email?: string }): SimUser {
  const existing =
    state.users.find((u) => u.email === spec.email) ?? (spec.email ? undefined : state.users[0]);
  if (existing) return existing;
  const user = {
    id: state.nextId(),
    name: spec.name ?? 'Simulated User',
    email: spec.email ?? 'user@railyard.invalid',
    workspaceIds: state.workspaces.map((w) => w.id),
  };
  state.users.push(user);
  return user;
}

/** Railway reads `Project-Access-Token` for project tokens and `Authorization: Bearer` for the rest. */
export function identify(
  headers: Record<string, string | string[] | undefined>,
  viewers: Map<string, Viewer>,
): Identity {
  const projectToken = header(headers, 'project-access-token');
  if (projectToken !== undefined) {
    const viewer = viewers.get(projectToken);
    return viewer?.kind === 'project'
      ? { viewer }
      : { refused: projectTokenNotFound, token: projectToken };
  }
  const auth = header(headers, 'authorization');
  if (auth === undefined) return { anonymous: true };
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  const viewer = bearer === undefined ? undefined : viewers.get(bearer);
  if (!viewer || viewer.kind === 'project')
    return { refused: notAuthorized, token: bearer ?? auth };
  return { viewer };
}

function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function authError(message = notAuthorized): GraphQLError {
  return new GraphQLError(message);
}

export function notFound(what: string): GraphQLError {
  return new GraphQLError(`${what} not found`);
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw authError();
  return viewer;
}

export function canSeeProject(viewer: Viewer, project: SimProject): boolean {
  if (viewer.kind === 'account') return viewer.user.workspaceIds.includes(project.workspaceId);
  if (viewer.kind === 'workspace') return viewer.workspace.id === project.workspaceId;
  return viewer.projectId === project.id;
}

/** A project token is scoped to one environment of its project. */
export function canSeeEnvironment(
  viewer: Viewer,
  state: RailwayState,
  env: SimEnvironment,
): boolean {
  const project = state.projects.find((p) => p.id === env.projectId);
  if (!project || !canSeeProject(viewer, project)) return false;
  return viewer.kind !== 'project' || viewer.environmentId === env.id;
}
