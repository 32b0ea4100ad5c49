// `railyard logs <service>`: follows a service's logs like `railway logs --follow`, across redeploys
// and daemon restarts, with the same markers as the editor; Ctrl-C ends it.
import { LogDedupe } from '../protocol/logDedupe';
import { readLogItems, shownItem } from '../client/logLines';
import { formatItem } from '../client/logFormat';
import { viewErrorCode } from '../client/errorGuidance';
import { RpcError } from '../protocol/jsonrpc';
import {
  ErrorCode,
  type FolderContext,
  type LogItem,
  type ProjectView,
} from '../protocol/protocol';
import type { RpcClient } from '../client/rpcClient';
import { openDaemon } from './daemonCommands';
import { CliError, cliFolder, quoted } from './output';

export interface LogsFlags {
  json: boolean;
  folder?: string;
  env?: string;
  build: boolean;
  filter?: string;
  lines?: string;
}

export async function logsCommand(service: string | undefined, flags: LogsFlags): Promise<number> {
  if (!service)
    throw new CliError(
      'Name a service: railyard logs <service> [--env NAME] [--build] [--filter EXPR] [--lines N] [--json]',
      2,
    );
  const backlog = flags.lines === undefined ? 100 : Number(flags.lines);
  if (!Number.isInteger(backlog) || backlog < 0 || backlog > 5000)
    throw new CliError('--lines takes a whole number from 0 to 5000.', 2);
  const folder = cliFolder(flags.folder);
  const dedupe = new LogDedupe();
  const write = (item: LogItem) => process.stdout.write(logOutputLine(item, flags.json) + '\n');
  let stopping = false;
  const stopped = new Promise<void>((resolve) =>
    process
      .once('SIGINT', () => ((stopping = true), resolve()))
      .once('SIGTERM', () => ((stopping = true), resolve())),
  );
  for (let attempt = 0; !stopping; attempt++) {
    const client = await openDaemon();
    const closed = new Promise<void>((resolve) => client.onClosed(() => resolve()));
    const env = flags.env ?? (await defaultEnvironment(client, folder, service));
    client.onNotification('logs.batch', (n) =>
      readLogItems(n.items).forEach((item) => deliver(item, dedupe, write)),
    );
    dedupe.beginReplay();
    await client.request('logs.subscribe', {
      folder,
      environment: env,
      service,
      kind: flags.build ? 'build' : 'deploy',
      filter: flags.filter,
      backlog: attempt === 0 ? backlog : 500,
    });
    await Promise.race([stopped, closed]);
    client.close();
    if (!stopping)
      write({
        type: 'marker',
        kind: 'reconnecting',
        text: 'the Railyard daemon went away; reconnecting',
      });
  }
  return 0;
}

/**
 * One item as `railyard logs` prints it: the editor's text with the date, or one JSON object;
 * Railway's dropped-lines notice is a `rate-limited` marker in both.
 */
export function logOutputLine(item: LogItem, json: boolean): string {
  return json ? JSON.stringify(shownItem(item)) : formatItem(item, true);
}

function deliver(item: LogItem, dedupe: LogDedupe, write: (i: LogItem) => void): void {
  if (item.type === 'marker') return write(item);
  const verdict = dedupe.accept(item.timestamp, item.message);
  if (verdict === 'new-after-gap')
    write({
      type: 'marker',
      kind: 'gap',
      text: 'lines may be missing here (the daemon restarted)',
    });
  if (verdict !== 'duplicate') write(item);
}

/** The first persistent environment (in promotion order) that has the service. */
async function defaultEnvironment(
  client: RpcClient,
  folder: FolderContext,
  service: string,
): Promise<string> {
  const { watchId, view } = await client.request('environments.watch', { folder });
  await client.request('environments.unwatch', { watchId });
  if (view.state !== 'ready')
    throw new RpcError(viewErrorCode(view) ?? ErrorCode.Upstream, view.message ?? view.state);
  const env = candidates(view, service)[0];
  if (!env)
    throw new RpcError(
      ErrorCode.NotFound,
      `No service ${quoted(service)} in ${view.project?.name ?? 'this project'}'s persistent environments (${serviceNames(view)}); --env NAME names a PR environment.`,
    );
  process.stderr.write(`(${service} in ${env}; --env NAME for another environment)\n`);
  return env;
}

function serviceNames(view: ProjectView): string {
  const names = view.environments.filter((e) => !e.isEphemeral).flatMap((e) => e.services);
  return [...new Set(names.map((s) => s.name))].join(', ');
}

function candidates(view: ProjectView, service: string): string[] {
  return view.environments
    .filter((e) => !e.isEphemeral && e.services.some((s) => s.name === service || s.id === service))
    .map((e) => e.name);
}
