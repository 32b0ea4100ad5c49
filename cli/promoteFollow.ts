// Follows promotions through `promotion.changed`: keeps the newest record of each, and resolves
// waits when a record reaches what the caller waits for. Listening starts before the first
// request, so a change sent before its answer is not lost.
import { RpcError } from '../protocol/jsonrpc';
import { ErrorCode, FINAL_STATES, type PromotionRecord } from '../protocol/protocol';
import type { RpcClient } from '../client/rpcClient';
import { reachedTarget } from './promoteExit';

/** What the promote commands use of a daemon connection; tests hand in a fake daemon. */
export type PromotionClient = Pick<RpcClient, 'request' | 'onNotification' | 'onClosed' | 'close'>;

interface Waiter {
  id: string;
  done: (r: PromotionRecord) => boolean;
  resolve: (r: PromotionRecord) => void;
  reject: (e: Error) => void;
}

export class PromotionFollower {
  private readonly records = new Map<string, PromotionRecord>();
  private readonly watchers = new Map<string, ((r: PromotionRecord) => void)[]>();
  private waiters: Waiter[] = [];
  private lost?: Error;

  constructor(client: PromotionClient) {
    client.onNotification('promotion.changed', (n) => this.offer(n.promotion));
    client.onClosed(() =>
      this.fail(
        new RpcError(
          ErrorCode.Network,
          'The connection to the Railyard daemon closed while following the promotion; the daemon carries on with it, and railyard promote status shows where it stands.',
        ),
      ),
    );
  }

  /** A record from an answer or a notification; an older one than already seen changes nothing. */
  offer(record: PromotionRecord): PromotionRecord {
    const known = this.records.get(record.id);
    if (known && known.updatedAt > record.updatedAt) return known;
    this.records.set(record.id, record);
    for (const watch of this.watchers.get(record.id) ?? []) watch(record);
    this.settle(record);
    return record;
  }

  latest(id: string): PromotionRecord | undefined {
    return this.records.get(id);
  }

  /** Calls `fn` with the newest record now (if any) and on every change after. */
  watch(id: string, fn: (r: PromotionRecord) => void): void {
    this.watchers.set(id, [...(this.watchers.get(id) ?? []), fn]);
    const now = this.records.get(id);
    if (now) fn(now);
  }

  /** The first record of `id` (the newest known included) for which `done` holds. */
  until(id: string, done: (r: PromotionRecord) => boolean): Promise<PromotionRecord> {
    const now = this.records.get(id);
    if (now && done(now)) return Promise.resolve(now);
    if (this.lost) return Promise.reject(this.lost);
    return new Promise((resolve, reject) => this.waiters.push({ id, done, resolve, reject }));
  }

  private settle(record: PromotionRecord): void {
    const ready = this.waiters.filter((w) => w.id === record.id && w.done(record));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(record);
  }

  private fail(error: Error): void {
    this.lost = error;
    for (const w of this.waiters) w.reject(error);
    this.waiters = [];
  }
}

// What the CLI waits for, as predicates over a record.

/** The gates have all answered (the plan is gated), or the promotion ended meanwhile. */
export function gatesSettled(r: PromotionRecord): boolean {
  if (FINAL_STATES.includes(r.state)) return true;
  return r.state === 'gated' && r.gates.every((g) => g.state !== 'pending');
}

/** Gates settled again after a sign-off: the QA gate was checked after the sign-off was recorded. */
export function recheckedAfterSignOff(r: PromotionRecord): boolean {
  if (!gatesSettled(r) || !r.signOff) return false;
  const qa = r.gates.find((g) => g.id === 'qa-signoff');
  return qa?.checkedAt === undefined || qa.checkedAt >= r.signOff.at;
}

/** Gates settled again after `since` (a refused push): a gate checked before it is stale. */
export function recheckedSince(r: PromotionRecord, since: string | undefined): boolean {
  if (!gatesSettled(r)) return false;
  if (since === undefined) return true;
  return r.gates.every(
    (g) => g.checkedAt === undefined || g.state === 'off' || g.checkedAt >= since,
  );
}

/**
 * Where following a started promotion ends: an end state, a push git refused (back to gated with
 * one more rejected push), or a failure, unless a rollback the daemon was asked for is to come.
 */
export function settledAfterStart(r: PromotionRecord, rejectedBefore: number): boolean {
  if (r.state === 'succeeded' || r.state === 'rolled-back' || r.state === 'cancelled') return true;
  if (r.state === 'planned' || r.state === 'gated') return r.rejectedPushes > rejectedBefore;
  if (r.state !== 'failed') return false;
  return !r.rollbackOnFailure || !rollbackToCome(r);
}

/** Failed after the push, asked to roll back on failure, and the rollback has not begun. */
function rollbackToCome(r: PromotionRecord): boolean {
  if (!reachedTarget(r)) return false;
  const rollback = r.steps.find((s) => s.id === 'rollback');
  if (rollback && rollback.state !== 'pending') return false;
  return !r.history.some((h) => h.state === 'rolling-back');
}

/** A rollback's end: rolled back, or the rollback step failed or was skipped. */
export function rollbackEnded(r: PromotionRecord): boolean {
  if (r.state === 'rolled-back') return true;
  if (r.state === 'rolling-back') return false;
  const step = r.steps.find((s) => s.id === 'rollback');
  return step?.state === 'failed' || step?.state === 'skipped' || step?.state === 'done';
}
