// How the target's deploy of the merge commit stands, read from the environment's view: per
// service, the deployment Railway made for that commit (found by meta.commitHash), its status in
// plain words, and whether the whole deploy is still running, done, or failed.
import type {
  DeploymentView,
  EnvironmentView,
  PromotionService,
  ServiceView,
} from '../../protocol/protocol';
import { short } from './promotionRecords';

export type ServiceProgress = 'missing' | 'running' | 'done' | 'failed';

export interface ServiceJudgement {
  service: PromotionService;
  progress: ServiceProgress;
}

/** The services a promotion deploys: those built from git (image services do not follow a branch). */
export function affectedServices(env: EnvironmentView): ServiceView[] {
  return env.services.filter((s) => s.repo !== undefined);
}

/** What each affected service serves before the promotion: what a rollback would restore. */
export function servicesBefore(env: EnvironmentView): PromotionService[] {
  return affectedServices(env).map((s) => ({
    id: s.id,
    name: s.name,
    ...(s.active && {
      previousDeploymentId: s.active.id,
      ...(s.active.commitHash && { previousCommit: s.active.commitHash }),
    }),
  }));
}

/** The newest deployment of `sha` (a full or abbreviated hash) among a service's recent ones. */
export function deploymentOf(service: ServiceView, sha: string): DeploymentView | undefined {
  return service.recent.find((d) => d.commitHash !== undefined && sameCommit(d.commitHash, sha));
}

function sameCommit(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  return n >= 7 && a.slice(0, n).toLowerCase() === b.slice(0, n).toLowerCase();
}

export function judgeService(
  before: PromotionService,
  view: ServiceView | undefined,
  sha: string,
): ServiceJudgement {
  const d = view ? deploymentOf(view, sha) : undefined;
  if (!d)
    return {
      service: { ...before, detail: `Railway has not listed a deployment of ${short(sha)} yet.` },
      progress: 'missing',
    };
  const service = { ...before, deploymentId: d.id, status: d.status };
  const [progress, detail] = describe(d, before);
  return { service: { ...service, detail }, progress };
}

function describe(d: DeploymentView, before: PromotionService): [ServiceProgress, string] {
  switch (d.status) {
    case 'SUCCESS':
    case 'SLEEPING':
      return ['done', `Serving ${short(d.commitHash)} (${d.status}).`];
    case 'SKIPPED':
      return d.skipReason === 'CI did not pass'
        ? ['failed', `Skipped by Railway: the commit's CI did not pass, so it was not deployed.`]
        : [
            'done',
            `Skipped by Railway (${d.skipReason ?? 'no watched files changed'}): still serves ${short(before.previousCommit)}, unchanged by this promotion.`,
          ];
    case 'WAITING':
      return [
        'running',
        "WAITING: Railway waits for GitHub's checks on the commit to pass before building (the service's Wait for CI setting).",
      ];
    case 'NEEDS_APPROVAL':
      return [
        'running',
        `NEEDS_APPROVAL: Railway holds this deployment until someone approves it in the dashboard${d.url ? ` (${d.url})` : ''}.`,
      ];
    case 'FAILED':
      return ['failed', 'FAILED: the build or the pre-deploy command failed; see its build logs.'];
    case 'CRASHED':
      return ['failed', 'CRASHED: the new deployment started and then crashed; see its logs.'];
    case 'REMOVED':
    case 'REMOVING':
      return ['failed', `${d.status}: Railway removed the deployment before it served.`];
    default:
      return ['running', `${d.status}.`];
  }
}

export type DeployOverall = 'running' | 'deployed' | 'failed';

export function overall(judgements: ServiceJudgement[]): DeployOverall {
  if (judgements.some((j) => j.progress === 'failed')) return 'failed';
  if (judgements.every((j) => j.progress === 'done')) return 'deployed';
  return 'running';
}
