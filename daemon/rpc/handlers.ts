// The daemon's method implementations, one per protocol method, kept thin: each delegates to a service.
import type { Handlers } from './rpcSession';
import type { AuthService } from '../credentials/authService';
import type { DaemonServer } from './server';
import type { EnvironmentService } from '../environments/environmentService';
import type { DeploymentActions } from '../environments/deploymentActions';
import type { RailwayAccess } from '../railway/railwayAccess';
import type { LogService } from '../logs/logService';
import type { GithubAccess } from '../github/githubAccess';
import { recentCommits } from '../environments/recentCommits';
import type { AuditLog } from '../state/auditLog';
import { guardTrust } from './trustGuard';
import type { PromotionService } from '../promotion/promotionService';
import type { MetricsService } from '../metrics/metricsService';

export interface HandlerDeps {
  auth: AuthService;
  environments: EnvironmentService;
  actions: DeploymentActions;
  railway: RailwayAccess;
  github: GithubAccess;
  logs: LogService;
  audit: AuditLog;
  promotions: PromotionService;
  metrics: MetricsService;
  server: () => DaemonServer;
  info: () => {
    port: number;
    startedAt: Date;
    stateDir: string;
    logFile: string;
    idleShutdownMs: number;
    daemonVersion: string;
  };
  requestStop(reason: 'requested'): void;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const who = (ctx: { session: { identity?: { name: string } } }) =>
    ctx.session.identity?.name ?? 'unknown client';
  return guardTrust(methodTable(deps, who), deps.audit, who);
}

function methodTable(
  deps: HandlerDeps,
  who: (ctx: { session: { identity?: { name: string } } }) => string,
): Handlers {
  const { auth, environments, actions, promotions } = deps;
  return {
    'daemon.status': (_p, ctx) => {
      const info = deps.info();
      return {
        daemonVersion: info.daemonVersion,
        protocolVersion: ctx.session.protocolVersion,
        pid: process.pid,
        port: info.port,
        startedAt: info.startedAt.toISOString(),
        uptimeSeconds: Math.round((Date.now() - info.startedAt.getTime()) / 1000),
        stateDir: info.stateDir,
        logFile: info.logFile,
        idleShutdownSeconds: Math.round(info.idleShutdownMs / 1000),
        clients: deps.server().clients.flatMap((s) => (s.identity ? [s.identity] : [])),
      };
    },
    'daemon.shutdown': () => {
      // Answer first, then stop, so the caller learns the request was taken.
      setImmediate(() => deps.requestStop('requested'));
      return { ok: true as const };
    },
    'auth.status': () => auth.status(),
    'auth.setRailwayToken': (p) => auth.setRailwayToken(p),
    'auth.setGithubToken': (p) => auth.setGithubToken(p),
    'auth.signOut': (p) => auth.signOut(p.provider),
    'environments.watch': (p, ctx) => environments.watch(p.folder, ctx.session),
    'environments.unwatch': (p) => {
      environments.unwatch(p.watchId);
      return { ok: true as const };
    },
    'environments.refresh': (p) => environments.refresh(p.watchId),
    'deployments.redeploy': (p, ctx) => actions.redeploy(p, who(ctx)),
    'deployments.restart': (p, ctx) => actions.restart(p, who(ctx)),
    'deployments.rollback': (p, ctx) => actions.rollback(p, who(ctx)),
    'deployments.deployCommit': (p, ctx) => actions.deployCommit(p, who(ctx)),
    'deployments.recentCommits': (p) => recentCommits({ environments, github: deps.github }, p),
    'railway.usage': () => deps.railway.usage(),
    'logs.subscribe': (p, ctx) => deps.logs.subscribe(p, ctx.session),
    'logs.unsubscribe': (p) => {
      deps.logs.unsubscribe(p.streamId);
      return { ok: true as const };
    },
    'promotion.plan': (p, ctx) => promotions.plan(p, who(ctx)),
    'promotion.recheck': (p) => promotions.recheck(p),
    'promotion.start': (p, ctx) => promotions.start(p, who(ctx)),
    'promotion.signOff': (p, ctx) => promotions.signOff(p, who(ctx)),
    'promotion.cancel': (p, ctx) => promotions.cancel(p, who(ctx)),
    'promotion.rollback': (p, ctx) => promotions.rollback(p, who(ctx)),
    'promotion.deployMissing': (p, ctx) => promotions.deployMissing(p, who(ctx)),
    'promotion.revert': (p, ctx) => promotions.revert(p, who(ctx)),
    'promotion.get': (p) => promotions.get(p.id),
    'promotion.list': (p) => promotions.list(p.folder, p.limit, p.team),
    'metrics.service': (p) => deps.metrics.service(p),
  };
}
