// A promotion on the wire: the durable record the daemon journals (state, pinned commits, gates
// with their evidence, steps), exactly as `promotion.changed` carries it and `railyard promote
// --json` prints it, and the params of the `promotion.*` methods. protocol.ts wires them in.
import { z } from 'zod';

/**
 * The journal's states, in the words the CLI's JSON prints. Happy path: planned → gated →
 * confirmed → merged → pushed → deploying → succeeded. A failed deploy: failed → rolling-back →
 * rolled-back. Until the push: cancelled.
 */
export const PROMOTION_STATES = [
  'planned',
  'gated',
  'confirmed',
  'merged',
  'pushed',
  'deploying',
  'succeeded',
  'failed',
  'rolling-back',
  'rolled-back',
  'cancelled',
] as const;
export type PromotionState = (typeof PROMOTION_STATES)[number];

/** States in which the promotion holds its target: no other may start there. */
export const IN_FLIGHT_STATES: readonly PromotionState[] = [
  'confirmed',
  'merged',
  'pushed',
  'deploying',
  'rolling-back',
];
/** States a promotion never leaves by itself. */
export const FINAL_STATES: readonly PromotionState[] = [
  'succeeded',
  'failed',
  'rolled-back',
  'cancelled',
];
/** Until the push nothing has changed upstream, so a promotion can still be cancelled. */
export const CANCELLABLE_STATES: readonly PromotionState[] = [
  'planned',
  'gated',
  'confirmed',
  'merged',
];

/** Every gate, in the order the checklist shows them. */
export const GATE_IDS = [
  'source-deployed',
  'source-healthy',
  'ci',
  'qa-signoff',
  'deploy-window',
  'divergence',
  'merge',
  'backup',
  'lock',
  'config-drift',
  'target-health',
  'changes',
] as const;
export type GateId = (typeof GATE_IDS)[number];

/** How much a gate counts: required gates must pass, warn-only ones inform, off ones do not run. */
export const GATE_LEVELS = ['required', 'warn', 'off'] as const;
export type GateLevel = (typeof GATE_LEVELS)[number];

/**
 * pending: still running. pass / fail / warn. needs-you: a person must act (sign off,
 * acknowledge). unknown: an upstream call failed, never counted as a pass; `retry` says so.
 * off: railyard.json turned it off.
 */
export const GATE_STATES = [
  'pending',
  'pass',
  'fail',
  'warn',
  'needs-you',
  'unknown',
  'off',
] as const;
export type GateState = (typeof GATE_STATES)[number];

/** One line of what a gate saw, e.g. { label: "kars-backend-dev", text: "SUCCESS at 1a2b3c4" }. */
export const gateEvidence = z.object({
  label: z.string(),
  text: z.string(),
  /** Where to look: a deployment, a check run, a commit. */
  url: z.string().optional(),
  /** This line alone would fail (fail) or warn the gate. */
  flag: z.enum(['fail', 'warn']).optional(),
});
export type GateEvidence = z.infer<typeof gateEvidence>;

/** What the user can do about a gate; the client offers it, the daemon checks it. */
export const GATE_ACTIONS = [
  'sign-off',
  'override-window',
  'ack-backup',
  'back-merge',
  'retry',
] as const;
export type GateAction = (typeof GATE_ACTIONS)[number];

export const overrideRecord = z.object({
  by: z.string(),
  at: z.string(),
  reason: z.string(),
});
export type OverrideRecord = z.infer<typeof overrideRecord>;

export const gateResult = z.object({
  id: z.enum(GATE_IDS),
  title: z.string(),
  level: z.enum(GATE_LEVELS),
  state: z.enum(GATE_STATES),
  /** One sentence: what was found, or what to do. */
  detail: z.string(),
  evidence: z.array(gateEvidence).default([]),
  actions: z.array(z.enum(GATE_ACTIONS)).default([]),
  /** Set when an override or acknowledgement with a reason stands in for a pass. */
  override: overrideRecord.optional(),
  checkedAt: z.string().optional(),
});
export type GateResult = z.infer<typeof gateResult>;

export const STEP_IDS = ['backup', 'merge', 'push', 'deploy', 'verify', 'rollback'] as const;
export type StepId = (typeof STEP_IDS)[number];
export const STEP_STATES = ['pending', 'running', 'done', 'failed', 'skipped'] as const;
export type StepState = (typeof STEP_STATES)[number];

export const promotionStep = z.object({
  id: z.enum(STEP_IDS),
  state: z.enum(STEP_STATES),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  detail: z.string().optional(),
});
export type PromotionStep = z.infer<typeof promotionStep>;

/** What a promotion does to one service of the target, as the deploy is watched. */
export const promotionService = z.object({
  id: z.string(),
  name: z.string(),
  /** The deployment serving before the promotion: what a rollback restores. */
  previousDeploymentId: z.string().optional(),
  previousCommit: z.string().optional(),
  /** The deployment of the merge commit, once Railway lists it. */
  deploymentId: z.string().optional(),
  status: z.string().optional(),
  /** A plain sentence: WAITING for CI, NEEDS_APPROVAL in the dashboard, no deployment yet… */
  detail: z.string().optional(),
  /** The deployment a rollback made, when one was made. */
  rollbackDeploymentId: z.string().optional(),
  /** The failed deployment's pre-deploy command ran, so the database may be migrated. */
  preDeployRan: z.boolean().optional(),
});
export type PromotionService = z.infer<typeof promotionService>;

export const changeCommit = z.object({
  sha: z.string(),
  message: z.string(),
  author: z.string(),
  pr: z.number().optional(),
});

export const changeSummary = z.object({
  commits: z.array(changeCommit),
  /** Total commits (the list may be shortened). */
  commitCount: z.number(),
  authors: z.array(z.string()),
  files: z.array(z.string()),
  migrations: z.array(z.string()),
  risky: z.array(z.object({ path: z.string(), why: z.string() })),
  prs: z.array(z.number()),
});
export type ChangeSummary = z.infer<typeof changeSummary>;

const envRef = z.object({ name: z.string(), id: z.string(), branch: z.string() });

export const promotionRecord = z.object({
  id: z.string(),
  state: z.enum(PROMOTION_STATES),
  /** A plain sentence about where it stands, and for a final state what production runs now. */
  summary: z.string(),
  folder: z.string(),
  projectId: z.string(),
  repo: z.string(),
  from: envRef,
  to: envRef,
  /** The source head pinned when the gates ran: what is merged, and nothing newer. */
  sourceCommit: z.string().optional(),
  /** The target head the gates saw; the push expects it unchanged. */
  targetCommit: z.string().optional(),
  mergeCommit: z.string().optional(),
  /** Set when the promotion only checks (`--check`): it never starts. */
  checkOnly: z.boolean().default(false),
  protected: z.boolean(),
  gates: z.array(gateResult),
  steps: z.array(promotionStep),
  services: z.array(promotionService).default([]),
  changes: changeSummary.optional(),
  overrides: z
    .object({ window: overrideRecord.optional(), backup: overrideRecord.optional() })
    .default({}),
  signOff: z.object({ by: z.string(), at: z.string() }).optional(),
  rollbackOnFailure: z.boolean().default(false),
  /** Pushes git refused because the target moved; the gates ran again after each. */
  rejectedPushes: z.number().default(0),
  createdBy: z.string(),
  confirmedBy: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When each state was entered, in order. */
  history: z.array(z.object({ state: z.enum(PROMOTION_STATES), at: z.string() })),
});
export type PromotionRecord = z.infer<typeof promotionRecord>;

const reason = z.string().trim().min(3).max(500);
const id = z.string().min(1).max(100);

/** Params and results of the `promotion.*` methods; protocol.ts adds the folder schema. */
export function promotionMethods<F extends z.ZodTypeAny>(folder: F) {
  const record = promotionRecord;
  return {
    /** Pin the source head and run every gate; the record comes back at once, gates pending. */
    'promotion.plan': {
      params: z
        .object({
          folder,
          from: z.string().min(1).max(200),
          to: z.string().min(1).max(200),
          /** Gates only: nothing is backed up, and it can never start. */
          checkOnly: z.boolean().default(false),
        })
        .strict(),
      result: record,
    },
    /** Run the gates again (all, or one that was unknown); a moved source is pinned anew. */
    'promotion.recheck': {
      params: z.object({ folder, id, gate: z.enum(GATE_IDS).optional() }).strict(),
      result: record,
    },
    /** Confirm and go: merge, push, watch the deploy, verify. Refused unless every required gate passes. */
    'promotion.start': {
      params: z
        .object({
          folder,
          id,
          /** The target's name, typed, when the target is protected. */
          confirm: z.string().max(200).optional(),
          overrideWindow: reason.optional(),
          ackBackup: reason.optional(),
          rollbackOnFailure: z.boolean().default(false),
        })
        .strict(),
      result: record,
    },
    /** Record QA's sign-off of the pinned source commit (a GitHub commit status). */
    'promotion.signOff': { params: z.object({ folder, id }).strict(), result: record },
    /** Cancel a promotion that has not pushed yet. */
    'promotion.cancel': { params: z.object({ folder, id }).strict(), result: record },
    /** Roll every affected service back to the deployment that served before the promotion. */
    'promotion.rollback': {
      params: z.object({ folder, id, confirm: z.string().max(200).optional() }).strict(),
      result: record,
    },
    /** Deploy the merge commit (serviceInstanceDeployV2) to the target's services Railway never started it on. */
    'promotion.deployMissing': {
      params: z.object({ folder, id, confirm: z.string().max(200).optional() }).strict(),
      result: record,
    },
    'promotion.get': { params: z.object({ id }).strict(), result: record },
    /** Newest first; a folder's own promotions when a folder is given. */
    'promotion.list': {
      params: z
        .object({ folder: folder.optional(), limit: z.number().int().min(1).max(500).default(20) })
        .strict(),
      result: z.object({ promotions: z.array(record) }),
    },
  } as const;
}
