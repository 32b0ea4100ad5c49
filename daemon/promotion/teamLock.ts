// The team's lock on a target, kept where every teammate's daemon can see it: Railyard's GitHub
// Deployments. A promotion holds its target from its confirmation by an in-progress deployment for
// that environment; a start looks for someone else's first, creates its own, then looks again, and
// of two that raced the older deployment (the lower id, GitHub's order) wins. There is no server
// of ours: GitHub orders the deployments, and git's compare-and-swap push decides the rest.
import * as os from 'node:os';
import type { PromotionRecord, TakeOverRecord, TeamPromotion } from '../../protocol/protocol';
import type { GithubClient } from '../github/githubClient';
import { createDeployment, postStatus, type RailyardPayload } from '../github/githubDeployments';
import { failure, success, type Outcome } from '../upstreamError';
import { formatUtc } from './gates/zonedTime';
import type { ForeignLock } from './gates/lock';
import { listTeamPromotions } from './teamPromotions';

/** The machine a promotion runs on, so one login's two machines are told apart: RAILYARD_MACHINE, else the host name. */
export function machineName(env: NodeJS.ProcessEnv): string {
  return env.RAILYARD_MACHINE?.trim() || os.hostname();
}

/**
 * Someone else's promotion holding the target on GitHub, stale or not; undefined when free.
 * `ours` are this daemon's own promotions: the journal knows their state better than GitHub,
 * whose final status for one that just ended may still be on its way.
 */
export async function teamHolder(
  github: GithubClient,
  record: PromotionRecord,
  staleAfterMs: number,
  ours: (id: string) => boolean,
): Promise<Outcome<TeamPromotion | undefined>> {
  const found = await listTeamPromotions(github, record.repo, {
    environment: record.to.name,
    staleAfterMs,
  });
  if (!found.ok) return found;
  const holding = found.value.promotions.filter(
    (p) => !ours(p.id) && (p.state === 'in-progress' || p.state === 'stale'),
  );
  // The oldest holder is the one that won; a newer in-progress one lost a race and will say so.
  return success(holding.sort((a, b) => a.deploymentId - b.deploymentId)[0]);
}

/** A teammate's promotion as the lock gate words it. */
export function foreignLock(holder: TeamPromotion): ForeignLock {
  const where = holder.machine ? ` on ${holder.machine}` : '';
  return {
    by: holder.by,
    since: holder.state === 'stale' ? holder.updatedAt : holder.startedAt,
    what: `promotion ${holder.id} (${holder.from} → ${holder.to}) by ${holder.by}${where}: ${holder.detail}`,
    ...(holder.url ? { url: holder.url } : {}),
    stale: holder.state === 'stale',
  };
}

/** The sentence a refused start says about the holder. */
export function heldSentence(holder: TeamPromotion, target: string): string {
  const where = holder.machine ? ` on ${holder.machine}` : '';
  const since = formatUtc(new Date(holder.startedAt));
  if (holder.state !== 'stale')
    return `${target} is being promoted by ${holder.by}${where} (promotion ${holder.id}, since ${since}): wait for it to finish.`;
  const silent = formatUtc(new Date(holder.updatedAt));
  return `${target} is held by ${holder.by}'s promotion ${holder.id}${where}, silent since ${silent}: their daemon may be gone. Take it over by typing ${target} (takeOver).`;
}

export interface AcquireInput {
  github: GithubClient;
  record: PromotionRecord;
  login: string;
  machine: string;
  staleAfterMs: number;
  /** The start typed the target's name to take a stale holder over. */
  takeOver: boolean;
  /** This daemon's own promotions (see teamHolder). */
  ours: (id: string) => boolean;
  now: Date;
}

export type Acquired =
  | {
      kind: 'held';
      deployment: NonNullable<PromotionRecord['deployment']>;
      tookOver?: TakeOverRecord;
    }
  | {
      kind: 'refused';
      holder: TeamPromotion;
      message: string;
      /** Made before the race was lost: the caller keeps it, so it is said inactive for sure. */
      deployment?: NonNullable<PromotionRecord['deployment']>;
    };

/**
 * Takes the target for `record`: refuses when someone else holds it (a stale holder only with
 * takeOver), else creates the deployment and checks nobody older got there meanwhile.
 */
export async function acquireTeamLock(input: AcquireInput): Promise<Outcome<Acquired>> {
  const before = await teamHolder(input.github, input.record, input.staleAfterMs, input.ours);
  if (!before.ok) return before;
  const holder = before.value;
  if (holder && !(holder.state === 'stale' && input.takeOver))
    return success(refused(holder, input.record.to.name));
  const created = await createDeployment(input.github, input.record.repo, {
    sha: input.record.sourceCommit!,
    environment: input.record.to.name,
    description: `${input.login} is promoting ${input.record.from.name} ${input.record.sourceCommit!.slice(0, 7)} with Railyard.`,
    payload: payloadOf(input.record, input.login, input.machine),
    production: input.record.protected,
  });
  if (!created.ok) return created;
  const mine = created.value.id;
  const deployment = {
    id: mine,
    environment: input.record.to.name,
    url: `https://github.com/${input.record.repo}/deployments/${encodeURIComponent(input.record.to.name)}`,
  };
  // The race first: a stale holder is told it was taken over only once this start has won.
  const race = await olderHolder(input, mine, holder);
  if (!race.ok) return release(input, mine, race);
  if (race.value) return lostRace(input, deployment, race.value);
  const tookOver = holder ? await takeOver(input, holder) : undefined;
  if (tookOver && !tookOver.ok) return release(input, mine, tookOver);
  return success({ kind: 'held', deployment, ...(tookOver?.ok && { tookOver: tookOver.value }) });
}

/** A live promotion of someone else made before ours (the stale one being taken over aside). */
async function olderHolder(
  input: AcquireInput,
  mine: number,
  takingOver: TeamPromotion | undefined,
): Promise<Outcome<TeamPromotion | undefined>> {
  const found = await listTeamPromotions(input.github, input.record.repo, {
    environment: input.record.to.name,
    staleAfterMs: input.staleAfterMs,
  });
  if (!found.ok) return found;
  return success(
    found.value.promotions.find(
      (p) =>
        !input.ours(p.id) &&
        p.id !== takingOver?.id &&
        p.state === 'in-progress' &&
        p.deploymentId < mine,
    ),
  );
}

function refused(holder: TeamPromotion, target: string): Acquired {
  return { kind: 'refused', holder, message: heldSentence(holder, target) };
}

function payloadOf(record: PromotionRecord, login: string, machine: string): RailyardPayload {
  return {
    railyard: {
      version: 1,
      promotion: record.id,
      kind: record.kind,
      by: login,
      machine,
      from: record.from.name,
      to: record.to.name,
      source: record.sourceCommit!,
      target: record.targetCommit!,
    },
  };
}

/** Marks the stale holder's deployment as taken over, in words its own daemon recognises later. */
async function takeOver(
  input: AcquireInput,
  holder: TeamPromotion,
): Promise<Outcome<TakeOverRecord>> {
  const at = input.now.toISOString();
  const posted = await postStatus(input.github, input.record.repo, holder.deploymentId, {
    state: 'error',
    description: takeOverDescription(input.login, input.record.id, holder.updatedAt),
  });
  if (!posted.ok) return posted;
  return success({
    promotion: holder.id,
    by: holder.by,
    at,
    lastSeen: holder.updatedAt,
    deploymentId: holder.deploymentId,
  });
}

const TAKEN_OVER = /^Taken over by (\S+) \(promotion ([\w-]+)\)/;

export function takeOverDescription(login: string, promotion: string, lastSeen: string): string {
  return `Taken over by ${login} (promotion ${promotion}): silent since ${formatUtc(new Date(lastSeen))}.`;
}

/** Who took a promotion over, read from a status description; undefined when it is not one. */
export function takenOverBy(
  description: string | null,
): { by: string; promotion: string } | undefined {
  const m = TAKEN_OVER.exec(description ?? '');
  return m ? { by: m[1]!, promotion: m[2]! } : undefined;
}

async function lostRace(
  input: AcquireInput,
  deployment: NonNullable<PromotionRecord['deployment']>,
  winner: TeamPromotion,
): Promise<Outcome<Acquired>> {
  await postStatus(input.github, input.record.repo, deployment.id, {
    state: 'inactive',
    description: `Not started: ${winner.by}'s promotion ${winner.id} took ${input.record.to.name} first.`,
  });
  return success({ ...refused(winner, input.record.to.name), deployment });
}

/** A failure after our deployment exists: it must not hold the target, so it goes inactive. */
async function release<T>(
  input: AcquireInput,
  mine: number,
  failed: Outcome<T> & { ok: false },
): Promise<Outcome<Acquired>> {
  await postStatus(input.github, input.record.repo, mine, {
    state: 'inactive',
    description: `Not started: ${failed.error.message}`,
  });
  return failure(failed.error);
}
