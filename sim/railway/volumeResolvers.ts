// Railway's volume API in the simulator: volume instances, their backups, restores, and the workflows both run as.
import { canSeeEnvironment, notFound, requireViewer } from './access';
import type { SimVolumeInstance } from './model';
import { environmentFor } from './resolvers';
import { startRestore } from './volumeRestore';
import { volumeBackupView, volumeInstanceView, type SimContext } from './views';

interface RestoreArgs {
  volumeInstanceBackupId: string;
  volumeInstanceId: string;
  replicaServiceIds?: string[] | null;
  wipeServiceIds?: string[] | null;
}

/** The volume instance, if the viewer may see its environment (else Not Authorized, as for environments). */
function volumeInstanceFor(ctx: SimContext, id: string): SimVolumeInstance {
  requireViewer(ctx.viewer);
  const instance = ctx.state.volumes.instance(id);
  if (!instance) throw notFound('VolumeInstance');
  environmentFor(ctx, instance.environmentId);
  return instance;
}

/** A workflow the viewer may not see answers NotFound, like one that never existed. */
function workflowVisible(ctx: SimContext, workflowId: string): boolean {
  const viewer = requireViewer(ctx.viewer);
  const instanceId = ctx.state.volumes.workflows.volumeInstanceOf(workflowId);
  const instance =
    instanceId === undefined
      ? undefined
      : (ctx.state.volumes.instance(instanceId) ??
        ctx.state.volumes.detached.find((i) => i.id === instanceId));
  const env = instance && ctx.state.environments.find((e) => e.id === instance.environmentId);
  return env !== undefined && canSeeEnvironment(viewer, ctx.state, env);
}

export const volumeQueryRoot = {
  volumeInstance: ({ id }: { id: string }, ctx: SimContext) =>
    volumeInstanceView(ctx, volumeInstanceFor(ctx, id)),
  /** Newest first. */
  volumeInstanceBackupList: ({ volumeInstanceId }: { volumeInstanceId: string }, ctx: SimContext) =>
    ctx.state.volumes.backupsOf(volumeInstanceFor(ctx, volumeInstanceId).id).map(volumeBackupView),
  workflowStatus: ({ workflowId }: { workflowId: string }, ctx: SimContext) =>
    workflowVisible(ctx, workflowId)
      ? ctx.state.volumes.status(workflowId)
      : { status: 'NotFound', error: null },
};

export const volumeMutationRoot = {
  /**
   * Starts the backup and answers its workflow at once; `workflowStatus` says when it is done.
   * A volume fuller than Railway's manual-backup limit is refused here (or, with
   * `sizeLimitRefusal = 'workflow'`, by the workflow ending in Error).
   */
  volumeInstanceBackupCreate: (
    args: { name?: string | null; volumeInstanceId: string },
    ctx: SimContext,
  ) => {
    const instance = volumeInstanceFor(ctx, args.volumeInstanceId);
    const creatorId = ctx.viewer?.kind === 'account' ? ctx.viewer.user.id : null;
    return {
      workflowId: ctx.state.volumes.startBackup(instance.id, args.name ?? null, creatorId),
    };
  },
  /** Copies the backup into a new volume, then only stages the swap: see volumeRestore.ts. */
  volumeInstanceBackupRestore: (args: RestoreArgs, ctx: SimContext) => {
    const instance = volumeInstanceFor(ctx, args.volumeInstanceId);
    const backup = ctx.state.volumes.backup(args.volumeInstanceBackupId);
    if (!backup || backup.volumeInstanceId !== instance.id) throw notFound('VolumeInstanceBackup');
    return { workflowId: startRestore(ctx.state, instance, backup) };
  },
};
