// A GateContext filled from the simulators, for gate tests: environment views built by the daemon's
// own code from the tree query (skip reasons read from build logs, as the watcher reads them), a
// Railway client on the simulators' clock (its waits move the clock, so nothing waits real time),
// real health checks against the services' domains, and a mirror that asks the git server's
// repository. Whatever a gate test does not set is the kars promotion kars-dev → kars-prod.
import { buildEnvironmentViews, isProtected } from '../../daemon/environments/environmentViews';
import { checkHealth, parseResolveRules } from '../../daemon/environments/healthChecker';
import { skipReasonFrom } from '../../daemon/environments/skipReasons';
import {
  environmentTreeDocument,
  RECENT_DEPLOYMENTS,
  type EnvironmentTreeResult,
} from '../../daemon/environments/treeQuery';
import type { GateContext, PromotionSettings } from '../../daemon/promotion/gateContext';
import type { GitMirror } from '../../daemon/promotion/gitMirror';
import { RailwayClient, type RailwayClientOptions } from '../../daemon/railway/railwayClient';
import {
  promotionRecord,
  type ChangeSummary,
  type EnvironmentView,
  type PromotionRecord,
} from '../../protocol/protocol';
import { runGit } from '../../sim/git/gitRun';
import type { Simulators } from '../../sim/server';

/** Moves the simulators' clock instead of waiting: backups, deployments and rate windows follow it. */
export function simDelay(sims: Simulators): (ms: number) => Promise<void> {
  return (ms) => {
    sims.clock.advance(ms);
    return Promise.resolve();
  };
}

/** A Railway client for the simulators, signed in with the account token, living on their clock. */
export function simRailwayClient(
  sims: Simulators,
  over: Partial<RailwayClientOptions> = {},
): RailwayClient {
  return new RailwayClient({
    endpoint: sims.urls.railway,
    token: sims.tokens.railway.account,
    tokenKind: 'account',
    now: () => sims.clock.nowMs(),
    delay: simDelay(sims),
    random: () => 1,
    ...over,
  });
}

export const projectIdOf = (sims: Simulators): string => sims.railway.state.projects[0]!.id;

/** The environments as the tree shows them (health not checked: the gates check it themselves). */
export async function simEnvironments(
  sims: Simulators,
  client: RailwayClient = simRailwayClient(sims),
): Promise<EnvironmentView[]> {
  const tree = await client.request<EnvironmentTreeResult>(environmentTreeDocument, {
    projectId: projectIdOf(sims),
    recent: RECENT_DEPLOYMENTS,
  });
  if (!tree.ok) throw new Error(`the tree query failed: ${tree.error.message}`);
  const envs = buildEnvironmentViews(tree.value.project, undefined, () => undefined);
  return withSkipReasons(client, envs);
}

/** Reads why each skipped deployment was skipped from its build log, as the watcher does. */
async function withSkipReasons(
  client: RailwayClient,
  envs: EnvironmentView[],
): Promise<EnvironmentView[]> {
  for (const service of envs.flatMap((e) => e.services)) {
    for (const d of service.recent.filter((r) => r.status === 'SKIPPED')) {
      const log = await client.operation<{ buildLogs: { message: string }[] }>('BuildLogLines', {
        deploymentId: d.id,
        limit: 20,
      });
      if (log.ok) d.skipReason = skipReasonFrom(log.value.buildLogs.map((l) => l.message));
    }
  }
  return envs;
}

/** The git server's repository answers what git can; the rest refuses loudly, so a gate that needs it shows. */
export function simRepoMirror(sims: Simulators): GitMirror {
  const repo = sims.repo;
  if (!repo) throw new Error('the gate fixture needs the kars repository');
  const cwd = sims.git.repoPath(repo.owner, repo.repo);
  const refuse = (what: string) => () =>
    Promise.reject(new Error(`the gate fixture's mirror does not ${what}`));
  return {
    repo: `${repo.owner}/${repo.repo}`,
    sync: () => Promise.resolve(),
    head: async (branch) => (await sims.git.branchHead(repo.owner, repo.repo, branch)) ?? undefined,
    remoteHead: async (branch) =>
      (await sims.git.branchHead(repo.owner, repo.repo, branch)) ?? undefined,
    isAncestor: async (ancestor, descendant) => {
      const r = await runGit(['merge-base', '--is-ancestor', ancestor, descendant], {
        cwd,
        okExitCodes: [0, 1],
      });
      return r.exitCode === 0;
    },
    commitsBetween: refuse('list commits'),
    filesChanged: refuse('list files'),
    dryMerge: refuse('merge'),
    commitMerge: refuse('merge'),
    push: refuse('push'),
    message: refuse('read messages'),
    remoteTags: refuse('list tags'),
    pushTag: refuse('push tags'),
    revert: refuse('revert'),
  };
}

export const noChanges: ChangeSummary = {
  commits: [],
  commitCount: 0,
  authors: [],
  files: [],
  migrations: [],
  risky: [],
  prs: [],
};

export interface GateFixtureOptions {
  from?: string;
  to?: string;
  /** The pinned source commit; the source branch's head in the git server by default. */
  sourceCommit?: string;
  checkOnly?: boolean;
  changes?: Partial<ChangeSummary>;
  settings?: Partial<PromotionSettings>;
  client?: RailwayClient;
  mirror?: GitMirror;
  id?: string;
}

function record(
  sims: Simulators,
  source: EnvironmentView,
  target: EnvironmentView,
  o: GateFixtureOptions & { sourceCommit: string },
): PromotionRecord {
  const at = sims.clock.now().toISOString();
  const ref = (e: EnvironmentView) => ({ name: e.name, id: e.id, branch: e.branch ?? e.name });
  return promotionRecord.parse({
    id: o.id ?? 'promo-fixture-1',
    state: 'planned',
    summary: 'gates running',
    folder: '/work/kars',
    projectId: projectIdOf(sims),
    repo: source.repo ?? 'kars/kars-app',
    from: ref(source),
    to: ref(target),
    sourceCommit: o.sourceCommit,
    checkOnly: o.checkOnly ?? false,
    protected: isProtected(target.name),
    gates: [],
    steps: [],
    createdBy: 'gate-fixture',
    createdAt: at,
    updatedAt: at,
    history: [{ state: 'planned', at }],
  });
}

/** A GateContext for a promotion between two environments of the simulated kars project, as it is now. */
export async function gateContext(
  sims: Simulators,
  o: GateFixtureOptions = {},
): Promise<GateContext> {
  const railway = o.client ?? simRailwayClient(sims);
  const envs = await simEnvironments(sims, railway);
  const find = (name: string) => {
    const env = envs.find((e) => e.name === name);
    if (!env) throw new Error(`no environment ${name} in the simulator`);
    return env;
  };
  const source = find(o.from ?? 'kars-dev');
  const target = find(o.to ?? 'kars-prod');
  const mirror = o.mirror ?? simRepoMirror(sims);
  const sourceCommit = o.sourceCommit ?? (await mirror.head(source.branch ?? source.name));
  if (!sourceCommit) throw new Error(`no head for ${source.branch ?? source.name}`);
  const rules = parseResolveRules(sims.env.RAILYARD_RESOLVE);
  return {
    record: record(sims, source, target, { ...o, sourceCommit }),
    source,
    target,
    settings: { settleSeconds: 60, deployTimeoutSeconds: 900, migrations: [], ...o.settings },
    changes: { ...noChanges, ...o.changes },
    railway,
    mirror,
    checkHealth: (url) => checkHealth(url, rules),
    lockHolder: () => undefined,
    ours: () => false,
    now: () => sims.clock.now(),
  };
}
