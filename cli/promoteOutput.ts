// How `railyard promote` shows a promotion: gate, step and service lines, the change summary, the
// question before merging, and the one JSON object scripts read. Pure: strings in, strings out.
import { blockingGates, mergeGateConflicts, PROMOTE_EXIT, type GateFlags } from './promoteExit';
import type {
  ChangeSummary,
  GateAction,
  GateResult,
  GateState,
  PromotionRecord,
  PromotionService,
  PromotionStep,
  StepState,
} from '../protocol/protocol';

export const GATE_SYMBOLS: Readonly<Record<GateState, string>> = {
  pass: '✓',
  fail: '✗',
  warn: '!',
  'needs-you': '?',
  unknown: '…',
  off: '-',
  pending: ' ',
};

const STEP_SYMBOLS: Readonly<Record<StepState, string>> = {
  pending: ' ',
  running: '→',
  'needs-you': '?',
  done: '✓',
  failed: '✗',
  skipped: '-',
};

/** What `--json` prints, the same keys on every exit (absent values are null). */
export interface PromoteJson {
  id: string | null;
  state: PromotionRecord['state'] | null;
  from: string | null;
  to: string | null;
  sourceCommit: string | null;
  mergeCommit: string | null;
  gates: { id: string; state: string; detail: string }[];
  steps: {
    id: string;
    state: string;
    startedAt: string | null;
    endedAt: string | null;
    detail: string | null;
  }[];
  /** Only when the command ended on an error: the sentence it printed. */
  error?: string;
}

export function promotionJson(record: PromotionRecord, error?: string): PromoteJson {
  return {
    id: record.id,
    state: record.state,
    from: record.from.name,
    to: record.to.name,
    sourceCommit: record.sourceCommit ?? null,
    mergeCommit: record.mergeCommit ?? null,
    gates: record.gates.map((g) => ({ id: g.id, state: g.state, detail: g.detail })),
    steps: record.steps.map((s) => ({
      id: s.id,
      state: s.state,
      startedAt: s.startedAt ?? null,
      endedAt: s.endedAt ?? null,
      detail: s.detail ?? null,
    })),
    ...(error !== undefined && { error }),
  };
}

/** The object for an error before any record exists: the environments as the user named them. */
export function errorJson(error: string, names: { from?: string; to?: string } = {}): PromoteJson {
  return {
    id: null,
    state: null,
    from: names.from ?? null,
    to: names.to ?? null,
    sourceCommit: null,
    mergeCommit: null,
    gates: [],
    steps: [],
    error,
  };
}

/** A settled gate: symbol, title, detail; what a failing or warning gate saw, indented below. */
export function gateLines(gate: GateResult): string[] {
  const head = `  ${GATE_SYMBOLS[gate.state]} ${gate.title}: ${gate.detail}`;
  const lines = [gate.override ? `${head} (${overrideNote(gate.override)})` : head];
  if (gate.state === 'fail' || gate.state === 'warn')
    for (const e of gate.evidence) lines.push(`      ${e.label}: ${e.text}`);
  return lines;
}

function overrideNote(o: NonNullable<GateResult['override']>): string {
  return `overridden by ${o.by}: ${o.reason}`;
}

export function stepLine(step: PromotionStep, record: PromotionRecord): string {
  const detail = step.detail ?? (step.id === 'merge' ? shortSha(record.mergeCommit) : undefined);
  return `  ${STEP_SYMBOLS[step.state]} ${step.id}${detail ? `: ${detail}` : ''}`;
}

export function serviceLine(s: PromotionService): string {
  const status = s.status ?? 'no deployment yet';
  return `      ${s.name.padEnd(20)} ${status}${s.detail ? ` — ${s.detail}` : ''}`;
}

/** Commits, authors, migrations and risky files: what a person weighs before saying yes. */
export function changeLines(changes: ChangeSummary | undefined): string[] {
  if (!changes) return [];
  const count = plural(changes.commitCount, 'commit');
  const authors = changes.authors.length ? ` by ${changes.authors.join(', ')}` : '';
  const lines = [`Changes: ${count}${authors}, ${plural(changes.files.length, 'file')}`];
  if (changes.migrations.length) lines.push(`  migrations: ${changes.migrations.join(', ')}`);
  for (const r of changes.risky) lines.push(`  risky: ${r.path} (${r.why})`);
  return lines;
}

/** The final question, naming exactly what will happen. */
export function mergeQuestion(record: PromotionRecord): string {
  const count = record.changes ? `, ${plural(record.changes.commitCount, 'commit')}` : '';
  const pinned = shortSha(record.sourceCommit) ?? 'its head';
  return `Merge ${record.from.name} (${pinned}${count}) into ${record.to.name} and push?`;
}

export function rollbackQuestion(record: PromotionRecord): string {
  const services = record.services.map((s) => s.name).join(', ') || 'every affected service';
  return `Roll ${record.to.name} back (${services}) to what served before promotion ${record.id}?`;
}

export function rollbackHint(record: PromotionRecord): string {
  return `${record.to.name} was not rolled back. To roll back: railyard promote rollback ${record.id}`;
}

export function headerLine(record: PromotionRecord): string {
  const pinned = record.sourceCommit ? ` at ${shortSha(record.sourceCommit)}` : '';
  const protectedNote = record.protected ? ' (protected)' : '';
  return `Promotion ${record.id}: ${record.from.name}${pinned} → ${record.to.name}${protectedNote}`;
}

/** `railyard promote history`: one line each. */
export function historyLine(record: PromotionRecord): string {
  const sha = shortSha(record.sourceCommit) ?? '-------';
  return `${record.id}  ${record.createdAt}  ${record.from.name} → ${record.to.name}  ${sha}  ${record.state}: ${record.summary}`;
}

/** `railyard promote status`: everything the record says, settled or not. */
export function statusLines(record: PromotionRecord): string[] {
  const lines = [headerLine(record), `State: ${record.state}. ${record.summary}`, 'Gates:'];
  for (const g of record.gates) lines.push(...gateLines(g));
  lines.push(...changeLines(record.changes));
  const started = record.steps.filter((s) => s.state !== 'pending');
  if (started.length) lines.push('Steps:', ...started.map((s) => stepLine(s, record)));
  if (record.services.length) lines.push('Services:', ...record.services.map(serviceLine));
  return lines;
}

/** Why the promotion cannot go, and for each gate what would resolve it. */
export function blockedLines(record: PromotionRecord, flags: GateFlags): string[] {
  const lines: string[] = [];
  const route = `${record.from.name} → ${record.to.name}`;
  if (mergeGateConflicts(record))
    lines.push(`The merge of ${route} conflicts (the paths are listed above). Nothing changed.`);
  const blocking = blockingGates(record, flags).filter((g) => g.id !== 'merge');
  if (!blocking.length) return lines;
  const titles = blocking.map((g) => g.title).join(', ');
  lines.push(
    `Cannot promote ${route}: ${titles} ${blocking.length === 1 ? 'does' : 'do'} not pass. Nothing changed.`,
  );
  for (const g of blocking) {
    const hints = g.actions.map((a) => ACTION_HINTS[a](record));
    if (hints.length) lines.push(`  ${g.title}: ${hints.join('; ')}`);
  }
  return lines;
}

/** What a person (or the flags) can do about a gate; see GATE_ACTIONS. */
const ACTION_HINTS: Readonly<Record<GateAction, (r: PromotionRecord) => string>> = {
  'sign-off': () => '--sign-off records the sign-off of this commit',
  'override-window': () => '--override-window REASON promotes outside the window',
  'ack-backup': () => '--ack-backup REASON goes on without a backup',
  'back-merge': (r) => `merge ${r.to.branch} into ${r.from.branch} first`,
  retry: () => 'run it again to retry',
  'take-over': (r) =>
    `--take-over ${r.to.name} takes over the stale promotion (its daemon stopped reporting)`,
  'revert-revert': () =>
    '--reapply-reverts reverts the revert in this promotion, so its changes come back',
};

/** --check's verdict: could go (with the flags given), or why not. */
export function checkLines(record: PromotionRecord, flags: GateFlags, code: number): string[] {
  if (code !== PROMOTE_EXIT.succeeded) return blockedLines(record, flags);
  const given =
    flags.signOff || flags.overrideWindow || flags.ackBackup ? ' with the flags given' : '';
  return [`${record.from.name} → ${record.to.name} could be promoted now${given}.`];
}

export function shortSha(sha: string | undefined): string | undefined {
  return sha?.slice(0, 7);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
