// `railyard promote status|history|cancel|rollback|revert|deploy-missing`: a promotion that
// already exists, by its ID or, without one, the folder's latest.
import type { PromotionRecord } from '../protocol/protocol';
import { CliError } from './output';
import type { ManageArgs } from './promoteArgs';
import { exitCodeOf, PROMOTE_EXIT } from './promoteExit';
import { rollbackEnded, settledAfterStart } from './promoteFollow';
import type { PromoteIo } from './promoteIo';
import {
  headerLine,
  historyLines,
  promotionJson,
  revertQuestion,
  rollbackHint,
  rollbackQuestion,
  statusLines,
} from './promoteOutput';
import { PromotionProgress } from './promoteProgress';
import { withSession, type PromoteDeps, type Session } from './promoteSession';

/** How many promotions history shows: enough to see a week's work, one line each. */
const HISTORY_LIMIT = 50;

/** The subcommands that change the target, and so ask first: what each asks before. */
const ASKS_FIRST: Partial<Record<ManageArgs['kind'], string>> = {
  rollback: 'rolls back',
  revert: 'reverts',
};

export async function manageCommand(
  args: ManageArgs,
  deps: PromoteDeps,
  io: PromoteIo,
): Promise<number> {
  const asks = ASKS_FIRST[args.kind];
  if (asks && !args.yes && !io.interactive)
    throw new CliError(
      `railyard promote ${args.kind} asks before it ${asks}, and standard input is not a terminal: run it in one, or add --yes to skip that question.`,
      PROMOTE_EXIT.usage,
    );
  const options = {
    // Too late to cancel, a rollback already running: a plain failure here, not a gate's 3.
    conflict: PROMOTE_EXIT.failure,
    ...(args.folder !== undefined && { folder: args.folder }),
    ...(args.confirm !== undefined && { confirm: args.confirm }),
  };
  return withSession(deps, io, options, (session) =>
    SUBCOMMANDS[args.kind](session, args, deps.now()),
  );
}

type Subcommand = (s: Session, a: ManageArgs, now: number) => Promise<number>;
const SUBCOMMANDS: Record<ManageArgs['kind'], Subcommand> = {
  status: showStatus,
  history: showHistory,
  cancel,
  rollback,
  revert,
  'deploy-missing': deployMissing,
};

/** Railway never started the merge commit somewhere: deploy it there by sha, then follow as promote does. */
async function deployMissing(session: Session, args: ManageArgs): Promise<number> {
  const record = await resolve(session, args.id);
  const progress = new PromotionProgress();
  session.follow.watch(record.id, (r) => session.io.say(...progress.next(r)));
  await session.client
    .request('promotion.deployMissing', {
      folder: session.folder,
      id: record.id,
      ...(args.confirm !== undefined && { confirm: args.confirm }),
    })
    .then((r) => session.follow.offer(r));
  const end = await session.follow.until(record.id, (r) =>
    ['succeeded', 'failed', 'rolled-back', 'cancelled'].includes(r.state),
  );
  session.io.say(end.summary);
  session.io.json(promotionJson(end));
  return end.state === 'succeeded' ? PROMOTE_EXIT.succeeded : PROMOTE_EXIT.deployFailed;
}

async function showStatus(session: Session, args: ManageArgs): Promise<number> {
  const record = await resolve(session, args.id);
  session.io.say(...statusLines(record));
  session.io.json(promotionJson(record));
  return PROMOTE_EXIT.succeeded;
}

/** The folder's promotions and the team's (GitHub Deployments made by other daemons), merged. */
async function showHistory(session: Session, _args: ManageArgs, now: number): Promise<number> {
  const { promotions, team } = await session.client.request('promotion.list', {
    folder: session.folder,
    limit: HISTORY_LIMIT,
  });
  if (!promotions.length && !team.length)
    session.io.say(`No promotions yet for ${session.folder.path}.`);
  session.io.say(...historyLines(promotions, team, now));
  session.io.json({ promotions: promotions.map((p) => promotionJson(p)), team });
  return PROMOTE_EXIT.succeeded;
}

async function cancel(session: Session, args: ManageArgs): Promise<number> {
  const record = await resolve(session, args.id);
  const cancelled = session.follow.offer(
    await session.client.request('promotion.cancel', { folder: session.folder, id: record.id }),
  );
  session.io.say(`Cancelled promotion ${cancelled.id}. ${cancelled.summary}`);
  session.io.json(promotionJson(cancelled));
  return PROMOTE_EXIT.succeeded;
}

/** A change to the target: asked first unless --yes; a protected target needs its name typed. */
async function rollback(session: Session, args: ManageArgs): Promise<number> {
  const record = await resolve(session, args.id);
  const confirm = await askFirst(session, args, record, rollbackQuestion(record));
  if (confirm === null) {
    session.io.say('Not rolled back: nothing changed.');
    session.io.json(promotionJson(record));
    return PROMOTE_EXIT.failure;
  }
  session.io.say(headerLine(record));
  const progress = new PromotionProgress();
  session.follow.watch(record.id, (r) => session.io.say(...progress.next(r)));
  await session.client
    .request('promotion.rollback', {
      folder: session.folder,
      id: record.id,
      ...(confirm !== undefined && { confirm }),
    })
    .then((r) => session.follow.offer(r));
  const end = await session.follow.until(record.id, rollbackEnded);
  session.io.say(end.summary);
  session.io.json(promotionJson(end));
  return end.state === 'rolled-back' ? PROMOTE_EXIT.succeeded : PROMOTE_EXIT.deployFailed;
}

/**
 * Undoes a finished promotion's merge with a git revert on its target: the daemon makes and
 * starts a new promotion of kind revert, followed here as a run is, to a run's exit code.
 */
async function revert(session: Session, args: ManageArgs): Promise<number> {
  const record = await resolve(session, args.id);
  const confirm = await askFirst(session, args, record, revertQuestion(record));
  if (confirm === null) {
    session.io.say('Not reverted: nothing changed.');
    session.io.json(promotionJson(record));
    return PROMOTE_EXIT.failure;
  }
  const started = session.follow.offer(
    await session.client.request('promotion.revert', {
      folder: session.folder,
      id: record.id,
      ...(confirm !== undefined && { confirm }),
    }),
  );
  session.id = started.id;
  session.io.say(headerLine(started));
  const progress = new PromotionProgress();
  session.follow.watch(started.id, (r) => session.io.say(...progress.next(r)));
  const end = await session.follow.until(started.id, (r) => settledAfterStart(r, 0));
  const code = exitCodeOf(end);
  session.io.say(end.summary);
  if (code === PROMOTE_EXIT.deployFailed) session.io.say(rollbackHint(end));
  session.io.json(promotionJson(end));
  return code;
}

/** The confirmation to send (undefined: none needed or given), or null when the answer is no. */
async function askFirst(
  session: Session,
  args: ManageArgs,
  record: PromotionRecord,
  yesNo: string,
): Promise<string | undefined | null> {
  const { io } = session;
  if (record.protected && args.confirm === undefined && io.interactive) {
    const question = args.yes ? '' : `${yesNo} `;
    const typed = await io.ask(
      `${question}${record.to.name} is protected: type its name to confirm: `,
    );
    return typed || null;
  }
  if (args.yes) return args.confirm;
  const answer = await io.ask(`${yesNo} [y/N] `);
  return /^y(es)?$/i.test(answer) ? args.confirm : null;
}

/** The promotion an ID names, or the folder's latest. */
async function resolve(session: Session, id: string | undefined): Promise<PromotionRecord> {
  const record = id
    ? await session.client.request('promotion.get', { id })
    : (await session.client.request('promotion.list', { folder: session.folder, limit: 1 }))
        .promotions[0];
  if (!record)
    throw new CliError(
      `No promotions yet for ${session.folder.path}: railyard promote <from> <to> starts one.`,
      PROMOTE_EXIT.failure,
    );
  session.id = record.id;
  return session.follow.offer(record);
}
