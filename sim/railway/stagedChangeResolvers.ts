// Railway's staged changes in the simulator: read an environment's pending patch, commit it.
import { GraphQLError } from 'graphql';
import { environmentFor } from './resolvers';
import type { SimEnvironmentPatch } from './stagedChanges';
import type { RailwayState } from './state';
import { environmentView, type SimContext } from './views';

interface CommitArgs {
  commitMessage?: string | null;
  environmentId: string;
  skipDeploys?: boolean | null;
}

function environmentPatchView(ctx: SimContext, p: SimEnvironmentPatch) {
  return {
    id: p.id,
    environmentId: p.environmentId,
    status: p.status,
    message: p.message,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    appliedAt: p.appliedAt,
    appliedBy: null,
    lastAppliedError: null,
    // Only volumes are ever staged here, so there are no variables to decrypt.
    patch: () => p.patch,
    environment: () => environmentView(ctx, environmentFor(ctx, p.environmentId)),
  };
}

/** What a commit does to each service it touched: a new deployment of what runs now, as Railway redeploys. */
function redeploy(state: RailwayState, environmentId: string, serviceId: string): void {
  const [latest] = state.deploymentsOf(environmentId, serviceId);
  state.createDeployment({
    environmentId,
    serviceId,
    meta: { ...latest?.meta },
    creator: latest?.creator ?? null,
  });
}

export const stagedChangeQueryRoot = {
  /** The pending patch; Railway answers an empty STAGED placeholder when nothing is pending. */
  environmentStagedChanges: ({ environmentId }: { environmentId: string }, ctx: SimContext) =>
    environmentPatchView(
      ctx,
      ctx.state.stagedChanges.staged(environmentFor(ctx, environmentId).id),
    ),
};

export const stagedChangeMutationRoot = {
  /**
   * Applies the staged patch and redeploys the services it touched (unless skipDeploys); answers the
   * committed patch's id. With nothing staged it refuses: undocumented, chosen so a caller that
   * commits too early (before a restore's copy finished) finds out.
   */
  environmentPatchCommitStaged: (args: CommitArgs, ctx: SimContext) => {
    const env = environmentFor(ctx, args.environmentId);
    const committed = ctx.state.stagedChanges.commit(env.id, args.commitMessage ?? null);
    if (!committed) throw new GraphQLError('No staged changes to commit in this environment');
    if (args.skipDeploys !== true)
      for (const serviceId of committed.serviceIds) redeploy(ctx.state, env.id, serviceId);
    return committed.patch.id;
  },
};
