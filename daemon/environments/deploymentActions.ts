// Redeploy, restart, rollback and deploy-a-commit: each checks the typed confirmation a protected
// environment needs, calls Railway once, records the audit entry and refreshes the watchers.
import type {
  DeploymentView,
  EnvironmentView,
  FolderContext,
  Params,
  ProjectView,
  Result,
  ServiceView,
} from '../../protocol/protocol';
import { ErrorCode } from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import type { AuditEntry, AuditLog } from '../state/auditLog';
import type { RailwayClient } from '../railway/railwayClient';
import type { DeploymentsResult } from '../railway/types';
import type { RollbackMemory } from './rollbackMemory';
import { toRpcError, type Outcome, type UpstreamError } from '../upstreamError';
import type { EnvironmentService } from './environmentService';
import { SIGNED_OUT_MESSAGE, unavailableError } from './projectUnavailable';

type ActionResult = Result<'deployments.rollback'>;
interface Target {
  env: EnvironmentView;
  service: ServiceView;
  deployment?: DeploymentView;
}
/** How an action finds its target in the view, and what to call it when it is not there. */
interface Lookup {
  find(envs: EnvironmentView[]): Target | undefined;
  missing: string;
}

export interface ActionDeps {
  environments: EnvironmentService;
  railway: () => RailwayClient | undefined;
  audit: AuditLog;
  rollbacks: RollbackMemory;
  /** Waits between looks for a rollback's new deployment; injectable so tests need no real time. */
  wait?: (ms: number) => Promise<void>;
}

/** Railway's reads lag its writes (its CLI waits 500 ms): looks for a rollback's deployment, ~10 s in all. */
const ROLLBACK_LOOKS_MS = [0, 500, 750, 1125, 1700, 2500, 3800];

export class DeploymentActions {
  constructor(private readonly deps: ActionDeps) {}

  redeploy(p: Params<'deployments.redeploy'>, client: string): Promise<ActionResult> {
    return this.run(
      'redeploy',
      p.folder,
      p.confirm,
      client,
      byDeployment(p.deploymentId),
      async (api, t) => {
        const r = await api.operation<{ deploymentRedeploy: { id: string } }>(
          'DeploymentRedeploy',
          { id: p.deploymentId },
        );
        return map(r, (v) => ({
          deploymentId: v.deploymentRedeploy.id,
          message: `Redeploying ${t.service.name} in ${t.env.name}.`,
        }));
      },
    );
  }

  restart(p: Params<'deployments.restart'>, client: string): Promise<ActionResult> {
    return this.run(
      'restart',
      p.folder,
      p.confirm,
      client,
      byDeployment(p.deploymentId),
      async (api, t) => {
        const r = await api.operation<{ deploymentRestart: boolean }>('DeploymentRestart', {
          id: p.deploymentId,
        });
        return map(r, () => ({
          deploymentId: p.deploymentId,
          message: `Restarting ${t.service.name} in ${t.env.name}.`,
        }));
      },
    );
  }

  rollback(p: Params<'deployments.rollback'>, client: string): Promise<ActionResult> {
    return this.run(
      'rollback',
      p.folder,
      p.confirm,
      client,
      byDeployment(p.deploymentId),
      async (api, t) => {
        if (t.deployment && !t.deployment.canRollback) {
          throw new RpcError(
            ErrorCode.Conflict,
            `Railway cannot roll ${t.service.name} back to this deployment: it is the active one, or its image is past the retention window (24 h Free, 72 h Hobby, 120 h Pro, 360 h Enterprise). Redeploy its commit instead.`,
          );
        }
        const r = await api.operation<{ deploymentRollback: boolean }>('DeploymentRollback', {
          id: p.deploymentId,
        });
        if (!r.ok) return r;
        const created = await this.findRollback(api, t);
        if (created) this.deps.rollbacks.remember(created, p.deploymentId);
        const to = short(t.deployment?.commitHash) ?? p.deploymentId.slice(0, 8);
        const where = `${t.service.name} in ${t.env.name}`;
        return {
          ok: true,
          value: {
            deploymentId: created,
            message: created
              ? `Rolling ${where} back to ${to}: new deployment ${created.slice(0, 8)}.`
              : `Rolling ${where} back to ${to}; Railway has not listed the new deployment yet.`,
          },
        };
      },
    );
  }

  deployCommit(p: Params<'deployments.deployCommit'>, client: string): Promise<ActionResult> {
    const lookup: Lookup = {
      find: (v) => {
        const env = v.find((e) => e.id === p.environmentId);
        const service = env?.services.find((s) => s.id === p.serviceId);
        return env && service ? { env, service } : undefined;
      },
      missing: `Service ${p.serviceId} of environment ${p.environmentId}`,
    };
    return this.run(
      'deploy-commit',
      p.folder,
      p.confirm,
      client,
      lookup,
      async (api, t) => {
        const r = await api.operation<{ serviceInstanceDeployV2: string }>(
          'ServiceInstanceDeployV2',
          { environmentId: p.environmentId, serviceId: p.serviceId, commitSha: p.commitSha },
        );
        return map(r, (v) => ({
          deploymentId: v.serviceInstanceDeployV2,
          message: `Deploying ${short(p.commitSha)} to ${t.service.name} in ${t.env.name}.`,
        }));
      },
      p.commitSha,
    );
  }

  /**
   * The deployment Railway created for a rollback: the service's newest one this daemon had not
   * seen, newer than all it had seen, built from the same commit as the restored one.
   */
  private async findRollback(api: RailwayClient, t: Target): Promise<string | undefined> {
    const seen = [t.service.latest, t.service.active, ...t.service.recent];
    const known = new Set(seen.map((d) => d?.id));
    // Newer than anything the tree knew: Railway's list may hold older unseen ones of that commit.
    const newest = seen.reduce((m, d) => (d && d.createdAt > m ? d.createdAt : m), '');
    // Git services by commit; an image service's rows carry none, so any newer unseen one.
    const wanted = t.deployment?.commitHash;
    const wait = this.deps.wait ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
    for (const ms of ROLLBACK_LOOKS_MS) {
      if (ms) await wait(ms);
      const r = await api.operation<DeploymentsResult>('Deployments', {
        input: { environmentId: t.env.id, serviceId: t.service.id },
        first: 5,
      });
      if (!r.ok) continue;
      const fresh = r.value.deployments.edges
        .map((e) => e.node)
        .find(
          (d) =>
            !known.has(d.id) &&
            d.createdAt >= newest &&
            (wanted === undefined || d.meta?.commitHash === wanted),
        );
      if (fresh) return fresh.id;
    }
    return undefined;
  }

  private async run(
    action: string,
    folder: FolderContext,
    confirm: string | undefined,
    client: string,
    lookup: Lookup,
    call: (api: RailwayClient, target: Target) => Promise<Outcome<Omit<ActionResult, 'ok'>>>,
    commit?: string,
  ): Promise<ActionResult> {
    const watcher = await this.deps.environments.watcherFor(folder);
    const target = lookup.find(watcher.current.environments);
    if (!target) throw notFound(watcher.current, watcher.failure, lookup.missing);
    const base = {
      action,
      project: watcher.current.project?.name,
      environment: target.env.name,
      service: target.service.name,
      deploymentId: target.deployment?.id,
      commit: commit ?? target.deployment?.commitHash,
      client,
      confirmed: target.env.protected,
    };
    this.refuseUnconfirmed(target.env, confirm, base);
    const api = this.deps.railway();
    if (!api) throw new RpcError(ErrorCode.SignedOut, SIGNED_OUT_MESSAGE);
    const outcome = await call(api, target).catch((e: unknown) => {
      this.deps.audit.record({ ...base, outcome: 'failed', detail: (e as Error).message });
      throw e;
    });
    if (!outcome.ok) {
      this.deps.audit.record({ ...base, outcome: 'failed', detail: outcome.error.message });
      throw toRpcError({
        ...outcome.error,
        message: `Railway refused the ${action}: ${outcome.error.message}`,
      });
    }
    this.deps.audit.record({
      ...base,
      outcome: 'ok',
      // A rollback's deployment is a new one; the one asked for is what it restored.
      ...(action === 'rollback'
        ? { deploymentId: outcome.value.deploymentId, restored: base.deploymentId }
        : { deploymentId: outcome.value.deploymentId ?? base.deploymentId }),
    });
    void watcher.refresh();
    return { ok: true, ...outcome.value };
  }

  /** A protected target without its typed confirmation: refused, and the refusal is audited too. */
  private refuseUnconfirmed(
    env: EnvironmentView,
    confirm: string | undefined,
    base: Omit<AuditEntry, 'outcome'>,
  ): void {
    try {
      requireConfirmation(env, confirm);
    } catch (e) {
      const detail = (e as Error).message;
      this.deps.audit.record({ ...base, confirmed: false, outcome: 'refused', detail });
      throw e;
    }
  }
}

/** Protected environments need their name typed, exactly. */
export function requireConfirmation(env: EnvironmentView, confirm: string | undefined): void {
  if (!env.protected || confirm === env.name) return;
  throw new RpcError(
    ErrorCode.Forbidden,
    `${env.name} is protected: type its name, "${env.name}", to confirm.`,
    { environment: env.name, needsConfirmation: true },
  );
}

function byDeployment(id: string): Lookup {
  return {
    find: (envs) => {
      for (const env of envs) {
        for (const service of env.services) {
          const deployment = [service.latest, service.active, ...service.recent].find(
            (d) => d?.id === id,
          );
          if (deployment) return { env, service, deployment };
        }
      }
      return undefined;
    },
    missing: `Deployment ${id}`,
  };
}

/**
 * What an action names is not in the project, or the project could not be read (signed out,
 * Railway failing): the second is not the first, and gets its own error.
 */
function notFound(view: ProjectView, failure: UpstreamError | undefined, missing: string) {
  if (view.state !== 'ready') return unavailableError(view, failure);
  const envs = view.environments.map((e) => e.name).join(', ');
  return new RpcError(
    ErrorCode.NotFound,
    `${missing.slice(0, 200)} is not among the services and recent deployments of ${view.project?.name ?? 'this project'} (environments ${envs}); refresh the tree and pick it again.`,
  );
}

function map<T, U>(r: Outcome<T>, f: (v: T) => U): Outcome<U> {
  return r.ok ? { ok: true, value: f(r.value) } : r;
}

const short = (sha: string | undefined) => sha?.slice(0, 7);
