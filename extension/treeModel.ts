// Pure: how environments, services and deployments read in the tree (icons, colours, labels,
// descriptions, tooltips, menu context). No `vscode` import, so it is unit-tested under Node.
import type {
  DeploymentStatus,
  DeploymentView,
  EnvironmentView,
  HealthView,
  ProjectView,
  ServiceView,
} from '../protocol/protocol';
import { STATUS_WORDS, imageName, isPrevious, statusWord } from '../client/statusWords';

export interface StatusLook {
  /** A codicon id; `~spin` animates it. */
  icon: string;
  /** A theme colour id. */
  color: string;
  label: string;
}

/** One look per Railway deployment status, all 13; the words are shared with the CLI. */
export const STATUS_LOOK: Record<DeploymentStatus, StatusLook> = {
  QUEUED: { icon: 'clock', color: 'descriptionForeground', label: STATUS_WORDS.QUEUED },
  WAITING: { icon: 'watch', color: 'charts.yellow', label: STATUS_WORDS.WAITING },
  INITIALIZING: { icon: 'loading~spin', color: 'charts.yellow', label: STATUS_WORDS.INITIALIZING },
  BUILDING: { icon: 'loading~spin', color: 'charts.yellow', label: STATUS_WORDS.BUILDING },
  DEPLOYING: { icon: 'sync~spin', color: 'charts.blue', label: STATUS_WORDS.DEPLOYING },
  NEEDS_APPROVAL: { icon: 'question', color: 'charts.orange', label: STATUS_WORDS.NEEDS_APPROVAL },
  SUCCESS: { icon: 'pass-filled', color: 'testing.iconPassed', label: STATUS_WORDS.SUCCESS },
  FAILED: { icon: 'error', color: 'testing.iconFailed', label: STATUS_WORDS.FAILED },
  CRASHED: { icon: 'flame', color: 'errorForeground', label: STATUS_WORDS.CRASHED },
  SKIPPED: { icon: 'debug-step-over', color: 'disabledForeground', label: STATUS_WORDS.SKIPPED },
  SLEEPING: { icon: 'debug-pause', color: 'descriptionForeground', label: STATUS_WORDS.SLEEPING },
  REMOVING: { icon: 'loading~spin', color: 'disabledForeground', label: STATUS_WORDS.REMOVING },
  REMOVED: { icon: 'trash', color: 'disabledForeground', label: STATUS_WORDS.REMOVED },
};

export const HEALTH_LOOK: Record<HealthView['state'], StatusLook> = {
  healthy: { icon: 'heart', color: 'testing.iconPassed', label: 'healthy' },
  unhealthy: { icon: 'warning', color: 'testing.iconFailed', label: 'unhealthy' },
  unknown: { icon: 'circle-outline', color: 'descriptionForeground', label: 'health unknown' },
};

/** "just now", "4m ago", "3h ago", "2d ago"; past two months, the date ("2025-01-13"). */
export function age(iso: string | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86_400) return `${Math.round(s / 3600)}h ago`;
  if (s < 60 * 86_400) return `${Math.round(s / 86_400)}d ago`;
  return iso.slice(0, 10);
}

export const shortSha = (sha: string | undefined) => sha?.slice(0, 7);
const firstLine = (text: string | undefined) => text?.split('\n')[0];

/**
 * A promotion into the environment in flight comes first: it is the one part that says "not now,
 * someone is at it" (or, silent, that it can be taken over), it lasts minutes, and a narrow
 * sidebar cuts the description from its end. Then where it deploys from and how far ahead it is;
 * the icon's colour already says health.
 */
export function environmentDescription(env: EnvironmentView, now?: number): string {
  // A PR environment is known by its PR, not by its branch.
  const pr = env.pr ? `#${env.pr.number}${env.pr.title ? ` ${env.pr.title}` : ''}` : undefined;
  const parts = [promotingText(env, now), pr ?? (env.branch ? `⎇ ${env.branch}` : undefined)];
  if (env.promotion?.ahead !== undefined) {
    const behind = env.promotion.behind ? `, ${env.promotion.behind} behind` : '';
    parts.push(`${env.promotion.ahead} ahead of ${env.promotion.to}${behind}`);
  }
  if (env.unstartedPush) parts.push(`${shortSha(env.unstartedPush.sha)} not deployed`);
  parts.push(HEALTH_LOOK[env.health.state].label);
  return parts.filter(Boolean).join(' · ');
}

/**
 * "promoting (ada, 3 min)", "promoting (you, 3 min)", or for one whose daemon stopped reporting
 * "promoting, silent 20 min (ada)". `since` is when it started, or for a stale one when it was
 * last heard from (as the lock gate words it), so one duration serves both.
 */
export function promotingText(env: EnvironmentView, now?: number): string | undefined {
  const p = env.promoting;
  if (!p) return undefined;
  const who = p.mine ? 'you' : p.by;
  // A sidebar of the default width shows about 25 characters of the description: the login only
  // (the machine is in the tooltip), and "silent", which says it can be taken over, before it.
  if (p.stale) return `promoting, silent ${duration(p.since, now)} (${who})`;
  // "under a minute" would be cut at that width, just when someone looks to see who started.
  const age = duration(p.since, now);
  return `promoting (${who}, ${age === 'under a minute' ? 'just now' : age})`;
}

/** Tooltip lines: from where, which promotion, and the GitHub deployment that is the team's record. */
export function promotingLines(env: EnvironmentView, now?: number): string[] {
  const p = env.promoting;
  if (!p) return [];
  const who = p.mine ? 'you' : `${escapeMd(p.by)}${p.machine ? ` on ${escapeMd(p.machine)}` : ''}`;
  const when = p.stale
    ? `silent for ${duration(p.since, now)}: its daemon stopped reporting, and it can be taken over by typing ${escapeMd(env.name)}`
    : `for ${duration(p.since, now)}`;
  const lines = [`Promoting from ${escapeMd(p.from)} by ${who}, ${when}`, `Promotion: \`${p.id}\``];
  if (p.url) lines.push(`[GitHub deployment](${markdownUrl(p.url)})`);
  return lines;
}

/** How long, in the words of a running thing: "under a minute", "3 min", "2 h", "3 d". */
export function duration(iso: string, now: number = Date.now()): string {
  const minutes = Math.floor(Math.max(0, now - Date.parse(iso)) / 60_000);
  if (!Number.isFinite(minutes)) return '';
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / (24 * 60))} d`;
}

/** A URL inside a Markdown link: a parenthesis (an environment name may hold one) would end it. */
export const markdownUrl = (url: string) => url.replace(/\(/g, '%28').replace(/\)/g, '%29');

/** Railway never started a deployment for a push: say so, and what to do. */
export function unstartedPushText(env: EnvironmentView): string | undefined {
  const p = env.unstartedPush;
  if (!p) return undefined;
  return `Railway has started no deployment for \`${shortSha(p.sha)}\`, pushed to \`${p.branch}\` (seen ${age(p.seenAt)}): GitHub's webhook may have gone missing, or autodeploy is off. Use Deploy Commit… on a service to deploy it.`;
}

/** The name alone: protection shows as the shield icon and in the tooltip (emoji need a font). */
export function environmentLabel(env: EnvironmentView): string {
  return env.name;
}

/** The deployment that tells the service's state: the latest, which may still be building. */
export const shownDeployment = (s: ServiceView): DeploymentView | undefined => s.latest ?? s.active;

/**
 * Commit, age, then message, so a narrow sidebar cuts the message first; the status word only when
 * it is not the usual "deployed" (the icon and its colour say that).
 */
export function serviceDescription(s: ServiceView, now?: number): string {
  const d = shownDeployment(s);
  if (!d) return 'no deployment';
  const status = d.status === 'SUCCESS' ? undefined : statusLabel(d);
  const commit = d.commitHash ? shortSha(d.commitHash) : imageName(s.image);
  return [status, commit, age(d.createdAt, now), firstLine(d.commitMessage)]
    .filter(Boolean)
    .join(' · ');
}

/** The status word, with Railway's reason for a skip when its build log gave one. */
export const statusLabel = statusWord;

/** A deployment Railway keeps for rollback reads as "previous", not as deleted. */
export function deploymentLook(d: DeploymentView): StatusLook {
  if (isPrevious(d)) return { icon: 'history', color: 'descriptionForeground', label: 'previous' };
  return STATUS_LOOK[d.status];
}

/** A git deployment by its commit; an image service's (Postgres) by its image, as Railway shows it. */
export function deploymentLabel(d: DeploymentView, image?: string): string {
  if (d.commitHash) return `${shortSha(d.commitHash)} ${firstLine(d.commitMessage) ?? ''}`.trim();
  return imageName(image) ?? d.id.slice(0, 8);
}

/** The serving deployment reads "active" while it runs; a crashed one says so. */
export function deploymentDescription(d: DeploymentView, active: boolean, now?: number): string {
  return [
    active && d.status !== 'CRASHED' ? 'active' : statusLabel(d),
    restoresText(d),
    age(d.createdAt, now),
    personOf(d),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The one name a row shows: the commit's author, else whoever started the deployment. */
export const personOf = (d: DeploymentView): string | undefined => d.commitAuthor ?? d.creator;

/** Tooltip lines naming the same person as the row, and who started it when that is someone else. */
export function peopleLines(d: DeploymentView): string[] {
  const author = personOf(d);
  if (!author) return [];
  const started = d.creator && d.creator !== author ? [`Started by: ${escapeMd(d.creator)}`] : [];
  return [`${d.commitAuthor ? 'Author' : 'By'}: ${escapeMd(author)}`, ...started];
}

/**
 * Every age the tree shows, in one string: when it differs from the one rendered, some row's
 * "4m ago" is stale and the tree re-renders. Ages change at most once a minute (hours, days:
 * rarer), so a visible tree re-renders about once a minute while something is recent, else less.
 */
export function shownAges(view: ProjectView | undefined, now: number = Date.now()): string {
  if (!view) return '';
  const deployments = view.environments
    .flatMap((e) => e.services)
    .flatMap((s) => [shownDeployment(s), ...s.recent])
    .map((d) => (d ? age(d.createdAt, now) : ''));
  // "promoting (ada, 3 min)" ticks by the minute like the ages do.
  const promotions = view.environments.map((e) => promotingText(e, now) ?? '');
  return [...deployments, ...promotions].join('|');
}

/** A rollback says what it restored; "likely" when the daemon read it from the history. */
export function restoresText(d: DeploymentView): string | undefined {
  if (!d.restores) return undefined;
  const what = `rollback to ${d.restores.deploymentId.slice(0, 8)}`;
  return d.restores.inferred ? `likely ${what}` : what;
}

/** Markdown for the service tooltip. */
export function serviceTooltip(s: ServiceView, env: EnvironmentView, now?: number): string {
  const d = shownDeployment(s);
  const lines = [`**${s.name}** in ${env.name}${env.protected ? ' (protected)' : ''}`];
  if (d) {
    lines.push(
      `Status: ${STATUS_LOOK[d.status].label} (${age(d.statusUpdatedAt ?? d.createdAt, now)})`,
    );
    if (d.commitHash)
      lines.push(
        `Commit: \`${shortSha(d.commitHash)}\` ${escapeMd(firstLine(d.commitMessage) ?? '')}`,
      );
    lines.push(...peopleLines(d));
  }
  if (s.active && s.active.id !== d?.id)
    lines.push(`Serving: \`${shortSha(s.active.commitHash) ?? s.active.id.slice(0, 8)}\``);
  if (s.url) lines.push(`URL: ${s.url}`);
  lines.push(
    `Health: ${HEALTH_LOOK[s.health.state].label}${s.health.detail ? ` (${escapeMd(s.health.detail)})` : ''}`,
  );
  return lines.join('  \n');
}

export const escapeMd = (text: string) => text.replace(/([\\`*_{}[\]()#+!|<>-])/g, '\\$1');

/** `contextValue` for menus: kind, then flags the `when` clauses match with regular expressions. */
export function serviceContext(s: ServiceView): string {
  return [
    'service',
    s.url ? 'url' : '',
    shownDeployment(s)?.commitHash ? 'commit' : '',
    shownDeployment(s)?.canRedeploy ? 'redeploy' : '',
    s.active ? 'restart' : '',
  ]
    .filter(Boolean)
    .join('.');
}

export function deploymentContext(d: DeploymentView, active: boolean): string {
  return [
    'deployment',
    d.commitHash ? 'commit' : '',
    d.canRollback && !active ? 'rollback' : '',
    d.canRedeploy ? 'redeploy' : '',
    d.url ? 'url' : '',
  ]
    .filter(Boolean)
    .join('.');
}

/** The production summary for the status bar: the protected environments, worst state first. */
export function productionSummary(
  envs: EnvironmentView[],
):
  | { text: string; state: 'deploying' | 'healthy' | 'failed' | 'unknown'; env?: string }
  | undefined {
  const prod = envs.filter((e) => e.protected && !e.isEphemeral);
  if (!prod.length) return undefined;
  for (const env of prod) {
    const statuses = env.services.map((s) => shownDeployment(s)?.status);
    // Down is what serves (a crashed serving deployment, failing health); a failed deploy leaves
    // the previous one serving, and says only that.
    const down = env.services.some((s) => s.active?.status === 'CRASHED');
    if (down || env.health.state === 'unhealthy')
      return { text: `${env.name}: down`, state: 'failed', env: env.name };
    if (statuses.some((st) => st === 'FAILED' || st === 'CRASHED'))
      return { text: `${env.name}: deploy failed`, state: 'failed', env: env.name };
    if (
      statuses.some(
        (st) => st && ['QUEUED', 'WAITING', 'INITIALIZING', 'BUILDING', 'DEPLOYING'].includes(st),
      )
    )
      return { text: `${env.name}: deploying`, state: 'deploying', env: env.name };
  }
  const unknown = prod.find((e) => e.health.state === 'unknown');
  if (unknown) return { text: `${unknown.name}: deployed`, state: 'unknown', env: unknown.name };
  return {
    text: prod.length === 1 ? `${prod[0]!.name}: healthy` : 'production: healthy',
    state: 'healthy',
    env: prod[0]!.name,
  };
}

export function dashboardUrl(projectId: string, env?: { id: string }, serviceId?: string): string {
  const base = `https://railway.com/project/${projectId}`;
  if (serviceId) return `${base}/service/${serviceId}${env ? `?environmentId=${env.id}` : ''}`;
  return env ? `${base}?environmentId=${env.id}` : base;
}

/** What Deploy Commit… lists: one row per commit of the branch; a typed sha that is not listed first. */
export interface CommitPick {
  label: string;
  description?: string;
  sha: string;
  alwaysShow?: boolean;
}

export function commitPicks(
  commits: { sha: string; message: string; author: string; authoredAt: string; active: boolean }[],
  typed: string,
  now?: number,
): CommitPick[] {
  const listed = commits.map((c) => ({
    label: `${shortSha(c.sha)} ${firstLine(c.message) ?? ''}`.trim(),
    description: [c.author, c.authoredAt && age(c.authoredAt, now), c.active && 'running now']
      .filter(Boolean)
      .join(' · '),
    sha: c.sha,
  }));
  const sha = typed.trim().toLowerCase();
  const isSha = /^[0-9a-f]{7,40}$/.test(sha);
  if (!isSha || commits.some((c) => c.sha.startsWith(sha))) return listed;
  return [
    { label: `Deploy ${sha}`, description: 'a commit not listed', sha, alwaysShow: true },
    ...listed,
  ];
}

/**
 * The line above the tree in an untrusted workspace: why Deploy, Restart and Rollback are missing,
 * what the daemon set aside from railyard.json, and how to get them back. None while the tree is
 * empty, so VS Code keeps showing the welcome content that says what to do first.
 */
export function restrictedModeMessage(view: ProjectView, trusted: boolean): string | undefined {
  if (trusted || view.state === 'signed-out' || view.state === 'no-project') return undefined;
  const ignored = view.ignoredSettings?.length
    ? ` Set aside from railyard.json until then: ${view.ignoredSettings.join(', ')}.`
    : '';
  return `Restricted Mode: Railyard only reads here; trust the workspace to deploy, restart or roll back.${ignored}`;
}

/**
 * The error of a row's command run without its row: from a keybinding, or from a right-click whose
 * row the view re-rendered while the menu was open (VS Code then hands the command nothing).
 */
export function rowMissing(command: string, row: string): Error {
  return new Error(
    `${command} works on ${row} in Railyard's Environments view: right-click one. If you just did, the view refreshed under the menu: right-click it again.`,
  );
}
