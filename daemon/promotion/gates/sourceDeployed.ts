// Gate 'source-deployed': every git service of the source environment serves the pinned commit,
// or was rightly left alone by Railway's watch paths. Image services have no commit to judge.
import { short as shortSha } from './gateWords';
import type {
  DeploymentView,
  EnvironmentView,
  GateEvidence,
  ServiceView,
} from '../../../protocol/protocol';
import {
  unknownBecause,
  type GateContext,
  type GateDefinition,
  type GateOutcome,
} from '../gateContext';

/** What the build log said of a deployment skipped because its commit's CI failed (skipReasons.ts). */
const CI_SKIP = 'CI did not pass';

const short = (sha: string | undefined): string => shortSha(sha, 'no commit');

type Verdict = { ok: boolean; evidence: GateEvidence };

const pass = (label: string, text: string): Verdict => ({ ok: true, evidence: { label, text } });
const fail = (label: string, text: string): Verdict => ({
  ok: false,
  evidence: { label, text, flag: 'fail' },
});

/** The newest deployment of the pinned commit (the view lists them newest first). */
function newestFor(service: ServiceView, sha: string): DeploymentView | undefined {
  return service.recent.find((d) => d.commitHash === sha);
}

/**
 * The skipped-for-watch-paths case: Railway skipped the pinned commit while the service keeps
 * serving an older commit of the same history. Which active commits are ancestors of the pinned
 * one is asked of git beforehand (see `needsAncestry`).
 */
function judgeSkipped(
  service: ServiceView,
  pinned: string,
  skipped: DeploymentView,
  ancestors: ReadonlySet<string>,
): Verdict {
  const { name, active } = service;
  if (skipped.skipReason === CI_SKIP)
    return fail(name, `skipped ${short(pinned)}: CI did not pass`);
  const runs = active?.commitHash;
  if (active?.status === 'SUCCESS' && runs && ancestors.has(runs))
    return pass(name, `unchanged by these commits (watch paths): runs ${short(runs)}`);
  return fail(
    name,
    `skipped ${short(pinned)} and runs ${short(runs)}, which is not in its history`,
  );
}

/** One git service against the pinned commit. */
export function judgeService(
  service: ServiceView,
  pinned: string,
  ancestors: ReadonlySet<string>,
): Verdict {
  const { name, active } = service;
  if (active?.commitHash === pinned) return judgeServing(name, active);
  const forPinned = newestFor(service, pinned);
  if (forPinned?.status === 'SKIPPED') return judgeSkipped(service, pinned, forPinned, ancestors);
  if (forPinned) return fail(name, `is ${forPinned.status} ${short(pinned)}${meanwhile(active)}`);
  if (!active) return fail(name, `serves nothing, not the pinned ${short(pinned)}`);
  return fail(name, `runs ${short(active.commitHash)}, not the pinned ${short(pinned)}`);
}

/** The serving deployment is of the pinned commit: only its status can still fail it. */
function judgeServing(name: string, active: DeploymentView): Verdict {
  const sha = short(active.commitHash);
  if (active.status === 'SUCCESS') return pass(name, `SUCCESS at ${sha}`);
  // Serverless: asleep until a request comes, built from the pinned commit all the same.
  if (active.status === 'SLEEPING') return pass(name, `SLEEPING at ${sha} (wakes on a request)`);
  return fail(name, `${active.status} at ${sha}`);
}

function meanwhile(active: DeploymentView | undefined): string {
  return active ? ` (serves ${short(active.commitHash)} meanwhile)` : ' (serves nothing meanwhile)';
}

/** Active commits git must place in the pinned commit's history before judging (watch-path skips). */
export function needsAncestry(env: EnvironmentView, pinned: string): string[] {
  const shas = env.services.flatMap((s) => {
    const skipped = s.repo ? newestFor(s, pinned) : undefined;
    const runs = s.active?.commitHash;
    return skipped?.status === 'SKIPPED' &&
      skipped.skipReason !== CI_SKIP &&
      runs &&
      runs !== pinned
      ? [runs]
      : [];
  });
  return [...new Set(shas)];
}

function notJudged(service: ServiceView): GateEvidence {
  const what = service.image ? `image ${service.image}` : 'no git source';
  return { label: service.name, text: `${what}: not judged (no commit to compare)` };
}

/** Pure: the gate's answer for the source environment, the pinned commit, and what git said. */
export function evaluateSourceDeployed(
  env: EnvironmentView,
  pinned: string,
  ancestors: ReadonlySet<string> = new Set(),
): GateOutcome {
  const git = env.services.filter((s) => s.repo);
  const verdicts = git.map((s) => judgeService(s, pinned, ancestors));
  const evidence = [
    ...verdicts.map((v) => v.evidence),
    ...env.services.filter((s) => !s.repo).map(notJudged),
  ];
  if (git.length === 0)
    return {
      state: 'warn',
      detail: `${env.name} has no git service: nothing to compare with ${short(pinned)}`,
      evidence,
    };
  const failed = git.filter((_, i) => !verdicts[i]!.ok).map((s) => s.name);
  if (failed.length)
    return {
      state: 'fail',
      detail: `${failed.join(', ')} in ${env.name} ${failed.length === 1 ? 'does' : 'do'} not serve ${short(pinned)}`,
      evidence,
    };
  return {
    state: 'pass',
    detail: `Every git service of ${env.name} serves ${short(pinned)}`,
    evidence,
  };
}

async function ancestorsOf(ctx: GateContext, shas: string[], pinned: string): Promise<Set<string>> {
  const answers = await Promise.all(shas.map((sha) => ctx.mirror.isAncestor(sha, pinned)));
  return new Set(shas.filter((_, i) => answers[i]));
}

export const sourceDeployedGate: GateDefinition = {
  id: 'source-deployed',
  title: 'Source environment deployed',
  async evaluate(ctx) {
    const pinned = ctx.record.sourceCommit;
    if (!pinned)
      return { state: 'unknown', detail: 'No source commit is pinned yet', actions: ['retry'] };
    let ancestors: Set<string>;
    try {
      ancestors = await ancestorsOf(ctx, needsAncestry(ctx.source, pinned), pinned);
    } catch (e) {
      return unknownBecause('read the history of the skipped services', (e as Error).message);
    }
    return evaluateSourceDeployed(ctx.source, pinned, ancestors);
  },
};
