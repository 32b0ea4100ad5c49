// The plain sentences a finished promotion says: what the target runs now, service by service,
// and when a failed deploy may already have migrated the database.
import type { PromotionRecord, PromotionService } from '../../protocol/protocol';
import { short } from './promotionRecords';

export function succeededSummary(r: PromotionRecord): string {
  if (r.kind === 'revert')
    return `${r.to.name} runs ${short(r.mergeCommit)}, the revert of ${short(r.reverts?.commit)} (promotion ${r.reverts?.promotion}), and stayed healthy. Promoting the same commits again brings nothing back until the revert is reverted: the next promotion offers it. ${runsNow(r)}`;
  if (r.kind === 'back-merge')
    return `${r.to.name} has ${r.from.name}'s commits now (${short(r.mergeCommit)}) and stayed healthy. ${runsNow(r)}`;
  return `${r.to.name} runs ${short(r.mergeCommit)} (${r.from.name} ${short(r.sourceCommit)}) and stayed healthy. ${runsNow(r)}`;
}

export function failureSummary(r: PromotionRecord): string {
  const failed = r.services.filter((s) =>
    ['FAILED', 'CRASHED', 'REMOVED'].includes(s.status ?? ''),
  );
  const step = r.steps.find((s) => s.state === 'failed');
  const what = failed.length
    ? `${failed.map((s) => `${s.name} ${s.status}`).join(', ')}`
    : (step?.detail ?? 'the deploy did not complete');
  const undo =
    r.kind === 'promotion'
      ? `Roll back with: railyard promote rollback ${r.id} (Railway's previous deployments), or revert the merge in git: railyard promote revert ${r.id}`
      : `Roll back with: railyard promote rollback ${r.id}`;
  return `The ${r.kind === 'promotion' ? 'promotion' : r.kind} to ${r.to.name} failed: ${what}. ${runsNow(r)}${migrationWarning(r)} ${undo}`;
}

export function rolledBackSummary(r: PromotionRecord): string {
  const restored = r.services.filter((s) => s.rollbackDeploymentId);
  const names = restored.map((s) => `${s.name} ${short(s.previousCommit)}`).join(', ');
  return `Rolled back: ${r.to.name} runs what it ran before the promotion${names ? ` (${names})` : ''}. ${r.to.branch} still points at the merge ${short(r.mergeCommit)}: revert it (railyard promote revert ${r.id}) or push a fix before the next deploy.${migrationWarning(r)}`;
}

/** Per service: the commit it serves now, as far as the promotion knows. */
function runsNow(r: PromotionRecord): string {
  if (r.services.length === 0) return '';
  return `${r.to.name} now: ${r.services.map((s) => `${s.name} ${servesNow(s, r)}`).join(', ')}.`;
}

function servesNow(s: PromotionService, r: PromotionRecord): string {
  if (s.status === 'SUCCESS' || s.status === 'SLEEPING') return `${short(r.mergeCommit)} (new)`;
  return `${short(s.previousCommit)} (previous)`;
}

function migrationWarning(r: PromotionRecord): string {
  const migrations = r.changes?.migrations ?? [];
  const failedAfterBuild = r.services.some((s) => s.status === 'CRASHED' || s.status === 'FAILED');
  if (!migrations.length || !failedAfterBuild) return '';
  return ` This change ships migrations (${migrations.slice(0, 3).join(', ')}${migrations.length > 3 ? '…' : ''}): a pre-deploy command may already have applied them to ${r.to.name}'s database, and rolling back the code does not undo them.`;
}
