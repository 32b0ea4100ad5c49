// The Railway simulator's in-memory world and the deployment lifecycle, moved only by explicit advance() calls.
import { EventEmitter } from 'node:events';
import { SimClock } from '../clock';
import { defaultTimings, type SimTimings } from '../timings';
import { DeploymentEventStore } from './deploymentEvents';
import { LogStore } from './logs';
import type {
  SimCommit,
  SimCreator,
  SimDeployment,
  SimDeploymentStatus,
  SimEnvironment,
  SimHealth,
  SimHealthSetting,
  SimOutcome,
  SimProject,
  SimService,
  SimServiceInstance,
  SimTrigger,
  SimUser,
  SimWorkspace,
} from './model';
import { StagedChangeStore } from './stagedChanges';
import { VariableStore } from './variables';
import { VolumeStore } from './volumes';

export interface NewDeployment {
  environmentId: string;
  serviceId: string;
  meta?: Record<string, unknown>;
  creator?: SimCreator | null;
  outcome?: SimOutcome;
  status?: SimDeploymentStatus;
  skipBuild?: boolean;
}

const inFlight: ReadonlySet<SimDeploymentStatus> = new Set([
  'QUEUED',
  'INITIALIZING',
  'BUILDING',
  'DEPLOYING',
]);
/** Longer than the daemon's 5 s health timeout, so a 'slow' service reads as not answering. */
export const defaultSlowMs = 10_000;

const finished: ReadonlySet<SimDeploymentStatus> = new Set([
  'SUCCESS',
  'FAILED',
  'CRASHED',
  'REMOVED',
]);

export class RailwayState {
  readonly workspaces: SimWorkspace[] = [];
  readonly users: SimUser[] = [];
  readonly projects: SimProject[] = [];
  readonly environments: SimEnvironment[] = [];
  readonly services: SimService[] = [];
  readonly serviceInstances: SimServiceInstance[] = [];
  readonly triggers: SimTrigger[] = [];
  readonly deployments: SimDeployment[] = [];
  /** Build and deploy logs, written as deployments move; tests may append their own lines. */
  readonly logs: LogStore;
  /** Each deployment's progress steps (Railway's deploymentEvents), recorded as it moves. */
  readonly deploymentEvents: DeploymentEventStore;
  /** Volumes, their backups and the backup and restore workflows, which run on the clock. */
  readonly volumes: VolumeStore;
  /** Every environment's variables, per service and shared. */
  readonly variables: VariableStore;
  /** Each environment's staged patch, applied only when committed. */
  readonly stagedChanges: StagedChangeStore;
  private readonly events = new EventEmitter();
  private readonly health = new Map<string, SimHealthSetting>();
  private counter = 0;

  /** Every timestamp the simulator writes and every duration it models runs on `clock`. */
  constructor(
    readonly clock: SimClock = new SimClock(),
    readonly timings: SimTimings = defaultTimings(),
  ) {
    this.events.setMaxListeners(0);
    this.logs = new LogStore(this.now);
    this.deploymentEvents = new DeploymentEventStore(() => this.timestamp());
    const nextId = () => this.nextId();
    const timestamp = () => this.timestamp();
    this.volumes = new VolumeStore(nextId, timestamp, clock, timings);
    this.variables = new VariableStore(nextId, timestamp);
    this.stagedChanges = new StagedChangeStore(nextId, timestamp);
  }

  /** A fresh id shaped like Railway's UUIDs, deterministic so fixtures are stable across runs. */
  nextId(): string {
    this.counter += 1;
    // The counter leads too, so short ids (the first 8 characters) tell objects apart.
    const hex = this.counter.toString(16);
    return `${hex.padStart(8, '0')}-0000-4000-8000-${hex.padStart(12, '0')}`;
  }

  readonly now = (): Date => this.clock.now();

  timestamp(): string {
    return this.now().toISOString();
  }

  environmentByName(name: string, projectId?: string): SimEnvironment {
    return must(
      this.environments.find((e) => e.name === name && (!projectId || e.projectId === projectId)),
      `environment ${name}`,
    );
  }

  serviceByName(name: string, projectId?: string): SimService {
    return must(
      this.services.find((s) => s.name === name && (!projectId || s.projectId === projectId)),
      `service ${name}`,
    );
  }

  deployment(id: string): SimDeployment | undefined {
    return this.deployments.find((d) => d.id === id);
  }

  /** Newest first, as Railway lists them. */
  deploymentsOf(environmentId: string, serviceId: string): SimDeployment[] {
    return this.deployments
      .filter((d) => d.environmentId === environmentId && d.serviceId === serviceId)
      .sort(newestFirst);
  }

  activeDeployments(environmentId: string, serviceId: string): SimDeployment[] {
    return this.deploymentsOf(environmentId, serviceId).filter(
      (d) => d.status === 'SUCCESS' || d.status === 'SLEEPING',
    );
  }

  createDeployment(input: NewDeployment): SimDeployment {
    const env = must(
      this.environments.find((e) => e.id === input.environmentId),
      'environment',
    );
    const at = this.timestamp();
    const deployment: SimDeployment = {
      id: this.nextId(),
      projectId: env.projectId,
      environmentId: env.id,
      serviceId: input.serviceId,
      status: input.status ?? 'QUEUED',
      createdAt: at,
      updatedAt: at,
      statusUpdatedAt: at,
      meta: input.meta ?? {},
      creator: input.creator ?? null,
      url: null,
      staticUrl: null,
      outcome: input.outcome ?? 'SUCCESS',
      succeeded: false,
      skipBuild: input.skipBuild ?? false,
    };
    this.deployments.push(deployment);
    if (deployment.status === 'SUCCESS') this.succeed(deployment);
    this.emit(deployment, true);
    return deployment;
  }

  /** What a git push does on Railway: one new deployment per service whose trigger watches the branch. */
  push(
    repository: string,
    branch: string,
    commit: SimCommit,
    outcome: SimOutcome = 'SUCCESS',
  ): SimDeployment[] {
    return this.triggers
      .filter((t) => t.repository === repository && t.branch === branch)
      .map((t) =>
        this.createDeployment({
          environmentId: t.environmentId,
          serviceId: t.serviceId,
          outcome,
          meta: gitMeta(repository, branch, commit),
        }),
      );
  }

  /**
   * Moves one deployment (or every one in flight) a single step; returns those that moved.
   * Without an id it also finishes the running backups.
   */
  advance(deploymentId?: string): SimDeployment[] {
    if (deploymentId === undefined) this.volumes.advance();
    const moving = this.deployments.filter(
      (d) => inFlight.has(d.status) && (deploymentId === undefined || d.id === deploymentId),
    );
    for (const d of moving) this.setStatus(d, nextStatus(d));
    return moving;
  }

  /** Advances until nothing is in flight (bounded, since every path ends in three steps or fewer). */
  settle(deploymentId?: string): void {
    for (let i = 0; i < 8 && this.advance(deploymentId).length > 0; i++);
  }

  setStatus(deployment: SimDeployment, status: SimDeploymentStatus): void {
    deployment.status = status;
    deployment.statusUpdatedAt = deployment.updatedAt = this.timestamp();
    if (status === 'SUCCESS') this.succeed(deployment);
    this.emit(deployment);
  }

  /** Switches how the service's domains answer in that environment; 'slow' waits `delayMs` first. */
  setHealth(
    environmentName: string,
    serviceName: string,
    health: SimHealth,
    options: { delayMs?: number } = {},
  ): void {
    const env = this.environmentByName(environmentName);
    const service = this.serviceByName(serviceName, env.projectId);
    const delayMs = options.delayMs ?? defaultSlowMs;
    this.health.set(`${env.id}/${service.id}`, { health, delayMs });
  }

  healthOf(environmentId: string, serviceId: string): SimHealthSetting {
    return this.health.get(`${environmentId}/${serviceId}`) ?? { health: 'healthy', delayMs: 0 };
  }

  /** The service instance a public domain (Railway's or a custom one) belongs to. */
  instanceByDomain(domain: string): SimServiceInstance | undefined {
    const name = domain.toLowerCase();
    return this.serviceInstances.find(
      (i) => i.serviceDomains.includes(name) || i.customDomains.includes(name),
    );
  }

  onDeploymentChange(listener: (d: SimDeployment) => void): () => void {
    this.events.on('deployment', listener);
    return () => this.events.off('deployment', listener);
  }

  canRollback(d: SimDeployment): boolean {
    return d.status === 'REMOVED' && d.succeeded;
  }

  canRedeploy(d: SimDeployment): boolean {
    return finished.has(d.status);
  }

  /** Makes the next volume backup started end in Error, with `message` as its workflow's error. */
  failNextBackup(message?: string): void {
    this.volumes.failNextBackup(message);
  }

  /** The newly active deployment replaces the previous one, which Railway keeps (REMOVED) for rollback. */
  private succeed(deployment: SimDeployment): void {
    deployment.succeeded = true;
    const instance = this.serviceInstances.find(
      (i) => i.environmentId === deployment.environmentId && i.serviceId === deployment.serviceId,
    );
    const domain = instance?.serviceDomains[0];
    deployment.staticUrl = domain ?? null;
    deployment.url = domain ? `https://${domain}` : null;
    for (const old of this.activeDeployments(deployment.environmentId, deployment.serviceId)) {
      if (old.id === deployment.id) continue;
      old.status = 'REMOVED';
      old.statusUpdatedAt = old.updatedAt = this.timestamp();
      this.emit(old);
    }
  }

  private emit(deployment: SimDeployment, created = false): void {
    const service = this.services.find((s) => s.id === deployment.serviceId);
    this.logs.lifecycle(deployment, service?.name ?? 'service', created);
    this.deploymentEvents.record(deployment, created);
    this.events.emit('deployment', deployment);
  }
}

function nextStatus(d: SimDeployment): SimDeploymentStatus {
  switch (d.status) {
    case 'QUEUED':
    case 'INITIALIZING':
      return d.skipBuild ? 'DEPLOYING' : 'BUILDING';
    case 'BUILDING':
      return d.outcome === 'FAILED' ? 'FAILED' : 'DEPLOYING';
    default:
      return d.outcome;
  }
}

export function gitMeta(repo: string, branch: string, commit: SimCommit): Record<string, unknown> {
  return {
    repo,
    branch,
    commitHash: commit.hash,
    commitMessage: commit.message,
    commitAuthor: commit.author,
  };
}

function newestFirst(a: SimDeployment, b: SimDeployment): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the simulator has no ${what}`);
  return value;
}
