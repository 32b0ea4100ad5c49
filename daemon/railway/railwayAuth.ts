// Finds out what a Railway token is (account, workspace or project) and whom it belongs to, by asking Railway.
import { failure, success, type Outcome, type UpstreamError } from '../upstreamError';
import { RailwayClient, type RailwayTokenKind } from './railwayClient';
import type { ApiTokenWorkspacesResult, MeResult, ProjectTokenResult } from './types';

export type RailwayTokenKindChoice = 'auto' | 'account' | 'project';

export interface RailwayTokenIdentity {
  tokenKind: RailwayTokenKind;
  /** Who or what the token speaks for, to show the user: a person, a workspace, or project / environment. */
  account: string;
  projectId?: string;
  environmentId?: string;
  workspaceIds?: string[];
}

export type RailwayClientFactory = (token: string, kind: RailwayTokenKind) => RailwayClient;

type Probe = (
  factory: RailwayClientFactory,
  token: string,
) => Promise<Outcome<RailwayTokenIdentity>>;

const advice = {
  bearer: 'Create an account token at railway.com/account/tokens and sign in again.',
  project:
    "Create a project token in the project's Settings → Tokens on railway.com and sign in again.",
};

/** `factory` may be an endpoint URL, for which plain clients are made. */
export async function validateRailwayToken(
  factory: RailwayClientFactory | string | undefined,
  token: string,
  kind: RailwayTokenKindChoice,
): Promise<Outcome<RailwayTokenIdentity>> {
  const make = typeof factory === 'function' ? factory : endpointFactory(factory);
  // A Bearer token that `me` refuses may still be a workspace token, which `apiToken` accepts.
  const probes: Probe[] =
    kind === 'project'
      ? [probeProject]
      : kind === 'account'
        ? [probeAccount, probeWorkspace]
        : [probeAccount, probeWorkspace, probeProject];
  for (const probe of probes) {
    const outcome = await probe(make, token);
    // Only a refusal means "try the next kind"; a 429 or an outage says nothing about the token.
    if (outcome.ok || outcome.error.kind !== 'auth') return outcome;
  }
  return failure(refused(kind));
}

function endpointFactory(endpoint: string | undefined): RailwayClientFactory {
  return (token, tokenKind) => new RailwayClient({ endpoint, token, tokenKind });
}

function refused(kind: RailwayTokenKindChoice): UpstreamError {
  if (kind === 'project')
    return {
      kind: 'auth',
      message: `Railway refused this project token (project token not found). ${advice.project}`,
    };
  if (kind === 'account')
    return {
      kind: 'auth',
      message: `Railway refused this token (Not Authorized). ${advice.bearer}`,
    };
  return {
    kind: 'auth',
    message: `Railway refused this token as an account, workspace and project token (Not Authorized). ${advice.bearer}`,
  };
}

const probeAccount: Probe = async (factory, token) => {
  const answer = await factory(token, 'account').operation<MeResult>('Me');
  if (!answer.ok) return answer;
  const { name, email } = answer.value.me;
  return success({ tokenKind: 'account', account: name ? `${name} (${email})` : email });
};

const probeWorkspace: Probe = async (factory, token) => {
  const answer = await factory(token, 'workspace').operation<ApiTokenWorkspacesResult>(
    'ApiTokenWorkspaces',
  );
  if (!answer.ok) return answer;
  const workspaces = answer.value.apiToken.workspaces;
  const names = workspaces.map((w) => w.name).join(', ');
  return success({
    tokenKind: 'workspace',
    account: `workspace ${names}`,
    workspaceIds: workspaces.map((w) => w.id),
  });
};

const probeProject: Probe = async (factory, token) => {
  const answer = await factory(token, 'project').operation<ProjectTokenResult>('ProjectToken');
  if (!answer.ok) return answer;
  const { projectId, environmentId, project, environment } = answer.value.projectToken;
  return success({
    tokenKind: 'project',
    account: `${project.name} / ${environment.name}`,
    projectId,
    environmentId,
  });
};
