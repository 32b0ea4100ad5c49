// `railyard status`: the project of the current folder, its environments and services, and how many
// upstream requests the daemon made in the last hour against the remaining budget.
import {
  type DeploymentView,
  type ProjectView,
  type Result,
  type ServiceView,
} from '../protocol/protocol';
import { imageName, statusWord } from '../client/statusWords';
import { guidanceFor, viewErrorCode, EXIT_CODES } from '../client/errorGuidance';
import { openDaemon } from './daemonCommands';
import { cliFolder, print } from './output';

export async function statusCommand(flags: { json: boolean; folder?: string }): Promise<number> {
  const client = await openDaemon();
  try {
    const folder = cliFolder(flags.folder);
    let latest: ProjectView | undefined;
    let answered = false;
    // Health checks and branch comparisons land a moment after the first answer: wait for them, briefly.
    const settled = new Promise<void>((resolve) => {
      client.onNotification('environments.changed', (n) => {
        if (!answered) return; // the first view races the answer; wait for the one after it
        latest = n.view;
        if (complete(n.view)) resolve();
      });
      setTimeout(resolve, 3000).unref();
    });
    const watched = await client.request('environments.watch', { folder });
    answered = true;
    if (watched.view.state === 'ready') await settled;
    await client.request('environments.unwatch', { watchId: watched.watchId });
    const view = latest ?? watched.view;
    const usage = await client.request('railway.usage', {});
    print(flags.json, { folder: folder.path, view, usage }, render(view, usage));
    return exitCodeOf(view);
  } finally {
    client.close();
  }
}

/** 0 when ready; else the code of the view's problem (signed out 4, no project 5, Railway 8…). */
function exitCodeOf(view: ProjectView): number {
  if (view.state === 'ready') return 0;
  const code = viewErrorCode(view);
  return code === undefined ? EXIT_CODES.failure : EXIT_CODES[guidanceFor(code).kind];
}

/** Health checked and branches compared, where they can be. */
function complete(view: ProjectView): boolean {
  return view.environments.every(
    (e) => e.health.state !== 'unknown' && (!e.promotion || e.promotion.ahead !== undefined),
  );
}

function render(view: ProjectView, usage: Result<'railway.usage'>): string {
  const lines: string[] = [];
  if (view.state !== 'ready') lines.push(view.message ?? view.state);
  if (view.project)
    lines.push(
      `Project ${view.project.name} (${view.project.id}), found via ${view.link?.source ?? '?'}`,
    );
  if (view.configProblem) lines.push(`  ! ${view.configProblem}`);
  for (const env of view.environments) {
    const ahead =
      env.promotion?.ahead !== undefined
        ? `, ${env.promotion.ahead} ahead of ${env.promotion.to}`
        : '';
    lines.push(
      `  ${env.name}${env.protected ? ' (protected)' : ''}${env.branch ? ` ⎇ ${env.branch}` : ''}: ${env.health.state}${ahead}`,
    );
    for (const s of env.services) lines.push(...serviceLines(s));
  }
  const budget =
    usage.limit !== undefined ? `, ${usage.remaining ?? '?'} of ${usage.limit} left` : '';
  const refused = usage.rateLimitedLastHour
    ? `; ${usage.rateLimitedLastHour} refused for rate limits and retried or reported`
    : '';
  lines.push(`Railway API: ${usage.requestsLastHour} requests in the last hour${budget}${refused}`);
  return lines.join('\n');
}

/**
 * The latest deployment, and beside it what serves when that is another one (the serving one is
 * the daemon's pick by status: a deploying, failed or skipped latest leaves the previous serving).
 */
function serviceLines(s: ServiceView): string[] {
  const d = s.latest ?? s.active;
  // A git deployment by its commit; an image service (Postgres) by its image, as the tree shows it.
  const source = (x: DeploymentView | undefined) =>
    x?.commitHash
      ? `${x.commitHash.slice(0, 7)} ${x.commitMessage?.split('\n')[0] ?? ''}`
      : (imageName(s.image) ?? '');
  const line = (label: string, x: DeploymentView | undefined) =>
    `${label.padEnd(24)} ${(x ? statusWord(x) : 'none').padEnd(10)} ${source(x)}`.trimEnd();
  const out = [line(`    ${s.name}`, d)];
  if (s.active && s.active.id !== d?.id) out.push(line('      serving', s.active));
  return out;
}
