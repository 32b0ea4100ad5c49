// Gate 'backup': when the change ships migrations, a Railway backup of every volume of the target,
// taken and landed before anything is merged. No volume: a person backs the database up and
// acknowledges it. --check takes nothing. (An acknowledgement recorded on the promotion is the
// engine's to apply; this gate only evaluates.)
import { abortableDelay } from '../../railway/retryPolicy';
import type { EnvironmentVolumesResult, RailwayVolumeInstance } from '../../railway/types';
import type { GateEvidence } from '../../../protocol/protocol';
import {
  unknownBecause,
  type GateContext,
  type GateDefinition,
  type GateOutcome,
} from '../gateContext';
import { takeBackup, type BackupResult, type BackupWaits } from './backupWorkflow';

export const defaultBackupWaits: BackupWaits = {
  delay: abortableDelay,
  pollMs: 2_000,
  timeoutMs: 10 * 60_000,
};

export interface VolumeBackup {
  volume: RailwayVolumeInstance;
  /** The service the volume is mounted on, by name. */
  service?: string;
  result: BackupResult;
}

export const noMigrations = (): GateOutcome => ({
  state: 'pass',
  detail: 'No migrations in this change: no backup needed',
});

export const noVolume = (target: string): GateOutcome => ({
  state: 'needs-you',
  detail: `${target} has no Railway volume: back up its database yourself, then acknowledge with a reason`,
  actions: ['ack-backup'],
});

export function wouldBackUp(volumes: RailwayVolumeInstance[]): GateOutcome {
  const names = volumes.map((v) => v.volume.name);
  return {
    state: 'pass',
    detail: `Would back up ${names.join(', ')} before merging (nothing taken: check only)`,
    evidence: names.map((label) => ({ label, text: 'would be backed up' })),
  };
}

function backupLine({ volume, service, result }: VolumeBackup): GateEvidence {
  const label = volume.volume.name;
  const where = `${service ?? 'a service'} at ${volume.mountPath}`;
  switch (result.kind) {
    case 'done':
      return { label, text: `backup ${result.backup.id} at ${result.backup.createdAt} (${where})` };
    case 'failed':
      return { label, text: `backup failed: ${result.message}`, flag: 'fail' };
    case 'timeout':
      return { label, text: 'backup not finished in time', flag: 'fail' };
    case 'upstream':
      return { label, text: `could not follow the backup: ${result.message}`, flag: 'warn' };
  }
}

/** Pure: the gate's answer once every backup has landed, failed or could not be followed. */
export function judgeBackups(
  backups: VolumeBackup[],
  target: string,
  minutes: number,
): GateOutcome {
  const evidence = backups.map(backupLine);
  const failed = backups.filter((b) => b.result.kind === 'failed' || b.result.kind === 'timeout');
  if (failed.length) {
    const late = failed.some((b) => b.result.kind === 'timeout');
    return {
      state: 'fail',
      detail: `The backup of ${failed.map((b) => b.volume.volume.name).join(', ')} ${late ? `did not finish within ${minutes} minutes or ` : ''}failed: back ${target} up yourself and acknowledge, or retry`,
      evidence,
      actions: ['ack-backup', 'retry'],
    };
  }
  const lost = backups.find((b) => b.result.kind === 'upstream');
  if (lost?.result.kind === 'upstream')
    return { ...unknownBecause(`back up ${target}`, lost.result.message), evidence };
  return {
    state: 'pass',
    detail: `Backed up ${backups.map((b) => b.volume.volume.name).join(', ')} before merging`,
    evidence,
  };
}

async function targetVolumes(ctx: GateContext): Promise<RailwayVolumeInstance[] | GateOutcome> {
  const r = await ctx.railway.operation<EnvironmentVolumesResult>(
    'EnvironmentVolumes',
    { environmentId: ctx.target.id },
    { signal: ctx.signal },
  );
  if (!r.ok) return unknownBecause(`list ${ctx.target.name}'s volumes`, r.error.message);
  return r.value.environment.volumeInstances.edges.map((e) => e.node);
}

export function createBackupGate(waits: BackupWaits = defaultBackupWaits): GateDefinition {
  return {
    id: 'backup',
    title: 'Production backup',
    async evaluate(ctx) {
      if (ctx.changes.migrations.length === 0) return noMigrations();
      const volumes = await targetVolumes(ctx);
      if (!Array.isArray(volumes)) return volumes;
      if (volumes.length === 0) return noVolume(ctx.target.name);
      if (ctx.record.checkOnly) return wouldBackUp(volumes);
      const name = `railyard promotion ${ctx.record.id}`;
      const serviceName = (id: string | null) => ctx.target.services.find((s) => s.id === id)?.name;
      const backups = await Promise.all(
        volumes.map(async (volume) => ({
          volume,
          service: serviceName(volume.serviceId),
          result: await takeBackup(ctx, volume.id, name, waits),
        })),
      );
      return judgeBackups(backups, ctx.target.name, Math.round(waits.timeoutMs / 60_000));
    },
  };
}

export const backupGate = createBackupGate();
