// Assembles a running daemon from its parts (state files, log, credentials, server) and stops it cleanly.
import { PROTOCOL_VERSION } from '../protocol/protocol';
import type { StatePaths } from '../protocol/discovery';
import type { DaemonConfig } from './config';
import { CredentialStore } from './credentials/credentialStore';
import { AuthService, type TokenValidators } from './credentials/authService';
import { createHandlers } from './handlers';
import { createLogger, type Logger } from './logger';
import { Redactor } from './redact';
import { DaemonServer } from './server';
import { ensureSecret, ensureStateDir, removeDiscovery, writeDiscovery } from './stateFiles';
import { DAEMON_VERSION } from './version';

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
  validators: TokenValidators;
  env?: NodeJS.ProcessEnv;
}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const { paths, config } = options;
  ensureStateDir(paths);
  const redactor = new Redactor();
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
      server.broadcast('daemon.stopping', { reason });
      await server.close();
      removeDiscovery(paths, process.pid);
      logger.info('stopped', { reason });
      logger.close();
      resolveStopped(reason);
    })();
    return stopping;
  };

  const auth = new AuthService(
    new CredentialStore(paths.credentials),
    options.validators,
    redactor,
    (status) => server.broadcast('auth.changed', status),
    options.env,
  );
  const handlers = createHandlers({
    auth,
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
    host: { handlers, logger, daemonVersion: DAEMON_VERSION, capabilities: ['auth'] },
  });
  port = await server.listen();
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
