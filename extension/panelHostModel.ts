// Pure: what the checklist panel's host decides without VS Code: its title, why it only shows, the
// questions the modals ask before a rollback, a revert or a deploy, and which deployments' logs
// its tail follows.
import type { PanelReadOnly, PanelLogLine } from '../protocol/panel';
import type {
  PromotionKind,
  PromotionRecord,
  PromotionState,
  TeamPromotion,
} from '../protocol/protocol';

/** "Promote kars-dev → kars-prod", "Back-merge kars-prod → kars-dev", "Revert on kars-prod". */
export function panelTitle(p: { kind: PromotionKind; from: string; to: string }): string {
  if (p.kind === 'revert') return `Revert on ${p.to}`;
  return `${p.kind === 'back-merge' ? 'Back-merge' : 'Promote'} ${p.from} → ${p.to}`;
}

const ENDED: Partial<Record<PromotionState, string>> = {
  succeeded: 'succeeded',
  failed: 'failed',
  'rolled-back': 'rolled back',
  cancelled: 'cancelled',
};

/** An ended promotion says how in its tab, so a run's tab reads apart from the next one's. */
export function recordTitle(r: PromotionRecord): string {
  const title = panelTitle({ kind: r.kind, from: r.from.name, to: r.to.name });
  const ended = ENDED[r.state];
  return ended ? `${title}: ${ended}` : title;
}

/** A teammate's shows whose it is: "Promote kars-dev → kars-prod (lin)". */
export function teamTitle(t: TeamPromotion): string {
  return `${panelTitle(t)} (${t.by})`;
}

/** A teammate's promotion as a panel names it: GitHub's deployment of it, in its repository. */
export interface TeamSubject {
  deploymentId: number;
  repo: string;
}

/** The entry of a `promotion.list`'s team that a teammate's panel shows. */
export function teamEntryOf(
  team: readonly TeamPromotion[],
  subject: TeamSubject,
): TeamPromotion | undefined {
  return team.find((t) => t.deploymentId === subject.deploymentId && t.repo === subject.repo);
}

/**
 * What a teammate's open panel should show after the team's list changed: its entry, unless the
 * list lacks it (GitHub listed it no more: the panel keeps what it had), it is older than the one
 * shown, or it says nothing new (a list of unchanged entries redraws no page).
 */
export function teamUpdate(
  team: readonly TeamPromotion[],
  subject: TeamSubject,
  shown: TeamPromotion | undefined,
): TeamPromotion | undefined {
  const entry = teamEntryOf(team, subject);
  if (!entry || !shown) return entry;
  if (Date.parse(entry.updatedAt) < Date.parse(shown.updatedAt)) return undefined;
  return JSON.stringify(entry) === JSON.stringify(shown) ? undefined : entry;
}

/** Whose panel it is and what the window can do decide whether it only shows, and why. */
export function readOnlyOf(s: {
  team: boolean;
  connected: boolean;
  trusted: boolean;
}): PanelReadOnly | undefined {
  if (s.team) return 'teammate';
  if (!s.connected) return 'disconnected';
  if (!s.trusted) return 'untrusted';
  return undefined;
}

/** The sentence an action the panel asked for gets when the window may not act on it. */
export function refusalOf(readOnly: PanelReadOnly, team?: TeamPromotion): string {
  switch (readOnly) {
    case 'teammate':
      return `This is ${team?.by ?? 'a teammate'}'s promotion: only their Railyard acts on it. Railyard shows it as GitHub records it.`;
    case 'untrusted':
      return 'Railyard only reads in Restricted Mode: trust the workspace (Manage Workspace Trust) to check, sign off, promote or roll back from it.';
    case 'disconnected':
      return 'The Railyard daemon is not connected; Railyard reconnects by itself. Try again once the panel shows the promotion live.';
  }
}

/**
 * What a panel does when reading its promotion failed: it closes when the promotion is unknown
 * (the daemon has no such id, GitHub lists the teammate's no more) and it shows nothing of it, as
 * there will never be anything to load; otherwise it says why beside what it shows, and reads
 * again on the next connection.
 */
export function afterFailedRead(s: { unknown: boolean; showing: boolean }): 'close' | 'say' {
  return s.unknown && !s.showing ? 'close' : 'say';
}

/** `a` is newer than `b` (or there is no `b`): a late answer must not undo a newer notification. */
export function isNewer(a: PromotionRecord, b: PromotionRecord | undefined): boolean {
  return !b || a.updatedAt >= b.updatedAt;
}

const short = (sha: string | undefined) => sha?.slice(0, 7);

export interface Question {
  message: string;
  detail: string;
  /** The button that goes ahead. */
  confirm: string;
  /** A protected target's name, to be typed after the modal: what the daemon checks. */
  typed?: string;
}

/** What the person answered: undefined when they backed out; `confirm` is what they typed. */
export type Answer = { confirm?: string } | undefined;

/** Before promotion.rollback: what each service goes back to, and that it is a new deployment. */
export function rollbackQuestion(r: PromotionRecord): Question {
  const lines = r.services.map((s) => {
    const to = s.previousDeploymentId
      ? `its deployment ${s.previousDeploymentId.slice(0, 8)}${s.previousCommit ? ` (${short(s.previousCommit)})` : ''}`
      : 'nothing: it had no deployment before';
    return `${s.name}: back to ${to}`;
  });
  return {
    message: `Roll ${r.to.name} back to what served before this promotion?`,
    detail: [
      ...lines,
      `Railway starts new deployments from those images; ${short(r.mergeCommit) ?? 'the merge'} stays on ${r.to.branch} (Revert removes it from the branch).`,
    ].join('\n'),
    confirm: 'Roll Back',
  };
}

/** Before promotion.revert: a new commit on the target's branch, deployed like any push. */
export function revertQuestion(r: PromotionRecord): Question {
  const commits = r.changes?.commitCount;
  return {
    message: `Revert this promotion on ${r.to.name}?`,
    detail: `Railyard pushes a commit to ${r.to.branch} that undoes the merge ${short(r.mergeCommit) ?? ''}${commits !== undefined ? ` (${commits} ${commits === 1 ? 'commit' : 'commits'} from ${r.from.name})` : ''}, and Railway deploys it to ${r.to.name}. The revert is a promotion of its own, shown in its own panel.`,
    confirm: 'Revert',
  };
}

/** Before promotion.deployMissing: the services Railway never started the merge commit on. */
export function deployMissingQuestion(r: PromotionRecord): Question {
  const missing = r.services.filter((s) => !s.deploymentId).map((s) => s.name);
  return {
    message: `Deploy ${short(r.mergeCommit) ?? 'the merge commit'} to ${missing.join(', ') || 'the services without a deployment'} in ${r.to.name}?`,
    detail:
      'Railway has not started a deployment of the merge commit there (a missed webhook, or autodeploy off). Railyard asks Railway to deploy that commit, as Deploy Commit… does.',
    confirm: 'Deploy',
  };
}

/** States whose deployments the tail follows: under way, or just ended (their last lines). */
export const TAIL_STATES: readonly PromotionState[] = [
  'pushed',
  'deploying',
  'rolling-back',
  'succeeded',
  'failed',
];

export interface LogTarget {
  serviceId: string;
  kind: PanelLogLine['kind'];
  deploymentId: string;
}

/**
 * The streams the tail follows for a record: each service's deployment of the merge commit,
 * build then deploy, and the deploy log of the deployment a rollback made.
 */
export function logTargets(r: PromotionRecord | undefined): LogTarget[] {
  if (!r || !TAIL_STATES.includes(r.state)) return [];
  return r.services.flatMap((s) => {
    const targets: LogTarget[] = [];
    if (s.deploymentId) {
      targets.push({ serviceId: s.id, kind: 'build', deploymentId: s.deploymentId });
      targets.push({ serviceId: s.id, kind: 'deploy', deploymentId: s.deploymentId });
    }
    if (s.rollbackDeploymentId)
      targets.push({ serviceId: s.id, kind: 'deploy', deploymentId: s.rollbackDeploymentId });
    return targets;
  });
}

export function targetKey(t: LogTarget): string {
  return `${t.serviceId}/${t.kind}/${t.deploymentId}`;
}
