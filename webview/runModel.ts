// The checklist panel's view model of what ships and what happened: the change summary, the
// steps' timeline with elapsed times, the services being deployed, the outcome (what production
// runs now, what can undo it) and a teammate's promotion. Pure: the record and the clock in.
import type { PanelAction } from '../protocol/panel';
import type {
  ChangeSummary,
  PromotionRecord,
  PromotionStep,
  TeamPromotion,
} from '../protocol/promotion';
import type { ModelContext } from './panelModel';
import {
  STEP_LOOK,
  STEP_TITLES,
  TEAM_STATE_LOOK,
  ago,
  clockTime,
  plural,
  shortSha,
  stepElapsed,
  subjectOf,
  type Look,
} from './panelWords';

export interface Link {
  text: string;
  url: string;
}

export interface CommitRow {
  sha: string;
  short: string;
  url?: string;
  subject: string;
  author: string;
  age: string;
  pr?: { text: string; url?: string };
}

export interface ChangesModel {
  /** "12 commits by ana, bo · 34 files" */
  heading: string;
  commits: CommitRow[];
  /** "Showing 20 of 57 commits", when the list is shortened. */
  shortened?: string;
  migrations: string[];
  risky: { path: string; why: string }[];
  compareUrl?: string;
}

export function changesModel(changes: ChangeSummary, now: number): ChangesModel {
  const authors = changes.authors.length ? ` by ${changes.authors.join(', ')}` : '';
  const shown = changes.commits.length;
  return {
    heading: `${plural(changes.commitCount, 'commit')}${authors} · ${plural(changes.files.length, 'file')}`,
    commits: changes.commits.map((c) => ({
      sha: c.sha,
      short: shortSha(c.sha) ?? c.sha,
      ...(c.url && { url: c.url }),
      subject: subjectOf(c.message),
      author: c.author,
      age: ago(c.date, now),
      ...(c.pr !== undefined && { pr: { text: `#${c.pr}`, ...(c.prUrl && { url: c.prUrl }) } }),
    })),
    ...(shown < changes.commitCount && {
      shortened: `Showing ${shown} of ${plural(changes.commitCount, 'commit')}`,
    }),
    migrations: changes.migrations,
    risky: changes.risky,
    ...(changes.compareUrl && { compareUrl: changes.compareUrl }),
  };
}

export interface StepRow {
  id: PromotionStep['id'];
  state: PromotionStep['state'];
  look: Look;
  title: string;
  /** Ticking while it runs, its duration once done; empty before it starts. */
  elapsed: string;
  detail?: string;
  links: Link[];
}

export function stepRows(record: PromotionRecord, now: number): StepRow[] {
  return record.steps.map((s) => ({
    id: s.id,
    state: s.state,
    look: STEP_LOOK[s.state],
    title: STEP_TITLES[s.id],
    elapsed: stepElapsed(s, now),
    ...(s.detail && { detail: s.detail }),
    links: stepLinks(s, record),
  }));
}

/** What the record knows beside a step's words: the merge commit, the pull request, the tag. */
function stepLinks(step: PromotionStep, record: PromotionRecord): Link[] {
  const pr = record.pullRequest;
  if (step.id === 'pull-request' && pr)
    return [{ text: `pull request #${pr.number}`, url: pr.url }];
  return [];
}

/** Whether a step's elapsed time moves by itself (the page ticks only then). */
export function anyRunning(record: PromotionRecord | undefined): boolean {
  return !!record?.steps.some(
    (s) => s.startedAt && (s.state === 'running' || s.state === 'needs-you'),
  );
}

export interface ServiceRow {
  id: string;
  name: string;
  /** Railway's status, or "none" when no deployment of the merge is listed yet. */
  status: string;
  statusText: string;
  detail?: string;
  /** "deployment 3f2a…, before: 1a2b3c4" */
  facts: string;
}

export function serviceRows(record: PromotionRecord): ServiceRow[] {
  return record.services.map((s) => {
    const facts = [
      s.deploymentId && `deployment ${s.deploymentId.slice(0, 8)}`,
      s.previousCommit && `served ${shortSha(s.previousCommit)} before`,
      s.rollbackDeploymentId && `rolled back by ${s.rollbackDeploymentId.slice(0, 8)}`,
      s.preDeployRan && 'its pre-deploy command ran (the database may be migrated)',
    ].filter(Boolean);
    return {
      id: s.id,
      name: s.name,
      status: s.status ?? 'none',
      statusText: s.status ?? 'no deployment yet',
      ...(s.detail && { detail: s.detail }),
      facts: facts.join(' · '),
    };
  });
}

/**
 * Railway never started the merge commit on some service (a lost webhook): the daemon can deploy
 * it by sha while the promotion deploys. Offered once the daemon says it has waited long enough,
 * so a webhook that is merely slow does not get a second deployment.
 */
export function deployMissingOffer(record: PromotionRecord, ctx: ModelContext): string | undefined {
  if (record.state !== 'deploying' || !record.mergeCommit || ctx.readOnly) return undefined;
  const missing = record.services.filter(
    (s) => !s.deploymentId && /deploy-missing|has not started/.test(s.detail ?? ''),
  );
  if (!missing.length) return undefined;
  return `Railway has not started ${shortSha(record.mergeCommit)} on ${missing.map((s) => s.name).join(', ')}.`;
}

export interface OutcomeModel {
  tone: 'ok' | 'bad' | 'warn' | 'muted' | 'busy';
  heading: string;
  /** The record's own sentence: what production runs now. */
  sentence: string;
  rollback?: { enabled: boolean; primary: boolean };
  revert?: { enabled: boolean };
  tag?: string;
  deployment?: Link;
  pullRequest?: Link;
  /** "Reverted by promotion p-9" */
  note?: string;
}

const HEADINGS: Partial<Record<PromotionRecord['state'], [OutcomeModel['tone'], string]>> = {
  succeeded: ['ok', 'Promoted'],
  failed: ['bad', 'The promotion failed'],
  'rolling-back': ['busy', 'Rolling back'],
  'rolled-back': ['warn', 'Rolled back'],
  cancelled: ['muted', 'Cancelled: nothing changed'],
};

/** Undefined while the promotion is not over (nor rolling back). */
export function outcomeModel(record: PromotionRecord, ctx: ModelContext): OutcomeModel | undefined {
  const head = HEADINGS[record.state];
  if (!head) return undefined;
  const heading = record.kind === 'revert' && record.state === 'succeeded' ? 'Reverted' : head[1];
  const act = (a: PanelAction) => !ctx.readOnly && !ctx.busy.has(a);
  const pushed = !!record.mergeCommit;
  const canRollBack = pushed && (record.state === 'failed' || record.state === 'succeeded');
  const canRevert =
    pushed &&
    record.kind !== 'revert' &&
    !record.revertedBy &&
    ['failed', 'succeeded', 'rolled-back'].includes(record.state);
  return {
    tone: head[0],
    heading,
    sentence: record.summary,
    ...(canRollBack && {
      rollback: {
        enabled: act('rollback'),
        // Production's numbers said the release made it worse: rolling back is the next step.
        primary: record.state === 'failed' || record.verification?.state === 'regressed',
      },
    }),
    ...(canRevert && { revert: { enabled: act('revert') } }),
    ...(record.tag && { tag: record.tag }),
    ...(record.deployment?.url && {
      deployment: {
        text: `GitHub Deployment to ${record.deployment.environment}`,
        url: record.deployment.url,
      },
    }),
    ...(record.pullRequest && {
      pullRequest: {
        text: `Pull request #${record.pullRequest.number}`,
        url: record.pullRequest.url,
      },
    }),
    ...(record.revertedBy && { note: `Reverted by promotion ${record.revertedBy.promotion}.` }),
  };
}

export interface TeamModel {
  title: string;
  look: Look;
  rows: { label: string; text: string }[];
  link?: Link;
}

/** A teammate's promotion as GitHub records it: everything it says, nothing to press. */
export function teamModel(t: TeamPromotion, ctx: ModelContext): TeamModel {
  const word =
    t.kind === 'back-merge' ? 'Back-merge' : t.kind === 'revert' ? 'Revert' : 'Promotion';
  const when = (iso: string) => `${clockTime(iso, ctx.timeZone)} (${ago(iso, ctx.now)})`;
  return {
    title: `${word} ${t.from} → ${t.to}`,
    look: TEAM_STATE_LOOK[t.state],
    rows: [
      { label: 'From', text: t.from },
      { label: 'To', text: t.to },
      { label: 'By', text: t.machine ? `${t.by} on ${t.machine}` : t.by },
      { label: 'State', text: TEAM_STATE_LOOK[t.state].word },
      { label: 'Detail', text: t.detail },
      { label: 'Commit', text: shortSha(t.sourceCommit) ?? t.sourceCommit },
      { label: 'Started', text: when(t.startedAt) },
      { label: 'Last report', text: when(t.updatedAt) },
    ],
    ...(t.url && { link: { text: 'Open the GitHub Deployment', url: t.url } }),
  };
}

/** Where an action's error is said: beside the control that asked. */
export type ErrorAnchor =
  'header' | 'gates' | 'sign-off' | 'divergence' | 'actions' | 'outcome' | 'services';

export function errorAnchor(action: PanelAction | undefined): ErrorAnchor {
  switch (action) {
    case undefined:
      return 'header';
    case 'recheck':
      return 'gates';
    case 'sign-off':
      return 'sign-off';
    case 'back-merge':
      return 'divergence';
    case 'start':
    case 'cancel':
      return 'actions';
    case 'rollback':
    case 'revert':
      return 'outcome';
    case 'deploy-missing':
      return 'services';
  }
}

/** Railway statuses during which the build log is the one being written. */
const BUILDING = new Set(['QUEUED', 'INITIALIZING', 'WAITING', 'BUILDING', 'FAILED']);

/**
 * Which full log "Open full log" opens for a service: the kind it last sent to the tail, else the
 * build log while it builds (or failed, which Railway says of a broken build), else the deploy log.
 */
export function logKindFor(
  status: string | undefined,
  lastKind?: 'build' | 'deploy',
): 'build' | 'deploy' {
  if (lastKind) return lastKind;
  return status && BUILDING.has(status) ? 'build' : 'deploy';
}
