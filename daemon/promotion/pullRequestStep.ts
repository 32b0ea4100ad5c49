// The pull-request strategy, for targets whose branch GitHub protects: open (or reuse) the PR
// source → target, wait for its checks, pause for a person when GitHub wants an approving review,
// and merge it with a merge commit at the pinned sha, so nothing newer than what the gates saw
// slips in. Polling is conditional (ETag), so a PR waiting hours for a review costs almost nothing.
import type { PromotionRecord } from '../../protocol/protocol';
import type { GithubClient } from '../github/githubClient';
import { getPull, mergePull, openPull, type PullRequestJson } from '../github/pullRequests';
import { short, transition, withStep } from './promotionRecords';
import type { StepDeps } from './promotionSteps';
import { backToGates, failBeforePush, mergeMessage } from './stepOutcomes';

/** What the loop decided for one look at the PR. */
type Look = 'wait' | 'done' | 'stop';

export async function pullRequestStep(deps: StepDeps, record: PromotionRecord): Promise<boolean> {
  const github = deps.github();
  if (!github) {
    failBeforePush(
      deps,
      record,
      'pull-request',
      'Sign in to GitHub (railyard login github): the pull-request strategy merges through GitHub.',
    );
    return false;
  }
  const opened = await ensurePull(deps, github, record);
  if (!opened) return false;
  let seen = '';
  for (;;) {
    const current = deps.store.get(record.id)!;
    // Cancelled while waiting for a review: the PR stays open, and the record says so.
    if (current.state !== 'confirmed' || !deps.running()) return false;
    const look = await lookOnce(deps, github, current, seen);
    if (look.outcome === 'done') return true;
    if (look.outcome === 'stop') return false;
    seen = look.seen;
    await deps.sleep(look.waitMs);
  }
}

/** The PR of this promotion: the journaled one, an open one for the same branches, or a new one. */
async function ensurePull(
  deps: StepDeps,
  github: GithubClient,
  record: PromotionRecord,
): Promise<boolean> {
  if (record.pullRequest) return true;
  const [title, ...body] = mergeMessage(record, record.changes?.commitCount ?? 0).split('\n');
  const answer = await openPull(github, record.repo, {
    head: record.from.branch,
    base: record.to.branch,
    title: title!,
    body: body.join('\n').trim(),
  });
  if (!answer.ok) {
    failBeforePush(
      deps,
      record,
      'pull-request',
      `GitHub did not open the pull request: ${answer.error.message}`,
    );
    return false;
  }
  const { pull, reused } = answer.value;
  deps.store.update(record.id, (r) =>
    withStep(
      {
        ...r,
        pullRequest: { number: pull.number, url: pull.html_url, state: 'open', reused },
        summary: `${reused ? 'Reusing' : 'Opened'} pull request #${pull.number} (${pull.html_url}); waiting for GitHub to merge it…`,
      },
      'pull-request',
      { state: 'running', detail: `${reused ? 'Reusing' : 'Opened'} #${pull.number}.` },
      deps.now(),
    ),
  );
  return true;
}

interface Looked {
  outcome: Look;
  seen: string;
  waitMs: number;
}

/** One conditional GET of the PR, and a merge attempt when it changed since the last attempt. */
async function lookOnce(
  deps: StepDeps,
  github: GithubClient,
  record: PromotionRecord,
  seen: string,
): Promise<Looked> {
  const number = record.pullRequest!.number;
  const got = await getPull(github, record.repo, number);
  if (!got.ok) {
    note(
      deps,
      record,
      'running',
      `GitHub did not answer about #${number} (${got.error.message}); trying again.`,
    );
    return { outcome: 'wait', seen, waitMs: deps.prPollMs };
  }
  const pull = got.value;
  const settled = await settledPull(deps, record, pull);
  if (settled) return { outcome: settled, seen, waitMs: 0 };
  // GitHub computes mergeability in the background after a change: ask again shortly.
  if (pull.mergeable === null)
    return { outcome: 'wait', seen, waitMs: Math.min(2_000, deps.prPollMs) };
  const now = JSON.stringify(pull);
  // Unchanged since the last attempt (a 304): GitHub's answer would be the same.
  if (now === seen) return { outcome: 'wait', seen, waitMs: deps.prPollMs };
  return {
    outcome: await attemptMerge(deps, github, record, pull),
    seen: now,
    waitMs: deps.prPollMs,
  };
}

/** Merged (by us earlier, or a teammate's button), closed, conflicting or moved: no merge to try. */
async function settledPull(
  deps: StepDeps,
  record: PromotionRecord,
  pull: PullRequestJson,
): Promise<Look | undefined> {
  if (pull.merged && pull.merge_commit_sha) {
    if (pull.head.sha === record.sourceCommit)
      return merged(deps, record, pull.merge_commit_sha, 'merged on GitHub');
    // Merged by someone else with commits the gates never saw: not this promotion's to follow.
    failBeforePush(
      deps,
      record,
      'pull-request',
      `Pull request #${pull.number} was merged on GitHub at ${short(pull.head.sha)}, not at the commit the gates checked (${short(record.sourceCommit)}): ${record.to.name} changed outside this promotion; plan again to check what it runs.`,
    );
    return 'stop';
  }
  if (pull.state === 'closed') {
    failBeforePush(
      deps,
      record,
      'pull-request',
      `Pull request #${pull.number} was closed without being merged; nothing changed in ${record.to.name}.`,
    );
    return 'stop';
  }
  if (pull.head.sha !== record.sourceCommit) {
    await backToGates(
      deps,
      record,
      'pull-request',
      `${record.from.branch} moved to ${short(pull.head.sha)} (the pull request's head); nothing was merged`,
    );
    return 'stop';
  }
  if (pull.mergeable_state === 'dirty') {
    failBeforePush(
      deps,
      record,
      'pull-request',
      `Pull request #${pull.number} conflicts with ${record.to.branch}: merge ${record.to.branch} into ${record.from.branch} and resolve them there.`,
    );
    return 'stop';
  }
  return undefined;
}

async function attemptMerge(
  deps: StepDeps,
  github: GithubClient,
  record: PromotionRecord,
  pull: PullRequestJson,
): Promise<Look> {
  const [title, ...body] = mergeMessage(record, record.changes?.commitCount ?? 0).split('\n');
  if (!(await deps.stillOurs(record.id))) return 'stop';
  // GitHub's merge pins the head only: a target that moved since the gates (a hotfix) is checked
  // here, by git itself, as the push path's compare-and-swap would refuse it.
  const base = await deps.mirrorFor(record.repo).remoteHead(record.to.branch);
  if (base !== record.targetCommit) {
    await backToGates(
      deps,
      record,
      'pull-request',
      `${record.to.branch} moved to ${short(base)} since the gates ran; nothing was merged`,
    );
    return 'stop';
  }
  // Too late to cancel from here: GitHub may merge it whatever the record says meanwhile.
  deps.pushing.add(record.id);
  const answer = await mergePull(github, record.repo, pull.number, {
    sha: record.sourceCommit!,
    title: `${title!} (#${pull.number})`,
    message: body.join('\n').trim(),
  }).finally(() => deps.pushing.delete(record.id));
  if (!answer.ok) {
    note(
      deps,
      record,
      'running',
      `GitHub did not merge #${pull.number} (${answer.error.message}); trying again.`,
    );
    return 'wait';
  }
  const outcome = answer.value;
  switch (outcome.kind) {
    case 'merged':
      return merged(deps, record, outcome.sha, `merged #${pull.number}`);
    case 'needs-review':
      note(
        deps,
        record,
        'needs-you',
        `Waiting for an approving review of #${pull.number}: ${pull.html_url} (GitHub: ${outcome.message})`,
      );
      return 'wait';
    case 'checks':
      note(
        deps,
        record,
        'running',
        `Waiting for the required checks of #${pull.number}: ${outcome.message}`,
      );
      return 'wait';
    case 'head-moved':
      await backToGates(
        deps,
        record,
        'pull-request',
        `${record.from.branch} moved since the gates pinned ${short(record.sourceCommit)} (GitHub: ${outcome.message}); nothing was merged`,
      );
      return 'stop';
    case 'not-mergeable':
      failBeforePush(
        deps,
        record,
        'pull-request',
        `GitHub will not merge #${pull.number}: ${outcome.message}`,
      );
      return 'stop';
  }
}

/** The merge commit is GitHub's: the record goes on to the deploy as if it had pushed it. */
function merged(deps: StepDeps, record: PromotionRecord, sha: string, how: string): Look {
  const moved = deps.store.move(record.id, ['confirmed'], (r) => {
    const done = withStep(
      {
        ...r,
        mergeCommit: sha,
        pullRequest: r.pullRequest && { ...r.pullRequest, state: 'merged' },
      },
      'pull-request',
      { state: 'done', detail: `GitHub ${how} as ${short(sha)}.` },
      deps.now(),
    );
    const inTarget = `${r.to.branch} now points at ${short(sha)}; Railway deploys it next.`;
    return transition(
      transition(done, 'merged', deps.now(), inTarget),
      'pushed',
      deps.now(),
      inTarget,
    );
  });
  return moved ? 'done' : 'stop';
}

/** Where the wait stands, said once: the step's state and detail, and the record's sentence. */
function note(
  deps: StepDeps,
  record: PromotionRecord,
  state: 'running' | 'needs-you',
  detail: string,
): void {
  const step = record.steps.find((s) => s.id === 'pull-request');
  if (step?.state === state && step.detail === detail) return;
  deps.store.move(record.id, ['confirmed'], (r) =>
    withStep({ ...r, summary: detail }, 'pull-request', { state, detail }, deps.now()),
  );
}
