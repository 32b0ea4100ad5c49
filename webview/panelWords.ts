// The checklist panel's words: how a gate, a step or a promotion state reads (an icon and a word,
// never colour alone), ages, elapsed times and clock times. Pure: the clock and time zone come in.
import type {
  GateState,
  PromotionState,
  StepId,
  StepState,
  TeamPromotion,
} from '../protocol/promotion';

// One wording for every client: the CLI's history and the Promotions view say the same.
export { ago, plural } from '../protocol/promotionWords';

/** How a state looks: a codicon, the word beside it, and a tone the stylesheet colours. */
export interface Look {
  icon: string;
  word: string;
  tone: Tone;
  /** The icon turns (a gate still checking, a step running). */
  spin?: boolean;
}
export type Tone = 'ok' | 'bad' | 'warn' | 'busy' | 'muted' | 'ask';

export const GATE_LOOK: Readonly<Record<GateState, Look>> = {
  pending: { icon: 'loading', word: 'checking', tone: 'busy', spin: true },
  pass: { icon: 'pass', word: 'passed', tone: 'ok' },
  fail: { icon: 'error', word: 'failed', tone: 'bad' },
  warn: { icon: 'warning', word: 'warning', tone: 'warn' },
  'needs-you': { icon: 'person', word: 'needs you', tone: 'ask' },
  unknown: { icon: 'question', word: 'unknown', tone: 'warn' },
  off: { icon: 'circle-slash', word: 'off', tone: 'muted' },
};

export const STEP_LOOK: Readonly<Record<StepState, Look>> = {
  pending: { icon: 'circle-large-outline', word: 'waiting', tone: 'muted' },
  running: { icon: 'loading', word: 'running', tone: 'busy', spin: true },
  'needs-you': { icon: 'person', word: 'needs you', tone: 'ask' },
  done: { icon: 'pass', word: 'done', tone: 'ok' },
  failed: { icon: 'error', word: 'failed', tone: 'bad' },
  skipped: { icon: 'circle-slash', word: 'skipped', tone: 'muted' },
};

export const STEP_TITLES: Readonly<Record<StepId, string>> = {
  backup: 'Back up',
  'pull-request': 'Pull request',
  merge: 'Merge',
  revert: 'Revert commit',
  push: 'Push',
  deploy: 'Build and deploy',
  verify: 'Verify health',
  tag: 'Release tag',
  rollback: 'Roll back',
};

export const STATE_LOOK: Readonly<Record<PromotionState, Look>> = {
  planned: { icon: 'loading', word: 'checking gates', tone: 'busy', spin: true },
  gated: { icon: 'checklist', word: 'gated', tone: 'ask' },
  confirmed: { icon: 'loading', word: 'confirmed', tone: 'busy', spin: true },
  merged: { icon: 'git-merge', word: 'merged', tone: 'busy' },
  pushed: { icon: 'loading', word: 'pushed', tone: 'busy', spin: true },
  deploying: { icon: 'loading', word: 'deploying', tone: 'busy', spin: true },
  succeeded: { icon: 'pass', word: 'succeeded', tone: 'ok' },
  failed: { icon: 'error', word: 'failed', tone: 'bad' },
  'rolling-back': { icon: 'loading', word: 'rolling back', tone: 'busy', spin: true },
  'rolled-back': { icon: 'history', word: 'rolled back', tone: 'warn' },
  cancelled: { icon: 'circle-slash', word: 'cancelled', tone: 'muted' },
};

export const TEAM_STATE_LOOK: Readonly<Record<TeamPromotion['state'], Look>> = {
  'in-progress': { icon: 'loading', word: 'in progress', tone: 'busy', spin: true },
  stale: { icon: 'warning', word: 'stale (its daemon stopped reporting)', tone: 'warn' },
  succeeded: { icon: 'pass', word: 'succeeded', tone: 'ok' },
  failed: { icon: 'error', word: 'failed', tone: 'bad' },
  inactive: { icon: 'circle-slash', word: 'inactive', tone: 'muted' },
};

export function shortSha(sha: string | undefined): string | undefined {
  return sha?.slice(0, 7);
}

/** "45 s", "3 min 05 s", "1 h 02 min": a step's time, ticking by the second while it runs. */
export function elapsedText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}

/** How long a step took, or has been running; empty when it has not started. */
export function stepElapsed(
  step: { state: StepState; startedAt?: string; endedAt?: string },
  now: number,
): string {
  const start = step.startedAt ? Date.parse(step.startedAt) : NaN;
  if (!Number.isFinite(start)) return '';
  if (step.state === 'running' || step.state === 'needs-you') return elapsedText(now - start);
  const end = step.endedAt ? Date.parse(step.endedAt) : NaN;
  return Number.isFinite(end) ? elapsedText(end - start) : '';
}

/**
 * "Fri 27 Nov 16:02", in the viewer's own time zone (or the one given, for tests); " UTC" is added
 * when that zone is UTC, so a time never reads as local when it is not.
 */
export function clockTime(iso: string | undefined, timeZone?: string): string {
  const date = iso ? new Date(iso) : undefined;
  if (!date || Number.isNaN(date.getTime())) return iso ?? '';
  const parts = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone && { timeZone }),
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  const text = `${part('weekday')} ${part('day')} ${part('month')} ${part('hour')}:${part('minute')}`;
  return timeZone === 'UTC' ? `${text} UTC` : text;
}

/** "16:02:11", a log line's time of day. */
export function timeOfDay(iso: string | undefined, timeZone?: string): string {
  const date = iso ? new Date(iso) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    ...(timeZone && { timeZone }),
  }).format(date);
}

/** A commit message's first line: what a list of commits shows. */
export function subjectOf(message: string): string {
  return message.split('\n', 1)[0]?.trim() ?? '';
}
