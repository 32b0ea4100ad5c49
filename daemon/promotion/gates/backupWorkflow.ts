// Takes one Railway volume backup and waits for it to land, tolerating what Railway is seen to do
// (FACTS.md, railwayapp/cli's workflow polling): a null workflowId, a workflow that says NotFound
// right after creation, a Complete workflow whose backup the list shows a moment later. The backup
// list is the proof: a backup with our name that was not there before we asked.
import type {
  RailwayVolumeBackup,
  VolumeBackupCreateResult,
  VolumeBackupListResult,
  WorkflowStatusResult,
} from '../../railway/types';
import type { UpstreamError } from '../../upstreamError';
import type { GateContext } from '../gateContext';

export interface BackupWaits {
  /** Waits between polls; tests pass one that moves the simulators' clock instead. */
  delay(ms: number, signal?: AbortSignal): Promise<void>;
  pollMs: number;
  /** Past this (on ctx.now()) a backup still not listed is given up on. */
  timeoutMs: number;
}

export type BackupResult =
  | { kind: 'done'; backup: RailwayVolumeBackup }
  /** Railway refused it or its workflow ended in Error: taking it again may fail alike. */
  | { kind: 'failed'; message: string }
  | { kind: 'timeout' }
  /** Railway could not be asked (5xx, 429 after retries, network): try again later. */
  | { kind: 'upstream'; message: string };

type Poll = BackupResult | { kind: 'running' };

async function listBackups(
  ctx: GateContext,
  volumeInstanceId: string,
): Promise<RailwayVolumeBackup[] | UpstreamError> {
  const r = await ctx.railway.operation<VolumeBackupListResult>(
    'VolumeBackupList',
    { volumeInstanceId },
    { signal: ctx.signal },
  );
  return r.ok ? r.value.volumeInstanceBackupList : r.error;
}

/** A GraphQL error in a 200 answer is Railway saying no (e.g. the volume is too full to back up). */
function refused(error: UpstreamError): boolean {
  return error.status === 200 && (error.kind === 'server' || error.kind === 'invalid');
}

/** Starts a backup of one volume instance and waits until it is listed, fails or times out. */
export async function takeBackup(
  ctx: GateContext,
  volumeInstanceId: string,
  name: string,
  waits: BackupWaits,
): Promise<BackupResult> {
  const before = await listBackups(ctx, volumeInstanceId);
  if (!Array.isArray(before)) return { kind: 'upstream', message: before.message };
  // This promotion's own backup, from a retry or a run cut short by a daemon restart: one is enough.
  const earlier = before.find((b) => b.name === name);
  if (earlier) return { kind: 'done', backup: earlier };
  const created = await ctx.railway.operation<VolumeBackupCreateResult>(
    'VolumeBackupCreate',
    { volumeInstanceId, name },
    { signal: ctx.signal },
  );
  if (!created.ok)
    return refused(created.error)
      ? { kind: 'failed', message: created.error.message }
      : { kind: 'upstream', message: created.error.message };
  const seen = new Set(before.map((b) => b.id));
  const { workflowId } = created.value.volumeInstanceBackupCreate;
  return awaitBackup(ctx, { volumeInstanceId, name, workflowId, seen }, waits);
}

interface Pending {
  volumeInstanceId: string;
  name: string;
  workflowId: string | null;
  /** Backup ids listed before this one was asked for. */
  seen: Set<string>;
}

async function awaitBackup(
  ctx: GateContext,
  pending: Pending,
  waits: BackupWaits,
): Promise<BackupResult> {
  const started = ctx.now().getTime();
  for (;;) {
    const poll = await pollOnce(ctx, pending);
    if (poll.kind !== 'running') return poll;
    if (ctx.now().getTime() - started >= waits.timeoutMs) return { kind: 'timeout' };
    await waits.delay(waits.pollMs, ctx.signal);
    if (ctx.signal?.aborted)
      return { kind: 'upstream', message: 'cancelled while waiting for the backup' };
  }
}

async function pollOnce(ctx: GateContext, pending: Pending): Promise<Poll> {
  if (pending.workflowId !== null) {
    const r = await ctx.railway.operation<WorkflowStatusResult>(
      'WorkflowStatus',
      { workflowId: pending.workflowId },
      { signal: ctx.signal },
    );
    if (!r.ok) return { kind: 'upstream', message: r.error.message };
    const { status, error } = r.value.workflowStatus;
    if (status === 'Error')
      return { kind: 'failed', message: error ?? 'the backup workflow ended in Error' };
    if (status === 'Running') return { kind: 'running' };
    // Complete, or NotFound (just created, or already forgotten): the list says whether it landed.
  }
  const list = await listBackups(ctx, pending.volumeInstanceId);
  if (!Array.isArray(list)) return { kind: 'upstream', message: list.message };
  const made = list.find((b) => b.name === pending.name && !pending.seen.has(b.id));
  return made ? { kind: 'done', backup: made } : { kind: 'running' };
}
