// The shapes of Railway's answers to the operations in operations.ts, as the daemon reads them.
import type { DeploymentStatus } from '../../protocol/protocol';

/** Railway's statuses; the list lives in the protocol, which shows them to clients as they are. */
export type RailwayDeploymentStatus = DeploymentStatus;

/** `meta` is untyped JSON upstream; these are the keys Railway fills for git-sourced deployments. */
export interface RailwayDeploymentMeta {
  commitHash?: string;
  commitMessage?: string;
  commitAuthor?: string;
  branch?: string;
  repo?: string;
  [key: string]: unknown;
}

export interface RailwayDeployment {
  id: string;
  status: RailwayDeploymentStatus;
  createdAt: string;
  statusUpdatedAt: string | null;
  canRedeploy: boolean;
  canRollback: boolean;
  url: string | null;
  staticUrl: string | null;
  meta: RailwayDeploymentMeta | null;
  serviceId: string | null;
  environmentId: string;
  projectId: string;
  creator: { name: string | null; email: string } | null;
}

export interface Connection<T> {
  edges: { node: T }[];
}

export interface MeResult {
  me: { id: string; name: string | null; email: string };
}

export interface ApiTokenWorkspacesResult {
  apiToken: { workspaces: { id: string; name: string }[] };
}

export interface ProjectTokenResult {
  projectToken: {
    projectId: string;
    environmentId: string;
    project: { id: string; name: string };
    environment: { id: string; name: string };
  };
}

export interface RailwayEnvironment {
  id: string;
  name: string;
  isEphemeral: boolean;
  meta: {
    prNumber: number | null;
    prTitle: string | null;
    branch: string | null;
    baseBranch: string | null;
  } | null;
}

export interface RailwayServiceInstance {
  id: string;
  serviceId: string;
  serviceName: string;
  environmentId: string;
  healthcheckPath: string | null;
  numReplicas: number | null;
  source: { repo: string | null; image: string | null } | null;
  domains: { serviceDomains: { domain: string }[]; customDomains: { domain: string }[] };
  latestDeployment: RailwayDeployment | null;
  activeDeployments: RailwayDeployment[];
}

export interface DeploymentsResult {
  deployments: Connection<RailwayDeployment> & {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

export interface DeploymentResult {
  deployment: RailwayDeployment;
}

export interface RailwayDeploymentTrigger {
  id: string;
  repository: string;
  branch: string;
  provider: string;
  checkSuites: boolean;
  serviceId: string | null;
  environmentId: string;
}

/** Railway's EnvironmentVariables scalar: name → value; a sealed variable's value is null. */
export interface VariablesResult {
  variables: Record<string, string | null>;
}

export interface RailwayVolumeInstance {
  id: string;
  serviceId: string | null;
  mountPath: string;
  state: string | null;
  volume: { id: string; name: string };
}

export interface EnvironmentVolumesResult {
  environment: { id: string; name: string; volumeInstances: Connection<RailwayVolumeInstance> };
}

export interface VolumeBackupCreateResult {
  /** Railway can answer null and still run the backup (FACTS.md). */
  volumeInstanceBackupCreate: { workflowId: string | null };
}

export type RailwayWorkflowStatus = 'Complete' | 'Error' | 'NotFound' | 'Running';

export interface WorkflowStatusResult {
  workflowStatus: { status: RailwayWorkflowStatus; error: string | null };
}

export interface RailwayVolumeBackup {
  id: string;
  name: string | null;
  createdAt: string;
}

export interface VolumeBackupListResult {
  volumeInstanceBackupList: RailwayVolumeBackup[];
}
