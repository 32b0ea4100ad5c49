// The simulator's volumes, their instances and backups; a backup is a workflow that runs until the state advances.
import type {
  SimVolume,
  SimVolumeBackup,
  SimVolumeInstance,
  SimWorkflow,
  SimWorkflowStatus,
} from './model';

export interface NewVolumeInstance {
  projectId: string;
  serviceId: string;
  environmentId: string;
  mountPath: string;
  name?: string;
  sizeMB?: number;
  currentSizeMB?: number;
}

/** Railway's default name for a backup made without one. */
export const defaultBackupName = 'Manual';
export const defaultBackupError = 'Backup failed: snapshot could not be taken';

export class VolumeStore {
  readonly volumes: SimVolume[] = [];
  readonly instances: SimVolumeInstance[] = [];
  private readonly backups: SimVolumeBackup[] = [];
  private readonly workflows = new Map<string, SimWorkflow>();
  private nextFailure: string | null = null;

  constructor(
    private readonly nextId: () => string,
    private readonly timestamp: () => string,
  ) {}

  /** A new volume mounted by one service in one environment. */
  add(input: NewVolumeInstance): SimVolumeInstance {
    const at = this.timestamp();
    const volume = {
      id: this.nextId(),
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

  /** A volume instance's backups, newest first. */
  backupsOf(volumeInstanceId: string): SimVolumeBackup[] {
    return this.backups
      .filter((b) => b.volumeInstanceId === volumeInstanceId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  /** Starts a backup workflow (Running until `advance()`); returns its id. */
  startBackup(volumeInstanceId: string, name: string | null, creatorId: string | null): string {
    const workflow: SimWorkflow = {
      id: `backup-${this.nextId()}`,
      volumeInstanceId,
      backupName: name ?? defaultBackupName,
      creatorId,
      status: 'Running',
      error: null,
      failWith: this.nextFailure,
    };
    this.nextFailure = null;
    this.workflows.set(workflow.id, workflow);
    return workflow.id;
  }

  /** Makes the next backup started end in Error with `message`. */
  failNextBackup(message = defaultBackupError): void {
    this.nextFailure = message;
  }

  workflow(id: string): SimWorkflow | undefined {
    return this.workflows.get(id);
  }

  status(id: string): { status: SimWorkflowStatus; error: string | null } {
    const w = this.workflows.get(id);
    return w ? { status: w.status, error: w.error } : { status: 'NotFound', error: null };
  }

  /** Finishes every running backup: a backup of the volume as it is now, or the error it was told to end with. */
  advance(): SimWorkflow[] {
    const running = [...this.workflows.values()].filter((w) => w.status === 'Running');
    for (const w of running) this.finish(w);
    return running;
  }

  private finish(w: SimWorkflow): void {
    const instance = this.instance(w.volumeInstanceId);
    if (w.failWith !== null || !instance) {
      w.status = 'Error';
      w.error = w.failWith ?? 'Volume instance not found';
      return;
    }
    const usedMB = Math.ceil(instance.currentSizeMB);
    this.backups.push({
      id: this.nextId(),
      externalId: `snapshot-${this.nextId()}`,
      volumeInstanceId: instance.id,
      name: w.backupName,
      createdAt: this.timestamp(),
      creatorId: w.creatorId,
      usedMB,
      referencedMB: usedMB,
      volumeInstanceSizeMB: instance.sizeMB,
    });
    w.status = 'Complete';
  }
}
