// `railyard promote`'s exit codes, in one table, and how a record or an error maps to one: pure,
// so the contract scripts depend on is tested without a daemon.
import { EXIT_CODES, guidanceFor } from '../client/errorGuidance';
import { RpcError } from '../protocol/jsonrpc';
import { CliError } from './output';
import {
  ErrorCode,
  type GateResult,
  type PromotionRecord,
  type StepId,
} from '../protocol/protocol';

/**
 * The contract, one row per code: the code and what it means, as --help prints it. 4–7 mean
 * something else here than in the rest of `railyard` (credentials, no project, not found,
 * refused): those errors end promote with 1 instead, their sentence saying which. 1, 2 and 8
 * keep their meaning.
 */
export const PROMOTE_EXITS = {
  succeeded: {
    code: 0,
    meaning: 'promoted or reverted (--check: it could go; status, history, cancel, rollback: done)',
  },
  failure: {
    code: 1,
    meaning: 'failed otherwise: the daemon, signed out, no project, no such promotion, declined',
  },
  usage: {
    code: 2,
    meaning:
      "bad command line, no terminal to ask in, or the protected target's name missing or wrong",
  },
  gateFailed: {
    code: 3,
    meaning: 'a required gate does not pass, or the target is locked: nothing changed',
  },
  mergeConflict: {
    code: 4,
    meaning: 'the merge (or the revert) conflicts (the paths are listed): nothing changed',
  },
  pushRejected: {
    code: 5,
    meaning: 'git refused the push, the target having moved: nothing changed',
  },
  deployFailed: {
    code: 6,
    meaning:
      'the deploy or its health check failed in the target, not rolled back (rollback: it failed)',
  },
  rolledBack: { code: 7, meaning: 'the deploy failed and the target was rolled back' },
  unavailable: {
    code: EXIT_CODES.unavailable,
    meaning: 'Railway, GitHub or the daemon could not answer',
  },
} as const;

type ExitName = keyof typeof PROMOTE_EXITS;
export const PROMOTE_EXIT = Object.fromEntries(
  Object.entries(PROMOTE_EXITS).map(([name, row]) => [name, row.code]),
) as { readonly [K in ExitName]: (typeof PROMOTE_EXITS)[K]['code'] };

/** The exit codes as --help lists them. */
export function exitCodeHelp(): string {
  return Object.values(PROMOTE_EXITS)
    .map((row) => `  ${row.code}  ${row.meaning}`)
    .join('\n');
}

/** The flags that stand in for a person acting on a gate, as the daemon takes them at start. */
export interface GateFlags {
  signOff?: boolean;
  overrideWindow?: string;
  ackBackup?: string;
  reapplyReverts?: boolean;
}

/** Whether a gate lets the promotion go, counting what the flags given would do about it. */
export function gateBlocks(gate: GateResult, flags: GateFlags = {}): boolean {
  if (gate.level !== 'required' || gate.override) return false;
  // warn informs (risky files, drift); unknown is never a pass; needs-you waits for a person.
  if (gate.state === 'pass' || gate.state === 'warn' || gate.state === 'off') return false;
  if (gate.state === 'pending') return true;
  return !resolvedByFlags(gate, flags);
}

function resolvedByFlags(gate: GateResult, flags: GateFlags): boolean {
  if (gate.state === 'unknown') return false;
  return (
    (gate.actions.includes('sign-off') && flags.signOff === true) ||
    (gate.actions.includes('override-window') && flags.overrideWindow !== undefined) ||
    (gate.actions.includes('ack-backup') && flags.ackBackup !== undefined) ||
    // As the daemon folds them in at start: only a divergence that waits on this choice.
    (gate.actions.includes('revert-revert') &&
      gate.state === 'needs-you' &&
      flags.reapplyReverts === true)
  );
}

export function blockingGates(record: PromotionRecord, flags: GateFlags = {}): GateResult[] {
  return record.gates.filter((g) => gateBlocks(g, flags));
}

/** The merge gate found conflicts: the paths are its evidence. */
export function mergeGateConflicts(record: PromotionRecord): boolean {
  return record.gates.some((g) => g.id === 'merge' && g.state === 'fail');
}

export function stepFailed(record: PromotionRecord, id: StepId): boolean {
  return record.steps.some((s) => s.id === id && s.state === 'failed');
}

/** A push git refused brings the record back to gated with the push step failed. */
export function pushRejected(record: PromotionRecord): boolean {
  return record.state === 'gated' && record.rejectedPushes > 0 && stepFailed(record, 'push');
}

/**
 * The exit code a record stands for where the CLI stops following it. Before the start (planned,
 * gated) that is whether it could go with the flags given; in flight, it is not an outcome yet.
 */
export function exitCodeOf(record: PromotionRecord, flags: GateFlags = {}): number {
  switch (record.state) {
    case 'succeeded':
      return PROMOTE_EXIT.succeeded;
    case 'rolled-back':
      return PROMOTE_EXIT.rolledBack;
    case 'failed':
    case 'rolling-back':
      return failedExit(record);
    case 'planned':
    case 'gated':
      return beforeStartExit(record, flags);
    case 'cancelled':
    case 'confirmed':
    case 'merged':
    case 'pushed':
    case 'deploying':
      return PROMOTE_EXIT.failure;
  }
}

function failedExit(record: PromotionRecord): number {
  // A revert conflicting with what came after the merge is the same news as a merge conflict.
  if (stepFailed(record, 'merge') || stepFailed(record, 'revert'))
    return PROMOTE_EXIT.mergeConflict;
  if (stepFailed(record, 'push')) return PROMOTE_EXIT.pushRejected;
  // Failed before anything ran (the plan itself): nothing reached the target.
  return reachedTarget(record) ? PROMOTE_EXIT.deployFailed : PROMOTE_EXIT.failure;
}

/** The push happened: the deploy step (or a later one) ran. */
export function reachedTarget(record: PromotionRecord): boolean {
  return record.steps.some(
    (s) =>
      (s.id === 'deploy' || s.id === 'verify' || s.id === 'rollback') &&
      s.state !== 'pending' &&
      s.state !== 'skipped',
  );
}

function beforeStartExit(record: PromotionRecord, flags: GateFlags): number {
  if (mergeGateConflicts(record)) return PROMOTE_EXIT.mergeConflict;
  if (pushRejected(record)) return PROMOTE_EXIT.pushRejected;
  if (blockingGates(record, flags).length > 0) return PROMOTE_EXIT.gateFailed;
  return PROMOTE_EXIT.succeeded;
}

/**
 * An error's exit code under promote: Conflict is a gate failure while promoting (a gate, the
 * lock) and a plain failure for the subcommands (too late to cancel), except that a target a
 * teammate holds is always 3 (a revert meets it too); a refused typed confirmation is usage;
 * 1, 2 and 8 keep their meaning; codes that clash with 3–7 become 1.
 */
export function errorExitCode(error: unknown, conflict: number = PROMOTE_EXIT.gateFailed): number {
  if (!(error instanceof RpcError))
    return error instanceof CliError ? error.exitCode : PROMOTE_EXIT.failure;
  if (error.code === ErrorCode.Conflict)
    return teamLockOf(error) ? PROMOTE_EXIT.gateFailed : conflict;
  if (error.code === ErrorCode.Forbidden)
    return untrusted(error) ? PROMOTE_EXIT.failure : PROMOTE_EXIT.usage;
  const code = EXIT_CODES[guidanceFor(error.code).kind];
  const kept: number[] = [PROMOTE_EXIT.failure, PROMOTE_EXIT.usage, PROMOTE_EXIT.unavailable];
  return kept.includes(code) ? code : PROMOTE_EXIT.failure;
}

function untrusted(error: RpcError): boolean {
  const data = error.data as { untrusted?: unknown } | undefined;
  return typeof data === 'object' && data !== null && data.untrusted === true;
}

/** What a start refused because a teammate holds the target says about the holder. */
export interface TeamLockRefusal {
  by: string;
  promotion: string;
  since: string;
  stale: boolean;
  machine?: string;
}

/** The holder a Conflict names in its data (`{ lock, gates: ['lock'] }`), if it is that refusal. */
export function teamLockOf(error: unknown): TeamLockRefusal | undefined {
  if (!(error instanceof RpcError) || error.code !== ErrorCode.Conflict) return undefined;
  const lock = (error.data as { lock?: Partial<TeamLockRefusal> } | undefined)?.lock;
  if (typeof lock?.by !== 'string' || typeof lock.promotion !== 'string') return undefined;
  return {
    by: lock.by,
    promotion: lock.promotion,
    since: typeof lock.since === 'string' ? lock.since : '',
    stale: lock.stale === true,
    ...(typeof lock.machine === 'string' && { machine: lock.machine }),
  };
}
