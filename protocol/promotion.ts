// A promotion on the wire: the durable record the daemon journals (state, pinned commits, gates
// with their evidence, steps), exactly as `promotion.changed` carries it and `railyard promote
// --json` prints it, and the params of the `promotion.*` methods. protocol.ts wires them in.
import * as z from './zod';
import { promotionVerification } from './metrics';

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
  url: z.optional(z.string()),
  /** This line alone would fail (fail) or warn the gate. */
  flag: z.optional(z.enum(['fail', 'warn'])),
});
export type GateEvidence = z.infer<typeof gateEvidence>;

/** What the user can do about a gate; the client offers it, the daemon checks it. */
export const GATE_ACTIONS = [
  'sign-off',
  'override-window',
  'ack-backup',
  'back-merge',
  'retry',
  /** Take over a teammate's stale promotion of the target (their daemon stopped reporting). */
  'take-over',
  /** Bring back what a revert on the target took out, by reverting the revert in this promotion. */
  'revert-revert',
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
  evidence: z._default(z.array(gateEvidence), []),
  actions: z._default(z.array(z.enum(GATE_ACTIONS)), []),
  /** Set when an override or acknowledgement with a reason stands in for a pass. */
  override: z.optional(overrideRecord),
  checkedAt: z.optional(z.string()),
});
export type GateResult = z.infer<typeof gateResult>;

export const STEP_IDS = [
  'backup',
  /** The pull-request strategy's merge: open or reuse the PR, wait for checks and reviews, merge it. */
  'pull-request',
  'merge',
  /** A revert's own step: the commit that undoes a promotion's merge on the target. */
  'revert',
  'push',
  'deploy',
  'verify',
  /** The release tag on the merge commit, when railyard.json sets a pattern. */
  'tag',
  'rollback',
] as const;
export type StepId = (typeof STEP_IDS)[number];
/** needs-you: waiting for a person (a pull request's approving review), not for a machine. */
export const STEP_STATES = [
  'pending',
  'running',
  'needs-you',
  'done',
  'failed',
  'skipped',
] as const;
export type StepState = (typeof STEP_STATES)[number];

export const promotionStep = z.object({
  id: z.enum(STEP_IDS),
  state: z.enum(STEP_STATES),
  startedAt: z.optional(z.string()),
  endedAt: z.optional(z.string()),
  detail: z.optional(z.string()),
});
export type PromotionStep = z.infer<typeof promotionStep>;

/** What a promotion does to one service of the target, as the deploy is watched. */
export const promotionService = z.object({
  id: z.string(),
  name: z.string(),
  /** The deployment serving before the promotion: what a rollback restores. */
  previousDeploymentId: z.optional(z.string()),
  previousCommit: z.optional(z.string()),
  /** The deployment of the merge commit, once Railway lists it. */
  deploymentId: z.optional(z.string()),
  status: z.optional(z.string()),
  /** A plain sentence: WAITING for CI, NEEDS_APPROVAL in the dashboard, no deployment yet… */
  detail: z.optional(z.string()),
  /** The deployment a rollback made, when one was made. */
  rollbackDeploymentId: z.optional(z.string()),
  /** The failed deployment's pre-deploy command ran, so the database may be migrated. */
  preDeployRan: z.optional(z.boolean()),
});
export type PromotionService = z.infer<typeof promotionService>;

export const changeCommit = z.object({
  sha: z.string(),
  message: z.string(),
  author: z.string(),
  pr: z.optional(z.number()),
  /** When the commit was authored (ISO 8601), for the checklist's "2 h ago". */
  date: z.optional(z.string()),
  /** The commit and its pull request on GitHub's web. */
  url: z.optional(z.string()),
  prUrl: z.optional(z.string()),
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
  /** GitHub's compare view of the whole change: target head ... source head. */
  compareUrl: z.optional(z.string()),
});
export type ChangeSummary = z.infer<typeof changeSummary>;

const envRef = z.object({ name: z.string(), id: z.string(), branch: z.string() });

/**
 * promotion: source into target. back-merge: the target's extra commits into the source (the
 * divergence gate's offer; from is the target). revert: undo a promotion's merge on its target
 * (from and to are both the target).
 */
export const PROMOTION_KINDS = ['promotion', 'back-merge', 'revert'] as const;
export type PromotionKind = (typeof PROMOTION_KINDS)[number];

/** merge: merge here (--no-ff) and push to the target branch. pull-request: through a GitHub PR (protected branches). */
export const PROMOTION_STRATEGIES = ['merge', 'pull-request'] as const;
export type PromotionStrategy = (typeof PROMOTION_STRATEGIES)[number];

export const pullRequestRef = z.object({
  number: z.number(),
  url: z.string(),
  state: z.enum(['open', 'merged', 'closed']),
  /** Opened by this promotion, or an open one reused. */
  reused: z._default(z.boolean(), false),
});
export type PullRequestRef = z.infer<typeof pullRequestRef>;

/** The GitHub Deployment that is the team's record and lock of a promotion. */
export const githubDeploymentRef = z.object({
  id: z.number(),
  /** GitHub's environment name the deployment was made for. */
  environment: z.string(),
  url: z.optional(z.string()),
  /** The last status GitHub acknowledged ("state description"): what is said again until it is. */
  reported: z.optional(z.string()),
});

/** A teammate's stale promotion this one took over (or the one that took this one over). */
export const takeOverRecord = z.object({
  promotion: z.string(),
  by: z.string(),
  at: z.string(),
  /** When the stale promotion last reported, as GitHub dated it. */
  lastSeen: z.optional(z.string()),
  deploymentId: z.optional(z.number()),
});
export type TakeOverRecord = z.infer<typeof takeOverRecord>;

/** A revert on the target of an earlier promotion's merge, which this promotion reverts again. */
export const reappliedRevert = z.object({
  /** The revert commit on the target. */
  revert: z.string(),
  /** The merge it reverted. */
  reverted: z.string(),
  /** The revert of the revert this promotion made (once merged). */
  commit: z.optional(z.string()),
});
export type ReappliedRevert = z.infer<typeof reappliedRevert>;

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
  sourceCommit: z.optional(z.string()),
  /** The target head the gates saw; the push expects it unchanged. */
  targetCommit: z.optional(z.string()),
  mergeCommit: z.optional(z.string()),
  /** Set when the promotion only checks (`--check`): it never starts. */
  checkOnly: z._default(z.boolean(), false),
  kind: z._default(z.enum(PROMOTION_KINDS), 'promotion'),
  strategy: z._default(z.enum(PROMOTION_STRATEGIES), 'merge'),
  /** The pull request of the pull-request strategy, once opened or found. */
  pullRequest: z.optional(pullRequestRef),
  /** The GitHub Deployment recording this promotion for the team, from the confirmation on. */
  deployment: z.optional(githubDeploymentRef),
  tookOver: z.optional(takeOverRecord),
  takenOverBy: z.optional(takeOverRecord),
  /** A revert: the promotion whose merge it undoes, and that merge commit. */
  reverts: z.optional(z.object({ promotion: z.string(), commit: z.string() })),
  /** A promotion reverted later: the revert's promotion id and commit. */
  revertedBy: z.optional(z.object({ promotion: z.string(), commit: z.optional(z.string()) })),
  /** Reverts on the target this promotion reverts again (`reapplyReverts` at start). */
  reapplies: z._default(z.array(reappliedRevert), []),
  /** The release tag pushed on the merge commit, when railyard.json sets a pattern. */
  tag: z.optional(z.string()),
  protected: z.boolean(),
  gates: z.array(gateResult),
  steps: z.array(promotionStep),
  services: z._default(z.array(promotionService), []),
  changes: z.optional(changeSummary),
  overrides: z._default(
    z.object({ window: z.optional(overrideRecord), backup: z.optional(overrideRecord) }),
    {},
  ),
  signOff: z.optional(z.object({ by: z.string(), at: z.string() })),
  rollbackOnFailure: z._default(z.boolean(), false),
  /** Pushes git refused because the target moved; the gates ran again after each. */
  rejectedPushes: z._default(z.number(), 0),
  createdBy: z.string(),
  confirmedBy: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When each state was entered, in order. */
  history: z.array(z.object({ state: z.enum(PROMOTION_STATES), at: z.string() })),
  /** Production judged by its own metrics after a succeeded promotion (never holds the CLI). */
  verification: z.optional(promotionVerification),
});
export type PromotionRecord = z.infer<typeof promotionRecord>;

/**
 * A promotion as the team sees it through GitHub: one of Railyard's GitHub Deployments, whoever
 * made it (a teammate, or this user on another machine). `stale`: in progress, but its daemon has
 * not reported for longer than the lock's timeout.
 */
export const TEAM_PROMOTION_STATES = [
  'in-progress',
  'stale',
  'succeeded',
  'failed',
  'inactive',
] as const;
export const teamPromotion = z.object({
  /** Railyard's promotion id, from the deployment's payload. */
  id: z.string(),
  deploymentId: z.number(),
  repo: z.string(),
  /** The Railway environment names of the promotion. */
  from: z.string(),
  to: z.string(),
  kind: z._default(z.enum(PROMOTION_KINDS), 'promotion'),
  /** The GitHub login that started it. */
  by: z.string(),
  /** The machine its daemon runs on (a host name), telling one login's two machines apart. */
  machine: z.optional(z.string()),
  state: z.enum(TEAM_PROMOTION_STATES),
  /** The last status's description: where it stands, in its promoter's daemon's words. */
  detail: z.string(),
  sourceCommit: z.string(),
  startedAt: z.string(),
  /** When its daemon last reported (the newest status), as GitHub dated it. */
  updatedAt: z.string(),
  url: z.optional(z.string()),
});
export type TeamPromotion = z.infer<typeof teamPromotion>;

const reason = z.string().check(z.trim(), z.minLength(3), z.maxLength(500));
const id = z.string().check(z.minLength(1), z.maxLength(100));

/** Params and results of the `promotion.*` methods; protocol.ts adds the folder schema. */
export function promotionMethods<F extends z.core.$ZodType>(folder: F) {
  const record = promotionRecord;
  return {
    /** Pin the source head and run every gate; the record comes back at once, gates pending. */
    'promotion.plan': {
      params: z.strictObject({
        folder,
        from: z.string().check(z.minLength(1), z.maxLength(200)),
        to: z.string().check(z.minLength(1), z.maxLength(200)),
        /** Gates only: nothing is backed up, and it can never start. */
        checkOnly: z._default(z.boolean(), false),
        /** back-merge: `from` is the target whose extra commits go back into `to`, the source. */
        kind: z._default(z.enum(['promotion', 'back-merge']), 'promotion'),
        /** Overrides railyard.json's `strategy` for this pair. */
        strategy: z.optional(z.enum(PROMOTION_STRATEGIES)),
      }),
      result: record,
    },
    /** Run the gates again (all, or one that was unknown); a moved source is pinned anew. */
    'promotion.recheck': {
      params: z.strictObject({ folder, id, gate: z.optional(z.enum(GATE_IDS)) }),
      result: record,
    },
    /** Confirm and go: merge, push, watch the deploy, verify. Refused unless every required gate passes. */
    'promotion.start': {
      params: z.strictObject({
        folder,
        id,
        /** The target's name, typed, when the target is protected. */
        confirm: z.optional(z.string().check(z.maxLength(200))),
        overrideWindow: z.optional(reason),
        ackBackup: z.optional(reason),
        rollbackOnFailure: z._default(z.boolean(), false),
        /** The target's name, typed, to take over a teammate's stale promotion of it. */
        takeOver: z.optional(z.string().check(z.maxLength(200))),
        /** Revert the reverts the divergence gate found on the target, so their changes come back. */
        reapplyReverts: z._default(z.boolean(), false),
      }),
      result: record,
    },
    /** Record QA's sign-off of the pinned source commit (a GitHub commit status). */
    'promotion.signOff': { params: z.strictObject({ folder, id }), result: record },
    /** Cancel a promotion that has not pushed yet. */
    'promotion.cancel': { params: z.strictObject({ folder, id }), result: record },
    /** Roll every affected service back to the deployment that served before the promotion. */
    'promotion.rollback': {
      params: z.strictObject({
        folder,
        id,
        confirm: z.optional(z.string().check(z.maxLength(200))),
      }),
      result: record,
    },
    /** Deploy the merge commit (serviceInstanceDeployV2) to the target's services Railway never started it on. */
    'promotion.deployMissing': {
      params: z.strictObject({
        folder,
        id,
        confirm: z.optional(z.string().check(z.maxLength(200))),
      }),
      result: record,
    },
    /**
     * Undo a failed (or any pushed) promotion by reverting its merge commit on the target: a new
     * promotion of kind revert, confirmed at once, that pushes the revert and watches its deploy.
     */
    'promotion.revert': {
      params: z.strictObject({
        folder,
        id,
        confirm: z.optional(z.string().check(z.maxLength(200))),
      }),
      result: record,
    },
    'promotion.get': { params: z.strictObject({ id }), result: record },
    /** Newest first; a folder's own promotions when a folder is given. */
    'promotion.list': {
      params: z.strictObject({
        folder: z.optional(folder),
        limit: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(500)), 20),
        /** false: this daemon's promotions only, without asking GitHub for the team's. */
        team: z._default(z.boolean(), true),
      }),
      result: z.object({
        promotions: z.array(record),
        /** Teammates' promotions (GitHub Deployments not made by this daemon), newest first. */
        team: z._default(z.array(teamPromotion), []),
      }),
    },
  } as const;
}
