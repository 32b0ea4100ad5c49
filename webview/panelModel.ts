// The checklist panel's view model before the start: what the header says, how each gate reads
// and which control it offers, whether Promote is enabled (or the sentence saying what is missing),
// and the `start` message the typed inputs make. Pure: the record, the inputs and the clock in.
import type { FromPanel, PanelAction, PanelState } from '../protocol/panel';
import {
  CANCELLABLE_STATES,
  type GateAction,
  type GateEvidence,
  type GateId,
  type GateResult,
  type PromotionRecord,
} from '../protocol/promotion';
import { GATE_LOOK, STATE_LOOK, clockTime, plural, shortSha, type Look } from './panelWords';

/** What the user typed or ticked; kept across reloads (see panelMemory.ts). */
export interface PanelInputs {
  confirm: string;
  overrideWindow: string;
  ackBackup: string;
  takeOver: string;
  reapplyReverts: boolean;
  rollbackOnFailure: boolean;
}

export const EMPTY_INPUTS: PanelInputs = {
  confirm: '',
  overrideWindow: '',
  ackBackup: '',
  takeOver: '',
  reapplyReverts: false,
  rollbackOnFailure: false,
};

/** What every model function may look at besides the record. */
export interface ModelContext {
  readOnly: boolean;
  busy: ReadonlySet<PanelAction>;
  login?: string;
  now: number;
  /** For tests; the page leaves it unset to use the viewer's own. */
  timeZone?: string;
}

export function modelContext(
  state: PanelState,
  busy: ReadonlySet<PanelAction>,
  now: number,
): ModelContext {
  return { readOnly: state.readOnly !== undefined, busy, now, login: state.login };
}

/** Which part of the promotion's life the panel shows. */
export type Phase = 'empty' | 'team' | 'gates' | 'run' | 'outcome';

export function phaseOf(state: PanelState): Phase {
  const r = state.record;
  if (!r) return state.team ? 'team' : 'empty';
  if (r.state === 'planned' || r.state === 'gated') return 'gates';
  if (['succeeded', 'failed', 'rolled-back', 'cancelled'].includes(r.state)) return 'outcome';
  return 'run';
}

/** The banner of a panel that only shows; undefined when the user may act. */
export function readOnlyText(state: PanelState): string | undefined {
  switch (state.readOnly) {
    case undefined:
      return undefined;
    case 'untrusted':
      return 'Restricted Mode: trust this workspace to promote; the checklist is read-only.';
    case 'teammate':
      return `${state.team?.by ?? state.record?.createdBy ?? 'A teammate'}'s promotion, seen through GitHub: read-only.`;
    case 'disconnected':
      return 'The Railyard daemon is unreachable; reconnecting…';
  }
}

export interface HeaderModel {
  title: string;
  from: { name: string; commit?: string };
  to: { name: string; commit?: string };
  /** "12 commits ahead", when the change summary is known. */
  ahead?: string;
  strategy: string;
  protected: boolean;
  state: Look;
  window?: WindowInfo;
}

export function headerModel(record: PromotionRecord): HeaderModel {
  const n = record.changes?.commitCount;
  return {
    title: titleOf(record),
    from: { name: record.from.name, commit: shortSha(record.sourceCommit) },
    to: { name: record.to.name, commit: shortSha(record.targetCommit) },
    ...(n !== undefined && { ahead: `${plural(n, 'commit')} ahead` }),
    strategy: record.strategy === 'pull-request' ? 'pull request' : 'merge (--no-ff)',
    protected: record.protected,
    state: STATE_LOOK[record.state],
    window: windowInfo(record),
  };
}

function titleOf(record: PromotionRecord): string {
  const route = `${record.from.name} → ${record.to.name}`;
  if (record.kind === 'back-merge') return `Back-merge ${route}`;
  if (record.kind === 'revert')
    return `Revert ${record.reverts ? `promotion ${record.reverts.promotion}` : 'a promotion'} on ${record.to.name}`;
  return `Promote ${route}`;
}

/** The deploy window as the header says it: the hours, open or not, when it next opens. */
export interface WindowInfo {
  /** "Mon–Fri 10:00–12:00 Europe/Paris", or the gate's own sentence when it has no evidence. */
  text: string;
  open?: boolean;
  next?: string;
  /** "overridden by ana: hotfix" */
  override?: string;
}

export function windowInfo(record: PromotionRecord): WindowInfo | undefined {
  const gate = gateOf(record, 'deploy-window');
  if (!gate || gate.state === 'off') return undefined;
  if (gate.state === 'pending') return { text: 'checking…' };
  const line = (label: string) => gate.evidence.find((e) => e.label === label)?.text;
  const override = gate.override && `overridden by ${gate.override.by}: ${gate.override.reason}`;
  const hours = line('window');
  if (hours)
    return { text: hours, open: false, next: line('next opening'), ...(override && { override }) };
  const inside = /^Inside the window \((.*)\)$/.exec(gate.detail);
  if (inside?.[1]) return { text: inside[1], open: true };
  return { text: gate.detail, ...(gate.state === 'pass' && !override && { open: true }) };
}

export function gateOf(record: PromotionRecord, id: GateId): GateResult | undefined {
  return record.gates.find((g) => g.id === id);
}

export interface GateRowModel {
  id: GateId;
  state: GateResult['state'];
  look: Look;
  title: string;
  /** "informs only" for a warn-level gate. */
  level?: string;
  detail: string;
  evidence: GateEvidence[];
  /** "Overridden by ana at Fri 27 Nov 16:02: hotfix for the login page" */
  override?: string;
  /** Offer this gate's own Re-check (unknown or failed), and whether it can be pressed. */
  recheck?: { enabled: boolean };
}

export function gateRows(record: PromotionRecord, ctx: ModelContext): GateRowModel[] {
  return record.gates.map((g) => ({
    id: g.id,
    state: g.state,
    look: GATE_LOOK[g.state],
    title: g.title,
    ...(g.level === 'warn' && { level: 'informs only' }),
    detail: g.detail,
    // The gate repeats its override as evidence; the row says it once, in words.
    evidence: g.override ? g.evidence.filter((e) => e.label !== 'override') : g.evidence,
    ...(g.override && {
      override: `Overridden by ${g.override.by} at ${clockTime(g.override.at, ctx.timeZone)}: ${g.override.reason}`,
    }),
    ...((g.state === 'unknown' || g.state === 'fail') && {
      recheck: { enabled: canRecheck(record, ctx) },
    }),
  }));
}

/** The daemon re-checks a gated promotion only. */
export function canRecheck(record: PromotionRecord, ctx: ModelContext): boolean {
  return !ctx.readOnly && record.state === 'gated' && !record.checkOnly && !ctx.busy.has('recheck');
}

/** What the page reports drawing: every gate row, and those still checking. */
export function gateCounts(record: PromotionRecord | undefined): {
  gates: number;
  pendingGates: number;
} {
  const gates = record?.gates ?? [];
  return { gates: gates.length, pendingGates: gates.filter((g) => g.state === 'pending').length };
}

/** "10 passed · 1 needs you · 1 failed": the checklist's heading, at a glance. */
export function gatesSummary(record: PromotionRecord): string {
  const counts = new Map<string, number>();
  for (const g of record.gates) {
    const word = g.override ? 'overridden' : GATE_LOOK[g.state].word;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts].map(([word, n]) => `${n} ${word}`).join(' · ');
}

/**
 * Whether a gate's control (a reason field, a checkbox) shows: while the gate offers the action,
 * and while it is being checked again after offering it, so a re-check streaming in never takes
 * a half-typed reason (or the focus) away.
 */
export function controlShown(
  gate: GateResult | undefined,
  action: GateAction,
  wasShown: boolean,
): boolean {
  if (!gate) return false;
  return gate.actions.includes(action) || (gate.state === 'pending' && wasShown);
}

export interface SignOffModel {
  checked: boolean;
  disabled: boolean;
  label: string;
}

/** The QA sign-off checkbox: tick to record it; once recorded, who and when, ticked for good. */
export function signOffModel(record: PromotionRecord, ctx: ModelContext): SignOffModel {
  const gate = gateOf(record, 'qa-signoff');
  const sha = shortSha(record.sourceCommit) ?? 'the pinned commit';
  const busy = ctx.busy.has('sign-off');
  if (gate?.actions.includes('sign-off'))
    return {
      checked: busy,
      disabled: busy || ctx.readOnly || record.state !== 'gated',
      label: busy ? `Recording the QA sign-off of ${sha}…` : `QA: sign off ${sha} as tested`,
    };
  const s = record.signOff;
  if (s) {
    const who = ctx.login !== undefined && s.by === ctx.login ? 'you' : s.by;
    return {
      checked: true,
      disabled: true,
      label: `Signed off by ${who} at ${clockTime(s.at, ctx.timeZone)}`,
    };
  }
  if (gate?.state === 'pass')
    return { checked: true, disabled: true, label: `Signed off: ${gate.detail}` };
  return {
    checked: false,
    disabled: true,
    label: `QA sign-off of ${sha}: ${gate ? GATE_LOOK[gate.state].word : 'not checked'}`,
  };
}

/** Why a reason cannot be sent yet, or undefined when it can (the protocol's 3–500 characters). */
export function reasonProblem(text: string): string | undefined {
  const n = text.trim().length;
  if (n === 0) return 'empty';
  if (n < 3) return 'needs 3 characters at least';
  if (n > 500) return 'is longer than 500 characters';
  return undefined;
}

/** The reapply-reverts choice exists only in Railyard's own merge, not a pull request's. */
export function reapplyOffered(record: PromotionRecord): boolean {
  return (
    record.strategy === 'merge' && !!gateOf(record, 'divergence')?.actions.includes('revert-revert')
  );
}

export interface PromoteReadiness {
  enabled: boolean;
  /** What is missing, or what pressing it does: always one sentence. */
  why: string;
}

const VERB: Readonly<Record<PromotionRecord['kind'], string>> = {
  promotion: 'promote',
  'back-merge': 'back-merge',
  revert: 'revert',
};

/** Promote is enabled only when every required gate passes or is resolved by the inputs, the typed confirmation matches, and the record is gated. */
export function promoteReadiness(
  record: PromotionRecord,
  inputs: PanelInputs,
  ctx: ModelContext,
): PromoteReadiness {
  const verb = VERB[record.kind];
  const no = (why: string) => ({ enabled: false, why });
  if (ctx.readOnly) return no('Read-only: nothing can be started from this panel.');
  if (record.checkOnly) return no('This was a check only (--check): plan it again to promote.');
  if (ctx.busy.has('start')) return no('Starting…');
  if (record.state === 'planned') {
    const { gates, pendingGates } = gateCounts(record);
    return no(`The gates are being checked (${gates - pendingGates} of ${gates} done).`);
  }
  if (record.state !== 'gated') return no(`The promotion is ${STATE_LOOK[record.state].word}.`);
  const missing = [
    ...record.gates.flatMap((g) => gateMissing(g, record, inputs, ctx)),
    ...confirmMissing(record, inputs),
  ];
  if (missing.length) return no(`To ${verb}: ${missing.join('; ')}.`);
  return { enabled: true, why: readySentence(record) };
}

function readySentence(record: PromotionRecord): string {
  const n = record.changes?.commitCount;
  const what = `${record.from.name} (${shortSha(record.sourceCommit) ?? 'its head'}${n !== undefined ? `, ${plural(n, 'commit')}` : ''})`;
  if (record.kind === 'revert')
    return `Ready: reverting the merge on ${record.to.name} and pushing.`;
  if (record.strategy === 'pull-request')
    return `Ready: opens a pull request of ${what} into ${record.to.name}, merges it and watches the deploy.`;
  return `Ready: merges ${what} into ${record.to.name}, pushes and watches the deploy.`;
}

/** What a gate still needs before the start, in the words of what to do; none when it lets it go. */
function gateMissing(
  g: GateResult,
  record: PromotionRecord,
  inputs: PanelInputs,
  ctx: ModelContext,
): string[] {
  if (g.level !== 'required' || g.override) return [];
  if (g.state === 'pass' || g.state === 'warn' || g.state === 'off') return [];
  if (g.state === 'pending') return [`${g.title} is still being checked`];
  if (g.state === 'unknown') return [`${g.title} could not be checked (Re-check it)`];
  const fix = fixFor(g, record, inputs, ctx);
  return fix === null ? [] : [fix ?? `${g.title} does not pass (${g.detail})`];
}

/** null: the inputs resolve the gate; a string: what to do; undefined: nothing here resolves it. */
function fixFor(
  g: GateResult,
  record: PromotionRecord,
  inputs: PanelInputs,
  ctx: ModelContext,
): string | null | undefined {
  const has = (a: GateAction) => g.actions.includes(a);
  if (has('override-window'))
    return reasonFix(inputs.overrideWindow, 'a reason to promote outside the deploy window');
  if (has('ack-backup'))
    return reasonFix(
      inputs.ackBackup,
      'a reason to go on without a backup (the backup acknowledgement)',
    );
  if (has('sign-off'))
    return ctx.busy.has('sign-off')
      ? 'wait for the QA sign-off to be recorded'
      : 'tick the QA sign-off';
  if (has('take-over'))
    return inputs.takeOver === record.to.name
      ? null
      : `type ${record.to.name} to take over the stale promotion`;
  if (g.state === 'needs-you' && reapplyOffered(record))
    return inputs.reapplyReverts
      ? null
      : `tick "Revert the reverts", or back-merge ${record.to.name} first`;
  if (has('back-merge')) return `back-merge ${record.to.name} into ${record.from.name} first`;
  return undefined;
}

function reasonFix(typed: string, what: string): string | null {
  const problem = reasonProblem(typed);
  if (!problem) return null;
  return problem === 'empty' ? `give ${what}` : `${what} ${problem}`;
}

function confirmMissing(record: PromotionRecord, inputs: PanelInputs): string[] {
  if (!record.protected || inputs.confirm === record.to.name) return [];
  return [`type ${record.to.name} to confirm`];
}

/** The `start` message the inputs make: only what the gates ask for, never a stray override. */
export function startMessage(
  record: PromotionRecord,
  inputs: PanelInputs,
): Extract<FromPanel, { type: 'start' }> {
  const offers = (id: GateId, a: GateAction) => !!gateOf(record, id)?.actions.includes(a);
  const reason = (id: GateId, a: GateAction, typed: string) =>
    offers(id, a) && !reasonProblem(typed) ? typed.trim() : undefined;
  const overrideWindow = reason('deploy-window', 'override-window', inputs.overrideWindow);
  const ackBackup = reason('backup', 'ack-backup', inputs.ackBackup);
  return {
    type: 'start',
    ...(record.protected && { confirm: inputs.confirm }),
    ...(overrideWindow !== undefined && { overrideWindow }),
    ...(ackBackup !== undefined && { ackBackup }),
    ...(offers('lock', 'take-over') && inputs.takeOver !== '' && { takeOver: inputs.takeOver }),
    rollbackOnFailure: inputs.rollbackOnFailure,
    reapplyReverts: reapplyOffered(record) && inputs.reapplyReverts,
  };
}

/** Cancel is offered until the push. */
export function cancelOffered(record: PromotionRecord): boolean {
  return CANCELLABLE_STATES.includes(record.state) && !record.checkOnly;
}
