// Gate `divergence`: the target branch must have no commits the source lacks (a hotfix made on
// production), or the promotion would merge history nobody tested on the source. A revert on the
// target is told apart: git counts the reverted changes as merged, so promoting again would not
// bring them back, and a plain back-merge would take them out of the source too.
import type { GateDefinition, GateContext, GateOutcome } from '../gateContext';
import { unknownBecause } from '../gateContext';
import type { GitMirror, MirrorCommit } from '../gitMirror';
import { findOpenReverts, promotionOfMerge, readReverts, type OpenRevert } from '../reverts';
import type { GateEvidence } from '../../../protocol/protocol';
import { counted, short } from './gateWords';

interface Heads {
  source: string;
  target: string;
}

function pinned(ctx: GateContext): Heads | undefined {
  const { sourceCommit, targetCommit } = ctx.record;
  return sourceCommit && targetCommit ? { source: sourceCommit, target: targetCommit } : undefined;
}

/**
 * The open reverts on the pinned target that this promotion could revert back (the engine folds a
 * revert of each into the promotion when the user picks 'revert-revert', and records them in
 * `reapplies`); oldest first, empty when the heads are not pinned. Outside a gate, call
 * findOpenReverts(mirror, source, target) from reverts.ts with the same heads.
 */
export async function revertsToReapply(ctx: GateContext): Promise<OpenRevert[]> {
  const heads = pinned(ctx);
  return heads ? findOpenReverts(ctx.mirror, heads.source, heads.target) : [];
}

async function evaluate(ctx: GateContext): Promise<GateOutcome> {
  const { from, to } = ctx.record;
  const heads = pinned(ctx);
  if (!heads)
    return unknownBecause(
      `compare ${to.branch} with ${from.branch}`,
      'the branch heads are not pinned',
    );
  try {
    return await judge(ctx, heads);
  } catch (error) {
    return unknownBecause(
      `compare ${to.branch} with ${from.branch}`,
      error instanceof Error ? error.message : String(error),
    );
  }
}

async function judge(ctx: GateContext, heads: Heads): Promise<GateOutcome> {
  const { from, to } = ctx.record;
  const extra = await ctx.mirror.commitsBetween(heads.source, heads.target);
  if (extra.length === 0)
    return { state: 'pass', detail: `${to.branch} has no commits ${from.branch} lacks` };
  const reading = await readReverts(ctx.mirror, heads.source, heads.target);
  if (reading.open.length > 0) return withReverts(ctx, extra, reading.involved, reading.open);
  // The last promotion's own merge is on the target only, until someone merges it back; it
  // changes nothing the source lacks, so it must not block the next promotion as a hotfix.
  if ((await ctx.mirror.filesChanged(heads.source, heads.target)).length === 0)
    return contentless(ctx, extra);
  return hotfix(ctx, extra);
}

function hotfix(ctx: GateContext, extra: MirrorCommit[]): GateOutcome {
  const { from, to } = ctx.record;
  return {
    state: 'fail',
    detail: `${to.branch} has ${counted(extra.length, 'commit')} ${from.branch} lacks (a hotfix?): back-merge ${to.branch} into ${from.branch} first`,
    evidence: extra.map((c) => commitLine(c, 'fail')),
    actions: ['back-merge'],
  };
}

function contentless(ctx: GateContext, extra: MirrorCommit[]): GateOutcome {
  const { from, to } = ctx.record;
  return {
    state: 'pass',
    detail: `${to.branch} has ${counted(extra.length, 'commit')} ${from.branch} lacks, with no change ${from.branch} lacks (a promotion's merge, not merged back yet)`,
    evidence: extra.map((c) => commitLine(c)),
  };
}

function commitLine(c: MirrorCommit, flag?: 'fail' | 'warn'): GateEvidence {
  return { label: short(c.sha), text: `${c.message} (${c.author})`, ...(flag && { flag }) };
}

/**
 * Reverts this promotion already reverts back (`reapplies`) pass; the others need a person.
 * Commits besides the reverts that are not Railyard's merges are hotfixes: they fail as before,
 * and the reverts' lines stay in the evidence.
 */
async function withReverts(
  ctx: GateContext,
  extra: MirrorCommit[],
  involved: Set<string>,
  open: OpenRevert[],
): Promise<GateOutcome> {
  const reapplied = new Set(ctx.record.reapplies.map((r) => r.revert));
  const held = open.filter((r) => !reapplied.has(r.revert));
  const hotfixes = await hotfixesBeside(ctx.mirror, extra, involved);
  if (hotfixes.length > 0) return hotfixAndReverts(ctx, hotfixes, held);
  if (held.length === 0) return reapplying(ctx, open);
  return {
    state: 'needs-you',
    detail: `${ctx.record.to.branch} reverted ${whatWasReverted(held)}: ${notBack(ctx, held)}`,
    evidence: [...held.map(revertLine), backMergeWarning(ctx)],
    actions: ['revert-revert', 'back-merge'],
  };
}

/** Target-only commits no revert explains and Railyard did not make, newest first. */
async function hotfixesBeside(
  mirror: GitMirror,
  extra: MirrorCommit[],
  involved: Set<string>,
): Promise<MirrorCommit[]> {
  const left: MirrorCommit[] = [];
  for (const c of extra.filter((e) => !involved.has(e.sha)))
    if (promotionOfMerge(await mirror.message(c.sha)) === undefined) left.push(c);
  return left;
}

function hotfixAndReverts(
  ctx: GateContext,
  hotfixes: MirrorCommit[],
  held: OpenRevert[],
): GateOutcome {
  const { from, to } = ctx.record;
  const n = counted(hotfixes.length, 'commit');
  const reverted = held.length > 0 ? `, and it reverted ${whatWasReverted(held)}` : '';
  return {
    state: 'fail',
    detail: `${to.branch} has ${n} ${from.branch} lacks (a hotfix?)${reverted}: back-merge ${to.branch} into ${from.branch} first`,
    evidence: [
      ...hotfixes.map((c) => commitLine(c, 'fail')),
      ...held.map(revertLine),
      ...(held.length > 0 ? [backMergeWarning(ctx)] : []),
    ],
    actions: held.length > 0 ? ['back-merge', 'revert-revert'] : ['back-merge'],
  };
}

function reapplying(ctx: GateContext, open: OpenRevert[]): GateOutcome {
  return {
    state: 'pass',
    detail: `This promotion reverts ${ctx.record.to.branch}'s ${counted(open.length, 'revert')} of ${whatWasReverted(open)}, so its changes come back`,
    evidence: open.map((r) => ({ label: short(r.revert), text: `${r.subject} (${r.author})` })),
  };
}

/** "promotion 1a2b3c4d (merge 9f8e7d6)", "commit 9f8e7d6", joined with "and". */
function whatWasReverted(reverts: OpenRevert[]): string {
  const names = reverts.map((r) =>
    r.promotion !== undefined
      ? `promotion ${r.promotion} (merge ${short(r.reverted)})`
      : `commit ${short(r.reverted)}`,
  );
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

function notBack(ctx: GateContext, held: OpenRevert[]): string {
  const which = held.length === 1 ? 'the revert is' : 'the reverts are';
  return `promoting ${ctx.record.from.branch} again brings none of its changes back until ${which} reverted`;
}

function revertLine(r: OpenRevert): GateEvidence {
  return { label: short(r.revert), text: `${r.subject} (${r.author})`, flag: 'warn' };
}

function backMergeWarning(ctx: GateContext): GateEvidence {
  const { from, to } = ctx.record;
  return {
    label: 'back-merge',
    text: `Merging ${to.branch} into ${from.branch} brings the revert along: the reverted changes leave ${from.branch} too`,
  };
}

export const divergenceGate: GateDefinition = {
  id: 'divergence',
  title: 'No divergence',
  evaluate,
};
