// GitHub's classic branch protection routes (PUT, GET, DELETE `.../branches/{branch}/protection`) in its body shapes, and the protection summary GET branch shows every reader.
import { resolveRef } from '../git/repoQueries';
import type { BranchRule } from './branchProtection';
import { isRepo, repoFor, type RepoRef } from './repoRoutes';
import { githubError, type GithubRequest, type GithubResponse, type Route } from './routeTypes';

const required = [
  'required_status_checks',
  'enforce_admins',
  'required_pull_request_reviews',
  'restrictions',
];

type Body = Record<string, unknown>;

function object(value: unknown): Body | null {
  return typeof value === 'object' && value !== null ? (value as Body) : null;
}

/** GitHub's PUT body to a rule; each of the four keys must be present (null to leave it off). */
function ruleFrom(body: unknown): (Partial<BranchRule> & { strict: boolean }) | GithubResponse {
  const b = object(body) ?? {};
  const missing = required.find((key) => !(key in b));
  if (missing) return githubError(422, `Invalid request.\n\n"${missing}" wasn't supplied.`);
  const checks = object(b.required_status_checks);
  const reviews = object(b.required_pull_request_reviews);
  const contexts = Array.isArray(checks?.contexts)
    ? checks.contexts.filter((c) => typeof c === 'string')
    : [];
  const count = reviews?.required_approving_review_count;
  return {
    requirePullRequest: reviews !== null,
    requiredApprovingReviews: reviews === null ? 0 : typeof count === 'number' ? count : 1,
    dismissStaleReviews: reviews?.dismiss_stale_reviews === true,
    requiredChecks: contexts,
    enforceAdmins: b.enforce_admins === true,
    strict: checks?.strict === true,
  };
}

/** The branch a protection route names: 404 "Branch not found" when the repository lacks it. */
async function branchOf(
  req: GithubRequest,
): Promise<{ repo: RepoRef; repository: string; branch: string } | GithubResponse> {
  const repo = await repoFor(req);
  if (!isRepo(repo)) return repo;
  const branch = req.params.branch ?? '';
  if ((await resolveRef(repo.path, `refs/heads/${branch}`)) === null)
    return githubError(404, 'Branch not found');
  return { repo, repository: `${repo.owner}/${repo.name}`, branch };
}

function protectionJson(repository: string, branch: string, rule: BranchRule) {
  const url = `https://api.github.com/repos/${repository}/branches/${branch}/protection`;
  const off = { enabled: false };
  const checks =
    rule.requiredChecks.length === 0 && !rule.strict
      ? null
      : {
          url: `${url}/required_status_checks`,
          strict: rule.strict,
          contexts: rule.requiredChecks,
          checks: rule.requiredChecks.map((context) => ({ context, app_id: null })),
        };
  const reviews = !rule.requirePullRequest
    ? null
    : {
        url: `${url}/required_pull_request_reviews`,
        dismiss_stale_reviews: rule.dismissStaleReviews,
        require_code_owner_reviews: false,
        require_last_push_approval: false,
        required_approving_review_count: rule.requiredApprovingReviews,
      };
  return {
    url,
    ...(checks ? { required_status_checks: checks } : {}),
    ...(reviews ? { required_pull_request_reviews: reviews } : {}),
    enforce_admins: { url: `${url}/enforce_admins`, enabled: rule.enforceAdmins },
    required_signatures: { url: `${url}/required_signatures`, enabled: false },
    required_linear_history: off,
    allow_force_pushes: off,
    allow_deletions: off,
    block_creations: off,
    required_conversation_resolution: off,
    lock_branch: off,
    allow_fork_syncing: off,
  };
}

async function putProtection(req: GithubRequest): Promise<GithubResponse> {
  const where = await branchOf(req);
  if ('status' in where) return where;
  const rule = ruleFrom(req.body);
  if ('status' in rule) return rule;
  const saved = req.state.protections.set(where.repository, where.branch, rule);
  return { status: 200, body: protectionJson(where.repository, where.branch, saved) };
}

async function getProtection(req: GithubRequest): Promise<GithubResponse> {
  const where = await branchOf(req);
  if ('status' in where) return where;
  const rule = req.state.protections.get(where.repository, where.branch);
  if (!rule) return githubError(404, 'Branch not protected');
  return { status: 200, body: protectionJson(where.repository, where.branch, rule) };
}

async function deleteProtection(req: GithubRequest): Promise<GithubResponse> {
  const where = await branchOf(req);
  if ('status' in where) return where;
  if (!req.state.protections.remove(where.repository, where.branch))
    return githubError(404, 'Branch not protected');
  return { status: 204, body: undefined };
}

const pattern = '/repos/:owner/:repo/branches/:branch/protection';

export const protectionRoutes: Route[] = [
  { method: 'PUT', pattern, handle: putProtection },
  { method: 'GET', pattern, handle: getProtection },
  { method: 'DELETE', pattern, handle: deleteProtection },
];
