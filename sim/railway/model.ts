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

/**
 * Where a FAILED deployment fails, each as Railway does it: the build; the pre-deploy command
 * (which may already have migrated the database); or a healthcheck that never passes within its
 * timeout. In all three the previous deployment keeps serving.
 */
export type SimFailure = 'build' | 'preDeploy' | 'healthcheck';

/** What happens to an in-flight deployment when a newer push to the same trigger arrives (unconfirmed upstream, so both). */
export type SimSupersede = 'remove' | 'continue';

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
  /** Railway's restart policy (ON_FAILURE): restarts of a dying process before the deployment is CRASHED. */
  restartPolicyMaxRetries: number;
  /** Railway's watch paths (gitignore-style globs): a push touching none of them is SKIPPED. Empty: every push deploys. */
  watchPatterns: string[];
  /** Off: pushes to the trigger branch create no deployment at all. */
  autoDeploy: boolean;
  /** On: every new deployment waits in NEEDS_APPROVAL until `deploymentApprove`. */
  needsApproval: boolean;
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
  /** Where it fails when `outcome` is FAILED. */
  failure: SimFailure;
  /** Set once it reached SUCCESS, so a later REMOVED one can still be rolled back to. */
  succeeded: boolean;
  /** When it served traffic last: a CRASHED one that had taken over still counts as active. */
  wasActive: boolean;
  /** When it became REMOVED: its image is kept for rollback for the plan's retention after this. */
  removedAt: string | null;
  /** Why a SKIPPED one was skipped: its build log says so. */
  skipReason: 'watch-paths' | 'ci' | null;
  /** The commit a "Wait for CI" deployment waits on, while WAITING. */
  waitingFor: { repository: string; sha: string } | null;
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

/** Railway's DeploymentEventStep, every value, in the real schema's order. */
export const deploymentEventSteps = [
  'BUILD_IMAGE',
  'CONFIGURE_NETWORK',
  'CREATE_CONTAINER',
  'DRAIN_INSTANCES',
  'HEALTHCHECK',
  'MIGRATE_VOLUMES',
  'PRE_DEPLOY_COMMAND',
  'PUBLISH_IMAGE',
  'SNAPSHOT_CODE',
  'WAIT_FOR_DEPENDENCIES',
] as const;

export type SimDeploymentEventStep = (typeof deploymentEventSteps)[number];

/** One step of a deployment's progress; `completedAt` stays null while it runs, and for good when it failed. */
export interface SimDeploymentEvent {
  id: string;
  deploymentId: string;
  step: SimDeploymentEventStep;
  createdAt: string;
  completedAt: string | null;
  error: string | null;
}

export interface SimVolume {
  id: string;
  name: string;
  projectId: string;
  createdAt: string;
}

/** Railway's VolumeState; the simulator's volumes are always READY. */
export type SimVolumeState = 'READY';

/** A volume mounted by one service in one environment. */
export interface SimVolumeInstance {
  id: string;
  volumeId: string;
  serviceId: string;
  environmentId: string;
  mountPath: string;
  sizeMB: number;
  currentSizeMB: number;
  state: SimVolumeState;
  region: string;
  createdAt: string;
}

export interface SimVolumeBackup {
  id: string;
  externalId: string;
  volumeInstanceId: string;
  name: string;
  createdAt: string;
  creatorId: string | null;
  usedMB: number;
  referencedMB: number;
  volumeInstanceSizeMB: number;
}

/** Railway's WorkflowStatus, as `workflowStatus` answers it for a backup or a restore. */
export type SimWorkflowStatus = 'Complete' | 'Error' | 'NotFound' | 'Running';
