// Railway's GitHub App in the simulated world: each deploy of a GitHub-connected service becomes a
// GitHub Deployment by railway-app[bot], environment "<project> / <environment>", whose statuses
// follow the Railway deployment. The Railway simulator only emits its deployment changes; this module
// alone knows both sides, as ciChecks.ts does for "Wait for CI".
import type {
  Deployment,
  DeploymentState,
  DeploymentStore,
  GithubActor,
  GithubAppJson,
} from './github/deployments';
import type { SimDeployment, SimDeploymentStatus } from './railway/model';
import type { RailwayState } from './railway/state';

/** The App's bot account; the ids are the simulator's own. */
export const railwayAppBot: GithubActor = { login: 'railway-app[bot]', id: 9_100_001, type: 'Bot' };

export const railwayApp: GithubAppJson = {
  id: 9_100_000,
  slug: 'railway-app',
  name: 'Railway App',
  owner: { login: 'railwayapp', id: 9_100_002, type: 'Organization' },
  html_url: 'https://github.com/apps/railway-app',
};

/**
 * The GitHub state a Railway status shows as. WAITING (for CI), NEEDS_APPROVAL and SKIPPED never
 * started, so they make no deployment; REMOVING and SLEEPING change nothing GitHub shows.
 */
const stateOf: Partial<Record<SimDeploymentStatus, DeploymentState>> = {
  QUEUED: 'queued',
  INITIALIZING: 'queued',
  BUILDING: 'in_progress',
  DEPLOYING: 'in_progress',
  SUCCESS: 'success',
  FAILED: 'failure',
  CRASHED: 'failure',
  // Only for one that never succeeded (superseded, cancelled): a success is made inactive by
  // GitHub's auto_inactive when the next one succeeds.
  REMOVED: 'inactive',
};

/** Listens to Railway's deployment changes and writes GitHub's side; returns the unsubscribe. */
export function reportDeploysToGithub(railway: RailwayState, github: DeploymentStore): () => void {
  const made = new Map<string, Deployment>();
  const start = (d: SimDeployment) => {
    const deployment = github.create(newDeployment(railway, d));
    made.set(d.id, deployment);
    return deployment;
  };
  return railway.onDeploymentChange((d) => {
    const state = stateOf[d.status];
    if (state === undefined || !fromGithub(d)) return;
    const deployment = made.get(d.id) ?? (state === 'inactive' ? undefined : start(d));
    if (!deployment || !moves(deployment, state)) return;
    github.addStatus(deployment, {
      state,
      creator: railwayAppBot,
      logUrl: logUrl(d),
      ...(state === 'success' ? { environmentUrl: environmentUrl(railway, d) } : {}),
    });
  });
}

/** Building then deploying is one in_progress; inactive only ends one still under way. */
function moves(deployment: Deployment, state: DeploymentState): boolean {
  const last = deployment.statuses.at(-1)?.state;
  if (state === 'inactive') return last === 'queued' || last === 'in_progress';
  return last !== state;
}

/** A deploy of a commit from a connected repository (an image-sourced service has none). */
function fromGithub(d: SimDeployment): boolean {
  return typeof d.meta.repo === 'string' && typeof d.meta.commitHash === 'string';
}

function newDeployment(railway: RailwayState, d: SimDeployment) {
  const project = railway.projects.find((p) => p.id === d.projectId)?.name ?? 'project';
  const env = railway.environments.find((e) => e.id === d.environmentId)?.name ?? 'environment';
  const sha = String(d.meta.commitHash);
  const environment = `${project} / ${env}`;
  return {
    repository: String(d.meta.repo),
    sha,
    ref: typeof d.meta.branch === 'string' ? d.meta.branch : sha,
    task: 'deploy',
    payload: {},
    environment,
    description: '',
    creator: railwayAppBot,
    transient: false,
    production: environment === 'production',
    app: railwayApp,
  };
}

/** The deployment's page in Railway's dashboard, where its build and deploy logs are. */
function logUrl(d: SimDeployment): string {
  const q = `id=${d.id}&environmentId=${d.environmentId}`;
  return `https://railway.com/project/${d.projectId}/service/${d.serviceId}?${q}`;
}

function environmentUrl(railway: RailwayState, d: SimDeployment): string | undefined {
  const instance = railway.serviceInstances.find(
    (i) => i.environmentId === d.environmentId && i.serviceId === d.serviceId,
  );
  const domain = instance?.serviceDomains[0] ?? instance?.customDomains[0];
  return domain === undefined ? undefined : `https://${domain}`;
}
