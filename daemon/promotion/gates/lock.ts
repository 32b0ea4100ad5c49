// The lock gate: one promotion at a time into a target. This daemon's own promotions are seen
// through ctx.lockHolder(); a teammate's, running on their machine, only through GitHub, which is
// what the `elsewhere` hook is for.
import type { PromotionRecord } from '../../../protocol/protocol';
import type { Outcome } from '../../upstreamError';
import {
  unknownBecause,
  type GateContext,
  type GateDefinition,
  type GateOutcome,
} from '../gateContext';
import { formatUtc } from './zonedTime';

/** A promotion into the target found outside this daemon (a teammate's in-progress GitHub Deployment). */
export interface ForeignLock {
  by: string;
  /** ISO 8601 */
  since: string;
  /** What it is, e.g. "GitHub Deployment 42 to kars-prod (in_progress)". */
  what: string;
  url?: string;
  /** Its daemon stopped reporting past the lock's timeout: it can be taken over. */
  stale?: boolean;
}

/**
 * Issue 12's seam: the GitHub Deployments check ("is there an in-progress deployment to the target
 * environment?") plugs in here, so that a teammate's promotion holds the target on every machine.
 */
export type ForeignLockCheck = (ctx: GateContext) => Promise<Outcome<ForeignLock | undefined>>;

export function lockGateWith(elsewhere?: ForeignLockCheck): GateDefinition {
  return {
    id: 'lock',
    title: 'No other promotion in flight',
    evaluate: async (ctx) => {
      const here = evaluateLock(ctx.lockHolder(), ctx.record.to.name);
      if (here.state !== 'pass' || !elsewhere) return here;
      const found = await elsewhere(ctx);
      if (!found.ok)
        return unknownBecause(
          `check for a teammate's promotion into ${ctx.record.to.name}`,
          found.error.message,
        );
      return found.value ? foreign(found.value, ctx.record.to.name) : here;
    },
  };
}

/** Free, or held by `holder`: which promotion, whose, in what state, since when. */
export function evaluateLock(holder: PromotionRecord | undefined, target: string): GateOutcome {
  if (!holder) return { state: 'pass', detail: `No other promotion into ${target} is in flight` };
  const who = holder.confirmedBy ?? holder.createdBy;
  const since = lockedSince(holder);
  return {
    state: 'fail',
    detail: `${target} is held by promotion ${holder.id} (${who}, ${holder.state}, since ${formatUtc(new Date(since))})`,
    evidence: [
      {
        label: 'promotion',
        text: `${holder.id}: ${holder.from.name} → ${holder.to.name}`,
        flag: 'fail',
      },
      { label: 'state', text: `${holder.state}: ${holder.summary}` },
      { label: 'by', text: who },
      { label: 'since', text: since },
    ],
    actions: ['retry'],
  };
}

/** A promotion holds its target from its confirmation on (the latest one, if it was confirmed again). */
function lockedSince(holder: PromotionRecord): string {
  const confirmed = holder.history.filter((h) => h.state === 'confirmed').at(-1);
  return confirmed?.at ?? holder.updatedAt;
}

function foreign(lock: ForeignLock, target: string): GateOutcome {
  const evidence = {
    label: 'held by',
    text: lock.what,
    flag: 'fail' as const,
    ...(lock.url ? { url: lock.url } : {}),
  };
  const since = formatUtc(new Date(lock.since));
  if (lock.stale)
    return {
      state: 'fail',
      detail: `${target} is held by ${lock.by}'s promotion, silent since ${since}: their daemon may be gone; it can be taken over`,
      evidence: [evidence],
      actions: ['take-over', 'retry'],
    };
  return {
    state: 'fail',
    detail: `${target} is held by ${lock.by}'s promotion, since ${since}`,
    evidence: [evidence],
    actions: ['retry'],
  };
}
