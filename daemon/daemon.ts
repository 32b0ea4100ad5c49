// Assembles a running daemon from its parts (state files, log, credentials, Railway access,
// environments, server) and stops it cleanly.
import { PromotingBoard } from './promotion/promotingBoard';
import { PROTOCOL_VERSION } from '../protocol/protocol';
import type { StatePaths } from '../protocol/discovery';
import type { DaemonConfig } from './config';
import { AuditLog } from './state/auditLog';
import { RollbackMemory } from './environments/rollbackMemory';
import { CredentialStore } from './credentials/credentialStore';
import { AuthService } from './credentials/authService';
import { railwayConfigPath } from './credentials/credentialSources';
import { DeploymentActions } from './environments/deploymentActions';
import { EnvironmentService, type ServiceDeps } from './environments/environmentService';
import { checkHealth, parseResolveRules } from './environments/healthChecker';
import {
  environmentTreeDocument,
  RECENT_DEPLOYMENTS,
  type EnvironmentTreeResult,
} from './environments/treeQuery';
import { createHandlers } from './rpc/handlers';
import { createLogger, type Logger } from './diagnostics/logger';
import { GithubAccess } from './github/githubAccess';
import { readBranchHeads } from './git/branchHeads';
import { LogService } from './logs/logService';
import { UpstreamLogs } from './logs/upstreamLogs';
import { RailwayAccess } from './railway/railwayAccess';
import { Redactor } from './diagnostics/redact';
import { DaemonServer } from './rpc/server';
import { ensureSecret, ensureStateDir, removeDiscovery, writeDiscovery } from './state/stateFiles';
import { createTokenValidators } from './credentials/tokenValidators';
import { failure } from './upstreamError';
import { DAEMON_VERSION } from './version';
import { promotionService } from './promotion/promotionWiring';
import { realClock, type DaemonClock } from './clock';
import { MetricsService } from './metrics/metricsService';
import { RailwayMetricsSource } from './metrics/railwayMetricsSource';
import { createHash } from 'node:crypto';

export type StopReason = 'requested' | 'signal' | 'idle';

export interface RunningDaemon {
  port: number;
  logger: Logger;
  stop(reason: StopReason): Promise<void>;
  /** Resolves once the daemon has fully stopped, whatever stopped it. */
  stopped: Promise<StopReason>;
}

export interface DaemonOptions {
  paths: StatePaths;
  config: DaemonConfig;
  env?: NodeJS.ProcessEnv;
  /** The process's redactor (main.ts redacts stdout and stderr with it); a new one by default. */
  redactor?: Redactor;
  /** The daemon's clock where time decides an answer (metrics windows); tests move it. */
  now?: () => Date;
  /**
   * What promotions wait on (the settle time, the verification's window) and read the time from:
   * real time by default (or `now` with real waits); tests pass one whose sleep moves the
   * simulators' clock, so nothing waits a real 10 minutes.
   */
  clock?: DaemonClock;
}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const { paths, config } = options;
  const env = options.env ?? process.env;
  ensureStateDir(paths);
  const redactor = options.redactor ?? new Redactor();
  const secret = ensureSecret(paths);
  redactor.add(secret);
  const logger = createLogger(paths.log, redactor, { echo: config.foreground });
  const startedAt = new Date();
  let port = 0;
  let resolveStopped!: (r: StopReason) => void;
  const stopped = new Promise<StopReason>((r) => (resolveStopped = r));
  let stopping: Promise<void> | undefined;

  const stop = (reason: StopReason): Promise<void> => {
    stopping ??= (async () => {
      logger.info('stopping', { reason });
      logs.stopAll();
      upstreamLogs.disposeAll();
      environments.stopAll();
      promotions.stop();
      server.broadcast('daemon.stopping', { reason });
      await server.close();
      removeDiscovery(paths, process.pid);
      logger.info('stopped', { reason });
      logger.close();
      resolveStopped(reason);
    })();
    return stopping;
  };

  const store = new CredentialStore(paths.credentials);
  // The accesses ask the auth service for the token in effect at each call, so sign-in takes effect at once.
  const github = new GithubAccess(config.githubApiUrl, () => auth.githubToken());
  const railway = new RailwayAccess(config.railwayUrl, () => auth.railwayToken(), logger);
  const auth: AuthService = new AuthService(
    store,
    createTokenValidators(railway, github),
    redactor,
    (status) => {
      server.broadcast('auth.changed', status);
      void environments.reattachAll();
    },
    env,
  );
  const audit = new AuditLog(paths.audit);
  const rollbacks = new RollbackMemory(audit);
  const board = new PromotingBoard(() => github.client());
  const environments = new EnvironmentService({
    railwayConfigFile: railwayConfigPath(env),
    signedIn: () => auth.railwayToken() !== undefined,
    tokenProject: async () => {
      const id = await auth.railwayIdentity();
      return id?.projectId
        ? { projectId: id.projectId, environmentId: id.environmentId }
        : undefined;
    },
    watcherDeps: {
      ...upstreamWatchers({ railway, github, auth, config, env, redactor, logger }),
      rollbacks: rollbacks.lookup,
      promoting: board,
    },
  });
  const actions = new DeploymentActions({
    environments,
    railway: () => railway.client(),
    audit,
    rollbacks,
  });
  const upstreamLogs = new UpstreamLogs((key, backlog, h) =>
    railway.subscribeLogs(key, backlog, h),
  );
  const logs = new LogService({
    environments,
    upstream: upstreamLogs,
    timers: {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    },
  });
  const metricsSource = new RailwayMetricsSource(() => railway.client());
  const clock = options.clock ?? (options.now ? { ...realClock, now: options.now } : realClock);
  const promotions = promotionService({
    paths,
    config,
    env,
    redactor,
    logger,
    railway,
    github,
    auth,
    audit,
    environments,
    notify: (promotion) => server.broadcast('promotion.changed', { promotion }),
    board,
    metrics: () => metricsSource,
    clock,
  });
  const metrics = new MetricsService({
    environments,
    source: metricsSource,
    // A digest keys the cache per token without keeping the token in another place.
    identity: () => {
      const found = auth.railwayToken();
      return found && createHash('sha256').update(found.token).digest('hex').slice(0, 16);
    },
    now: () => clock.now(),
  });
  const handlers = createHandlers({
    logs,
    auth,
    environments,
    actions,
    railway,
    github,
    audit,
    promotions,
    metrics,
    server: () => server,
    info: () => ({
      port,
      startedAt,
      stateDir: paths.dir,
      logFile: paths.log,
      idleShutdownMs: config.idleShutdownMs,
      daemonVersion: DAEMON_VERSION,
    }),
    requestStop: (reason) => void stop(reason),
  });
  const server = new DaemonServer({
    secret,
    logger,
    idleShutdownMs: config.idleShutdownMs,
    onIdle: () => void stop('idle'),
    onSessionClosed: (session) => {
      logs.dropSession(session);
      environments.dropSession(session);
    },
    host: {
      handlers,
      logger,
      daemonVersion: DAEMON_VERSION,
      capabilities: ['auth', 'environments', 'deployments', 'logs', 'promotions', 'metrics'],
    },
  });
  port = await server.listen();
  promotions.resume();
  writeDiscovery(paths, {
    port,
    pid: process.pid,
    daemonVersion: DAEMON_VERSION,
    protocolVersion: PROTOCOL_VERSION,
    startedAt: startedAt.toISOString(),
  });
  logger.info('started', {
    port,
    pid: process.pid,
    version: DAEMON_VERSION,
    railwayUrl: config.railwayUrl,
    githubApiUrl: config.githubApiUrl,
    idleShutdownMs: config.idleShutdownMs,
  });
  return { port, logger, stop, stopped };
}

interface WatcherParts {
  railway: RailwayAccess;
  github: GithubAccess;
  auth: AuthService;
  config: DaemonConfig;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  logger: Logger;
}

/** How project watchers reach upstream: the tree query, subscriptions, health, git and GitHub. */
function upstreamWatchers(p: WatcherParts): ServiceDeps['watcherDeps'] {
  const resolveRules = parseResolveRules(p.env.RAILYARD_RESOLVE);
  return {
    fetchTree: (projectId) => {
      const client = p.railway.client();
      if (!client)
        return Promise.resolve(failure({ kind: 'auth', message: 'Sign in to Railway first.' }));
      return client.request<EnvironmentTreeResult>(environmentTreeDocument, {
        projectId,
        recent: RECENT_DEPLOYMENTS,
      });
    },
    subscribeDeployment: (id, onUpdate) => p.railway.subscribeDeployment(id, onUpdate),
    buildLogTail: async (deploymentId) => {
      const r = await p.railway
        .client()
        ?.operation<{ buildLogs: { message: string }[] }>('BuildLogLines', {
          deploymentId,
          limit: 20,
        });
      return r?.ok ? r.value.buildLogs.map((l) => l.message) : undefined;
    },
    checkHealth: (url) => checkHealth(url, resolveRules),
    promotionCounts: (envs) => p.github.promotionCounts(envs),
    branchHeads: (refs) =>
      readBranchHeads(p.config.gitUrl, refs, p.auth.githubToken()?.token, p.redactor, (m) =>
        p.logger.warn(m),
      ),
  };
}
