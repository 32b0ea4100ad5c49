// Gate `divergence`: the target branch must have no commits the source lacks (a hotfix made on
// production), or the promotion would merge history nobody tested on the source.
import type { GateDefinition, GateContext, GateOutcome } from '../gateContext';
import { unknownBecause } from '../gateContext';
import type { MirrorCommit } from '../gitMirror';

function pinned(ctx: GateContext): { source: string; target: string } | undefined {
  const { sourceCommit, targetCommit } = ctx.record;
  return sourceCommit && targetCommit ? { source: sourceCommit, target: targetCommit } : undefined;
}

async function evaluate(ctx: GateContext): Promise<GateOutcome> {
  const from = ctx.record.from.branch;
  const to = ctx.record.to.branch;
  const heads = pinned(ctx);
  if (!heads)
    return unknownBecause(`compare ${to} with ${from}`, 'the branch heads are not pinned');
  try {
    const extra = await ctx.mirror.commitsBetween(heads.source, heads.target);
    if (extra.length === 0) return { state: 'pass', detail: `${to} has no commits ${from} lacks` };
    const n = extra.length === 1 ? '1 commit' : `${extra.length} commits`;
    // The last promotion's own merge is on the target only, until someone merges it back; it
    // changes nothing the source lacks, so it must not block the next promotion as a hotfix.
    if ((await ctx.mirror.filesChanged(heads.source, heads.target)).length === 0)
      return contentless(ctx, n, extra);
    return {
      state: 'fail',
      detail: `${to} has ${n} ${from} lacks (a hotfix?): back-merge ${to} into ${from} first`,
      evidence: extra.map((c) => ({
        label: c.sha.slice(0, 7),
        text: `${c.message} (${c.author})`,
        flag: 'fail' as const,
      })),
      actions: ['back-merge'],
    };
  } catch (error) {
    return unknownBecause(
      `compare ${to} with ${from}`,
      error instanceof Error ? error.message : String(error),
    );
  }
}

function contentless(ctx: GateContext, n: string, extra: MirrorCommit[]): GateOutcome {
  const { from, to } = ctx.record;
  return {
    state: 'pass',
    detail: `${to.branch} has ${n} ${from.branch} lacks, with no change ${from.branch} lacks (a promotion's merge, not merged back yet)`,
    evidence: extra.map((c) => ({ label: c.sha.slice(0, 7), text: `${c.message} (${c.author})` })),
  };
}

export const divergenceGate: GateDefinition = {
  id: 'divergence',
  title: 'No divergence',
  evaluate,
};
