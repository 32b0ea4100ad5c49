// GitHub Deployments and their statuses in memory: what the deployment routes and Railway's GitHub App write, with GitHub's auto_inactive rule.
import type { SimClock } from '../clock';

export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
export const deploymentStates: readonly DeploymentState[] = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
];

/** Who made a deployment or status: a user, or a GitHub App's bot account. */
export interface GithubActor {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface DeploymentStatus {
  id: number;
  deploymentId: number;
  state: DeploymentState;
  /** GitHub answers "" for what was not given. */
  description: string;
  environment: string;
  logUrl: string;
  environmentUrl: string;
  creator: GithubActor;
  createdAt: Date;
}

/** The GitHub App a bot acts for, as GitHub embeds it (`performed_via_github_app`). */
export interface GithubAppJson {
  id: number;
  slug: string;
  name: string;
  owner: { login: string; id: number; type: string };
  html_url: string;
}

export interface Deployment {
  id: number;
  /** `owner/name` */
  repository: string;
  sha: string;
  /** The ref as it was asked for: a branch, a tag or a sha. */
  ref: string;
  task: string;
  payload: unknown;
  originalEnvironment: string;
  /** Changed by a status that names another environment. */
  environment: string;
  description: string;
  creator: GithubActor;
  transient: boolean;
  production: boolean;
  /** Set when a GitHub App made it. */
  app?: GithubAppJson;
  createdAt: Date;
  updatedAt: Date;
  /** Oldest first. */
  statuses: DeploymentStatus[];
}

export type NewDeployment = Omit<
  Deployment,
  'id' | 'originalEnvironment' | 'createdAt' | 'updatedAt' | 'statuses'
>;

export interface NewDeploymentStatus {
  state: DeploymentState;
  description?: string;
  /** The deployment's environment moves here; its own when omitted. */
  environment?: string;
  logUrl?: string;
  environmentUrl?: string;
  creator: GithubActor;
  /** GitHub's default is true. */
  autoInactive?: boolean;
}

export interface DeploymentFilter {
  sha?: string;
  ref?: string;
  task?: string;
  environment?: string;
}

export class DeploymentStore {
  private readonly deployments: Deployment[] = [];
  private lastId = 0;
  private lastStatusId = 0;
  private readonly listeners = new Set<(d: Deployment, s: DeploymentStatus) => void>();

  constructor(private readonly clock: SimClock) {}

  /** Hears every status posted (through the API or by an App): what a test waits on. */
  onStatus(listener: (d: Deployment, s: DeploymentStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  create(input: NewDeployment): Deployment {
    const now = this.clock.now();
    const deployment: Deployment = {
      ...input,
      id: 1_200_000_000 + ++this.lastId,
      originalEnvironment: input.environment,
      createdAt: now,
      updatedAt: now,
      statuses: [],
    };
    this.deployments.push(deployment);
    return deployment;
  }

  /** The repository's deployments that match every filter given, newest first. */
  list(repository: string, filter: DeploymentFilter = {}): Deployment[] {
    const matches = (d: Deployment) =>
      d.repository === repository &&
      (filter.sha === undefined || d.sha === filter.sha) &&
      (filter.ref === undefined || d.ref === filter.ref) &&
      (filter.task === undefined || d.task === filter.task) &&
      (filter.environment === undefined || d.environment === filter.environment);
    return this.deployments.filter(matches).reverse();
  }

  get(repository: string, id: number): Deployment | undefined {
    return this.deployments.find((d) => d.repository === repository && d.id === id);
  }

  /**
   * GitHub deletes an inactive deployment, or the only one of its environment; any other is
   * `active` and stays, so that an environment always keeps a deployment that says what runs there.
   */
  delete(deployment: Deployment): 'deleted' | 'active' {
    const sameEnvironment = this.list(deployment.repository, {
      environment: deployment.environment,
    });
    if (latestState(deployment) !== 'inactive' && sameEnvironment.length > 1) return 'active';
    this.deployments.splice(this.deployments.indexOf(deployment), 1);
    return 'deleted';
  }

  addStatus(deployment: Deployment, input: NewDeploymentStatus): DeploymentStatus {
    if (input.environment !== undefined) deployment.environment = input.environment;
    const status = this.push(deployment, input);
    if (status.state === 'success' && input.autoInactive !== false)
      for (const older of this.autoInactivated(deployment))
        this.push(older, { state: 'inactive', creator: input.creator });
    for (const l of [...this.listeners]) l(deployment, status);
    return status;
  }

  /** Newest first. */
  statusesOf(deployment: Deployment): DeploymentStatus[] {
    return [...deployment.statuses].reverse();
  }

  /**
   * GitHub's auto_inactive: prior deployments of the same repository and environment that are
   * neither transient nor production and whose newest status is success get an inactive status
   * (its documentation: "An inactive status is only added to deployments that had a success state").
   */
  private autoInactivated(deployment: Deployment): Deployment[] {
    return this.list(deployment.repository, { environment: deployment.environment }).filter(
      (d) => d.id < deployment.id && !d.transient && !d.production && latestState(d) === 'success',
    );
  }

  /** A status also touches its deployment's updated_at, as GitHub's answers show. */
  private push(
    deployment: Deployment,
    input: Omit<NewDeploymentStatus, 'autoInactive'>,
  ): DeploymentStatus {
    const status: DeploymentStatus = {
      id: 2_400_000_000 + ++this.lastStatusId,
      deploymentId: deployment.id,
      state: input.state,
      description: input.description ?? '',
      environment: deployment.environment,
      logUrl: input.logUrl ?? '',
      environmentUrl: input.environmentUrl ?? '',
      creator: input.creator,
      createdAt: this.clock.now(),
    };
    deployment.statuses.push(status);
    deployment.updatedAt = status.createdAt;
    return status;
  }
}

export function latestState(deployment: Deployment): DeploymentState | undefined {
  return deployment.statuses.at(-1)?.state;
}

export function isDeploymentState(value: unknown): value is DeploymentState {
  return deploymentStates.includes(value as DeploymentState);
}
