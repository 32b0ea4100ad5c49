// A deployment's instances as Railway's `Deployment.instances` lists them, and the crash loop a test
// can set on a service: its process dies and Railway restarts it, on the SimClock, until the
// service instance's restartPolicyMaxRetries are spent and the deployment goes CRASHED.
import type { SimClock, SimTimer } from '../clock';
import type { SimDeployment, SimDeploymentStatus, SimServiceInstance } from './model';

/** Railway's DeploymentInstanceStatus, the values the simulator uses. */
export type SimInstanceStatus =
  'CRASHED' | 'INITIALIZING' | 'REMOVED' | 'REMOVING' | 'RESTARTING' | 'RUNNING' | 'STOPPED';

/** Railway's default restart policy (ON_FAILURE with 10 retries). */
export const defaultRestartRetries = 10;

/** What an instance of a deployment in this status is; none before it ran or when it never did. */
const instanceStatusOf: Partial<Record<SimDeploymentStatus, SimInstanceStatus>> = {
  DEPLOYING: 'INITIALIZING',
  SUCCESS: 'RUNNING',
  SLEEPING: 'STOPPED',
  CRASHED: 'CRASHED',
  REMOVING: 'REMOVING',
  REMOVED: 'REMOVED',
};

/**
 * One instance per replica, ids stable for the deployment's life. A deployment removed before it
 * ever served had none. Every replica restarts together in a crash loop: they run the same code.
 */
export function deploymentInstances(
  d: SimDeployment,
  replicas: number,
  restarting: boolean,
): { id: string; status: SimInstanceStatus }[] {
  const status = instanceStatusOf[d.status];
  if (!status || (d.status !== 'DEPLOYING' && !d.succeeded)) return [];
  const shown = restarting && status === 'RUNNING' ? 'RESTARTING' : status;
  return Array.from({ length: Math.max(1, replicas) }, (_, i) => ({
    id: `${d.id}-instance-${i}`,
    status: shown,
  }));
}

/** What a crash loop needs of the simulator's world. */
export interface CrashLoopWorld {
  clock: SimClock;
  servingDeployment(environmentId: string, serviceId: string): SimDeployment | undefined;
  serviceInstance(environmentId: string, serviceId: string): SimServiceInstance | undefined;
  crash(d: SimDeployment): void;
  noteStart(environmentId: string, serviceId: string): void;
}

export interface CrashLoopOptions {
  /** How long the process runs before it dies again (default 30 s). */
  upMs?: number;
  /** How long Railway takes to start it again, RESTARTING meanwhile (default 20 s). */
  restartingMs?: number;
}

interface Loop {
  timer: SimTimer;
  upMs: number;
  restartingMs: number;
  /** The deployment whose process is restarting now, if it is. */
  down?: string;
}

/** The services set crash-looping, and the restarts each deployment has had. */
export class CrashLoops {
  private readonly loops = new Map<string, Loop>();
  private readonly restarts = new Map<string, number>();
  private readonly restarting = new Set<string>();

  constructor(private readonly world: CrashLoopWorld) {}

  /** From now on the service's serving deployment dies every `upMs` and is restarted. */
  start(environmentId: string, serviceId: string, options: CrashLoopOptions = {}): void {
    this.stop(environmentId, serviceId);
    const loop: Loop = {
      timer: { cancel: () => undefined },
      upMs: options.upMs ?? 30_000,
      restartingMs: options.restartingMs ?? 20_000,
    };
    this.loops.set(key(environmentId, serviceId), loop);
    this.schedule(environmentId, serviceId, loop, loop.upMs, () =>
      this.die(environmentId, serviceId, loop),
    );
  }

  /** The process stays up from now on (what was restarting comes up). */
  stop(environmentId: string, serviceId: string): void {
    const loop = this.loops.get(key(environmentId, serviceId));
    loop?.timer.cancel();
    if (loop?.down) this.restarting.delete(loop.down);
    this.loops.delete(key(environmentId, serviceId));
  }

  isRestarting(deploymentId: string): boolean {
    return this.restarting.has(deploymentId);
  }

  /** How many times Railway restarted this deployment's process. */
  restartsOf(deploymentId: string): number {
    return this.restarts.get(deploymentId) ?? 0;
  }

  private schedule(env: string, service: string, loop: Loop, ms: number, fn: () => void): void {
    loop.timer = this.world.clock.after(ms, fn, `crash loop ${env}/${service}`);
  }

  /** The process dies: restarted while retries are left, else the deployment is CRASHED. */
  private die(environmentId: string, serviceId: string, loop: Loop): void {
    const d = this.world.servingDeployment(environmentId, serviceId);
    // Nothing serves (crashed, removed): the loop ends rather than keep a timer on the clock.
    if (!d || d.status !== 'SUCCESS') return this.stop(environmentId, serviceId);
    const retries =
      this.world.serviceInstance(environmentId, serviceId)?.restartPolicyMaxRetries ??
      defaultRestartRetries;
    const count = this.restartsOf(d.id);
    if (count >= retries) {
      this.stop(environmentId, serviceId);
      return this.world.crash(d);
    }
    this.restarts.set(d.id, count + 1);
    this.restarting.add(d.id);
    loop.down = d.id;
    this.schedule(environmentId, serviceId, loop, loop.restartingMs, () => {
      this.restarting.delete(d.id);
      loop.down = undefined;
      // Memory starts again with the new process.
      this.world.noteStart(environmentId, serviceId);
      this.schedule(environmentId, serviceId, loop, loop.upMs, () =>
        this.die(environmentId, serviceId, loop),
      );
    });
  }
}

function key(environmentId: string, serviceId: string): string {
  return `${environmentId}/${serviceId}`;
}
