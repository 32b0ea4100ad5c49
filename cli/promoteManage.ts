// `railyard promote status|history|cancel|rollback`: a promotion that already exists, by its ID
// or, without one, the folder's latest.
import type { PromotionRecord } from '../protocol/protocol';
import { CliError } from './output';
import type { ManageArgs } from './promoteArgs';
import { PROMOTE_EXIT } from './promoteExit';
import { rollbackEnded } from './promoteFollow';
import type { PromoteIo } from './promoteIo';
import {
  headerLine,
  historyLine,
  promotionJson,
  rollbackQuestion,
  statusLines,
} from './promoteOutput';
import { PromotionProgress } from './promoteProgress';
import { withSession, type PromoteDeps, type Session } from './promoteSession';

/** How many promotions history shows: enough to see a week's work, one line each. */
const HISTORY_LIMIT = 50;

export async function manageCommand(
  args: ManageArgs,
  deps: PromoteDeps,
  io: PromoteIo,
): Promise<number> {
  if (args.kind === 'rollback' && !args.yes && !io.interactive)
    throw new CliError(
      'railyard promote rollback asks before it rolls back, and standard input is not a terminal: run it in one, or add --yes to skip that question.',
      PROMOTE_EXIT.usage,
    );
  const options = {
    // Too late to cancel, a rollback already running: a plain failure here, not a gate's 3.
    conflict: PROMOTE_EXIT.failure,
    ...(args.folder !== undefined && { folder: args.folder }),
    ...(args.confirm !== undefined && { confirm: args.confirm }),
  };
  return withSession(deps, io, options, (session) => SUBCOMMANDS[args.kind](session, args));
}

const SUBCOMMANDS: Record<ManageArgs['kind'], (s: Session, a: ManageArgs) => Promise<number>> = {
  status: showStatus,
  history: showHistory,
  cancel,
  rollback,
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

async function showHistory(session: Session): Promise<number> {
  const { promotions } = await session.client.request('promotion.list', {
    folder: session.folder,
    limit: HISTORY_LIMIT,
  });
  if (!promotions.length) session.io.say(`No promotions yet for ${session.folder.path}.`);
  session.io.say(...promotions.map(historyLine));
  session.io.json({ promotions: promotions.map((p) => promotionJson(p)) });
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
  const confirm = await askToRollBack(session, args, record);
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

/** The confirmation to send (undefined: none needed or given), or null when the answer is no. */
async function askToRollBack(
  session: Session,
  args: ManageArgs,
  record: PromotionRecord,
): Promise<string | undefined | null> {
  const { io } = session;
  if (record.protected && args.confirm === undefined && io.interactive) {
    const question = args.yes ? '' : `${rollbackQuestion(record)} `;
    const typed = await io.ask(
      `${question}${record.to.name} is protected: type its name to confirm: `,
    );
    return typed || null;
  }
  if (args.yes) return args.confirm;
  const answer = await io.ask(`${rollbackQuestion(record)} [y/N] `);
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
