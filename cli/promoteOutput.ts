// How `railyard promote` shows a promotion: gate, step and service lines, the change summary, the
// question before merging, and the one JSON object scripts read. Pure: strings in, strings out.
import { blockingGates, mergeGateConflicts, PROMOTE_EXIT, type GateFlags } from './promoteExit';
import { ago, plural } from '../protocol/promotionWords';
import type { PromotionVerification } from '../protocol/metrics';
import { verificationLines } from './promoteVerification';
import type {
  ChangeSummary,
  GateAction,
  GateResult,
  GateState,
  PromotionRecord,
  PromotionService,
  PromotionStep,
  StepState,
  TeamPromotion,
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
  /** promotion, back-merge or revert. */
  kind: PromotionRecord['kind'] | null;
  from: string | null;
  to: string | null;
  sourceCommit: string | null;
  mergeCommit: string | null;
  /** The pull-request strategy's PR, once opened or found. */
  pullRequest: { number: number; url: string; state: string } | null;
  /** The release tag pushed on the merge commit. */
  tag: string | null;
  gates: { id: string; state: string; detail: string }[];
  steps: {
    id: string;
    state: string;
    startedAt: string | null;
    endedAt: string | null;
    detail: string | null;
  }[];
  /**
   * Production judged by its metrics after success (the record's own object): pending while
   * `railyard promote` has already exited; null when none was made.
   */
  verification: PromotionVerification | null;
  /** Only when the command ended on an error: the sentence it printed. */
  error?: string;
}

export function promotionJson(record: PromotionRecord, error?: string): PromoteJson {
  return {
    id: record.id,
    state: record.state,
    kind: record.kind,
    from: record.from.name,
    to: record.to.name,
    sourceCommit: record.sourceCommit ?? null,
    mergeCommit: record.mergeCommit ?? null,
    pullRequest: record.pullRequest
      ? {
          number: record.pullRequest.number,
          url: record.pullRequest.url,
          state: record.pullRequest.state,
        }
      : null,
    tag: record.tag ?? null,
    gates: record.gates.map((g) => ({ id: g.id, state: g.state, detail: g.detail })),
    steps: record.steps.map((s) => ({
      id: s.id,
      state: s.state,
      startedAt: s.startedAt ?? null,
      endedAt: s.endedAt ?? null,
      detail: s.detail ?? null,
    })),
    verification: record.verification ?? null,
    ...(error !== undefined && { error }),
  };
}

/** The object for an error before any record exists: the environments as the user named them. */
export function errorJson(error: string, names: { from?: string; to?: string } = {}): PromoteJson {
  return {
    id: null,
    state: null,
    kind: null,
    from: names.from ?? null,
    to: names.to ?? null,
    sourceCommit: null,
    mergeCommit: null,
    pullRequest: null,
    tag: null,
    gates: [],
    steps: [],
    verification: null,
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
  const detail = stepDetail(step, record);
  return `  ${STEP_SYMBOLS[step.state]} ${step.id}${detail ? `: ${detail}` : ''}`;
}

/** The step's own words, with what the record knows beside them: the merge, the PR's link, the tag. */
export function stepDetail(step: PromotionStep, record: PromotionRecord): string | undefined {
  const known = knownFor(step, record);
  if (!step.detail) return known;
  // The daemon's sentence may name it already; the link is what a person clicks, so once is enough.
  const named = step.id === 'pull-request' ? record.pullRequest?.url : known;
  if (!known || step.id === 'merge' || (named && step.detail.includes(named))) return step.detail;
  // A dash, not parentheses: a terminal would take a closing one as part of the link.
  return `${step.detail} — ${known}`;
}

function knownFor(step: PromotionStep, record: PromotionRecord): string | undefined {
  if (step.id === 'merge') return shortSha(record.mergeCommit);
  if (step.id === 'pull-request' && record.pullRequest) return pullRequestText(record.pullRequest);
  if (step.id === 'tag') return record.tag;
  return undefined;
}

function pullRequestText(pr: NonNullable<PromotionRecord['pullRequest']>): string {
  return `${pr.reused ? 'reused ' : ''}#${pr.number} ${pr.url}`;
}

/**
 * Said once when a step waits on a person: following can stop, the promotion does not, so the
 * person can go and approve the pull request and come back (or not).
 */
export function waitingLine(step: PromotionStep, record: PromotionRecord): string {
  const pr = record.pullRequest;
  const what =
    step.id === 'pull-request'
      ? `an approving review of ${pr ? `#${pr.number}: ${pr.url}` : 'the pull request'}`
      : `a person: ${step.detail ?? step.id}`;
  return `Waiting for ${what} (the promotion resumes by itself once approved; Ctrl-C stops following, not the promotion)`;
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

export function revertQuestion(record: PromotionRecord): string {
  const merge = shortSha(record.mergeCommit) ?? 'its merge';
  return `Revert promotion ${record.id}'s merge ${merge} on ${record.to.name} (a new commit undoing it), push and deploy?`;
}

export function rollbackHint(record: PromotionRecord): string {
  return `${record.to.name} was not rolled back. To roll back: railyard promote rollback ${record.id}`;
}

export function headerLine(record: PromotionRecord): string {
  const protectedNote = record.protected ? ' (protected)' : '';
  if (record.kind === 'revert') {
    const undone = record.reverts
      ? `promotion ${record.reverts.promotion} (merge ${shortSha(record.reverts.commit)})`
      : `a merge`;
    return `Revert ${record.id}: undoes ${undone} on ${record.to.name}${protectedNote}`;
  }
  const pinned = record.sourceCommit ? ` at ${shortSha(record.sourceCommit)}` : '';
  const word = record.kind === 'back-merge' ? 'Back-merge' : 'Promotion';
  return `${word} ${record.id}: ${record.from.name}${pinned} → ${record.to.name}${protectedNote}`;
}

/** `railyard promote history`: one line each. */
export function historyLine(record: PromotionRecord): string {
  const sha = shortSha(record.sourceCommit) ?? '-------';
  return `${record.id}  ${record.createdAt}  ${route(record.from.name, record.to.name, record.kind)}  ${sha}  ${record.state}: ${record.summary}`;
}

/**
 * A teammate's promotion in history: the same columns as the folder's own, then who and on which
 * machine, and how long since its daemon last reported (what tells in-progress from gone).
 */
export function teamHistoryLine(t: TeamPromotion, now: number): string {
  const who = t.machine ? `${t.by}@${t.machine}` : t.by;
  return `${t.id}  ${t.startedAt}  ${route(t.from, t.to, t.kind)}  ${shortSha(t.sourceCommit) ?? '-------'}  ${t.state}  ${who}  ${ago(t.updatedAt, now)}  ${t.detail}`;
}

/** The folder's promotions and the team's in one list, newest first by when each began. */
export function historyLines(own: PromotionRecord[], team: TeamPromotion[], now: number): string[] {
  const rows = [
    ...own.map((r) => ({ at: r.createdAt, line: historyLine(r) })),
    ...team.map((t) => ({ at: t.startedAt, line: teamHistoryLine(t, now) })),
  ];
  return rows.sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).map((r) => r.line);
}

function route(from: string, to: string, kind: PromotionRecord['kind']): string {
  return `${from} → ${to}${kind === 'promotion' ? '' : ` (${kind})`}`;
}

/** `railyard promote status`: everything the record says, settled or not. */
export function statusLines(record: PromotionRecord): string[] {
  const lines = [headerLine(record), `State: ${record.state}. ${record.summary}`, 'Gates:'];
  for (const g of record.gates) lines.push(...gateLines(g));
  lines.push(...changeLines(record.changes));
  const started = record.steps.filter((s) => s.state !== 'pending');
  if (started.length) lines.push('Steps:', ...started.map((s) => stepLine(s, record)));
  if (record.services.length) lines.push('Services:', ...record.services.map(serviceLine));
  lines.push(...verificationLines(record));
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
  'back-merge': (r) =>
    `merge ${r.to.branch} into ${r.from.branch} first: railyard promote ${r.to.name} ${r.from.name} --back-merge`,
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
    flags.signOff || flags.overrideWindow || flags.ackBackup || flags.reapplyReverts
      ? ' with the flags given'
      : '';
  return [`${record.from.name} → ${record.to.name} could be promoted now${given}.`];
}

export function shortSha(sha: string | undefined): string | undefined {
  return sha?.slice(0, 7);
}
