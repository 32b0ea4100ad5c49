// World fixtures for the Railway simulator; `kars` mirrors the team this product was built for.
import { defaultRestartRetries } from './deploymentInstances';
import { karsDeployedCommits, karsRepo, type KarsBranch, type KarsHistory } from './karsHistory';
import { seedKarsVariables } from './karsVariables';
import type {
  SimCreator,
  SimDeployment,
  SimEnvironment,
  SimEnvironmentMeta,
  SimService,
} from './model';
import { gitMeta, RailwayState } from './state';
import type { SimClock } from '../clock';
import type { SimTimings } from '../timings';

export type FixtureName = 'kars' | 'empty';

export { karsRepo, karsDeployedCommits, type KarsBranch, type KarsHistory } from './karsHistory';
export const karsPostgresImage = 'ghcr.io/railwayapp-templates/postgres-ssl:16';
export const karsPostgresMountPath = '/var/lib/postgresql/data';

export const karsUser: SimCreator = {
  id: 'user-ada',
  name: 'Ada Lovelace',
  email: 'ada@kars.example',
  avatar: null,
};

/** `history` is what each branch's deployments were built from: the real commits of the seeded repository. */
export function createState(
  fixture: FixtureName = 'kars',
  clock?: SimClock,
  history: KarsHistory = karsDeployedCommits,
  timings?: SimTimings,
): RailwayState {
  const state = new RailwayState(clock, timings);
  // Railway's 500 lines/s per replica: the replicas come from the service instance, the notice of
  // dropped lines at the end of the second from the clock. (Could move into RailwayState itself.)
  state.logs.useRailwayLimits({ replicasOf: (d) => replicasOf(state, d), clock: state.clock });
  if (fixture === 'kars') seedKars(state, history);
  else seedAccount(state);
  return state;
}

function replicasOf(state: RailwayState, d: SimDeployment): number {
  const instance = state.serviceInstances.find(
    (i) => i.environmentId === d.environmentId && i.serviceId === d.serviceId,
  );
  return instance?.numReplicas ?? 1;
}

/** A fresh Railway account: the user and their personal workspace, no projects yet. */
function seedAccount(state: RailwayState): void {
  const workspace = { id: state.nextId(), name: "Ada Lovelace's Projects" };
  state.workspaces.push(workspace);
  state.users.push({
    id: karsUser.id,
    name: 'Ada Lovelace',
    email: karsUser.email,
    workspaceIds: [workspace.id],
  });
}

function seedKars(state: RailwayState, history: KarsHistory): void {
  const at = state.timestamp();
  const workspace = { id: state.nextId(), name: 'KARS' };
  state.workspaces.push(workspace);
  state.users.push({
    id: karsUser.id,
    name: 'Ada Lovelace',
    email: karsUser.email,
    workspaceIds: [workspace.id],
  });
  const project = {
    id: state.nextId(),
    name: 'kars',
    description: 'KARS invoicing',
    workspaceId: workspace.id,
    createdAt: at,
    updatedAt: at,
  };
  state.projects.push(project);
  const services = ['kars-backend', 'kars-frontend', 'Postgres'].map((name) => ({
    id: state.nextId(),
    name,
    projectId: project.id,
    icon: name === 'Postgres' ? 'https://devicons.railway.app/i/postgresql.svg' : null,
    createdAt: at,
    updatedAt: at,
  }));
  state.services.push(...services);
  seedEnvironment(state, history, 'kars-dev', 'kars-dev', null);
  seedEnvironment(state, history, 'kars-prod', 'kars-prod', null);
  const prMeta: SimEnvironmentMeta = {
    prNumber: 42,
    prTitle: 'Export invoices as CSV',
    prRepo: karsRepo,
    branch: 'feature/invoice-export',
    baseBranch: 'kars-dev',
  };
  seedEnvironment(state, history, 'kars-pr-42', 'feature/invoice-export', prMeta);
  seedVolumes(state);
  seedKarsVariables(state);
  backdate(state);
}

/** Postgres keeps its data on a volume in every environment; seeded last so the other fixture ids stay as they were. */
function seedVolumes(state: RailwayState): void {
  const postgres = state.serviceByName('Postgres');
  for (const env of state.environments) {
    state.volumes.add({
      projectId: env.projectId,
      serviceId: postgres.id,
      environmentId: env.id,
      mountPath: karsPostgresMountPath,
      name: `postgres-volume-${env.name}`,
    });
  }
}

/** Spreads the seeded deployments over the past days, oldest first, so lists sort like a real history. */
function backdate(state: RailwayState): void {
  const end = state.now().getTime();
  const step = 37 * 60_000;
  state.deployments.forEach((d, i) => {
    const at = new Date(end - (state.deployments.length - i) * step).toISOString();
    state.deploymentEvents.shift(d.id, Date.parse(at) - Date.parse(d.createdAt));
    d.createdAt = d.updatedAt = d.statusUpdatedAt = at;
  });
}

function seedEnvironment(
  state: RailwayState,
  history: KarsHistory,
  name: string,
  branch: KarsBranch,
  pr: SimEnvironmentMeta | null,
): void {
  const at = state.timestamp();
  const project = state.projects[0]!;
  const source = pr ? state.environmentByName('kars-dev').id : null;
  const env: SimEnvironment = {
    id: state.nextId(),
    name,
    projectId: project.id,
    isEphemeral: pr !== null,
    meta: pr,
    sourceEnvironmentId: source,
    createdAt: at,
    updatedAt: at,
  };
  state.environments.push(env);
  for (const service of state.services.filter((s) => s.projectId === project.id)) {
    const isDatabase = service.name === 'Postgres';
    seedInstance(state, env, service, isDatabase ? null : branch);
    seedDeployments(state, env.id, service.id, isDatabase ? null : history[branch], branch);
  }
}

/** A service in an environment: git services get a domain, the health check and a trigger on the branch. */
function seedInstance(
  state: RailwayState,
  env: SimEnvironment,
  service: SimService,
  branch: KarsBranch | null,
): void {
  const at = state.timestamp();
  state.serviceInstances.push({
    id: state.nextId(),
    serviceId: service.id,
    environmentId: env.id,
    source: branch ? { repo: karsRepo, image: null } : { repo: null, image: karsPostgresImage },
    healthcheckPath: branch ? '/api/health' : null,
    numReplicas: 1,
    restartPolicyMaxRetries: defaultRestartRetries,
    watchPatterns: [],
    autoDeploy: true,
    needsApproval: false,
    serviceDomains: branch ? [`${service.name}-${env.name}.up.railway.app`] : [],
    customDomains:
      env.name === 'kars-prod' && service.name === 'kars-frontend' ? ['kars.example'] : [],
    createdAt: at,
    updatedAt: at,
  });
  if (!branch) return;
  state.triggers.push({
    id: state.nextId(),
    projectId: env.projectId,
    environmentId: env.id,
    serviceId: service.id,
    repository: karsRepo,
    branch,
    provider: 'github',
    checkSuites: true,
  });
}

/** Every service gets a successful deployment; git services one per deployed commit, older ones to roll back to. */
function seedDeployments(
  state: RailwayState,
  environmentId: string,
  serviceId: string,
  commits: KarsHistory[KarsBranch] | null,
  branch: KarsBranch,
): void {
  if (commits === null) {
    state.createDeployment({
      environmentId,
      serviceId,
      status: 'SUCCESS',
      meta: { image: karsPostgresImage },
      creator: karsUser,
    });
    return;
  }
  for (const commit of commits) {
    state.createDeployment({
      environmentId,
      serviceId,
      status: 'SUCCESS',
      meta: gitMeta(karsRepo, branch, commit),
      creator: karsUser,
    });
  }
}
