// One connection to the daemon for a promote command, and how whatever ends it becomes the exit
// code and, under --json, the one object on stdout (none for exit 2, as for a bad command line).
import { adviceFor } from '../client/errorGuidance';
import { stateDir, statePaths } from '../protocol/discovery';
import type { FolderContext, PromotionRecord } from '../protocol/protocol';
import { CliError } from './output';
import { errorExitCode, PROMOTE_EXIT } from './promoteExit';
import { PromotionFollower, type PromotionClient } from './promoteFollow';
import type { PromoteIo } from './promoteIo';
import { errorJson, promotionJson } from './promoteOutput';

/** What a command needs from outside; tests hand in a fake daemon and a scripted terminal. */
export interface PromoteDeps {
  open: () => Promise<PromotionClient>;
  io: (json: boolean) => PromoteIo;
  folder: (dir: string | undefined) => FolderContext;
  /** The clock history's "3 min ago" is read against. */
  now: () => number;
}

export interface Session {
  client: PromotionClient;
  follow: PromotionFollower;
  io: PromoteIo;
  folder: FolderContext;
  /** Set once a promotion is known: an error's JSON reports its record. */
  id?: string;
}

export interface SessionOptions {
  folder?: string;
  /** The environments as the user named them, for an error before any record exists. */
  names?: { from?: string; to?: string };
  /** A protected target's --confirm, when given: without it, a refusal says to add it. */
  confirm?: string;
  /** What a Conflict from the daemon means for this command (cli/promoteExit.ts). */
  conflict?: number;
}

export async function withSession(
  deps: PromoteDeps,
  io: PromoteIo,
  options: SessionOptions,
  run: (session: Session) => Promise<number>,
): Promise<number> {
  let session: Session | undefined;
  try {
    const client = await deps.open();
    const follow = new PromotionFollower(client);
    session = { client, follow, io, folder: deps.folder(options.folder) };
    try {
      return await run(session);
    } finally {
      client.close();
    }
  } catch (e) {
    const record = session?.id ? session.follow.latest(session.id) : undefined;
    return reportError(e, io, record, options);
  }
}

function reportError(
  e: unknown,
  io: PromoteIo,
  record: PromotionRecord | undefined,
  options: SessionOptions,
): number {
  const code = errorExitCode(e, options.conflict);
  const message = e instanceof CliError ? e.message : adviceFor(e).message;
  io.warn(message);
  if (adviceFor(e).action === 'show-daemon-log')
    io.warn(`the daemon's log is ${statePaths(stateDir()).log}`);
  if (code === PROMOTE_EXIT.usage && record?.protected && options.confirm === undefined)
    io.warn(
      `${record.to.name} is protected: --confirm ${record.to.name} confirms it without a terminal.`,
    );
  if (code !== PROMOTE_EXIT.usage)
    io.json(record ? promotionJson(record, message) : errorJson(message, options.names));
  return code;
}
