// `railyard daemon start|status|stop`.
import * as path from 'node:path';
import { stateDir, statePaths, isPidAlive } from '../protocol/discovery';
import { ensureDaemon, findDaemon, type DaemonEndpoint } from '../client/daemonLauncher';
import { RpcClient } from '../client/rpcClient';
import type { AuthStatus, CredentialStatus } from '../protocol/protocol';
import { CliError, print, quoted } from './output';

interface Flags {
  json: boolean;
}

export async function daemonCommand(action: string | undefined, flags: Flags): Promise<number> {
  const paths = statePaths(stateDir());
  switch (action) {
    case 'start': {
      const endpoint = await ensureDaemon({
        paths,
        daemonScript: path.join(__dirname, 'daemon.js'),
        nodePath: process.execPath,
      });
      const d = endpoint.discovery;
      const verb = endpoint.started ? 'started' : 'already running';
      print(
        flags.json,
        { ...d, started: endpoint.started },
        `Railyard daemon ${verb}: ws://127.0.0.1:${d.port} (pid ${d.pid}, version ${d.daemonVersion})`,
      );
      return 0;
    }
    case 'status':
      return status(findDaemon(paths), paths.dir, flags);
    case 'stop':
      return stop(findDaemon(paths), paths.dir, flags);
    default:
      throw new CliError(
        `Unknown daemon action ${quoted(action ?? '')}: use start, status or stop.`,
        2,
      );
  }
}

/** A client of the running daemon, started first if none runs. */
export async function openDaemon(): Promise<RpcClient> {
  const endpoint = await ensureDaemon({
    paths: statePaths(stateDir()),
    daemonScript: path.join(__dirname, 'daemon.js'),
    nodePath: process.execPath,
  });
  return connect(endpoint);
}

export async function connect(endpoint: DaemonEndpoint): Promise<RpcClient> {
  return RpcClient.connect({
    port: endpoint.discovery.port,
    secret: endpoint.secret,
    client: { name: 'railyard CLI', kind: 'cli' },
  });
}

async function status(
  endpoint: DaemonEndpoint | undefined,
  dir: string,
  flags: Flags,
): Promise<number> {
  if (!endpoint) {
    print(
      flags.json,
      { running: false, stateDir: dir },
      `Railyard daemon is not running in ${dir}${whereFrom()}. Start it with: railyard daemon start`,
    );
    return 3;
  }
  const client = await connect(endpoint);
  try {
    const [daemon, auth] = await Promise.all([
      client.request('daemon.status', {}),
      client.request('auth.status', {}),
    ]);
    const lines = [
      `Railyard daemon ${daemon.daemonVersion} (protocol ${daemon.protocolVersion}), pid ${daemon.pid}, ws://127.0.0.1:${daemon.port}`,
      `  up ${daemon.uptimeSeconds}s, ${daemon.idleShutdownSeconds ? `idle shutdown after ${daemon.idleShutdownSeconds}s without clients` : 'no idle shutdown'}`,
      `  state ${daemon.stateDir}, log ${daemon.logFile}`,
      `  clients (${daemon.clients.length}): ${daemon.clients.map((c) => `${c.name} [${c.kind}]`).join(', ')}`,
      ...credentialLines(auth),
    ];
    print(flags.json, { running: true, ...daemon, auth }, lines.join('\n'));
    return 0;
  } finally {
    client.close();
  }
}

function credentialLines(auth: AuthStatus): string[] {
  const describe = (name: string, c: CredentialStatus) => {
    if (!c.set) return `  ${name}: not signed in`;
    // valid is false only when the token was refused; absent with a problem, it could not be checked.
    const who =
      c.valid === false
        ? `invalid: ${c.problem ?? 'unknown'}`
        : c.problem
          ? `not checked: ${c.problem}`
          : `${c.account ?? '?'}${c.tokenKind ? ` (${c.tokenKind} token)` : ''}`;
    return `  ${name}: ${who}, from ${c.origin ?? c.source}${c.scopes?.length ? `, scopes ${c.scopes.join(', ')}` : ''}`;
  };
  return [describe('Railway', auth.railway), describe('GitHub', auth.github)];
}

async function stop(
  endpoint: DaemonEndpoint | undefined,
  dir: string,
  flags: Flags,
): Promise<number> {
  if (!endpoint) {
    print(
      flags.json,
      { running: false, stopped: false, stateDir: dir },
      `Railyard daemon is not running in ${dir}${whereFrom()}.`,
    );
    return 0;
  }
  const client = await connect(endpoint);
  const closed = new Promise<void>((resolve) => client.onClosed(() => resolve()));
  await client.request('daemon.shutdown', {});
  await closed;
  await waitForExit(endpoint.discovery.pid);
  print(
    flags.json,
    { running: false, stopped: true, pid: endpoint.discovery.pid },
    `Railyard daemon stopped (pid ${endpoint.discovery.pid}).`,
  );
  return 0;
}

/** Why the CLI looked where it did: another daemon (the demo's) lives in another RAILYARD_HOME. */
function whereFrom(): string {
  return process.env.RAILYARD_HOME
    ? ' (from RAILYARD_HOME)'
    : ' (the default; set RAILYARD_HOME to reach another, e.g. the demo’s)';
}

/** The socket closes before the process exits; wait (bounded) so `stop` then `start` never races. */
async function waitForExit(pid: number): Promise<void> {
  for (let i = 0; i < 200 && isPidAlive(pid); i++) await new Promise((r) => setTimeout(r, 25));
  if (isPidAlive(pid))
    throw new CliError(`The daemon (pid ${pid}) closed its connections but is still running.`);
}
