// Assembles the promotion service from the daemon's parts: the journal in the state directory,
// one git mirror per repository, the gates, and the clients for Railway and GitHub.
import type { PromotionRecord } from '../../protocol/protocol';
import type { StatePaths } from '../../protocol/discovery';
import type { DaemonConfig } from '../config';
import type { AuthService } from '../credentials/authService';
import type { Logger } from '../diagnostics/logger';
import type { Redactor } from '../diagnostics/redact';
import type { EnvironmentService } from '../environments/environmentService';
import { checkHealth, parseResolveRules } from '../environments/healthChecker';
import type { GithubAccess } from '../github/githubAccess';
import type { RailwayAccess } from '../railway/railwayAccess';
import type { AuditLog } from '../state/auditLog';
import type { DaemonClock } from '../clock';
import type { MetricsSource } from '../metrics/metricsSource';
import { PROMOTION_GATES } from './gates';
import type { GitMirror } from './gitMirror';
import { PromotionJournal } from './promotionJournal';
import { PromotionService } from './promotionService';
import { PromotionStore } from './promotionStore';
import { SimpleGitMirror } from './simpleGitMirror';
import { DeploymentReporter } from './deploymentReporter';
import type { PromotingBoard } from './promotingBoard';
import { machineName } from './teamLock';

export interface PromotionParts {
  paths: StatePaths;
  config: DaemonConfig;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  logger: Logger;
  railway: RailwayAccess;
  github: GithubAccess;
  auth: AuthService;
  audit: AuditLog;
  environments: EnvironmentService;
  notify(record: PromotionRecord): void;
  board: PromotingBoard;
  /** Railway's metrics for the verification after success; undefined when signed out. */
  metrics(): MetricsSource | undefined;
  /** Real time, or the tests' clock: the settle time and the verification's window wait on it. */
  clock: DaemonClock;
}

export function promotionService(p: PromotionParts): PromotionService {
  const journal = new PromotionJournal(p.paths.dir, (m, f) => p.logger.warn(m, f));
  // Every change goes to the clients, the tree's board and the team's GitHub record (the reporter
  // reads the store itself, so it joins once the store exists).
  const listeners: ((record: PromotionRecord) => void)[] = [
    (r) => p.notify(r),
    (r) => p.board.changed(r),
  ];
  const store = new PromotionStore(
    journal,
    (record) => listeners.forEach((l) => l(record)),
    p.env.RAILYARD_TEST_CRASH_AT || undefined,
  );
  p.board.attach(() => store.all());
  const reporter = new DeploymentReporter({
    store,
    github: () => p.github.client(),
    logger: p.logger,
    now: () => new Date(),
  });
  listeners.push((r) => reporter.changed(r));
  const mirrors = new Map<string, GitMirror>();
  const resolveRules = parseResolveRules(p.env.RAILYARD_RESOLVE);
  return new PromotionService(
    {
      environments: p.environments,
      gates: PROMOTION_GATES,
      mirrorFor: (repo) => {
        let mirror = mirrors.get(repo);
        if (!mirror) {
          mirror = new SimpleGitMirror({
            stateDir: p.paths.dir,
            gitUrl: p.config.gitUrl,
            repo,
            token: () => p.auth.githubToken()?.token,
            redactor: p.redactor,
          });
          mirrors.set(repo, mirror);
        }
        return mirror;
      },
      railway: () => p.railway.client(),
      github: () => p.github.client(),
      githubScopes: () => githubScopes(p.github),
      checkHealth: (url) => checkHealth(url, resolveRules),
      audit: p.audit,
      logger: p.logger,
      reporter,
      machine: machineName(p.env),
      // Tests look at a waiting pull request more often than a person would need.
      prPollMs: Number(p.env.RAILYARD_PR_POLL_MS) || 30_000,
      metrics: () => p.metrics(),
      now: () => p.clock.now(),
      sleep: (ms) => p.clock.sleep(ms),
    },
    store,
  );
}

/** X-OAuth-Scopes of the token: null when GitHub sends none (a fine-grained token). */
async function githubScopes(github: GithubAccess): Promise<string[] | null | undefined> {
  const client = github.client();
  if (!client) return undefined;
  const answer = await client.get<unknown>('/user');
  if (!answer.ok) return undefined;
  const header = answer.value.headers.get('x-oauth-scopes');
  return header === null
    ? null
    : header
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}
