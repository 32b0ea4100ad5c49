// The promotion record's pure rules: a new record, transitions (each remembered with its time),
// gate levels and their defaults, which gates block a start, and the sentence a record says.
import * as crypto from 'node:crypto';
import {
  GATE_IDS,
  type GateId,
  type GateLevel,
  type GateResult,
  type PromotionRecord,
  type PromotionState,
  type PromotionStep,
  type StepId,
} from '../../protocol/protocol';
import { DEFAULT_VERIFICATION, type VerificationThresholds } from '../../protocol/metrics';
import type { RailyardConfig } from '../project/railyardConfig';
import type { PromotionSettings } from './gateContext';
import { DEFAULT_MIGRATION_PATTERNS } from './changeSummary';
import { short } from './gates/gateWords';

/** After how long without a word a teammate's promotion counts as stale, unless railyard.json says. */
export const DEFAULT_LOCK_STALE_MINUTES = 15;

export { short };

export const GATE_TITLES: Record<GateId, string> = {
  'source-deployed': 'Source deployed',
  'source-healthy': 'Source healthy',
  ci: 'CI green',
  'qa-signoff': 'QA sign-off',
  'deploy-window': 'Deploy window',
  divergence: 'No divergence',
  merge: 'Merges cleanly',
  backup: 'Backup',
  lock: 'No other promotion',
  'config-drift': 'Config drift',
  'target-health': 'Target health',
  changes: 'Changes',
};

/** Without railyard.json: everything must pass but drift, the target's health and the summary. */
export const DEFAULT_GATE_LEVELS: Record<GateId, GateLevel> = {
  'source-deployed': 'required',
  'source-healthy': 'required',
  ci: 'required',
  'qa-signoff': 'required',
  'deploy-window': 'required',
  divergence: 'required',
  merge: 'required',
  backup: 'required',
  lock: 'required',
  'config-drift': 'warn',
  'target-health': 'warn',
  changes: 'warn',
};

/** The steps a promotion goes through, by how it reaches the target. */
export function stepOrder(
  kind: PromotionRecord['kind'],
  strategy: PromotionRecord['strategy'],
): StepId[] {
  if (kind === 'revert') return ['revert', 'push', 'deploy', 'verify'];
  if (kind === 'promotion' && strategy === 'pull-request')
    return ['pull-request', 'deploy', 'verify'];
  return ['merge', 'push', 'deploy', 'verify'];
}

type PairSettings = NonNullable<RailyardConfig['promotions']>[number];

function pairOf(config: RailyardConfig | undefined, from: string, to: string) {
  return config?.promotions?.find((p) => p.from === from && p.to === to);
}

export function gateLevels(pair: PairSettings | undefined): Record<GateId, GateLevel> {
  return { ...DEFAULT_GATE_LEVELS, ...(pair?.gates ?? {}) };
}

/**
 * A back-merge (kars-prod into kars-dev) is part of the kars-dev → kars-prod pair: it takes that
 * pair's settings (settle time, timeouts), not a pair of its own.
 */
export function recordSettings(
  config: RailyardConfig | undefined,
  record: Pick<PromotionRecord, 'kind' | 'from' | 'to'>,
): PromotionSettings {
  return record.kind === 'back-merge'
    ? settingsFor(config, record.to.name, record.from.name)
    : settingsFor(config, record.from.name, record.to.name);
}

/**
 * How production is judged after the pair's promotion succeeds: railyard.json's fields over the
 * defaults, or false when the pair turns verification off.
 */
export function verificationSettings(
  config: RailyardConfig | undefined,
  record: Pick<PromotionRecord, 'from' | 'to'>,
): VerificationThresholds | false {
  const asked = pairOf(config, record.from.name, record.to.name)?.verification;
  return asked === false ? false : { ...DEFAULT_VERIFICATION, ...asked };
}

/** A back-merge checks only what matters for bringing the target's commits home. */
export const BACK_MERGE_LEVELS: Record<GateId, GateLevel> = {
  ...(Object.fromEntries(GATE_IDS.map((id) => [id, 'off'])) as Record<GateId, GateLevel>),
  merge: 'required',
  lock: 'required',
  'target-health': 'warn',
  changes: 'warn',
};

export function settingsFor(
  config: RailyardConfig | undefined,
  from: string,
  to: string,
): PromotionSettings {
  const pair = pairOf(config, from, to);
  // A pair's own tag, else the file's releaseTag for every pair.
  const tag = pair?.tag ?? config?.releaseTag;
  return {
    settleSeconds: pair?.settleSeconds ?? 60,
    deployTimeoutSeconds: pair?.deployTimeoutSeconds ?? 900,
    migrations: pair?.migrations ?? [...DEFAULT_MIGRATION_PATTERNS],
    lockStaleMinutes: pair?.lockStaleMinutes ?? DEFAULT_LOCK_STALE_MINUTES,
    ...(tag && { tag }),
    ...(config?.deployWindow && { deployWindow: config.deployWindow }),
    healthUrls: {
      source: config?.environments?.[from]?.healthUrl,
      target: config?.environments?.[to]?.healthUrl,
    },
  };
}

export interface NewRecordInput {
  folder: string;
  projectId: string;
  repo: string;
  from: PromotionRecord['from'];
  to: PromotionRecord['to'];
  protected: boolean;
  checkOnly: boolean;
  kind: PromotionRecord['kind'];
  strategy: PromotionRecord['strategy'];
  createdBy: string;
  levels: Record<GateId, GateLevel>;
  now: Date;
}

export function newRecord(input: NewRecordInput): PromotionRecord {
  const at = input.now.toISOString();
  const { levels, now: _now, ...rest } = input;
  return {
    ...rest,
    id: crypto.randomBytes(4).toString('hex'),
    state: 'planned',
    summary: `Checking whether ${input.from.name} can be promoted to ${input.to.name}…`,
    gates: GATE_IDS.map((id) => pendingGate(id, levels[id])),
    steps: stepOrder(input.kind, input.strategy).map((id) => ({ id, state: 'pending' })),
    services: [],
    overrides: {},
    rollbackOnFailure: false,
    rejectedPushes: 0,
    reapplies: [],
    createdAt: at,
    updatedAt: at,
    history: [{ state: 'planned', at }],
  };
}

export function pendingGate(id: GateId, level: GateLevel): GateResult {
  return {
    id,
    title: GATE_TITLES[id],
    level,
    state: level === 'off' ? 'off' : 'pending',
    detail: level === 'off' ? 'Turned off in railyard.json.' : 'Checking…',
    evidence: [],
    actions: [],
  };
}

/** A copy in `state`, with the time it entered it. */
export function transition(
  record: PromotionRecord,
  state: PromotionState,
  now: Date,
  summary: string,
): PromotionRecord {
  const at = now.toISOString();
  return { ...record, state, summary, updatedAt: at, history: [...record.history, { state, at }] };
}

export function withStep(
  record: PromotionRecord,
  id: StepId,
  change: Partial<PromotionStep>,
  now: Date,
): PromotionRecord {
  const at = now.toISOString();
  const existing = record.steps.find((s) => s.id === id);
  const step: PromotionStep = { ...(existing ?? { id, state: 'pending' }), ...change };
  if (change.state === 'running') {
    step.startedAt = at;
    delete step.endedAt;
  }
  if (change.state === 'done' || change.state === 'failed' || change.state === 'skipped')
    step.endedAt = at;
  const steps = existing
    ? record.steps.map((s) => (s.id === id ? step : s))
    : [...record.steps, step];
  return { ...record, steps, updatedAt: at };
}

export function withGate(record: PromotionRecord, gate: GateResult): PromotionRecord {
  return { ...record, gates: record.gates.map((g) => (g.id === gate.id ? gate : g)) };
}

/** A warn-only gate never blocks: its failure is shown as a warning. */
export function levelled(gate: GateResult): GateResult {
  if (gate.level === 'warn' && gate.state === 'fail') return { ...gate, state: 'warn' };
  return gate;
}

/** Overrides stand in for a pass, only where the issue allows: the window, and the backup. */
export function withOverrides(record: PromotionRecord): PromotionRecord {
  const gates = record.gates.map((g): GateResult => {
    const override =
      g.id === 'deploy-window'
        ? record.overrides.window
        : g.id === 'backup'
          ? record.overrides.backup
          : undefined;
    if (!override || g.state === 'pass' || g.state === 'off' || g.state === 'pending') return g;
    return { ...g, state: 'pass', override };
  });
  return { ...record, gates };
}

/** The required gates that keep the promotion from starting, with why. */
export function blockingGates(record: PromotionRecord): GateResult[] {
  return record.gates.filter(
    (g) => g.level === 'required' && g.state !== 'pass' && g.state !== 'warn' && g.state !== 'off',
  );
}

/** The sentence a gated record says: ready, or what stands in the way. */
export function gatedSummary(record: PromotionRecord): string {
  const blocking = blockingGates(record);
  const what = `${record.from.name} ${short(record.sourceCommit)} → ${record.to.name}`;
  if (blocking.length === 0) return `Ready: ${what}. Confirm to merge and push.`;
  const names = blocking.map((g) => `${g.title} (${g.state})`).join(', ');
  return `Not ready: ${what}. ${names}.`;
}

/** When the record last entered `state`, or undefined when it never did. */
export function enteredAt(record: PromotionRecord, state: PromotionState): string | undefined {
  for (let i = record.history.length - 1; i >= 0; i--)
    if (record.history[i]!.state === state) return record.history[i]!.at;
  return undefined;
}
