// `railyard promote <from> <to>`: plan, show the gates as they settle and the changes, ask, then
// start and follow merge, push, deploy and verify to an exit code scripts can rely on
// (cli/promoteExit.ts). The daemon decides and checks everything; this file asks and shows.
import type { PromotionRecord } from '../protocol/protocol';
import { openDaemon } from './daemonCommands';
import { CliError, cliFolder } from './output';
import { parsePromoteArgs, PROMOTE_USAGE, type RunArgs } from './promoteArgs';
import {
  blockingGates,
  exitCodeOf,
  mergeGateConflicts,
  PROMOTE_EXIT,
  pushRejected,
} from './promoteExit';
import {
  gatesSettled,
  recheckedAfterSignOff,
  recheckedSince,
  settledAfterStart,
} from './promoteFollow';
import { processIo } from './promoteIo';
import { manageCommand } from './promoteManage';
import {
  blockedLines,
  changeLines,
  checkLines,
  headerLine,
  mergeQuestion,
  promotionJson,
  rollbackHint,
  shortSha,
} from './promoteOutput';
import { PromotionProgress } from './promoteProgress';
import { withSession, type PromoteDeps, type Session } from './promoteSession';

const PROCESS_DEPS: PromoteDeps = { open: openDaemon, io: processIo, folder: cliFolder };

export async function promoteCommand(argv: string[], deps = PROCESS_DEPS): Promise<number> {
  const args = parsePromoteArgs(argv);
  if (args.kind === 'help') {
    process.stdout.write(PROMOTE_USAGE);
    return PROMOTE_EXIT.succeeded;
  }
  const io = deps.io(args.json);
  if (args.kind !== 'run') return manageCommand(args, deps, io);
  if (!args.check && !args.yes && !io.interactive)
    throw new CliError(
      'railyard promote asks before it merges, and standard input is not a terminal: run it in one, or add --yes to skip that question (it never signs off, overrides, acknowledges or confirms by itself).',
      PROMOTE_EXIT.usage,
    );
  const options = {
    names: { from: args.from, to: args.to },
    ...(args.folder !== undefined && { folder: args.folder }),
    ...(args.confirm !== undefined && { confirm: args.confirm }),
  };
  return withSession(deps, io, options, (session) =>
    // The same object, so the id it learns reaches an error's JSON (promoteSession.ts).
    runPromotion(Object.assign(session, { args })),
  );
}

interface RunContext extends Session {
  args: RunArgs;
  /** The protected target's name as typed at the first question, kept for a retry. */
  typed?: string;
}

async function runPromotion(ctx: RunContext): Promise<number> {
  const { client, follow, io, args } = ctx;
  const planned = follow.offer(
    await client.request('promotion.plan', {
      folder: ctx.folder,
      from: args.from,
      to: args.to,
      checkOnly: args.check,
    }),
  );
  ctx.id = planned.id;
  io.say(headerLine(planned));
  const progress = new PromotionProgress();
  follow.watch(planned.id, (r) => io.say(...progress.next(r)));
  let record = await follow.until(planned.id, gatesSettled);
  record = await signOffIfAsked(ctx, record);
  io.say(...changeLines(record.changes));
  const verdict = exitCodeOf(record, args);
  if (args.check) {
    io.say(...checkLines(record, args, verdict));
    return finish(ctx, record, verdict);
  }
  if (record.state !== 'gated') return finish(ctx, record);
  if (verdict !== PROMOTE_EXIT.succeeded) {
    io.say(...blockedLines(record, args));
    return finish(ctx, record, verdict);
  }
  return confirmAndStart(ctx, record, 0);
}

/** --sign-off: record QA's sign-off of the pinned commit, then wait for the gates the daemon re-checks. */
async function signOffIfAsked(ctx: RunContext, record: PromotionRecord): Promise<PromotionRecord> {
  // --check changes nothing: the flag counts as it would in the real run (cli/promoteExit.ts).
  if (!ctx.args.signOff || ctx.args.check || record.state !== 'gated') return record;
  const qa = record.gates.find((g) => g.id === 'qa-signoff');
  if (!qa || qa.state === 'pass' || qa.state === 'off') return record;
  const signed = ctx.follow.offer(
    await ctx.client.request('promotion.signOff', { folder: ctx.folder, id: record.id }),
  );
  ctx.io.say(
    `Signed off ${shortSha(signed.sourceCommit) ?? record.id} as ${signed.signOff?.by ?? 'you'}; the gates are checked again.`,
  );
  return ctx.follow.until(record.id, recheckedAfterSignOff);
}

/** Ask (unless --yes), start, follow; a push git refused may be tried once more (afterRejectedPush). */
async function confirmAndStart(
  ctx: RunContext,
  record: PromotionRecord,
  attempt: number,
): Promise<number> {
  const answer = await askToGo(ctx, record);
  if (!answer.go) return declined(ctx, record);
  const { client, follow, args } = ctx;
  await client
    .request('promotion.start', {
      folder: ctx.folder,
      id: record.id,
      ...(answer.confirm !== undefined && { confirm: answer.confirm }),
      ...(args.overrideWindow !== undefined && { overrideWindow: args.overrideWindow }),
      ...(args.ackBackup !== undefined && { ackBackup: args.ackBackup }),
      rollbackOnFailure: args.rollbackOnFailure,
    })
    .then((r) => follow.offer(r));
  const end = await follow.until(record.id, (r) => settledAfterStart(r, record.rejectedPushes));
  if (pushRejected(end) && end.rejectedPushes > record.rejectedPushes)
    return afterRejectedPush(ctx, end, record.sourceCommit, attempt);
  return finish(ctx, end);
}

interface GoAnswer {
  go: boolean;
  confirm?: string;
}

/**
 * The question before merging. A protected target without --confirm asks for its name typed
 * (the daemon checks it); --yes does not skip that, only the yes/no question.
 */
async function askToGo(ctx: RunContext, record: PromotionRecord): Promise<GoAnswer> {
  const { io, args } = ctx;
  const known = args.confirm ?? ctx.typed;
  const given = known !== undefined ? { confirm: known } : {};
  if (record.protected && known === undefined && io.interactive) {
    const question = args.yes ? '' : `${mergeQuestion(record)} `;
    ctx.typed = await io.ask(
      `${question}${record.to.name} is protected: type its name to confirm: `,
    );
    return ctx.typed ? { go: true, confirm: ctx.typed } : { go: false };
  }
  if (args.yes) return { go: true, ...given };
  const answer = await io.ask(`${mergeQuestion(record)} [y/N] `);
  return { go: /^y(es)?$/i.test(answer), ...given };
}

/** A no at the question: the plan is cancelled (it would only linger), and nothing changed. */
async function declined(ctx: RunContext, record: PromotionRecord): Promise<number> {
  const cancelled = ctx.follow.offer(
    await ctx.client.request('promotion.cancel', { folder: ctx.folder, id: record.id }),
  );
  ctx.io.say(`Not promoted: nothing changed, and promotion ${record.id} is cancelled.`);
  ctx.io.json(promotionJson(cancelled));
  return PROMOTE_EXIT.failure;
}

/**
 * git refused the push because the target moved, and the daemon re-checks the gates. Under --yes
 * it is retried once if the pinned source commit has not moved; in a terminal the question is
 * asked once more; a second refusal, a moved source under --yes, or a gate now failing is exit 5.
 */
async function afterRejectedPush(
  ctx: RunContext,
  rejected: PromotionRecord,
  pinned: string | undefined,
  attempt: number,
): Promise<number> {
  ctx.io.say(`git refused the push: ${rejected.to.name} moved meanwhile. Nothing changed.`);
  if (attempt > 0) return finish(ctx, rejected, PROMOTE_EXIT.pushRejected);
  const pushEnded = rejected.steps.find((s) => s.id === 'push')?.endedAt;
  const record = await ctx.follow.until(rejected.id, (r) => recheckedSince(r, pushEnded));
  const blocked = mergeGateConflicts(record) || blockingGates(record, ctx.args).length > 0;
  if (record.state !== 'gated' || blocked) {
    ctx.io.say(...blockedLines(record, ctx.args));
    return finish(ctx, record, PROMOTE_EXIT.pushRejected);
  }
  if (ctx.args.yes && record.sourceCommit !== pinned) {
    ctx.io.say(
      `${record.from.name} moved too (now ${shortSha(record.sourceCommit) ?? '?'}): not retried under --yes.`,
    );
    return finish(ctx, record, PROMOTE_EXIT.pushRejected);
  }
  if (ctx.args.yes) ctx.io.say(`Trying once more with ${shortSha(pinned) ?? 'the same commit'}.`);
  return confirmAndStart(ctx, record, attempt + 1);
}

/** The final sentence, what to do about a failed target, the JSON object; returns the code. */
function finish(
  ctx: RunContext,
  record: PromotionRecord,
  code = exitCodeOf(record, ctx.args),
): number {
  ctx.io.say(record.summary);
  if (code === PROMOTE_EXIT.deployFailed) ctx.io.say(rollbackHint(record));
  ctx.io.json(promotionJson(record));
  return code;
}
