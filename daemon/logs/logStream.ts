// One client's log stream: resolves what to tail, follows a service across redeploys (with a
// marker line each time), offers build logs when a deployment fails, and feeds the client's queue.
import type {
  DeploymentView,
  EnvironmentView,
  LogMarker,
  Params,
  ProjectView,
  ServiceView,
} from '../../protocol/protocol';
import { ErrorCode } from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import type { EnvironmentService } from '../environments/environmentService';
import type { ClientLink } from '../clientLink';
import { ClientQueue } from './clientQueue';
import { encodeBatch, markerRun, type LogRun } from './logRuns';
import type { UpstreamKey, UpstreamLogs } from './upstreamLogs';

/** Unsent bytes a client may hold before its lines queue (and the oldest drop) instead. */
const MAX_BUFFERED = 8 * 1024 * 1024;
/** Lines a client's queue holds beyond that (about 25,000 typical lines) before dropping. */
const QUEUE_BYTES = 8 * 1024 * 1024;
/** A batch this large goes at once (a few thousand lines); smaller ones wait out flushMs. */
const BATCH_BYTES = 512 * 1024;
const FAILED = new Set(['FAILED', 'CRASHED']);

export interface StreamDeps {
  environments: EnvironmentService;
  upstream: UpstreamLogs;
  timers: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(h: unknown): void };
}

export class LogStream {
  private readonly queue: ClientQueue;
  private detach: (() => void) | undefined;
  private following: string | undefined;
  private announcedFailure: string | undefined;
  private stopWatch: (() => void) | undefined;
  private closed = false;
  target: { environment: string; service?: string; deploymentId?: string } = { environment: '' };

  constructor(
    readonly id: string,
    readonly session: ClientLink,
    private readonly params: Params<'logs.subscribe'>,
    private readonly deps: StreamDeps,
  ) {
    this.queue = new ClientQueue({
      capBytes: QUEUE_BYTES,
      flushMs: 90,
      maxBatchBytes: BATCH_BYTES,
      send: (runs) => session.sendIfRoom(encodeBatch(id, runs), MAX_BUFFERED),
      setTimeout: (fn, ms) => deps.timers.setTimeout(fn, ms),
      clearTimeout: (h) => deps.timers.clearTimeout(h),
      now: () => performance.now(),
    });
  }

  async start(): Promise<void> {
    const followed = await this.deps.environments.follow(this.params.folder, this.session, (v) =>
      this.onView(v),
    );
    const view = followed.view;
    this.stopWatch = () => followed.stop();
    // Stopped while the project was looked up (its client left): attach nothing, or nobody will
    // ever detach it.
    if (this.closed) {
      followed.stop();
      throw new RpcError(ErrorCode.Conflict, 'The log stream ended before it started.');
    }
    if (followed.problem) throw followed.problem; // signed out, no project, Railway failing
    const { env, service } = this.resolve(view);
    this.target = { environment: env.name, service: service?.name };
    if (this.params.kind === 'environment' || !service) return this.attachEnvironment(env, service);
    const deployment = this.params.deploymentId
      ? findDeployment(service, this.params.deploymentId)
      : pick(service, this.params.kind);
    if (!deployment)
      throw new RpcError(
        ErrorCode.NotFound,
        `${service.name} in ${env.name} has no deployment yet.`,
      );
    this.target.deploymentId = deployment.id;
    this.move(
      deployment,
      `tailing ${this.params.kind} logs of ${service.name} in ${env.name}${filtered(this.params.filter)}`,
      service,
    );
  }

  /** Called once the answer to logs.subscribe is on its way: batches may follow it now. */
  release(): void {
    this.queue.release();
  }

  stop(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach?.();
    this.stopWatch?.();
    this.queue.flush();
    this.queue.close();
  }

  private resolve(view: ProjectView): { env: EnvironmentView; service?: ServiceView } {
    const env = view.environments.find(
      (e) => e.name === this.params.environment || e.id === this.params.environment,
    );
    if (!env)
      throw new RpcError(
        ErrorCode.NotFound,
        `No environment "${this.params.environment}" in ${view.project?.name ?? 'this project'}: ${view.environments.map((e) => e.name).join(', ')}.`,
      );
    if (!this.params.service) return { env };
    const service = env.services.find(
      (s) => s.name === this.params.service || s.id === this.params.service,
    );
    if (!service)
      throw new RpcError(
        ErrorCode.NotFound,
        `No service "${this.params.service}" in ${env.name}: ${env.services.map((s) => s.name).join(', ')}.`,
      );
    return { env, service };
  }

  private attachEnvironment(env: EnvironmentView, service?: ServiceView): void {
    // environmentLogs filters a service with Railway's own syntax.
    const filter = [service ? `@service:${service.id}` : '', this.params.filter ?? '']
      .filter(Boolean)
      .join(' ');
    this.push({
      type: 'marker',
      kind: 'started',
      text: `tailing ${service ? `${service.name} in ` : ''}${env.name} (all deployments)${filtered(this.params.filter)}`,
    });
    this.detach = this.deps.upstream.attach(
      { kind: 'environment', sourceId: env.id, filter: filter || undefined },
      this.params.backlog,
      (runs) => this.pushAll(runs),
    );
  }

  /** Switches the upstream to `deployment`, saying so in the stream. */
  private move(deployment: DeploymentView, why: string, service?: ServiceView): void {
    this.detach?.();
    this.following = deployment.id;
    const commit = deployment.commitHash ? `, commit ${deployment.commitHash.slice(0, 7)}` : '';
    const none = this.params.kind === 'build' && service && noBuildReason(service, deployment);
    this.push({
      type: 'marker',
      kind: this.detach ? 'follow' : 'started',
      text: `${why}: deployment ${deployment.id.slice(0, 8)}${commit}${none ? `. No build log: ${none}` : ''}`,
      deploymentId: deployment.id,
    });
    const key: UpstreamKey = {
      kind: this.params.kind === 'build' ? 'build' : 'deploy',
      sourceId: deployment.id,
      filter: this.params.filter,
    };
    this.detach = this.deps.upstream.attach(key, this.params.backlog, (runs) => this.pushAll(runs));
  }

  private onView(view: ProjectView): void {
    if (
      this.closed ||
      view.state !== 'ready' ||
      this.params.deploymentId ||
      this.params.kind === 'environment'
    )
      return;
    const env = view.environments.find((e) => e.name === this.target.environment);
    const service = env?.services.find((s) => s.name === this.target.service);
    if (!service) return;
    this.offerBuildLogs(service);
    const next = pick(service, this.params.kind);
    if (next && next.id !== this.following)
      this.move(
        next,
        `${service.name} has a new ${this.params.kind === 'build' ? 'build' : 'active deployment'}; following it`,
        service,
      );
  }

  private offerBuildLogs(service: ServiceView): void {
    const latest = service.latest;
    if (
      !latest ||
      !FAILED.has(latest.status) ||
      latest.id === this.announcedFailure ||
      this.params.kind === 'build'
    )
      return;
    this.announcedFailure = latest.id;
    this.push({
      type: 'marker',
      kind: 'build-failed',
      text: `deployment ${latest.id.slice(0, 8)} of ${service.name} ${latest.status.toLowerCase()}; its build logs show why`,
      deploymentId: latest.id,
    });
  }

  private push(marker: LogMarker): void {
    if (!this.closed) this.queue.push(markerRun(marker));
  }

  private pushAll(runs: LogRun[]): void {
    if (!this.closed) for (const run of runs) this.queue.push(run);
  }
}

/** Railway's CLI: deploy logs of the newest SUCCESS deployment, else the newest; builds of the newest. */
function pick(
  service: ServiceView,
  kind: 'deploy' | 'build' | 'environment',
): DeploymentView | undefined {
  if (kind === 'build') return service.latest;
  return service.active ?? service.recent.find((d) => d.status === 'SUCCESS') ?? service.latest;
}

function findDeployment(service: ServiceView, id: string): DeploymentView | undefined {
  return (
    [service.latest, service.active, ...service.recent].find((d) => d?.id === id) ?? {
      id,
      status: 'SUCCESS',
      createdAt: '',
      canRedeploy: false,
      canRollback: false,
    }
  );
}

/** A filtered stream says so in its header: a quiet channel may only mean nothing matched. */
function filtered(filter: string | undefined): string {
  return filter ? `, only lines matching ${filter}` : '';
}

/** Why Railway built nothing for a deployment, so a build stream that stays empty says so. */
export function noBuildReason(service: ServiceView, d: DeploymentView): string | undefined {
  if (d.status === 'SKIPPED')
    return `Railway skipped this deployment${d.skipReason ? ` (${d.skipReason})` : ''}, so it built nothing.`;
  if (d.restores)
    return `a rollback reuses the image of deployment ${d.restores.deploymentId.slice(0, 8)}; Railway built nothing for it.`;
  if (!d.commitHash && service.image)
    return `${service.name} runs the image ${service.image.split('/').pop()}, which Railway deploys as it is; its deploy logs are what it wrote.`;
  return undefined;
}
