// The QA sign-off gate, and the sign-off itself: a `railyard/qa-signoff` commit status on the exact
// commit being promoted. GitHub is what the team shares, so a sign-off recorded on a teammate's
// machine is seen on every other, and a newer push (another sha) is never covered by an older one.
import type { GateEvidence } from '../../../protocol/protocol';
import { latestStatuses, type CommitStatusJson } from '../../github/commitChecks';
import type { GithubClient } from '../../github/githubClient';
import { success, type Outcome } from '../../upstreamError';
import {
  unknownBecause,
  type GateContext,
  type GateDefinition,
  type GateOutcome,
} from '../gateContext';
import { short } from './gateWords';
import { formatUtc } from './zonedTime';

export const QA_SIGNOFF_CONTEXT = 'railyard/qa-signoff';

/** GitHub refuses a status description longer than this. */
const maxDescription = 140;

/** How many commits before the pinned one to look at for a sign-off the new push voided. */
const earlierCommitsToCheck = 3;

export interface SignOff {
  sha: string;
  /** The GitHub login that posted it (GitHub's `creator`, which no description can forge). */
  by: string;
  /** ISO 8601, GitHub's `created_at`. */
  at: string;
}

export const qaSignoffGate: GateDefinition = {
  id: 'qa-signoff',
  title: 'QA sign-off',
  evaluate: evaluateQaSignoffGate,
};

/** Records QA's sign-off of `sha`: a success status whose description names who and when. */
export async function recordSignOff(
  github: GithubClient,
  repo: string,
  sha: string,
  who: { login: string; name?: string },
  now: Date,
): Promise<Outcome<SignOff>> {
  const body = {
    state: 'success',
    context: QA_SIGNOFF_CONTEXT,
    description: signOffDescription(who, now),
  };
  const answer = await github.request<CommitStatusJson>(`/repos/${repo}/statuses/${sha}`, {
    method: 'POST',
    body,
  });
  if (!answer.ok) return answer;
  const status = answer.value.data;
  return success({ sha, by: status.creator?.login ?? who.login, at: status.created_at });
}

/** "Signed off by ada (Ada Lovelace) at 2026-11-27T16:02:11Z", shortened to what GitHub keeps. */
export function signOffDescription(who: { login: string; name?: string }, now: Date): string {
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const name = who.name && who.name !== who.login ? ` (${who.name})` : '';
  const text = `Signed off by ${who.login}${name} at ${at}`;
  return text.length <= maxDescription ? text : `Signed off by ${who.login} at ${at}`;
}

async function evaluateQaSignoffGate(ctx: GateContext): Promise<GateOutcome> {
  const sha = ctx.record.sourceCommit;
  if (!ctx.github)
    return {
      state: 'unknown',
      detail: 'Sign in to GitHub (railyard login github) to read or record the QA sign-off',
      actions: ['retry'],
    };
  if (!sha) return unknownBecause('read the QA sign-off', 'the source commit is not pinned yet');
  const statuses = await latestStatuses(ctx.github, ctx.record.repo, sha, ctx.signal);
  if (!statuses.ok)
    return unknownBecause(`read the QA sign-off of ${short(sha)}`, statuses.error.message);
  const own = statuses.value.find((s) => s.context === QA_SIGNOFF_CONTEXT);
  const earlier = own ? undefined : await earlierSignOff(ctx, sha);
  return evaluateQaSignoff(own, sha, { branch: ctx.record.from.branch, earlier });
}

/**
 * A sign-off of one of the few commits before `sha` in the promotion's changes, newest first: only
 * to say why the sign-off the user remembers no longer counts. A failed look-up just says nothing.
 */
async function earlierSignOff(ctx: GateContext, sha: string): Promise<SignOff | undefined> {
  const github = ctx.github;
  const shas = ctx.changes.commits.map((c) => c.sha);
  const from = shas.indexOf(sha);
  if (!github || from < 0) return undefined;
  const candidates = shas.slice(from + 1, from + 1 + earlierCommitsToCheck);
  const found = await Promise.all(
    candidates.map(async (candidate) => {
      const answer = await latestStatuses(github, ctx.record.repo, candidate, ctx.signal);
      const status = answer.ok ? answer.value.find(isSuccessfulSignOff) : undefined;
      return status && signOffOf(candidate, status);
    }),
  );
  return found.find((s) => s !== undefined);
}

/** The verdict on the newest `railyard/qa-signoff` status of the pinned commit, if it has one. */
export function evaluateQaSignoff(
  status: CommitStatusJson | undefined,
  sha: string,
  context: { branch: string; earlier?: SignOff },
): GateOutcome {
  if (!status) return missing(sha, context);
  const who = status.creator?.login ?? 'someone';
  const when = formatUtc(new Date(status.created_at));
  const evidence = [evidenceOf(status)];
  switch (status.state) {
    case 'success':
      return { state: 'pass', detail: `QA: signed off by ${who} on ${when}`, evidence };
    case 'failure':
      return {
        state: 'fail',
        detail: `QA rejected ${short(sha)}: ${who} on ${when}`,
        evidence,
        actions: ['sign-off'],
      };
    case 'error':
      return {
        state: 'fail',
        detail: `QA's check of ${short(sha)} ended in an error (${who} on ${when})`,
        evidence,
        actions: ['sign-off'],
      };
    case 'pending':
      return {
        state: 'needs-you',
        detail: `QA is still reviewing ${short(sha)} (${who}, since ${when}): sign off when done`,
        evidence,
        actions: ['sign-off'],
      };
  }
}

function missing(sha: string, context: { branch: string; earlier?: SignOff }): GateOutcome {
  const { earlier, branch } = context;
  if (!earlier)
    return {
      state: 'needs-you',
      detail: `No QA sign-off of ${short(sha)} yet: only a sign-off of this exact commit counts`,
      actions: ['sign-off'],
    };
  return {
    state: 'needs-you',
    detail: `${branch} moved since ${earlier.by}'s sign-off of ${short(earlier.sha)}: sign off ${short(sha)} again`,
    evidence: [
      {
        label: short(earlier.sha),
        text: `signed off by ${earlier.by} on ${formatUtc(new Date(earlier.at))}; does not cover ${short(sha)}`,
        flag: 'warn',
      },
    ],
    actions: ['sign-off'],
  };
}

function isSuccessfulSignOff(status: CommitStatusJson): boolean {
  return status.context === QA_SIGNOFF_CONTEXT && status.state === 'success';
}

function signOffOf(sha: string, status: CommitStatusJson): SignOff {
  return { sha, by: status.creator?.login ?? 'someone', at: status.created_at };
}

function evidenceOf(status: CommitStatusJson): GateEvidence {
  const evidence: GateEvidence = {
    label: QA_SIGNOFF_CONTEXT,
    text: status.description ?? status.state,
  };
  if (status.target_url) evidence.url = status.target_url;
  if (status.state !== 'success') evidence.flag = 'fail';
  return evidence;
}
