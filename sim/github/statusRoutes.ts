// GitHub's commit status routes: create a status on a sha, list a ref's statuses, and the combined status, which (as on GitHub) covers statuses only, never check runs.
import { commitFor, isCommitRef, minimalRepoJson, noCommit, userJson, utc } from './commitRefs';
import { paginate } from './pagination';
import { githubError, type GithubRequest, type GithubResponse, type Route } from './routeTypes';
import { isStatusState, type CommitStatus, type NewStatus } from './statuses';

const fullSha = /^[0-9a-f]{40}$/i;

/** `POST /repos/{owner}/{repo}/statuses/{sha}`: 201 with the new status; the path takes a full sha only. */
async function createStatus(req: GithubRequest): Promise<GithubResponse> {
  const sha = req.params.sha ?? '';
  const commit = await commitFor(req, sha);
  if (!isCommitRef(commit)) return commit;
  if (!fullSha.test(sha)) return noCommit(sha);
  const input = statusInput(req.body);
  if ('field' in input) return validationFailed(input.field, input.code, input.message);
  const status = req.state.statuses.add({
    ...input,
    repository: commit.repository,
    sha: commit.sha,
    creator: req.credential.user,
  });
  return { status: 201, body: statusJson(status) };
}

type StatusFields = Omit<NewStatus, 'repository' | 'sha' | 'creator'>;

interface FieldError {
  field: string;
  code: 'missing_field' | 'invalid' | 'custom';
  message?: string;
}

/** The body's state (required, one of four) and its optional strings, or the first field GitHub would refuse. */
function statusInput(body: unknown): StatusFields | FieldError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (b.state === undefined) return { field: 'state', code: 'missing_field' };
  if (!isStatusState(b.state))
    return { field: 'state', code: 'custom', message: 'state is not included in the list' };
  const text = { context: b.context, description: b.description, target_url: b.target_url };
  for (const [field, value] of Object.entries(text))
    if (value !== undefined && value !== null && typeof value !== 'string')
      return { field, code: 'invalid' };
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    state: b.state,
    ...(typeof b.context === 'string' ? { context: b.context } : {}),
    description: str(b.description),
    targetUrl: str(b.target_url),
  };
}

function validationFailed(field: string, code: string, message?: string): GithubResponse {
  const error = { resource: 'Status', field, code, ...(message ? { message } : {}) };
  const answer = githubError(422, 'Validation Failed');
  return { ...answer, body: { ...(answer.body as object), errors: [error] } };
}

/** `GET .../commits/{ref}/statuses`: every status, newest first, a page at a time. */
async function listStatuses(req: GithubRequest): Promise<GithubResponse> {
  const commit = await commitFor(req, req.params.ref ?? '');
  if (!isCommitRef(commit)) return commit;
  const page = paginate(
    req.state.statuses.list(commit.repository, commit.sha),
    req.path,
    req.query,
  );
  return { status: 200, headers: page.headers, body: page.items.map(statusJson) };
}

/** `GET .../commits/{ref}/status`: the newest status of each context (a page of them; total_count counts all) and their combined state. */
async function combinedStatus(req: GithubRequest): Promise<GithubResponse> {
  const commit = await commitFor(req, req.params.ref ?? '');
  if (!isCommitRef(commit)) return commit;
  const { statuses } = req.state;
  const latest = statuses.latestPerContext(commit.repository, commit.sha);
  const page = paginate(latest, req.path, req.query);
  const body = {
    state: statuses.combinedState(commit.repository, commit.sha),
    statuses: page.items.map(statusJson),
    sha: commit.sha,
    total_count: latest.length,
    repository: minimalRepoJson(commit.repo),
  };
  return { status: 200, headers: page.headers, body };
}

function statusJson(s: CommitStatus) {
  return {
    id: s.id,
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: utc(s.createdAt),
    updated_at: utc(s.createdAt),
    creator: userJson(s.creator),
  };
}

export const statusRoutes: Route[] = [
  { method: 'POST', pattern: '/repos/:owner/:repo/statuses/:sha', handle: createStatus },
  { method: 'GET', pattern: '/repos/:owner/:repo/commits/:ref/statuses', handle: listStatuses },
  { method: 'GET', pattern: '/repos/:owner/:repo/commits/:ref/status', handle: combinedStatus },
];
