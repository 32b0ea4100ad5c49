// GitHub's checks routes for a commit (check runs and check suites by sha, branch or tag), answered from the CI store in GitHub's shapes, check runs a page at a time.
import type { CheckRun, CheckSuite } from './ci';
import { commitFor, isCommitRef, utc, type CommitRef } from './commitRefs';
import { paginate } from './pagination';
import type { GithubRequest, GithubResponse, Route } from './routeTypes';

/** The GitHub Actions app, which owns every suite the simulated CI creates. */
export const githubActionsApp = {
  id: 15368,
  slug: 'github-actions',
  node_id: 'MDM6QXBwMTUzNjg=',
  owner: { login: 'github', id: 9919, type: 'Organization' },
  name: 'GitHub Actions',
  html_url: 'https://github.com/apps/github-actions',
};

interface RunInSuite {
  run: CheckRun;
  suite: CheckSuite;
}

async function listCheckRuns(req: GithubRequest): Promise<GithubResponse> {
  const commit = await commitFor(req, req.params.ref ?? '');
  if (!isCommitRef(commit)) return commit;
  const runs = filterRuns(runsOf(req, commit), req.query);
  const page = paginate(runs, req.path, req.query);
  const check_runs = page.items.map((r) => checkRunJson(commit, r));
  return { status: 200, headers: page.headers, body: { total_count: runs.length, check_runs } };
}

/** Newest first. */
function runsOf(req: GithubRequest, commit: CommitRef): RunInSuite[] {
  const suites = req.state.ci.suitesOf(commit.repository, commit.sha);
  return suites.flatMap((suite) => suite.runs.map((run) => ({ run, suite }))).reverse();
}

/** `check_name`, `status`, `app_id`, and `filter`: `latest` (the default) keeps the newest run of each name. */
function filterRuns(runs: RunInSuite[], query: URLSearchParams): RunInSuite[] {
  const name = query.get('check_name');
  const status = query.get('status');
  const seen = new Set<string>();
  return runs.filter(({ run }) => {
    if (!ofApp(query) || (name !== null && run.name !== name)) return false;
    if (status !== null && run.status !== status) return false;
    if (query.get('filter') === 'all') return true;
    const first = !seen.has(run.name);
    seen.add(run.name);
    return first;
  });
}

function ofApp(query: URLSearchParams): boolean {
  const appId = query.get('app_id');
  return appId === null || appId === String(githubActionsApp.id);
}

/** An Actions job's check run: its page is the job's page in the workflow run. */
function checkRunJson(commit: CommitRef, { run, suite }: RunInSuite) {
  const page = `https://github.com/${commit.repository}/actions/runs/${suite.workflowRunId}/job/${run.id}`;
  return {
    id: run.id,
    name: run.name,
    head_sha: suite.headSha,
    external_id: '',
    status: run.status,
    conclusion: run.conclusion,
    started_at: utc(run.startedAt),
    completed_at: run.completedAt && utc(run.completedAt),
    html_url: page,
    details_url: page,
    output: { title: null, summary: null, text: null, annotations_count: 0 },
    check_suite: { id: suite.id },
    app: githubActionsApp,
    pull_requests: [],
  };
}

async function listCheckSuites(req: GithubRequest): Promise<GithubResponse> {
  const commit = await commitFor(req, req.params.ref ?? '');
  if (!isCommitRef(commit)) return commit;
  const name = req.query.get('check_name');
  const suites = req.state.ci
    .suitesOf(commit.repository, commit.sha)
    .filter((s) => ofApp(req.query) && (name === null || s.runs.some((r) => r.name === name)));
  return { status: 200, body: { total_count: suites.length, check_suites: suites.map(suiteJson) } };
}

function suiteJson(suite: CheckSuite) {
  return {
    id: suite.id,
    head_branch: suite.headBranch,
    head_sha: suite.headSha,
    status: suite.status,
    conclusion: suite.conclusion,
    before: suite.before,
    after: suite.headSha,
    pull_requests: [],
    app: githubActionsApp,
    created_at: utc(suite.createdAt),
    updated_at: utc(suite.updatedAt),
    latest_check_runs_count: suite.runs.length,
    rerequestable: true,
    runs_rerequestable: true,
  };
}

export const checkRoutes: Route[] = [
  { method: 'GET', pattern: '/repos/:owner/:repo/commits/:ref/check-runs', handle: listCheckRuns },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/commits/:ref/check-suites',
    handle: listCheckSuites,
  },
];
