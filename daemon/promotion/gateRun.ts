// Running the gates of a promotion: pin both heads in the mirror, summarise the change, then run
// every gate at once (each one runs even when another failed), journaling each answer as it comes.
import type {
  FolderContext,
  GateId,
  GateResult,
  HealthView,
  PromotionRecord,
} from '../../protocol/protocol';
import type { GithubClient } from '../github/githubClient';
import type { RailwayClient } from '../railway/railwayClient';
import type { EnvironmentService } from '../environments/environmentService';
import { readFolderConfig } from '../environments/environmentService';
import type { GateContext, GateDefinition, GateOutcome } from './gateContext';
import type { GitMirror } from './gitMirror';
import { buildChangeSummary } from './gates/changes';
import { environmentNamed, openFeed } from './viewFeed';
import {
  gatedSummary,
  levelled,
  recordSettings,
  transition,
  withGate,
  withOverrides,
} from './promotionRecords';
import { servicesBefore } from './deployProgress';
import type { PromotionStore } from './promotionStore';

export interface GateRunDeps {
  store: PromotionStore;
  environments: EnvironmentService;
  gates: GateDefinition[];
  mirrorFor(repo: string): GitMirror;
  railway(): RailwayClient | undefined;
  github(): GithubClient | undefined;
  /** The GitHub token's OAuth scopes; null for a fine-grained token; undefined when unknown. */
  githubScopes(): Promise<string[] | null | undefined>;
  checkHealth(url: string): Promise<HealthView>;
  now(): Date;
}

/** Pins the heads and runs the gates (all, or `only` one); the record ends `gated`. */
export async function runGates(deps: GateRunDeps, id: string, only?: GateId): Promise<void> {
  const { store } = deps;
  const folder = store.folderOf(id)!;
  const before = store.get(id)!;
  try {
    const ctx = await gateContext(deps, folder, before);
    // A head that moved since the last run invalidates every answer, not just the one asked for.
    const moved =
      ctx.record.sourceCommit !== before.sourceCommit ||
      ctx.record.targetCommit !== before.targetCommit;
    const definitions = deps.gates.filter((g) => (only && !moved ? g.id === only : true));
    await Promise.all(definitions.map((g) => runOne(deps, ctx, g)));
  } catch (e) {
    failAll(deps, id, (e as Error).message);
  }
  // Cancelled while the gates ran: it stays cancelled.
  store.move(id, ['planned'], (r) => {
    const gated = withOverrides(r);
    return transition(gated, 'gated', deps.now(), gatedSummary(gated));
  });
}

async function gateContext(
  deps: GateRunDeps,
  folder: FolderContext,
  record: PromotionRecord,
): Promise<GateContext> {
  const railway = deps.railway();
  if (!railway) throw new Error('Sign in to Railway first (railyard login).');
  const feed = await openFeed(deps.environments, folder);
  // A fresh read of Railway, not the shared watcher's last view: a push deployed a moment ago
  // (seen by the user in Railway's dashboard) must not fail "source deployed" for up to a poll.
  const view = await feed.refresh().finally(() => feed.stop());
  const source = environmentNamed(view, record.from.name);
  const target = environmentNamed(view, record.to.name);
  const mirror = deps.mirrorFor(record.repo);
  await mirror.sync();
  const sourceCommit = await mirror.head(record.from.branch);
  const targetCommit = await mirror.head(record.to.branch);
  if (!sourceCommit || !targetCommit)
    throw new Error(
      `The repository ${record.repo} has no branch ${sourceCommit ? record.to.branch : record.from.branch}.`,
    );
  const settings = recordSettings(readFolderConfig(folder).config, record);
  const changes = await buildChangeSummary(
    mirror,
    targetCommit,
    sourceCommit,
    settings.migrations,
    {
      repo: record.repo,
      githubApiUrl: deps.github()?.baseUrl,
    },
  );
  const pinned = deps.store.update(record.id, (r) => ({
    ...r,
    sourceCommit,
    targetCommit,
    changes,
    services: servicesBefore(target),
  }));
  return {
    record: pinned,
    source,
    target,
    settings,
    changes,
    github: deps.github(),
    githubScopes: await deps.githubScopes(),
    railway,
    mirror,
    checkHealth: (url) => deps.checkHealth(url),
    lockHolder: () => deps.store.holder(deps.store.get(record.id)!),
    ours: (id) => deps.store.get(id) !== undefined,
    now: () => deps.now(),
  };
}

async function runOne(deps: GateRunDeps, ctx: GateContext, gate: GateDefinition): Promise<void> {
  const current = deps.store.get(ctx.record.id)!.gates.find((g) => g.id === gate.id)!;
  if (current.level === 'off') return;
  deps.store.update(ctx.record.id, (r) =>
    withGate(r, { ...current, state: 'pending', detail: 'Checking…' }),
  );
  let outcome: GateOutcome;
  try {
    outcome = await gate.evaluate(ctx);
  } catch (e) {
    outcome = { state: 'unknown', detail: (e as Error).message, actions: ['retry'] };
  }
  const result: GateResult = levelled({
    ...current,
    state: outcome.state,
    detail: outcome.detail,
    evidence: outcome.evidence ?? [],
    actions: outcome.actions ?? [],
    checkedAt: deps.now().toISOString(),
  });
  delete result.override;
  deps.store.update(ctx.record.id, (r) => withGate(r, result));
}

/** A failure before any gate could run (no mirror, no view): every gate says why, none passes. */
function failAll(deps: GateRunDeps, id: string, message: string): void {
  deps.store.update(id, (r) => ({
    ...r,
    gates: r.gates.map((g) =>
      g.state === 'off' ? g : { ...g, state: 'unknown', detail: message, actions: ['retry'] },
    ),
  }));
}
