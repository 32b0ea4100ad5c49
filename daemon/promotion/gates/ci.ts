// The CI gate: every check run and commit status GitHub reports on the pinned source commit must
// have finished green. QA's own sign-off status is the qa-signoff gate's, not CI.
import type { GateEvidence } from '../../../protocol/protocol';
import {
  latestStatuses,
  listCheckRuns,
  type CheckRunJson,
  type CommitStatusJson,
} from '../../github/commitChecks';
import {
  unknownBecause,
  type GateContext,
  type GateDefinition,
  type GateOutcome,
} from '../gateContext';
import { counted, short } from './gateWords';
import { QA_SIGNOFF_CONTEXT } from './qaSignoff';

export const ciGate: GateDefinition = { id: 'ci', title: 'CI green', evaluate: evaluateCiGate };

async function evaluateCiGate(ctx: GateContext): Promise<GateOutcome> {
  const sha = ctx.record.sourceCommit;
  if (!ctx.github)
    return {
      state: 'unknown',
      detail: 'Sign in to GitHub (railyard login github) to check CI',
      actions: ['retry'],
    };
  if (!sha) return unknownBecause('check CI', 'the source commit is not pinned yet');
  const { repo } = ctx.record;
  const [runs, statuses] = await Promise.all([
    listCheckRuns(ctx.github, repo, sha, ctx.signal),
    latestStatuses(ctx.github, repo, sha, ctx.signal),
  ]);
  if (!runs.ok) return unknownBecause(`read the check runs of ${short(sha)}`, runs.error.message);
  if (!statuses.ok)
    return unknownBecause(`read the commit statuses of ${short(sha)}`, statuses.error.message);
  return evaluateCi(runs.value, statuses.value, sha);
}

type Verdict = 'pass' | 'fail' | 'pending';

interface CiItem {
  name: string;
  verdict: Verdict;
  /** GitHub's word for where it stands: success, failure, in_progress… */
  said: string;
  url?: string;
}

/** Conclusions GitHub itself lets through a required check; anything else (stale included) is not green. */
const passingConclusions = new Set(['success', 'neutral', 'skipped']);

/** The verdict on one commit's check runs and newest statuses (of every context but QA's). */
export function evaluateCi(
  runs: CheckRunJson[],
  statuses: CommitStatusJson[],
  sha: string,
): GateOutcome {
  const items = [
    ...runs.map(checkRunItem),
    ...statuses.filter((s) => s.context !== QA_SIGNOFF_CONTEXT).map(statusItem),
  ];
  if (items.length === 0) return { state: 'warn', detail: `No CI reported on ${short(sha)}` };
  const evidence = byVerdict(items).map(evidenceOf);
  const failed = items.filter((i) => i.verdict === 'fail');
  const pending = items.filter((i) => i.verdict === 'pending');
  if (failed.length > 0)
    return {
      state: 'fail',
      detail: `CI failed on ${short(sha)}: ${names(failed)}`,
      evidence,
      actions: ['retry'],
    };
  if (pending.length > 0)
    return {
      state: 'fail',
      detail: `CI still running: ${counted(pending.length, 'check')} pending (${names(pending)})`,
      evidence,
      actions: ['retry'],
    };
  return {
    state: 'pass',
    detail: `CI green on ${short(sha)}: ${counted(items.length, 'check')} passed`,
    evidence,
  };
}

function checkRunItem(run: CheckRunJson): CiItem {
  const url = run.html_url ?? run.details_url ?? undefined;
  if (run.status !== 'completed')
    return { name: run.name, verdict: 'pending', said: run.status, url };
  const said = run.conclusion ?? 'completed';
  const verdict = passingConclusions.has(said) ? 'pass' : 'fail';
  return { name: run.name, verdict, said, url };
}

function statusItem(status: CommitStatusJson): CiItem {
  const verdict: Verdict =
    status.state === 'success' ? 'pass' : status.state === 'pending' ? 'pending' : 'fail';
  const said = status.description ? `${status.state}: ${status.description}` : status.state;
  return { name: status.context, verdict, said, url: status.target_url ?? undefined };
}

/** Failures first, then what is still running, then the green ones: what to look at, first. */
function byVerdict(items: CiItem[]): CiItem[] {
  const order: Verdict[] = ['fail', 'pending', 'pass'];
  return [...items].sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict));
}

function evidenceOf(item: CiItem): GateEvidence {
  const evidence: GateEvidence = { label: item.name, text: item.said.replace(/_/g, ' ') };
  if (item.url) evidence.url = item.url;
  if (item.verdict !== 'pass') evidence.flag = 'fail';
  return evidence;
}

function names(items: CiItem[]): string {
  const shown = items.slice(0, 5).map((i) => i.name);
  return items.length > 5 ? `${shown.join(', ')} and ${items.length - 5} more` : shown.join(', ');
}
