// How a step ends when it does not go on: failed with nothing changed upstream, or back to the
// gates because a branch moved. Shared by the merge-and-push steps and the pull-request step.
import type { PromotionRecord, StepId } from '../../protocol/protocol';
import type { AuditLog } from '../state/auditLog';
import { auditEntry } from './promotionAudit';
import { transition, withStep } from './promotionRecords';
import type { PromotionStore } from './promotionStore';

export interface OutcomeDeps {
  store: PromotionStore;
  audit: AuditLog;
  now(): Date;
  /** Re-runs the gates (after a rejected push or a moved source). */
  regate(id: string): Promise<void>;
}

/** The message of Railyard's merge commit; the last line is the trailer reverts are traced by. */
export function mergeMessage(record: PromotionRecord, count: number): string {
  const commits = `${count} commit${count === 1 ? '' : 's'}`;
  const subject =
    record.kind === 'back-merge'
      ? `Back-merge ${record.from.name} → ${record.to.name} (${commits})`
      : `Promote ${record.from.name} → ${record.to.name} (${commits})`;
  const lines = (record.changes?.commits ?? []).map((c) => `- ${c.sha.slice(0, 7)} ${c.message}`);
  return [subject, '', ...lines, '', `Promoted with Railyard (promotion ${record.id}).`].join('\n');
}

/** The step that failed, in a state before anything reached the target: nothing changed. */
export function failBeforePush(
  deps: OutcomeDeps,
  record: PromotionRecord,
  step: StepId,
  message: string,
): void {
  const done = deps.store.move(record.id, ['confirmed', 'merged'], (r) =>
    transition(
      withStep(r, step, { state: 'failed', detail: message }, deps.now()),
      'failed',
      deps.now(),
      `Nothing changed: ${r.to.name} still runs what it ran before. The ${step} failed: ${message}`,
    ),
  );
  if (done) deps.audit.record(auditEntry(done, 'failed'));
}

/**
 * A branch moved under the promotion (the target while pushing, the source under a pull request):
 * nothing changed; the record goes back to the gates, which pin the new heads.
 */
export async function backToGates(
  deps: OutcomeDeps,
  record: PromotionRecord,
  step: 'push' | 'pull-request',
  detail: string,
): Promise<boolean> {
  deps.store.move(record.id, ['merged', 'confirmed'], (r) => {
    const failed = withStep(r, step, { state: 'failed', detail }, deps.now());
    const { mergeCommit: _dropped, ...rest } = failed;
    const first = r.strategy === 'pull-request' ? 'pull-request' : 'merge';
    const back = withStep(
      { ...rest, rejectedPushes: r.rejectedPushes + (step === 'push' ? 1 : 0) },
      first,
      { state: 'pending' },
      deps.now(),
    );
    return transition(back, 'planned', deps.now(), `${detail}; checking the gates again…`);
  });
  await deps.regate(record.id);
  return false;
}
