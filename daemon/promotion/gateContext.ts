// What every gate is handed, and what it answers. A gate reads; it never changes the target
// (the backup gate's snapshot is the one exception, and only outside --check). A gate whose
// upstream call fails answers `unknown` with a retry, never a pass.
import type {
  ChangeSummary,
  EnvironmentView,
  GateAction,
  GateEvidence,
  GateId,
  GateState,
  PromotionRecord,
} from '../../protocol/protocol';
import type { RailyardConfig } from '../project/railyardConfig';
import type { GithubClient } from '../github/githubClient';
import type { RailwayClient } from '../railway/railwayClient';
import type { HealthView } from '../../protocol/protocol';
import type { GitMirror } from './gitMirror';

/** A gate's answer; the engine adds its id, title, level and time. */
export interface GateOutcome {
  state: Exclude<GateState, 'pending' | 'off'>;
  detail: string;
  evidence?: GateEvidence[];
  actions?: GateAction[];
}

/** The promotion settings of railyard.json for this pair, with every default filled in. */
export interface PromotionSettings {
  settleSeconds: number;
  deployTimeoutSeconds: number;
  /** Path patterns (globs, or a directory ending in "/") that are database migrations. */
  migrations: string[];
  deployWindow?: NonNullable<RailyardConfig['deployWindow']>;
  /**
   * railyard.json's `environments.<name>.healthUrl` of each side, checked besides every service's
   * domain and healthcheck path, as the tree checks them.
   */
  healthUrls?: { source?: string; target?: string };
  /** After how long without a status a teammate's promotion of the target is stale (minutes; 15 when unset). */
  lockStaleMinutes?: number;
  /** railyard.json's release tag pattern, e.g. release-{date}-{n}. */
  tag?: string;
}

export interface GateContext {
  /** The promotion, with `sourceCommit` and `targetCommit` pinned. */
  record: PromotionRecord;
  source: EnvironmentView;
  target: EnvironmentView;
  settings: PromotionSettings;
  /** The commits and files the promotion brings, from the mirror (computed before the gates). */
  changes: ChangeSummary;
  /** Undefined when no GitHub credential is set: GitHub's gates are then unknown, saying so. */
  github?: GithubClient;
  /** The GitHub token's OAuth scopes; null for a fine-grained token (GitHub does not say). */
  githubScopes?: string[] | null;
  railway: RailwayClient;
  mirror: GitMirror;
  /** GET a health URL and judge it (2xx, body ok/connected), as the tree does. */
  checkHealth(url: string): Promise<HealthView>;
  /** Another promotion holding this target (confirmed … deploying), if any. */
  lockHolder(): PromotionRecord | undefined;
  /** Whether a promotion id is this daemon's own (its journal knows it). */
  ours: (id: string) => boolean;
  now(): Date;
  signal?: AbortSignal;
}

export type GateEvaluator = (ctx: GateContext) => Promise<GateOutcome>;

export interface GateDefinition {
  id: GateId;
  title: string;
  evaluate: GateEvaluator;
}

/** An upstream failure, as a gate answers it: unknown, with a retry offered. */
export function unknownBecause(what: string, message: string): GateOutcome {
  return { state: 'unknown', detail: `Could not ${what}: ${message}`, actions: ['retry'] };
}
