// The team's promotions as GitHub records them: Railyard's GitHub Deployments in a repository, each
// read as a TeamPromotion whose state comes from its newest status, judged stale on GitHub's clock.
// Every daemon polls this every 30 s, so it costs one conditional list and one conditional statuses
// read per Railyard deployment (up to `limit`): all answered 304, free of the rate limit, when
// nothing changed.
import type { TeamPromotion } from '../../protocol/promotion';
import {
  listDeployments,
  listStatuses,
  railyardPayloadOf,
  type DeploymentJson,
  type DeploymentStatusJson,
  type RailyardPayload,
} from '../github/githubDeployments';
import type { GithubClient } from '../github/githubClient';
import { success, type Outcome } from '../upstreamError';

export interface TeamPromotionsOptions {
  /** One GitHub environment's deployments only; every environment's when omitted. */
  environment?: string;
  /** An in-progress promotion whose daemon has not reported for longer than this is stale. */
  staleAfterMs: number;
  /** How many of Railyard's deployments to read statuses for, newest first; 20 by default. */
  limit?: number;
}

const defaultLimit = 20;
/** Statuses reads in flight at once: GitHub's secondary limits frown on bursts. */
const concurrency = 4;

/** Railyard's deployments in a repository (optionally one environment), as TeamPromotion (protocol/promotion.ts), newest first. */
export async function listTeamPromotions(
  github: GithubClient,
  repo: string,
  options: TeamPromotionsOptions,
): Promise<Outcome<{ promotions: TeamPromotion[]; githubNow: Date }>> {
  // A full page: Railway's own deployments share the list, and a page costs one request however long.
  const listed = await listDeployments(github, repo, {
    environment: options.environment,
    perPage: 100,
  });
  if (!listed.ok) return listed;
  const { githubNow } = listed.value;
  const ours = railyardDeployments(listed.value.deployments).slice(
    0,
    options.limit ?? defaultLimit,
  );
  const statuses = await inBatches(ours, ({ deployment }) =>
    listStatuses(github, repo, deployment.id),
  );
  const promotions: TeamPromotion[] = [];
  for (const [i, { deployment, payload }] of ours.entries()) {
    const read = statuses[i]!;
    if (!read.ok) return read;
    const newest = read.value[0];
    promotions.push(teamPromotion(repo, deployment, payload, newest, githubNow, options));
  }
  return success({ promotions, githubNow });
}

interface Ours {
  deployment: DeploymentJson;
  payload: RailyardPayload['railyard'];
}

/** Only deployments carrying Railyard's payload: never Railway's railway-app[bot] ones or others'. */
function railyardDeployments(deployments: DeploymentJson[]): Ours[] {
  return deployments.flatMap((deployment) => {
    const payload = railyardPayloadOf(deployment);
    return payload ? [{ deployment, payload }] : [];
  });
}

async function inBatches<T, R>(items: T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += concurrency)
    results.push(...(await Promise.all(items.slice(i, i + concurrency).map(read))));
  return results;
}

function teamPromotion(
  repo: string,
  d: DeploymentJson,
  p: RailyardPayload['railyard'],
  newest: DeploymentStatusJson | undefined,
  githubNow: Date,
  options: TeamPromotionsOptions,
): TeamPromotion {
  const updatedAt = newest?.created_at ?? d.created_at;
  return {
    id: p.promotion,
    deploymentId: d.id,
    repo,
    from: p.from,
    to: p.to,
    kind: p.kind,
    by: p.by,
    machine: p.machine,
    state: teamState(newest, updatedAt, githubNow, options.staleAfterMs),
    detail: newest?.description || d.description || '',
    sourceCommit: p.source,
    startedAt: d.created_at,
    updatedAt,
    url: `https://github.com/${repo}/deployments/${encodeURIComponent(d.environment)}`,
  };
}

/** No status yet counts as in progress since the deployment was made. */
export function teamState(
  newest: DeploymentStatusJson | undefined,
  updatedAt: string,
  githubNow: Date,
  staleAfterMs: number,
): TeamPromotion['state'] {
  switch (newest?.state) {
    case 'success':
      return 'succeeded';
    case 'failure':
    case 'error':
      return 'failed';
    case 'inactive':
      return 'inactive';
    default: {
      const silentMs = githubNow.getTime() - Date.parse(updatedAt);
      return silentMs > staleAfterMs ? 'stale' : 'in-progress';
    }
  }
}
