// Starts the Railway, GitHub and git simulators as one world, for the demo, the VS Code tests and `railyard sim`.
import { SimClock } from './clock';
import { startGitServer, type GitServer, type PushGuard } from './git/gitServer';
import { seedKarsRepo, type KarsRepo } from './git/karsRepo';
import type { CiMode, CiStore } from './github/ci';
import { pushRefusal } from './github/branchProtection';
import { recordSeededCi } from './github/ciHistory';
import { startGithubSim, type GithubSim } from './github/server';
import { defaultGithubTokens, type GithubState, type GithubTokenSpec } from './github/state';
import { railwayAppSuffix } from './railway/appDomains';
import type { FixtureName } from './railway/fixtures';
import type { SimFailure, SimOutcome } from './railway/model';
import { startRailwaySim, type RailwaySim } from './railway/server';
import type { PushOptions } from './railway/state';
import { reportDeploysToGithub } from './railwayGithubApp';
import { defaultTimings, type SimTimings } from './timings';
import { deployOnPush, gitCommitSource, gitRepoSource, readKarsHistory, Webhooks } from './world';

export interface SimulatorsOptions {
  railwayPort?: number;
  githubPort?: number;
  gitPort?: number;
  /** `empty`: no Railway project and no repository. */
  fixture?: FixtureName;
  /** The clock to run on; a new one at the wall clock's time by default. */
  clock?: SimClock;
  /** The length of one step of a push (webhook, CI, queue, build, deploy); see timings.ts. */
  stepMs?: number;
  /** Demo and `railyard sim`: the clock follows the wall clock. Tests leave it off and advance it. */
  realTime?: boolean;
  rateLimitPerHour?: number;
  /** How each push's GitHub Actions check run ends (`pass` by default); `sims.ci.setMode` narrows it to a repository or branch. */
  ci?: CiMode;
}

export interface SimulatorTokens {
  railway: { account: string; workspace: string; projectDev: string; projectProd: string };
  github: { token: string; login: string };
  /** The GitHub token again: git accepts GitHub tokens, as github.com does. */
  git: string;
}

/** The environment that points a Railyard daemon at these simulators. */
export interface SimulatorEnv {
  RAILYARD_RAILWAY_URL: string;
  RAILYARD_GITHUB_API_URL: string;
  /** Base URL the daemon uses instead of https://github.com for `owner/repo`. */
  RAILYARD_GIT_URL: string;
  /** `up.railway.app=http://127.0.0.1:PORT`: where the services' domains answer. */
  RAILYARD_RESOLVE: string;
}

export interface Simulators {
  /** The one clock every simulated duration runs on: tests move it with `clock.advance(ms)`. */
  clock: SimClock;
  timings: SimTimings;
  railway: RailwaySim;
  github: GithubSim;
  git: GitServer;
  /** The seeded `kars/kars-app`; null with the empty fixture. */
  repo: KarsRepo | null;
  /**
   * GitHub Actions, as Railway's "Wait for CI" sees it (CommitChecks: `state(repository, sha)`,
   * `onSettled`). Each push's head gets a check suite at push time, before any push listener
   * registered after it runs; the seeded branch heads have a completed, successful one. Tests:
   * `setMode(mode, { repository, branch })`, `complete(repository, sha, conclusion)`, `suitesOf`.
   */
  ci: CiStore;
  urls: {
    railway: string;
    railwayWs: string;
    /** Where `*.up.railway.app` answers (with the domain as Host). */
    railwayApps: string;
    github: string;
    git: string;
    /** The clone URL of kars/kars-app; null with the empty fixture. */
    repo: string | null;
  };
  tokens: SimulatorTokens;
  env: SimulatorEnv;
  /** How the deployments that later pushes to `owner/repo` `branch` create will end (SUCCESS by default). */
  setPushOutcome(
    repository: string,
    branch: string,
    outcome: SimOutcome,
    failure?: SimFailure,
  ): void;
  /** GitHub's push webhooks to Railway: `webhooks.dropNext(repo, branch)` loses the next one. */
  webhooks: Webhooks;
  /**
   * Runs the clock until nothing is pending (webhooks, CI, deployments, backups; a two-hour CI
   * wait included): what "some time later" means in a test. Bounded.
   */
  settle(): void;
  /** Safe to call twice. */
  close(): Promise<void>;
}

type Closer = () => Promise<void>;

export async function startSimulators(options: SimulatorsOptions = {}): Promise<Simulators> {
  const closers: Closer[] = [];
  try {
    return await startWorld(options, closers);
  } catch (error) {
    await Promise.all(closers.map((close) => close()));
    throw error;
  }
}

interface Parts {
  clock: SimClock;
  timings: SimTimings;
  railway: RailwaySim;
  github: GithubSim;
  git: GitServer;
  repo: KarsRepo | null;
}

async function startWorld(options: SimulatorsOptions, closers: Closer[]): Promise<Simulators> {
  const parts = await startParts(options, closers);
  const outcomes = new Map<string, PushOptions>();
  const key = (repository: string, branch: string) => `${repository} ${branch}`;
  // First, so that a commit's suite exists before Railway hears of the push, as on GitHub.
  const stopCi = parts.git.onPush((event) => {
    parts.github.ci.receivePush(event);
    parts.github.state.pulls.receivePush(event);
  });
  parts.git.setPushGuard(protectedPushes(parts.github.state));
  parts.railway.state.connectChecks(parts.github.ci);
  const webhooks = new Webhooks();
  const outcomeOf = (repository: string, branch: string) =>
    outcomes.get(key(repository, branch)) ?? {};
  const stopDeploys = deployOnPush(parts.git, parts.railway.state, outcomeOf, webhooks);
  // After the fixture is built: its history was deployed before GitHub was watching.
  const stopRailwayApp = reportDeploysToGithub(parts.railway.state, parts.github.state.deployments);
  let closing: Promise<void> | undefined;
  return {
    ...describeWorld(parts),
    webhooks,
    settle: () => {
      for (let i = 0; i < 256 && parts.clock.step(); i++);
    },
    setPushOutcome: (repository, branch, outcome, failure) => {
      outcomes.set(key(repository, branch), { outcome, failure });
    },
    close: () => {
      stopCi();
      parts.git.setPushGuard(null);
      stopDeploys();
      stopRailwayApp();
      return (closing ??= Promise.all(closers.map((c) => c())).then(() => undefined));
    },
  };
}

/** GitHub's branch protection, as the git server applies it to direct pushes. */
function protectedPushes(state: GithubState): PushGuard {
  return {
    protectedBranches: (owner, name) => state.protections.protectedBranches(`${owner}/${name}`),
    refusal: (push) => Promise.resolve(pushRefusal(state, `${push.owner}/${push.name}`, push)),
  };
}

/** Git first: the Railway fixture is built from the seeded repository's commits. */
async function startParts(options: SimulatorsOptions, closers: Closer[]): Promise<Parts> {
  const clock = options.clock ?? new SimClock();
  const timings = defaultTimings(options.stepMs);
  if (options.realTime) {
    clock.followWallClock(Math.min(250, timings.stepMs));
    closers.push(() => Promise.resolve(clock.stopFollowing()));
  }
  const githubTokens = defaultGithubTokens;
  const git = await startGitServer({
    port: options.gitPort,
    tokens: gitTokens(githubTokens),
    // As GithubState reads them: no scopes given means a classic token with repo and read:org.
    tokenScopes: new Map(githubTokens.map((s) => [s.token, s.scopes ?? ['repo', 'read:org']])),
  });
  closers.push(() => git.close());
  const repo = options.fixture === 'empty' ? null : await seedKarsRepo(git);
  const repos = gitRepoSource(git);
  const github = await startGithubSim({
    port: options.githubPort,
    tokens: githubTokens,
    repos,
    clock,
    timings,
    ci: options.ci,
  });
  closers.push(() => github.close());
  if (repo) await recordSeededCi(github.ci, repo);
  const railway = await startRailwaySim({
    port: options.railwayPort,
    fixture: options.fixture,
    history: repo ? await readKarsHistory(repo) : undefined,
    clock,
    timings,
    rateLimitPerHour: options.rateLimitPerHour,
  });
  closers.push(() => railway.close());
  railway.state.commits = gitCommitSource(git);
  return { clock, timings, railway, github, git, repo };
}

/** A classic token without `repo` cannot reach private repositories over git either. */
function gitTokens(specs: GithubTokenSpec[]): string[] {
  return specs.filter((s) => s.scopes == null || s.scopes.includes('repo')).map((s) => s.token);
}

function describeWorld(
  parts: Parts,
): Pick<
  Simulators,
  'clock' | 'timings' | 'railway' | 'github' | 'ci' | 'git' | 'repo' | 'urls' | 'tokens' | 'env'
> {
  const { clock, timings, railway, github, git, repo } = parts;
  const urls = {
    railway: railway.url,
    railwayWs: railway.wsUrl,
    railwayApps: railway.appUrl,
    github: github.url,
    git: git.url,
    repo: repo?.url ?? null,
  };
  const env = {
    RAILYARD_RAILWAY_URL: railway.url,
    RAILYARD_GITHUB_API_URL: github.url,
    RAILYARD_GIT_URL: git.url,
    RAILYARD_RESOLVE: `${railwayAppSuffix}=${railway.appUrl}`,
  };
  const tokens = knownTokens(railway, github);
  return { clock, timings, railway, github, ci: github.ci, git, repo, urls, tokens, env };
}

function knownTokens(railway: RailwaySim, github: GithubSim): SimulatorTokens {
  const find = (kind: string, env?: string) =>
    railway.tokens.find(
      (t) =>
        t.kind === kind && (env === undefined || ('environment' in t && t.environment === env)),
    )?.token ?? '';
  const gh = github.tokens[0];
  return {
    railway: {
      account: find('account'),
      workspace: find('workspace'),
      projectDev: find('project', 'kars-dev'),
      projectProd: find('project', 'kars-prod'),
    },
    github: { token: gh?.token ?? '', login: gh?.login ?? '' },
    git: gh?.token ?? '',
  };
}

/**
 * Everything a Railyard daemon needs to run signed in against these simulators: endpoints, the
 * account token, the kars project, and the GitHub token as GH_TOKEN (code-server takes
 * GITHUB_TOKEN for its own GitHub sign-in and removes it from what it passes on). The user's own
 * tokens are blanked so they can never point a simulated session at Railway.
 */
export function signedInDaemonEnv(sims: Simulators): Record<string, string> {
  const project = sims.railway.state.projects[0];
  if (!project) throw new Error('the simulators have no Railway project (use the kars fixture)');
  return {
    ...sims.env,
    RAILWAY_API_TOKEN: sims.tokens.railway.account,
    RAILWAY_PROJECT_ID: project.id,
    GH_TOKEN: sims.tokens.github.token,
    RAILWAY_TOKEN: '',
    GITHUB_TOKEN: '',
  };
}

/**
 * A teammate with a GitHub login of their own: their token works against GitHub's API and, when
 * its scopes reach private repositories (repo, or fine-grained), over git too, as on github.com.
 */
export function addTeammate(sims: Simulators, spec: GithubTokenSpec): void {
  sims.github.state.addToken(spec);
  const scopes = spec.scopes === undefined ? ['repo', 'read:org'] : spec.scopes;
  if (scopes === null || scopes.includes('repo')) sims.git.addToken(spec.token, scopes);
}
