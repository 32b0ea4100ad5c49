// The records the Railway simulator keeps in memory, named after Railway's own types.

export const deploymentStatuses = [
  'BUILDING',
  'CRASHED',
  'DEPLOYING',
  'FAILED',
  'INITIALIZING',
  'NEEDS_APPROVAL',
  'QUEUED',
  'REMOVED',
  'REMOVING',
  'SKIPPED',
  'SLEEPING',
  'SUCCESS',
  'WAITING',
] as const;

export type SimDeploymentStatus = (typeof deploymentStatuses)[number];

/** How a deployment in flight will end when advanced far enough. */
export type SimOutcome = 'SUCCESS' | 'FAILED' | 'CRASHED';

export interface SimWorkspace {
  id: string;
  name: string;
}

export interface SimUser {
  id: string;
  name: string;
  email: string;
  workspaceIds: string[];
}

export interface SimProject {
  id: string;
  name: string;
  description: string | null;
  workspaceId: string;
  createdAt: string;
  updatedAt: string;
}

export interface SimEnvironmentMeta {
  prNumber?: number;
  prTitle?: string;
  prRepo?: string;
  branch?: string;
  baseBranch?: string;
}

export interface SimEnvironment {
  id: string;
  name: string;
  projectId: string;
  isEphemeral: boolean;
  meta: SimEnvironmentMeta | null;
  sourceEnvironmentId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SimService {
  id: string;
  name: string;
  projectId: string;
  icon: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SimServiceInstance {
  id: string;
  serviceId: string;
  environmentId: string;
  source: { repo: string | null; image: string | null };
  healthcheckPath: string | null;
  numReplicas: number;
  serviceDomains: string[];
  customDomains: string[];
  createdAt: string;
  updatedAt: string;
}

export interface SimTrigger {
  id: string;
  projectId: string;
  environmentId: string;
  serviceId: string;
  repository: string;
  branch: string;
  provider: string;
  checkSuites: boolean;
}

export interface SimCreator {
  id: string;
  name: string | null;
  email: string;
  avatar: string | null;
}

export interface SimDeployment {
  id: string;
  projectId: string;
  environmentId: string;
  serviceId: string;
  status: SimDeploymentStatus;
  createdAt: string;
  updatedAt: string;
  statusUpdatedAt: string;
  /** Railway's untyped `meta`: commitHash, commitMessage, commitAuthor, branch, repo, image. */
  meta: Record<string, unknown>;
  creator: SimCreator | null;
  url: string | null;
  staticUrl: string | null;
  outcome: SimOutcome;
  /** Set once it reached SUCCESS, so a later REMOVED one can still be rolled back to. */
  succeeded: boolean;
  /** Rollbacks and image deployments have nothing to build. */
  skipBuild: boolean;
}

export interface SimCommit {
  hash: string;
  message: string;
  author: string;
}

/** How a service's public domain answers: what `state.setHealth` switches per (environment, service). */
export type SimHealth = 'healthy' | 'unhealthy' | 'db-down' | 'slow';

export interface SimHealthSetting {
  health: SimHealth;
  /** How long a 'slow' service takes to answer. */
  delayMs: number;
}
