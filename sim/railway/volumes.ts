// The simulator's volumes, their instances and backups; a backup or a restore is a workflow that runs
// on the simulators' clock (timings.backupMs) and is polled with workflowStatus.
import type { SimClock } from '../clock';
import type { SimTimings } from '../timings';
import type { SimVolume, SimVolumeBackup, SimVolumeInstance, SimWorkflowStatus } from './model';
import { WorkflowStore } from './workflows';

export interface NewVolumeInstance {
  projectId: string;
  serviceId: string;
  environmentId: string;
  mountPath: string;
  name?: string;
  sizeMB?: number;
  currentSizeMB?: number;
  /** The new volume's id, when it was named before it exists (a staged restore). */
  volumeId?: string;
}

/** Railway's default name for a backup made without one. */
export const defaultBackupName = 'Manual';
export const defaultBackupError = 'Backup failed: snapshot could not be taken';

/**
 * Where a manual backup past Railway's size limit is refused: by the mutation itself (the default),
 * or by its workflow ending in Error. Railway documents the limit, not where it bites.
 */
export type SizeLimitRefusal = 'mutation' | 'workflow';

export class VolumeStore {
  readonly volumes: SimVolume[] = [];
  readonly instances: SimVolumeInstance[] = [];
  /** Volumes a committed restore unmounted: Railway keeps them, unattached, so they are not listed. */
  readonly detached: SimVolumeInstance[] = [];
  readonly workflows: WorkflowStore;
  sizeLimitRefusal: SizeLimitRefusal = 'mutation';
  private readonly backups: SimVolumeBackup[] = [];
  private nextFailure: string | null = null;

  constructor(
    private readonly nextId: () => string,
    private readonly timestamp: () => string,
    clock: SimClock,
    private readonly timings: SimTimings,
  ) {
    this.workflows = new WorkflowStore(clock, nextId);
  }

  /** A new volume mounted by one service in one environment. */
  add(input: NewVolumeInstance): SimVolumeInstance {
    const at = this.timestamp();
    const volume = {
      id: input.volumeId ?? this.nextId(),
      name: input.name ?? 'volume',
      projectId: input.projectId,
      createdAt: at,
    };
    this.volumes.push(volume);
    const instance: SimVolumeInstance = {
      id: this.nextId(),
      volumeId: volume.id,
      serviceId: input.serviceId,
      environmentId: input.environmentId,
      mountPath: input.mountPath,
      sizeMB: input.sizeMB ?? 5000,
      currentSizeMB: input.currentSizeMB ?? 187.4,
      state: 'READY',
      region: 'us-west2',
      createdAt: at,
    };
    this.instances.push(instance);
    return instance;
  }

  instance(id: string): SimVolumeInstance | undefined {
    return this.instances.find((i) => i.id === id);
  }

  volume(id: string): SimVolume | undefined {
    return this.volumes.find((v) => v.id === id);
  }

  backup(id: string): SimVolumeBackup | undefined {
    return this.backups.find((b) => b.id === id);
  }

  /** A volume instance's backups, newest first. */
  backupsOf(volumeInstanceId: string): SimVolumeBackup[] {
    return this.backups
      .filter((b) => b.volumeInstanceId === volumeInstanceId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  /** Railway's limit on manual backups (docs: volumes/backups.md): at most half the volume's size. */
  sizeLimitError(instance: SimVolumeInstance): string | null {
    const limit = instance.sizeMB / 2;
    if (instance.currentSizeMB <= limit) return null;
    const used = Math.ceil(instance.currentSizeMB);
    return (
      `Manual backups are limited to 50% of the volume's size: this volume holds ${used} MB ` +
      `of ${instance.sizeMB} MB (limit ${limit} MB). Grow the volume before backing it up.`
    );
  }

  /**
   * Starts a backup workflow that lands after `backupMs`; returns the id the mutation answers
   * (null under the nullWorkflowId quirk). Throws the size-limit refusal when the mutation refuses.
   */
  startBackup(
    volumeInstanceId: string,
    name: string | null,
    creatorId: string | null,
  ): string | null {
    const instance = this.instance(volumeInstanceId);
    const tooBig = instance ? this.sizeLimitError(instance) : null;
    if (tooBig !== null && this.sizeLimitRefusal === 'mutation') throw new Error(tooBig);
    const failWith = tooBig ?? this.nextFailure;
    this.nextFailure = null;
    const backupName = name ?? defaultBackupName;
    const { answered } = this.workflows.start('backup', this.timings.backupMs, {
      volumeInstanceId,
      label: `backup ${backupName} of volume instance ${volumeInstanceId}`,
      finish: () => failWith ?? this.takeBackup(volumeInstanceId, backupName, creatorId),
    });
    return answered;
  }

  /** Makes the next backup started end in Error with `message`. */
  failNextBackup(message = defaultBackupError): void {
    this.nextFailure = message;
  }

  status(id: string): { status: SimWorkflowStatus; error: string | null } {
    return this.workflows.status(id);
  }

  /** Finishes every running workflow at once (the path `RailwayState.advance()` still takes). */
  advance(): number {
    return this.workflows.finishAll();
  }

  /**
   * A committed restore: a new volume named after the backup's date stamp, holding the backup's data,
   * is mounted where the old one was; the old one is kept unmounted; newer backups are gone and the
   * rest now belong to the new volume (docs: volumes/backups.md).
   */
  swapInBackup(
    instance: SimVolumeInstance,
    backup: SimVolumeBackup,
    volumeId: string,
  ): SimVolumeInstance {
    const restored = this.add({
      volumeId,
      projectId: this.volume(instance.volumeId)?.projectId ?? '',
      serviceId: instance.serviceId,
      environmentId: instance.environmentId,
      mountPath: instance.mountPath,
      name: backup.createdAt,
      sizeMB: instance.sizeMB,
      currentSizeMB: backup.usedMB,
    });
    this.instances.splice(this.instances.indexOf(instance), 1);
    this.detached.push(instance);
    for (const b of this.backupsOf(instance.id)) {
      if (b.createdAt > backup.createdAt) this.backups.splice(this.backups.indexOf(b), 1);
      else b.volumeInstanceId = restored.id;
    }
    return restored;
  }

  /** Drops an environment's volumes and their backups (the environment was deleted). */
  removeEnvironment(environmentId: string): void {
    for (const instance of this.instances.filter((i) => i.environmentId === environmentId)) {
      this.instances.splice(this.instances.indexOf(instance), 1);
      for (const b of this.backupsOf(instance.id)) this.backups.splice(this.backups.indexOf(b), 1);
    }
  }

  /** A backup of the volume as it is now; null: no error. */
  private takeBackup(
    volumeInstanceId: string,
    name: string,
    creatorId: string | null,
  ): string | null {
    const instance = this.instance(volumeInstanceId);
    if (!instance) return 'Volume instance not found';
    const usedMB = Math.ceil(instance.currentSizeMB);
    this.backups.push({
      id: this.nextId(),
      externalId: `snapshot-${this.nextId()}`,
      volumeInstanceId: instance.id,
      name,
      createdAt: this.timestamp(),
      creatorId,
      usedMB,
      referencedMB: usedMB,
      volumeInstanceSizeMB: instance.sizeMB,
    });
    return null;
  }
}
