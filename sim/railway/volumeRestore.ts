// Restoring a volume backup as Railway does it: a workflow copies the backup into a fresh volume,
// then only STAGES the swap; nothing changes for the service until the staged patch is committed,
// and the commit redeploys it (docs: volumes/backups.md; railwayapp/cli commands/postgres/pitr.rs).
import type { SimVolumeBackup, SimVolumeInstance } from './model';
import type { RailwayState } from './state';

/**
 * Starts the copy; returns the id the mutation answers (null under the nullWorkflowId quirk). The
 * copy takes `backupMs`, as long as taking the backup: both move the same data.
 */
export function startRestore(
  state: RailwayState,
  instance: SimVolumeInstance,
  backup: SimVolumeBackup,
): string | null {
  const { answered } = state.volumes.workflows.start('restore', state.timings.backupMs, {
    volumeInstanceId: instance.id,
    label: `restore of backup ${backup.name} into volume instance ${instance.id}`,
    finish: () => stageSwap(state, instance, backup),
  });
  return answered;
}

/** The copy is done: stage the new volume at the old mount path; null means no error. */
function stageSwap(
  state: RailwayState,
  instance: SimVolumeInstance,
  backup: SimVolumeBackup,
): string | null {
  if (!state.volumes.instance(instance.id)) return 'Volume instance not found';
  const volumeId = state.nextId();
  state.stagedChanges.stage(instance.environmentId, {
    patch: {
      volumes: {
        [volumeId]: { isCreated: true, sizeMB: instance.sizeMB, region: instance.region },
      },
      services: {
        [instance.serviceId]: { volumeMounts: { [volumeId]: { mountPath: instance.mountPath } } },
      },
    },
    serviceIds: [instance.serviceId],
    apply: () => {
      // A volume deleted meanwhile (its environment went) leaves nothing to swap.
      if (state.volumes.instance(instance.id))
        state.volumes.swapInBackup(instance, backup, volumeId);
    },
  });
  return null;
}
