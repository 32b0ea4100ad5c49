// Gate `merge`: the source merges into the target without conflicts (a dry run in the daemon's
// mirror), and GitHub will accept the push: a merge that changes workflow files needs a token
// with the `workflow` scope, which GitHub checks only when the push arrives.
import { workflowFiles } from '../changeSummary';
import type { GateContext, GateDefinition, GateOutcome } from '../gateContext';
import { unknownBecause } from '../gateContext';
import { branchProtection } from '../../github/pullRequests';

function conflicted(ctx: GateContext, conflicts: string[]): GateOutcome {
  const { from, to } = ctx.record;
  const n = conflicts.length === 1 ? '1 file' : `${conflicts.length} files`;
  return {
    state: 'fail',
    detail: `Merging ${from.branch} into ${to.branch} conflicts in ${n}: ${conflicts.join(', ')}. Merge ${to.branch} into ${from.branch} and resolve them there, then check again`,
    evidence: conflicts.map((path) => ({ label: 'conflict', text: path, flag: 'fail' as const })),
  };
}

/** The workflow files the change brings (from the summary's files), judged against the token's scopes. */
function workflowScope(ctx: GateContext, tree: string): GateOutcome {
  const files = workflowFiles(ctx.changes.files);
  const clean = `Merges cleanly (tree ${tree.slice(0, 7)})`;
  if (files.length === 0) return { state: 'pass', detail: clean };
  const evidence = files.map((path) => ({ label: 'workflow', text: path, flag: 'warn' as const }));
  const scopes = ctx.githubScopes;
  if (Array.isArray(scopes) && !scopes.includes('workflow')) {
    return {
      state: 'fail',
      detail: `GitHub would refuse the push: the merge changes ${files.join(', ')}, which needs a token with the workflow scope. Sign in again with \`railyard login github\` using such a token`,
      evidence: evidence.map((e) => ({ ...e, flag: 'fail' as const })),
    };
  }
  if (scopes === null) {
    return {
      state: 'warn',
      detail: `${clean}, but it changes ${files.join(', ')}: GitHub may refuse the push unless the fine-grained token has Workflows read and write`,
      evidence,
    };
  }
  if (scopes === undefined) {
    return {
      state: 'warn',
      detail: `${clean}, but it changes ${files.join(', ')}: the push needs a GitHub token with the workflow scope, and none is signed in`,
      evidence,
    };
  }
  return {
    state: 'pass',
    detail: `${clean}; the token has the workflow scope the workflow changes need`,
    evidence,
  };
}

async function evaluate(ctx: GateContext): Promise<GateOutcome> {
  const { sourceCommit, targetCommit } = ctx.record;
  const what = `dry-run the merge of ${ctx.record.from.branch} into ${ctx.record.to.branch}`;
  if (!sourceCommit || !targetCommit)
    return unknownBecause(what, 'the branch heads are not pinned');
  try {
    const merge = await ctx.mirror.dryMerge(targetCommit, sourceCommit);
    if (!merge.clean) return conflicted(ctx, merge.conflicts);
    // Through a pull request GitHub makes the merge itself: no push of ours for it to refuse.
    if (ctx.record.strategy === 'pull-request')
      return {
        state: 'pass',
        detail: `Merges cleanly (tree ${merge.tree.slice(0, 7)}); GitHub merges it through a pull request`,
      };
    return withProtection(ctx, workflowScope(ctx, merge.tree));
  } catch (error) {
    return unknownBecause(what, error instanceof Error ? error.message : String(error));
  }
}

/**
 * A branch GitHub protects usually refuses direct pushes (GH006): said before the start, with the
 * pull-request strategy as the way through. Only a warning: some protections allow pushes.
 */
async function withProtection(ctx: GateContext, outcome: GateOutcome): Promise<GateOutcome> {
  if (!ctx.github || outcome.state !== 'pass') return outcome;
  const found = await branchProtection(ctx.github, ctx.record.repo, ctx.record.to.branch);
  if (!found.ok || !found.value.protected) return outcome;
  const checks = found.value.requiredChecks;
  return {
    state: 'warn',
    detail: `${outcome.detail}, but GitHub protects ${ctx.record.to.branch}: a direct push is likely refused. Promote with --strategy pull-request, or set "strategy": "pull-request" for this pair in railyard.json`,
    evidence: [
      ...(outcome.evidence ?? []),
      {
        label: 'protected',
        text: `${ctx.record.to.branch}${checks.length ? ` (required checks: ${checks.join(', ')})` : ''}`,
        flag: 'warn',
      },
    ],
  };
}

export const mergeGate: GateDefinition = { id: 'merge', title: 'Merges cleanly', evaluate };
