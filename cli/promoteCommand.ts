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
  teamLockOf,
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
import { verificationPendingLine } from './promoteVerification';

const PROCESS_DEPS: PromoteDeps = {
  open: openDaemon,
  io: processIo,
  folder: cliFolder,
  now: Date.now,
};

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
      kind: args.backMerge ? 'back-merge' : 'promotion',
      ...(args.strategy !== undefined && { strategy: args.strategy }),
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
    if (backMergeOffered(ctx, record)) return offerBackMerge(ctx, record, verdict);
    return finish(ctx, record, verdict);
  }
  return confirmAndStart(ctx, record, 0);
}

/** A person at a terminal, a divergence that a back-merge resolves; never under --yes. */
function backMergeOffered(ctx: RunContext, record: PromotionRecord): boolean {
  const { args, io } = ctx;
  if (args.yes || args.backMerge || !io.interactive || mergeGateConflicts(record)) return false;
  return blockingGates(record, args).some((g) => g.actions.includes('back-merge'));
}

/**
 * Offers to merge the target's extra commits back into the source first, as its own promotion
 * (its own gates and question). The promotion itself is not retried: its gates saw the source
 * before the back-merge, so the person runs it again. Ends with the back-merge's code when it
 * failed, else with the promotion's (it did not go).
 */
async function offerBackMerge(
  ctx: RunContext,
  record: PromotionRecord,
  verdict: number,
): Promise<number> {
  const { from, to } = record;
  const answer = await ctx.io.ask(
    `Back-merge ${to.name}'s extra commits into ${from.name} first, as its own promotion? [y/N] `,
  );
  if (!/^y(es)?$/i.test(answer)) return finish(ctx, record, verdict);
  // The plan is stale once the source moves: cancelled rather than left to linger.
  ctx.follow.offer(
    await ctx.client.request('promotion.cancel', { folder: ctx.folder, id: record.id }),
  );
  // Its own target is the source: a --confirm or --take-over typed for the promotion's does not apply.
  const { confirm, takeOver, ...rest } = ctx.args;
  ctx.args = { ...rest, from: to.name, to: from.name, backMerge: true, reapplyReverts: false };
  ctx.typed = undefined;
  // The same context, so an error in the back-merge reports the back-merge's record.
  const code = await runPromotion(ctx);
  if (code !== PROMOTE_EXIT.succeeded) return code;
  ctx.io.say(
    `${from.name} has ${to.name}'s commits now. Run railyard promote ${from.name} ${to.name} again to promote.`,
  );
  return verdict;
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
  await start(ctx, record, answer.confirm);
  const end = await ctx.follow.until(record.id, (r) => settledAfterStart(r, record.rejectedPushes));
  if (pushRejected(end) && end.rejectedPushes > record.rejectedPushes)
    return afterRejectedPush(ctx, end, record.sourceCommit, attempt);
  return finish(ctx, end);
}

/**
 * promotion.start; refused because a teammate's promotion holds the target and went silent, it is
 * sent once more with the target's name typed (--take-over, or asked at the terminal).
 */
async function start(ctx: RunContext, record: PromotionRecord, confirm?: string): Promise<void> {
  const { args } = ctx;
  const params = {
    folder: ctx.folder,
    id: record.id,
    ...(confirm !== undefined && { confirm }),
    ...(args.overrideWindow !== undefined && { overrideWindow: args.overrideWindow }),
    ...(args.ackBackup !== undefined && { ackBackup: args.ackBackup }),
    rollbackOnFailure: args.rollbackOnFailure,
    ...(args.reapplyReverts && { reapplyReverts: true }),
  };
  try {
    ctx.follow.offer(await ctx.client.request('promotion.start', params));
  } catch (e) {
    const takeOver = await takeOverName(ctx, record, e);
    if (takeOver === undefined) throw e;
    ctx.follow.offer(await ctx.client.request('promotion.start', { ...params, takeOver }));
  }
}

/** The typed name to take a stale holder over with; undefined when it is not that or not wanted. */
async function takeOverName(
  ctx: RunContext,
  record: PromotionRecord,
  error: unknown,
): Promise<string | undefined> {
  const lock = teamLockOf(error);
  if (!lock?.stale) return undefined;
  const { io, args } = ctx;
  const held = (error as Error).message;
  if (args.takeOver !== undefined) {
    io.say(held, `Taking it over (--take-over ${args.takeOver}).`);
    return args.takeOver;
  }
  if (!io.interactive)
    throw new CliError(
      `${held} Add --take-over ${record.to.name} to take it over.`,
      PROMOTE_EXIT.gateFailed,
    );
  const typed = await io.ask(
    `${held}\nType ${record.to.name} to take over ${lock.by}'s promotion ${lock.promotion} (Enter leaves it): `,
  );
  if (typed) return typed;
  throw new CliError(
    `Not taken over: ${lock.by}'s promotion ${lock.promotion} still holds ${record.to.name}. Nothing changed.`,
    PROMOTE_EXIT.gateFailed,
  );
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
  const verifying = verificationPendingLine(record);
  if (verifying) ctx.io.say(verifying);
  if (code === PROMOTE_EXIT.deployFailed) ctx.io.say(rollbackHint(record));
  ctx.io.json(promotionJson(record));
  return code;
}
