// GitHub Deployments as Railyard uses them, the team's shared record and lock of promotions: create
// one, list them, read and post their statuses; and Railyard's payload, which tells its deployments
// from Railway's and anyone else's.
import { PROMOTION_KINDS, type PromotionKind } from '../../protocol/promotion';
import { success, type Outcome } from '../upstreamError';
import type { GithubClient } from './githubClient';

export interface DeploymentJson {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  payload: unknown;
  creator: { login: string; type?: string } | null;
  created_at: string;
  updated_at: string;
}

export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface DeploymentStatusJson {
  id: number;
  state: DeploymentState;
  description: string | null;
  creator: { login: string } | null;
  created_at: string;
  environment_url?: string | null;
  log_url?: string | null;
}

/** What Railyard puts in a deployment's payload, so teammates' daemons can tell its deployments from Railway's and others'. */
export interface RailyardPayload {
  railyard: {
    version: 1;
    promotion: string;
    kind: PromotionKind;
    by: string;
    machine: string;
    from: string;
    to: string;
    source: string;
    target: string;
  };
}

/** GitHub refuses a status description over 140 characters (422). */
export const MAX_DESCRIPTION = 140;

const textFields = ['promotion', 'by', 'machine', 'from', 'to', 'source', 'target'] as const;

/** Railyard's payload, tolerantly: GitHub may hand the payload back as a JSON string; anything else is not ours. */
export function railyardPayloadOf(d: DeploymentJson): RailyardPayload['railyard'] | undefined {
  const payload = typeof d.payload === 'string' ? parseJson(d.payload) : d.payload;
  const r = (payload as { railyard?: unknown } | null | undefined)?.railyard;
  if (typeof r !== 'object' || r === null) return undefined;
  const fields = r as Record<string, unknown>;
  if (fields.version !== 1 || !PROMOTION_KINDS.includes(fields.kind as PromotionKind))
    return undefined;
  if (!textFields.every((f) => typeof fields[f] === 'string')) return undefined;
  return r as RailyardPayload['railyard'];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Creates Railyard's deployment: task "deploy", auto_merge false, required_contexts [], transient false, production_environment as given, description ≤140 chars. */
export async function createDeployment(
  github: GithubClient,
  repo: string,
  input: {
    sha: string;
    environment: string;
    description: string;
    payload: RailyardPayload;
    production: boolean;
  },
): Promise<Outcome<DeploymentJson>> {
  // A sha needs no merge, and the promotion's own gates judged the checks: GitHub is not to redo either.
  const body = {
    ref: input.sha,
    task: 'deploy',
    auto_merge: false,
    required_contexts: [],
    payload: input.payload,
    environment: input.environment,
    description: shorten(input.description),
    transient_environment: false,
    production_environment: input.production,
  };
  const answer = await github.request<DeploymentJson>(`/repos/${repo}/deployments`, {
    method: 'POST',
    body,
  });
  return answer.ok ? success(answer.value.data) : answer;
}

/** Newest first, one page of up to perPage (conditional GET). */
export async function listDeployments(
  github: GithubClient,
  repo: string,
  query: { environment?: string; perPage?: number },
): Promise<Outcome<{ deployments: DeploymentJson[]; githubNow: Date }>> {
  const answer = await github.get<DeploymentJson[]>(`/repos/${repo}/deployments`, {
    query: { environment: query.environment, per_page: Math.min(100, query.perPage ?? 30) },
    conditional: true,
  });
  if (!answer.ok) return answer;
  const deployments = Array.isArray(answer.value.data) ? answer.value.data : [];
  return success({ deployments, githubNow: githubNow(answer.value.headers) });
}

/** Newest first (conditional GET). */
export async function listStatuses(
  github: GithubClient,
  repo: string,
  id: number,
): Promise<Outcome<DeploymentStatusJson[]>> {
  const answer = await github.get<DeploymentStatusJson[]>(
    `/repos/${repo}/deployments/${id}/statuses`,
    { query: { per_page: 100 }, conditional: true },
  );
  if (!answer.ok) return answer;
  return success(Array.isArray(answer.value.data) ? answer.value.data : []);
}

/** Posts a status; description cut to 140 chars on a word boundary with an ellipsis. */
export async function postStatus(
  github: GithubClient,
  repo: string,
  id: number,
  input: {
    state: DeploymentState;
    description: string;
    environmentUrl?: string;
    logUrl?: string;
    autoInactive?: boolean;
  },
): Promise<Outcome<DeploymentStatusJson>> {
  const body = {
    state: input.state,
    description: shorten(input.description),
    environment_url: input.environmentUrl,
    log_url: input.logUrl,
    auto_inactive: input.autoInactive,
  };
  const answer = await github.request<DeploymentStatusJson>(
    `/repos/${repo}/deployments/${id}/statuses`,
    { method: 'POST', body },
  );
  return answer.ok ? success(answer.value.data) : answer;
}

/**
 * GitHub's own time, from its Date header: staleness is judged on GitHub's clock, so two
 * teammates' skewed clocks cannot make a live promotion look stale. The local clock only when absent.
 */
export function githubNow(headers: Headers): Date {
  const date = Date.parse(headers.get('date') ?? '');
  return Number.isNaN(date) ? new Date() : new Date(date);
}

/** At most 140 characters, cut at a word boundary with an ellipsis (GitHub would refuse longer). */
export function shorten(text: string, max = MAX_DESCRIPTION): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  // A single long word is cut where it must be rather than leaving nothing.
  const cut = space > max / 2 ? room.slice(0, space) : room;
  return `${cut.trimEnd()}…`;
}
