// GitHub's deployment routes: create (ref resolved, contexts verified, auto-merge), list, get and delete deployments, and post, list and get their statuses, in GitHub's shapes.
import { resolveRef } from '../git/repoQueries';
import { userJson, utc } from './commitRefs';
import { autoMerge, verifyContexts } from './deploymentChecks';
import { deploymentInput, isFieldError, statusInput, validationFailed } from './deploymentInput';
import type { Deployment, DeploymentStatus, GithubActor } from './deployments';
import { paginate } from './pagination';
import { isRepo, repoFor, type RepoRef } from './repoRoutes';
import { githubError, type GithubRequest, type GithubResponse, type Route } from './routeTypes';

const api = 'https://api.github.com';
const notFound = (): GithubResponse => githubError(404, 'Not Found');
const fullName = (repo: RepoRef) => `${repo.owner}/${repo.name}`;

/** `POST /repos/{owner}/{repo}/deployments`: 201, or 202 after an auto-merge, 409 for red contexts, 422 for an unknown ref. */
async function createDeployment(req: GithubRequest): Promise<GithubResponse> {
  const repo = await repoFor(req);
  if (!isRepo(repo)) return repo;
  const input = deploymentInput(req.body);
  if (isFieldError(input)) return validationFailed(input);
  const sha = await resolveRef(repo.path, input.ref);
  if (sha === null) return githubError(422, `No ref found for: ${input.ref}`);
  const merged = input.autoMerge ? await autoMerge(repo.path, input.ref) : null;
  if (merged) return merged;
  const commit = { repo, repository: fullName(repo), sha };
  const red = verifyContexts(req.state, commit, input.ref, input.requiredContexts);
  if (red) return red;
  const deployment = req.state.deployments.create({
    repository: commit.repository,
    sha,
    ref: input.ref,
    task: input.task,
    payload: input.payload,
    environment: input.environment,
    description: input.description,
    creator: { ...userJson(req.credential.user), type: 'User' },
    transient: input.transient,
    production: input.production,
  });
  return { status: 201, body: deploymentJson(deployment) };
}

/** `GET .../deployments?sha&ref&task&environment`: newest first, a page at a time. */
async function listDeployments(req: GithubRequest): Promise<GithubResponse> {
  const repo = await repoFor(req);
  if (!isRepo(repo)) return repo;
  const q = req.query;
  const filter = {
    sha: q.get('sha') ?? undefined,
    ref: q.get('ref') ?? undefined,
    task: q.get('task') ?? undefined,
    environment: q.get('environment') ?? undefined,
  };
  const page = paginate(req.state.deployments.list(fullName(repo), filter), req.path, q);
  return { status: 200, headers: page.headers, body: page.items.map(deploymentJson) };
}

/** The repository and the deployment the path names, or GitHub's 404. */
async function deploymentFor(
  req: GithubRequest,
): Promise<{ repo: RepoRef; deployment: Deployment } | GithubResponse> {
  const repo = await repoFor(req);
  if (!isRepo(repo)) return repo;
  const id = Number(req.params.id);
  const deployment = Number.isSafeInteger(id)
    ? req.state.deployments.get(fullName(repo), id)
    : undefined;
  return deployment ? { repo, deployment } : notFound();
}

async function getDeployment(req: GithubRequest): Promise<GithubResponse> {
  const found = await deploymentFor(req);
  if (!('deployment' in found)) return found;
  return { status: 200, body: deploymentJson(found.deployment) };
}

async function deleteDeployment(req: GithubRequest): Promise<GithubResponse> {
  const found = await deploymentFor(req);
  if (!('deployment' in found)) return found;
  if (req.state.deployments.delete(found.deployment) === 'active')
    return githubError(
      422,
      'We cannot delete an active deployment unless it is the only deployment in a given environment.',
    );
  return { status: 204, body: undefined };
}

async function createStatus(req: GithubRequest): Promise<GithubResponse> {
  const found = await deploymentFor(req);
  if (!('deployment' in found)) return found;
  const input = statusInput(req.body);
  if (isFieldError(input)) return validationFailed(input);
  const creator: GithubActor = { ...userJson(req.credential.user), type: 'User' };
  const status = req.state.deployments.addStatus(found.deployment, { ...input, creator });
  return { status: 201, body: statusJson(found.deployment, status) };
}

async function listStatuses(req: GithubRequest): Promise<GithubResponse> {
  const found = await deploymentFor(req);
  if (!('deployment' in found)) return found;
  const { deployment } = found;
  const page = paginate(req.state.deployments.statusesOf(deployment), req.path, req.query);
  const body = page.items.map((s) => statusJson(deployment, s));
  return { status: 200, headers: page.headers, body };
}

async function getStatus(req: GithubRequest): Promise<GithubResponse> {
  const found = await deploymentFor(req);
  if (!('deployment' in found)) return found;
  const id = Number(req.params.statusId);
  const status = found.deployment.statuses.find((s) => s.id === id);
  return status ? { status: 200, body: statusJson(found.deployment, status) } : notFound();
}

const nodeId = (prefix: string, id: number) =>
  `${prefix}_${Buffer.from(`0:${id}`).toString('base64url')}`;

function deploymentUrl(d: Deployment): string {
  return `${api}/repos/${d.repository}/deployments/${d.id}`;
}

/** GitHub's deployment JSON; Railway's App adds `performed_via_github_app` to its own. */
export function deploymentJson(d: Deployment) {
  return {
    url: deploymentUrl(d),
    id: d.id,
    node_id: nodeId('DE', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.originalEnvironment,
    environment: d.environment,
    description: d.description,
    creator: d.creator,
    created_at: utc(d.createdAt),
    updated_at: utc(d.updatedAt),
    statuses_url: `${deploymentUrl(d)}/statuses`,
    repository_url: `${api}/repos/${d.repository}`,
    transient_environment: d.transient,
    production_environment: d.production,
    performed_via_github_app: d.app ?? null,
  };
}

function statusJson(d: Deployment, s: DeploymentStatus) {
  return {
    url: `${deploymentUrl(d)}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DES', s.id),
    state: s.state,
    creator: s.creator,
    description: s.description,
    environment: s.environment,
    // Setting log_url sets target_url too: GitHub keeps the older field for older readers.
    target_url: s.logUrl,
    log_url: s.logUrl,
    environment_url: s.environmentUrl,
    created_at: utc(s.createdAt),
    updated_at: utc(s.createdAt),
    deployment_url: deploymentUrl(d),
    repository_url: `${api}/repos/${d.repository}`,
    performed_via_github_app: s.creator.type === 'Bot' ? (d.app ?? null) : null,
  };
}

const base = '/repos/:owner/:repo/deployments';

export const deploymentRoutes: Route[] = [
  { method: 'POST', pattern: base, handle: createDeployment },
  { method: 'GET', pattern: base, handle: listDeployments },
  { method: 'GET', pattern: `${base}/:id`, handle: getDeployment },
  { method: 'DELETE', pattern: `${base}/:id`, handle: deleteDeployment },
  { method: 'POST', pattern: `${base}/:id/statuses`, handle: createStatus },
  { method: 'GET', pattern: `${base}/:id/statuses`, handle: listStatuses },
  { method: 'GET', pattern: `${base}/:id/statuses/:statusId`, handle: getStatus },
];
