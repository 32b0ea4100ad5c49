// Pure: turns Railway's answer to the tree query, railyard.json and the latest health checks into
// the environment views clients show. No I/O, so every rule here is unit-tested.
import type {
  DeploymentView,
  EnvironmentView,
  HealthView,
  ServiceView,
} from '../../protocol/protocol';
import type { RailyardConfig } from '../project/railyardConfig';
import type { RailwayDeployment, RailwayServiceInstance } from '../railway/types';
import type { EnvironmentTreeResult, TreeEnvironment } from './treeQuery';

export type HealthLookup = (key: HealthKey) => HealthView | undefined;
/** The deployment a rollback this daemon made restored, by the new deployment's id. */
export type RollbackLookup = (deploymentId: string) => string | undefined;
export interface HealthKey {
  environmentId: string;
  serviceId?: string;
}
/** Commits ahead/behind per source environment name, when known. */
export type PromotionCounts = Map<string, { ahead: number; behind: number }>;

const RECENT_PER_SERVICE = 5;
const UNKNOWN: HealthView = { state: 'unknown' };

export function deploymentView(d: RailwayDeployment): DeploymentView {
  const meta = d.meta ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    id: d.id,
    status: d.status,
    createdAt: d.createdAt,
    statusUpdatedAt: d.statusUpdatedAt ?? undefined,
    commitHash: str(meta.commitHash),
    commitMessage: str(meta.commitMessage),
    commitAuthor: str(meta.commitAuthor),
    branch: str(meta.branch),
    creator: d.creator?.name ?? d.creator?.email ?? undefined,
    canRollback: d.canRollback,
    canRedeploy: d.canRedeploy,
    url: d.staticUrl ? `https://${d.staticUrl}` : (d.url ?? undefined),
  };
}

export function serviceUrl(instance: RailwayServiceInstance): string | undefined {
  const domain =
    instance.domains.customDomains[0]?.domain ?? instance.domains.serviceDomains[0]?.domain;
  return domain ? `https://${domain}` : undefined;
}

/**
 * The URL the tree's health check asks: Railway's own domain (it reaches the service itself, not
 * whatever sits in front of a custom domain) and the service's healthcheck path.
 */
export function serviceHealthUrl(instance: RailwayServiceInstance): string | undefined {
  const domain =
    instance.domains.serviceDomains[0]?.domain ?? instance.domains.customDomains[0]?.domain;
  if (!domain || !instance.healthcheckPath) return undefined;
  return `https://${domain}${instance.healthcheckPath}`;
}

function serviceView(
  instance: RailwayServiceInstance,
  env: TreeEnvironment,
  icons: Map<string, string | null>,
  health: HealthLookup,
  rollbacks: RollbackLookup,
): ServiceView {
  const recent = env.deployments.edges
    .map((e) => e.node)
    .filter((d) => d.serviceId === instance.serviceId)
    .sort(newestFirst)
    .slice(0, RECENT_PER_SERVICE);
  const latest = instance.latestDeployment ?? undefined;
  if (latest && !recent.some((d) => d.id === latest.id)) recent.unshift(latest);
  const active = servingDeployment(instance.activeDeployments);
  const views = withRestores(recent, rollbacks);
  const view = (d: RailwayDeployment) => views.get(d.id) ?? deploymentView(d);
  return {
    id: instance.serviceId,
    name: instance.serviceName,
    icon: icons.get(instance.serviceId) ?? undefined,
    repo: instance.source?.repo ?? undefined,
    image: instance.source?.image ?? undefined,
    url: serviceUrl(instance),
    healthcheckPath: instance.healthcheckPath ?? undefined,
    healthUrl: serviceHealthUrl(instance),
    health: serviceHealth(active, health({ environmentId: env.id, serviceId: instance.serviceId })),
    latest: latest ? view(latest) : undefined,
    active: active ? view(active) : undefined,
    recent: recent.map(view),
  };
}

/** Railway's statuses for a deployment taking traffic, best first; CRASHED means it is down. */
const SERVING_RANK: Partial<Record<RailwayDeployment['status'], number>> = {
  SUCCESS: 0,
  SLEEPING: 1,
  CRASHED: 2,
};

/**
 * The deployment serving the service, by status: `activeDeployments` can list an in-flight or
 * CRASHED one beside it, in any order. Among equals, the newest.
 */
export function servingDeployment(active: RailwayDeployment[]): RailwayDeployment | undefined {
  const rank = (d: RailwayDeployment) => SERVING_RANK[d.status] ?? Infinity;
  return active
    .filter((d) => rank(d) !== Infinity)
    .sort((a, b) => rank(a) - rank(b) || newestFirst(a, b))[0];
}

/** A crashed serving deployment is down whatever the last health check said. */
function serviceHealth(active: RailwayDeployment | undefined, checked?: HealthView): HealthView {
  if (active?.status === 'CRASHED')
    return { state: 'unhealthy', detail: 'crashed: no deployment is serving' };
  return checked ?? UNKNOWN;
}

/**
 * Rollbacks among a service's deployments (newest first): the ones this daemon made, and otherwise
 * a deployment of the same commit (or image) as an older one with another deployed in between.
 */
function withRestores(
  recent: RailwayDeployment[],
  rollbacks: RollbackLookup,
): Map<string, DeploymentView> {
  const views = new Map<string, DeploymentView>();
  recent.forEach((d, i) => {
    const known = rollbacks(d.id);
    const restored = known ?? inferRestored(recent.slice(i + 1), d)?.id;
    const restores = restored ? { deploymentId: restored, inferred: !known } : undefined;
    views.set(d.id, { ...deploymentView(d), restores });
  });
  return views;
}

/** Statuses of deployments that once served: skipped, failed and in-flight ones never did. */
const SERVED: ReadonlySet<RailwayDeployment['status']> = new Set([
  'SUCCESS',
  'SLEEPING',
  'CRASHED',
  'REMOVING',
  'REMOVED',
]);

function inferRestored(
  older: RailwayDeployment[],
  d: RailwayDeployment,
): RailwayDeployment | undefined {
  const source = sourceOf(d);
  const served = older.filter((o) => SERVED.has(o.status));
  // The same source as what served just before is a redeploy, not a rollback.
  if (!source || sourceOf(served[0]) === source) return undefined;
  return served.find((o) => sourceOf(o) === source);
}

function sourceOf(d: RailwayDeployment | undefined): string | undefined {
  const v = d?.meta?.commitHash ?? d?.meta?.image;
  return typeof v === 'string' && v ? v : undefined;
}

const newestFirst = (a: RailwayDeployment, b: RailwayDeployment) =>
  b.createdAt.localeCompare(a.createdAt);

/** The branch most of the environment's triggers deploy from. */
function triggerBranch(env: TreeEnvironment): { branch?: string; repo?: string } {
  const counts = new Map<string, number>();
  for (const { node } of env.deploymentTriggers.edges)
    counts.set(node.branch, (counts.get(node.branch) ?? 0) + 1);
  const branch = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const repo = env.deploymentTriggers.edges.find((e) => e.node.branch === branch)?.node.repository;
  return { branch, repo };
}

/** Unhealthy if any service is; healthy when every checked service is; unknown when none was checked. */
export function aggregateHealth(parts: HealthView[]): HealthView {
  const bad = parts.filter((h) => h.state === 'unhealthy');
  if (bad.length)
    return { state: 'unhealthy', detail: `${bad.length} of ${parts.length} services unhealthy` };
  const good = parts.filter((h) => h.state === 'healthy');
  return good.length
    ? { state: 'healthy', detail: `${good.length} of ${parts.length} services checked` }
    : UNKNOWN;
}

/** Environment order by name when railyard.json gives none: dev, test, staging, then production. */
export function stageRank(name: string): number {
  const n = name.toLowerCase();
  if (/prod|production|live|main|master/.test(n)) return 3;
  if (/stag|pre-?prod|uat/.test(n)) return 2;
  if (/test|qa/.test(n)) return 1;
  if (/dev/.test(n)) return 0;
  return 1.5;
}

export function orderEnvironments<T extends { name: string; isEphemeral: boolean }>(
  envs: T[],
  order: string[] = [],
): T[] {
  const key = (e: T) => {
    const i = order.indexOf(e.name);
    return [e.isEphemeral ? 1 : 0, i >= 0 ? i : order.length, stageRank(e.name)] as const;
  };
  return [...envs].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || a.name.localeCompare(b.name);
  });
}

/** railyard.json's pairs, else each persistent environment promotes to the next in order. */
export function promotionPairs(
  ordered: { name: string; isEphemeral: boolean }[],
  config?: RailyardConfig,
): { from: string; to: string }[] {
  if (config?.promotions?.length) return config.promotions.map((p) => ({ from: p.from, to: p.to }));
  const persistent = ordered.filter((e) => !e.isEphemeral);
  return persistent.slice(0, -1).map((e, i) => ({ from: e.name, to: persistent[i + 1]!.name }));
}

export function isProtected(name: string, config?: RailyardConfig): boolean {
  return config?.environments?.[name]?.protected ?? /prod/i.test(name);
}

export function buildEnvironmentViews(
  project: EnvironmentTreeResult['project'],
  config: RailyardConfig | undefined,
  health: HealthLookup,
  counts: PromotionCounts = new Map(),
  rollbacks: RollbackLookup = () => undefined,
): EnvironmentView[] {
  const icons = new Map(project.services.edges.map((e) => [e.node.id, e.node.icon]));
  const envs = orderEnvironments(
    project.environments.edges.map((e) => e.node),
    config?.order,
  );
  const pairs = promotionPairs(envs, config);
  return envs.map((env) => {
    const settings = config?.environments?.[env.name];
    const trigger = triggerBranch(env);
    const services = env.serviceInstances.edges.map((e) =>
      serviceView(e.node, env, icons, health, rollbacks),
    );
    const pair = pairs.find((p) => p.from === env.name);
    const count = counts.get(env.name);
    return {
      id: env.id,
      name: env.name,
      branch: settings?.branch ?? trigger.branch ?? env.meta?.branch ?? undefined,
      repo: trigger.repo,
      isEphemeral: env.isEphemeral,
      pr: env.meta?.prNumber ? prInfo(env) : undefined,
      protected: isProtected(env.name, config),
      health: health({ environmentId: env.id }) ?? aggregateHealth(services.map((s) => s.health)),
      promotion: pair ? { to: pair.to, ahead: count?.ahead, behind: count?.behind } : undefined,
      services,
    };
  });
}

function prInfo(env: TreeEnvironment): EnvironmentView['pr'] {
  const m = env.meta!;
  return {
    number: m.prNumber!,
    title: m.prTitle ?? undefined,
    branch: m.branch ?? undefined,
    baseBranch: m.baseBranch ?? undefined,
  };
}
