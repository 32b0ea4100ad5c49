// The daemon's method implementations, one per protocol method, kept thin: each delegates to a service.
import type { Handlers } from './rpcSession';
import type { AuthService } from './credentials/authService';
import type { DaemonServer } from './server';

export interface HandlerDeps {
  auth: AuthService;
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
    'auth.status': () => deps.auth.status(),
    'auth.setRailwayToken': (p) => deps.auth.setRailwayToken(p),
    'auth.setGithubToken': (p) => deps.auth.setGithubToken(p),
    'auth.signOut': (p) => deps.auth.signOut(p.provider),
  };
}
