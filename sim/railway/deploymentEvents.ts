// The progress steps of the simulator's deployments (Railway's deploymentEvents), recorded as each deployment changes status.
import { EventEmitter } from 'node:events';
import type {
  SimDeployment,
  SimDeploymentEvent,
  SimDeploymentEventStep,
  SimDeploymentStatus,
} from './model';

/** The statuses that end a deployment with its open step failed. */
const failedStatuses: ReadonlySet<SimDeploymentStatus> = new Set(['FAILED', 'CRASHED']);

/** What a failed step says in `payload.error`, worded like Railway's dashboard. */
export function stepError(step: SimDeploymentEventStep): string {
  if (step === 'HEALTHCHECK') return 'Healthcheck failed: service unavailable';
  if (step === 'BUILD_IMAGE') return 'Build failed: exit code: 1';
  if (step === 'PRE_DEPLOY_COMMAND') return 'Pre-deploy command failed: exit code: 1';
  return `${step} failed`;
}

const buildSteps: SimDeploymentEventStep[] = ['SNAPSHOT_CODE', 'BUILD_IMAGE'];
const deploySteps: SimDeploymentEventStep[] = ['CREATE_CONTAINER', 'HEALTHCHECK'];
/** A failing pre-deploy command (migrations) stops the deployment before its container is created. */
const preDeploySteps: SimDeploymentEventStep[] = ['PRE_DEPLOY_COMMAND'];
const activeSteps: SimDeploymentEventStep[] = ['DRAIN_INSTANCES'];

export class DeploymentEventStore {
  private readonly byDeployment = new Map<string, SimDeploymentEvent[]>();
  private readonly changes = new EventEmitter();
  private counter = 0;

  constructor(private readonly timestamp: () => string) {
    this.changes.setMaxListeners(0);
  }

  /** A deployment's steps, oldest first. */
  of(deploymentId: string): SimDeploymentEvent[] {
    return this.byDeployment.get(deploymentId) ?? [];
  }

  /** Every step that starts, completes or fails, as it happens. */
  onEvent(listener: (event: SimDeploymentEvent) => void): () => void {
    this.changes.on('event', listener);
    return () => this.changes.off('event', listener);
  }

  /**
   * Records what reaching its current status means for `d`: the open step completes (or fails and
   * stays open), then the status's own steps start, the last one left running until the next status.
   * A deployment `created` finished (the fixture's history) gets its whole story at once.
   */
  record(d: SimDeployment, created: boolean): void {
    if (created && d.status === 'SUCCESS') return this.wholeStory(d);
    if (failedStatuses.has(d.status)) return this.failOpen(d.id);
    const steps = stepsStartedBy(d);
    if (steps.length === 0) return;
    this.completeOpen(d.id);
    steps.forEach((step, i) =>
      this.start(d.id, step, d.status === 'SUCCESS' || i < steps.length - 1),
    );
  }

  /** Moves every step of a deployment by the same amount, so a backdated history stays consistent. */
  shift(deploymentId: string, ms: number): void {
    const move = (at: string) => new Date(new Date(at).getTime() + ms).toISOString();
    for (const e of this.of(deploymentId)) {
      e.createdAt = move(e.createdAt);
      if (e.completedAt !== null) e.completedAt = move(e.completedAt);
    }
  }

  private wholeStory(d: SimDeployment): void {
    const fromImage = d.skipBuild || typeof d.meta.image === 'string';
    const steps = [...(fromImage ? [] : [...buildSteps, 'PUBLISH_IMAGE' as const]), ...deploySteps];
    for (const step of [...steps, ...activeSteps]) this.start(d.id, step, true);
  }

  private start(deploymentId: string, step: SimDeploymentEventStep, completed: boolean): void {
    const at = this.timestamp();
    this.counter += 1;
    const event: SimDeploymentEvent = {
      id: `00000000-0000-4000-9000-${this.counter.toString(16).padStart(12, '0')}`,
      deploymentId,
      step,
      createdAt: at,
      completedAt: completed ? at : null,
      error: null,
    };
    const list = this.byDeployment.get(deploymentId) ?? [];
    list.push(event);
    this.byDeployment.set(deploymentId, list);
    this.changes.emit('event', event);
  }

  private completeOpen(deploymentId: string): void {
    for (const e of this.open(deploymentId)) {
      e.completedAt = this.timestamp();
      this.changes.emit('event', e);
    }
  }

  private failOpen(deploymentId: string): void {
    for (const e of this.open(deploymentId)) {
      e.error = stepError(e.step);
      this.changes.emit('event', e);
    }
  }

  private open(deploymentId: string): SimDeploymentEvent[] {
    return this.of(deploymentId).filter((e) => e.completedAt === null && e.error === null);
  }
}

/** The steps a deployment starts as it enters its current status; a rollback has nothing to build or publish. */
function stepsStartedBy(d: SimDeployment): SimDeploymentEventStep[] {
  switch (d.status) {
    case 'BUILDING':
      return buildSteps;
    case 'DEPLOYING': {
      const publish: SimDeploymentEventStep[] = d.skipBuild ? [] : ['PUBLISH_IMAGE'];
      const failsBefore = d.outcome === 'FAILED' && d.failure === 'preDeploy';
      return [...publish, ...(failsBefore ? preDeploySteps : deploySteps)];
    }
    case 'SUCCESS':
      return activeSteps;
    default:
      return [];
  }
}
