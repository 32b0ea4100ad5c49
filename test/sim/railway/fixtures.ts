// World fixtures for the Railway simulator; `kars` mirrors the team this product was built for.
import type { SimCreator, SimEnvironmentMeta } from './model';
import { gitMeta, RailwayState } from './state';

export type FixtureName = 'kars' | 'empty';

export const karsRepo = 'kars-org/kars';
export const karsPostgresImage = 'ghcr.io/railwayapp-templates/postgres-ssl:16';

/** Commits the fixture's deployments were built from, oldest first per branch. */
export const karsCommits = {
  'kars-dev': [
    {
      hash: 'a1d3f0c2b4e6a8c0d2e4f6a8b0c2d4e6f8a0b2c4',
      message: 'Add invoice list',
      author: 'Grace Hopper',
    },
    {
      hash: 'b2e4a1d3c5f7b9d1e3f5a7b9c1d3e5f7a9b1c3d5',
      message: 'Fix invoice totals',
      author: 'Ada Lovelace',
    },
  ],
  'kars-prod': [
    {
      hash: 'c3f5b2e4d6a8c0e2f4a6b8c0d2e4f6a8b0c2d4e6',
      message: "Merge branch 'kars-dev' into kars-prod",
      author: 'Ada Lovelace',
    },
    {
      hash: 'd4a6c3f5e7b9d1f3a5b7c9d1e3f5a7b9c1d3e5f7',
      message: "Merge branch 'kars-dev' into kars-prod",
      author: 'Ada Lovelace',
    },
  ],
  'feature/invoice-export': [
    {
      hash: 'e5b7d4a6f8c0e2a4b6c8d0e2f4a6b8c0d2e4f6a8',
      message: 'Export invoices as CSV',
      author: 'Grace Hopper',
    },
  ],
} as const;

export const karsUser: SimCreator = {
  id: 'user-ada',
  name: 'Ada Lovelace',
  email: 'ada@kars.example',
  avatar: null,
};

export function createState(fixture: FixtureName = 'kars', now?: () => Date): RailwayState {
  const state = new RailwayState(now);
  if (fixture === 'kars') seedKars(state);
  return state;
}

function seedKars(state: RailwayState): void {
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
  seedEnvironment(state, 'kars-dev', 'kars-dev', null);
  seedEnvironment(state, 'kars-prod', 'kars-prod', null);
  const prMeta: SimEnvironmentMeta = {
    prNumber: 42,
    prTitle: 'Export invoices as CSV',
    prRepo: karsRepo,
    branch: 'feature/invoice-export',
    baseBranch: 'kars-dev',
  };
  seedEnvironment(state, 'kars-pr-42', 'feature/invoice-export', prMeta);
  backdate(state);
}

/** Spreads the seeded deployments over the past days, oldest first, so lists sort like a real history. */
function backdate(state: RailwayState): void {
  const end = state.now().getTime();
  const step = 37 * 60_000;
  state.deployments.forEach((d, i) => {
    const at = new Date(end - (state.deployments.length - i) * step).toISOString();
    d.createdAt = d.updatedAt = d.statusUpdatedAt = at;
  });
}

function seedEnvironment(
  state: RailwayState,
  name: string,
  branch: keyof typeof karsCommits,
  pr: SimEnvironmentMeta | null,
): void {
  const at = state.timestamp();
  const project = state.projects[0]!;
  const source = pr ? state.environmentByName('kars-dev').id : null;
  const env = {
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
    state.serviceInstances.push({
      id: state.nextId(),
      serviceId: service.id,
      environmentId: env.id,
      source: isDatabase
        ? { repo: null, image: karsPostgresImage }
        : { repo: karsRepo, image: null },
      healthcheckPath: service.name === 'kars-backend' ? '/api/health' : null,
      numReplicas: 1,
      serviceDomains: isDatabase ? [] : [`${service.name}-${name}.up.railway.app`],
      customDomains:
        name === 'kars-prod' && service.name === 'kars-frontend' ? ['kars.example'] : [],
      createdAt: at,
      updatedAt: at,
    });
    if (!isDatabase) {
      state.triggers.push({
        id: state.nextId(),
        projectId: project.id,
        environmentId: env.id,
        serviceId: service.id,
        repository: karsRepo,
        branch,
        provider: 'github',
        checkSuites: true,
      });
    }
    seedDeployments(state, env.id, service.id, isDatabase ? null : branch);
  }
}

/** Every service gets a successful deployment, and git services an older one to roll back to. */
function seedDeployments(
  state: RailwayState,
  environmentId: string,
  serviceId: string,
  branch: keyof typeof karsCommits | null,
): void {
  if (branch === null) {
    state.createDeployment({
      environmentId,
      serviceId,
      status: 'SUCCESS',
      meta: { image: karsPostgresImage },
      creator: karsUser,
    });
    return;
  }
  for (const commit of karsCommits[branch]) {
    state.createDeployment({
      environmentId,
      serviceId,
      status: 'SUCCESS',
      meta: gitMeta(karsRepo, branch, commit),
      creator: karsUser,
    });
  }
}
