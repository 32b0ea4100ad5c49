// Pure: how promotions read in the editor. The Promotions view's rows (this daemon's records and the
// team's GitHub Deployments, merged, newest first), the in-flight status bar item, and which change
// of a record deserves a notification. No `vscode` import, so it is unit-tested under Node.
import {
  IN_FLIGHT_STATES,
  type ProjectView,
  type PromotionKind,
  type PromotionRecord,
  type PromotionState,
  type TeamPromotion,
} from '../protocol/protocol';
import type { VerificationState } from '../protocol/metrics';
import { ago, plural } from '../protocol/promotionWords';
import { escapeMd, markdownUrl, shortSha } from './treeModel';

/** What `railyard.openPromotion` takes: this daemon's promotion by id, or a teammate's as GitHub has it. */
export type OpenPromotionArg = { id: string } | { team: TeamPromotion };

/** How a row looks: one per outcome, whoever's promotion it is. */
export type Outcome =
  'in-flight' | 'succeeded' | 'failed' | 'rolled-back' | 'cancelled' | 'pending' | 'silent';

/** A codicon id (`~spin` animates it) and a theme colour id. */
export interface Look {
  icon: string;
  color: string;
}

export const OUTCOME_LOOK: Readonly<Record<Outcome, Look>> = {
  'in-flight': { icon: 'sync~spin', color: 'charts.blue' },
  succeeded: { icon: 'pass', color: 'testing.iconPassed' },
  failed: { icon: 'error', color: 'testing.iconFailed' },
  'rolled-back': { icon: 'discard', color: 'charts.orange' },
  cancelled: { icon: 'circle-slash', color: 'disabledForeground' },
  pending: { icon: 'checklist', color: 'descriptionForeground' },
  // A teammate's promotion whose daemon stopped reporting: it still holds the target.
  silent: { icon: 'warning', color: 'charts.orange' },
};

const STATE_OUTCOME: Readonly<Record<PromotionState, Outcome>> = {
  planned: 'pending',
  gated: 'pending',
  confirmed: 'in-flight',
  merged: 'in-flight',
  pushed: 'in-flight',
  deploying: 'in-flight',
  'rolling-back': 'in-flight',
  succeeded: 'succeeded',
  failed: 'failed',
  'rolled-back': 'rolled-back',
  cancelled: 'cancelled',
};

export const outcomeOf = (state: PromotionState): Outcome => STATE_OUTCOME[state];

/** The word a row, the status bar and the notifications use for a state. */
const STATE_WORDS: Readonly<Record<PromotionState, string>> = {
  planned: 'checking',
  // Gates ran; nobody confirmed (ready or blocked: the summary says which).
  gated: 'not started',
  confirmed: 'starting',
  merged: 'merged',
  pushed: 'pushed',
  deploying: 'deploying',
  succeeded: 'succeeded',
  failed: 'failed',
  'rolling-back': 'rolling back',
  'rolled-back': 'rolled back',
  cancelled: 'cancelled',
};

/** A state's word; a promotion waiting on a person (a pull request's review) says so instead. */
export function stateWord(r: PromotionRecord): string {
  if (r.checkOnly && r.state === 'gated') return 'checked';
  if (IN_FLIGHT_STATES.includes(r.state) && r.steps.some((s) => s.state === 'needs-you'))
    return r.steps.some((s) => s.id === 'pull-request' && s.state === 'needs-you')
      ? 'waiting for a review'
      : 'waiting for you';
  const verdict = r.state === 'succeeded' && r.verification && VERDICT_WORDS[r.verification.state];
  return verdict ? `${STATE_WORDS[r.state]}, ${verdict}` : STATE_WORDS[r.state];
}

/** What a success's row adds once production's numbers are being watched or have spoken. */
const VERDICT_WORDS: Readonly<Record<VerificationState, string>> = {
  pending: 'watching metrics',
  verified: 'verified',
  regressed: 'regressed',
  'not-enough-traffic': 'too little traffic to verify',
  unknown: 'not verified (Railway did not answer)',
};

const TEAM_LOOK: Readonly<Record<TeamPromotion['state'], { outcome: Outcome; word: string }>> = {
  'in-progress': { outcome: 'in-flight', word: 'in progress' },
  stale: { outcome: 'silent', word: 'silent' },
  succeeded: { outcome: 'succeeded', word: 'succeeded' },
  // Railyard reports a rolled-back promotion as a failure on GitHub too.
  failed: { outcome: 'failed', word: 'failed' },
  // Cancelled, or back to its gates after a rejected push: it no longer holds the target.
  inactive: { outcome: 'cancelled', word: 'inactive' },
};

/** "kars-dev → kars-prod"; a back-merge and a revert say what they are. */
export function routeLabel(from: string, to: string, kind: PromotionKind): string {
  if (kind === 'revert') return `Revert on ${to}`;
  if (kind === 'back-merge') return `${from} → ${to} (back-merge)`;
  return `${from} → ${to}`;
}

export const recordLabel = (r: PromotionRecord): string =>
  routeLabel(r.from.name, r.to.name, r.kind);

export interface PromotionRow {
  /** Stable across refreshes and unique in the view: the tree item's id. */
  key: string;
  /** Railyard's promotion id. */
  promotionId: string;
  mine: boolean;
  label: string;
  description: string;
  /** Markdown: the daemon's and GitHub's text in it is escaped. */
  tooltip: string;
  look: Look;
  outcome: Outcome;
  /** The row read aloud: what it is, then its description. */
  accessibilityLabel: string;
  /** When it began (ISO 8601): the rows are newest first by it. */
  at: string;
  /** The argument of `railyard.openPromotion` for this row. */
  open: OpenPromotionArg;
}

/**
 * The folder's own promotions and the team's, newest first by when each began. A team entry that
 * is one of our own records (the same promotion id, seen through its GitHub Deployment) is dropped:
 * our record says more.
 */
export function promotionRows(
  own: readonly PromotionRecord[],
  team: readonly TeamPromotion[],
  now: number,
): PromotionRow[] {
  const ours = new Set(own.map((r) => r.id));
  const rows = [
    ...own.map((r) => ownRow(r, now)),
    ...team.filter((t) => !ours.has(t.id)).map((t) => teamRow(t, now)),
  ];
  return rows.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.key.localeCompare(b.key));
}

export function ownRow(r: PromotionRecord, now: number): PromotionRow {
  const label = recordLabel(r);
  const count = r.changes ? plural(r.changes.commitCount, 'commit') : undefined;
  const description = [stateWord(r), 'you', ago(r.createdAt, now), count]
    .filter(Boolean)
    .join(' · ');
  const outcome = outcomeOf(r.state);
  return {
    key: `promotion:${r.id}`,
    promotionId: r.id,
    mine: true,
    label,
    description,
    tooltip: ownTooltip(r, now).join('  \n'),
    look: OUTCOME_LOOK[outcome],
    outcome,
    accessibilityLabel: `Promotion ${label}, ${description}`,
    at: r.createdAt,
    open: { id: r.id },
  };
}

export function teamRow(t: TeamPromotion, now: number): PromotionRow {
  const label = routeLabel(t.from, t.to, t.kind);
  const { outcome, word } = TEAM_LOOK[t.state];
  const description = [word, t.by, ago(t.startedAt, now)].join(' · ');
  return {
    // A promotion id could repeat across deployments (a retried record); the deployment cannot.
    key: `team:${t.deploymentId}`,
    promotionId: t.id,
    mine: false,
    label,
    description,
    tooltip: teamTooltip(t, now).join('  \n'),
    look: OUTCOME_LOOK[outcome],
    outcome,
    accessibilityLabel: `Promotion ${label}, ${description}`,
    at: t.startedAt,
    open: { team: t },
  };
}

/** How many commits a tooltip lists before "and N more". */
const TOOLTIP_COMMITS = 5;

function ownTooltip(r: PromotionRecord, now: number): string[] {
  const lines = [`**${escapeMd(recordLabel(r))}**${r.protected ? ' (protected)' : ''}`];
  lines.push(escapeMd(r.summary));
  if (r.verification) lines.push(escapeMd(r.verification.summary));
  lines.push(...commitLines(r));
  const pinned = [
    r.sourceCommit && `source \`${shortSha(r.sourceCommit)}\``,
    r.mergeCommit && `merge \`${shortSha(r.mergeCommit)}\``,
    r.tag && `tag \`${escapeMd(r.tag)}\``,
  ].filter(Boolean);
  if (pinned.length) lines.push(pinned.join(' · '));
  const who = escapeMd(r.confirmedBy ?? r.createdBy);
  lines.push(`Promotion \`${r.id}\`, by ${who}, ${ago(r.createdAt, now)}`);
  const links = [
    r.pullRequest && `[Pull request #${r.pullRequest.number}](${markdownUrl(r.pullRequest.url)})`,
    r.deployment?.url && `[GitHub deployment](${markdownUrl(r.deployment.url)})`,
  ].filter(Boolean);
  if (links.length) lines.push(links.join(' · '));
  return lines;
}

/** "4 commits by ada, lin", then the first few commits, one a line. */
function commitLines(r: PromotionRecord): string[] {
  const c = r.changes;
  if (!c) return [];
  const authors = c.authors.length ? ` by ${escapeMd(c.authors.join(', '))}` : '';
  const lines = [`${plural(c.commitCount, 'commit')}${authors}:`];
  for (const commit of c.commits.slice(0, TOOLTIP_COMMITS)) {
    const message = escapeMd(commit.message.split('\n')[0] ?? '');
    lines.push(`\`${shortSha(commit.sha)}\` ${message} (${escapeMd(commit.author)})`);
  }
  const more = c.commitCount - Math.min(c.commits.length, TOOLTIP_COMMITS);
  if (more > 0) lines.push(`and ${more} more`);
  return lines;
}

function teamTooltip(t: TeamPromotion, now: number): string[] {
  const who = `${escapeMd(t.by)}${t.machine ? ` on ${escapeMd(t.machine)}` : ''}`;
  const lines = [`**${escapeMd(routeLabel(t.from, t.to, t.kind))}**`];
  if (t.detail) lines.push(escapeMd(t.detail));
  lines.push(`By ${who}, ${ago(t.startedAt, now)}; last reported ${ago(t.updatedAt, now)}`);
  if (t.state === 'stale')
    lines.push('Its daemon stopped reporting: it still holds the target until taken over.');
  lines.push(`Source \`${shortSha(t.sourceCommit)}\` · promotion \`${escapeMd(t.id)}\``);
  if (t.url) lines.push(`[GitHub deployment](${markdownUrl(t.url)})`);
  return lines;
}

/**
 * Every description in one string: when it differs from the one rendered, an age went stale (or
 * something changed) and the view re-renders.
 */
export const shownRows = (rows: readonly PromotionRow[]): string =>
  rows.map((r) => `${r.key}|${r.description}|${r.look.icon}|${r.tooltip}`).join('\n');

/** What the status bar item shows while a promotion of this folder is in flight. */
export interface InFlightStatus {
  text: string;
  tooltip: string;
  /** Read aloud, and what the UI tests find the item by: keep the wording stable. */
  accessibilityLabel: string;
  /** The argument of `railyard.openPromotion`: the promotion shown. */
  open: { id: string };
}

/**
 * The newest in-flight promotion among `records` (started from this window, another, or the CLI),
 * with how many more are in flight; none while nothing is.
 */
export function inFlightStatus(records: readonly PromotionRecord[]): InFlightStatus | undefined {
  const flying = records
    .filter((r) => IN_FLIGHT_STATES.includes(r.state))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const shown = flying[0];
  if (!shown) return undefined;
  const label = recordLabel(shown);
  const word = stateWord(shown);
  const more = flying.length - 1;
  const lines = flying.map((r) => `${recordLabel(r)}: ${stateWord(r)}. ${r.summary}`);
  return {
    text: `$(sync~spin) ${label}: ${word}${more ? ` (+${more})` : ''}`,
    tooltip: [...lines, `Click to open the ${label} checklist.`].join('\n'),
    accessibilityLabel: `Railyard promotion: ${label}, ${word}${more ? `, ${more} more in flight` : ''}`,
    open: { id: shown.id },
  };
}

export type NoticeAction = 'open' | 'rollback' | 'logs';

/** A notification a record's change deserves. */
export interface PromotionNotice {
  severity: 'information' | 'warning' | 'error';
  message: string;
  /** The buttons, in order. */
  actions: NoticeAction[];
  /** The promotion the actions act on. */
  id: string;
}

/** Whether `next` may replace `known`: records arrive from a list and from broadcasts, in any order. */
export function supersedes(known: PromotionRecord | undefined, next: PromotionRecord): boolean {
  return !known || Date.parse(next.updatedAt) >= Date.parse(known.updatedAt);
}

/**
 * The notification for a record moving from `previous` to `next`: when it finished (succeeded),
 * failed, or was rolled back, and when production's numbers gave their verdict after a success.
 * Nothing the first time a record is seen (an initial list holds records that finished long ago),
 * nothing when it is sent again unchanged, and nothing for an older record arriving late.
 */
export function noticeFor(
  previous: PromotionRecord | undefined,
  next: PromotionRecord,
): PromotionNotice | undefined {
  if (!previous || previous.id !== next.id || !supersedes(previous, next)) return undefined;
  // A verdict that leaves the promotion as it was; a rollback by hand makes the pending one moot.
  if (previous.state === next.state)
    return next.state === 'succeeded' ? verificationNotice(previous, next) : undefined;
  const label = recordLabel(next);
  switch (next.state) {
    case 'succeeded': {
      const runs = next.mergeCommit ? `: ${next.to.name} runs ${shortSha(next.mergeCommit)}` : '';
      return notice('information', `${label} succeeded${runs}`, ['open'], next);
    }
    case 'failed':
      // Asked to roll back on failure, it is rolling back already: the outcome of that is the news.
      if (next.rollbackOnFailure && previous.state !== 'rolling-back') return undefined;
      return notice('error', next.summary, failedActions(next), next);
    case 'rolled-back':
      return notice('warning', next.summary, ['open'], next);
    case 'rolling-back':
      // The verdict and railyard.json's automatic rollback arrive in one record: say why now.
      return previous.state === 'succeeded' && next.verification?.autoRolledBack
        ? notice('warning', next.verification.summary, ['open'], next)
        : undefined;
    default:
      return undefined;
  }
}

/** What a window knows of itself when a notice is due: every window with the folder open gets it. */
export interface NoticeWindow {
  /** This window shows the promotion's checklist panel. */
  panelOpen: boolean;
  /** This window has the focus (vscode.window.state.focused). */
  focused: boolean;
}

/**
 * Whether this window shows a notice: the one whose panel shows the promotion, else the one in
 * use, so a person with several windows of the folder is not told once per window. A window cannot
 * see another's panels, so when the focused window lacks the panel that another window has, both
 * tell; when no window has the focus, none does (the Promotions view and the log keep the outcome).
 */
export function notifiesHere(w: NoticeWindow): boolean {
  return w.panelOpen || w.focused;
}

/** The verdict of production's metrics, once, when it moves on from pending; a regression offers Roll Back. */
function verificationNotice(
  previous: PromotionRecord,
  next: PromotionRecord,
): PromotionNotice | undefined {
  const v = next.verification;
  if (!v || v.state === 'pending' || previous.verification?.state === v.state) return undefined;
  if (v.state !== 'regressed') return notice('information', v.summary, ['open'], next);
  return notice('warning', v.summary, ['open', 'rollback'], next);
}

/** Roll Back only once something was pushed: a failure before the push changed nothing upstream. */
function failedActions(r: PromotionRecord): NoticeAction[] {
  return r.mergeCommit ? ['open', 'rollback', 'logs'] : ['open', 'logs'];
}

function notice(
  severity: PromotionNotice['severity'],
  message: string,
  actions: NoticeAction[],
  r: PromotionRecord,
): PromotionNotice {
  return { severity, message, actions, id: r.id };
}

/** The same folder as the daemon compares them (promotion.list): a trailing slash does not count. */
export function sameFolder(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/**
 * Teammates' promotions the Environments tree shows in flight, as one string: the daemon polls
 * GitHub for them, so when this changes a teammate's promotion began, went silent or ended, and
 * the Promotions view lists again rather than polling GitHub itself. Our own are broadcast.
 */
export function teamPromotingKey(view: ProjectView | undefined): string {
  return (view?.environments ?? [])
    .flatMap((e) => (e.promoting && !e.promoting.mine ? [e.promoting] : []))
    .map((p) => `${p.id}${p.stale ? ' stale' : ''}`)
    .sort()
    .join('|');
}
