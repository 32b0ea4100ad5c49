// What promotion tests share: a simulated world running in real time (short steps, so a push
// deploys in well under a second), the kars folder with its railyard.json, and waits for a
// promotion to reach a state, driven by `promotion.changed` notifications, never by polling.
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import type { PromotionRecord } from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import type { RpcClient } from '../../client/rpcClient';
import { startSimulators, type Simulators } from '../../sim/server';
import { runGit } from '../../sim/git/gitRun';
import { karsFolder, tempHome, type FolderContext } from './harness';

export const KARS_REPO = 'kars/kars-app';

/** Simulators whose clock follows the wall clock in 20 ms steps: the world moves by itself. */
export function liveSimulators(): Promise<Simulators> {
  return startSimulators({ realTime: true, stepMs: 20 });
}

/** The kars folder, trusted, with a railyard.json that keeps the settle time and timeouts short. */
export function promotionFolder(
  sims: Simulators,
  pair: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): FolderContext {
  const dir = tempHome();
  const config = {
    promotions: [{ from: 'kars-dev', to: 'kars-prod', settleSeconds: 0, ...pair }],
    ...extra,
  };
  fs.writeFileSync(path.join(dir, 'railyard.json'), JSON.stringify(config, null, 2));
  return karsFolder(sims, { dir });
}

/** Resolves with the record once `ok` holds, from the notifications (and the record as it is now). */
export async function recordUntil(
  client: RpcClient,
  id: string,
  ok: (r: PromotionRecord) => boolean,
): Promise<PromotionRecord> {
  const seen = new Promise<PromotionRecord>((resolve) => {
    const off = client.onNotification('promotion.changed', ({ promotion }) => {
      if (promotion.id === id && ok(promotion)) {
        off();
        resolve(promotion);
      }
    });
  });
  const now = await client.request('promotion.get', { id });
  return ok(now) ? now : seen;
}

export const gated = (r: PromotionRecord) => r.state === 'gated';
export const final = (r: PromotionRecord) =>
  ['succeeded', 'failed', 'rolled-back', 'cancelled'].includes(r.state);

export function gate(r: PromotionRecord, id: string) {
  const g = r.gates.find((x) => x.id === id);
  if (!g) throw new Error(`no gate ${id}`);
  return g;
}

/** A commit pushed to a branch of the kars repository, as a teammate would. */
export async function pushCommit(
  sims: Simulators,
  branch: string,
  files: Record<string, string>,
  message: string,
): Promise<string> {
  const work = tempHome();
  const url = sims.urls.repo!;
  const auth = ['-c', `http.extraHeader=Authorization: Bearer ${sims.tokens.git}`];
  await runGit([...auth, 'clone', '--quiet', '--branch', branch, url, work]);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    fs.writeFileSync(path.join(work, file), text);
  }
  const id = ['-c', 'user.name=Teammate', '-c', 'user.email=teammate@kars.example'];
  await runGit(['add', '-A'], { cwd: work });
  await runGit([...id, 'commit', '--quiet', '-m', message], { cwd: work });
  await runGit([...auth, 'push', '--quiet', 'origin', branch], { cwd: work });
  return (await runGit(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
}

/** A branch's head on the simulated git server. */
export async function serverHead(sims: Simulators, branch: string): Promise<string> {
  const repo = sims.repo!;
  return (await runGit(['rev-parse', `refs/heads/${branch}`], { cwd: repo.path })).stdout.trim();
}

/** A commit's parents and message on the server. */
export async function commitOnServer(
  sims: Simulators,
  sha: string,
): Promise<{ parents: string[]; message: string }> {
  const cwd = sims.repo!.path;
  const parents = (await runGit(['rev-list', '--parents', '-n', '1', sha], { cwd })).stdout
    .trim()
    .split(' ')
    .slice(1);
  const message = (await runGit(['log', '-1', '--format=%B', sha], { cwd })).stdout.trim();
  return { parents, message };
}

/** The daemon's refusal of a request, as the RpcError it answered. */
export async function rejection(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RpcError) return e;
    throw e;
  }
  assert.fail('expected the daemon to refuse');
}

/** GitHub's protection of kars-prod as teams set it: changes through a PR with one approving review. */
export function protectKarsProd(sims: Simulators): void {
  sims.github.state.protections.set(KARS_REPO, 'kars-prod', {
    requirePullRequest: true,
    requiredApprovingReviews: 1,
    requiredChecks: [],
    dismissStaleReviews: false,
    enforceAdmins: true,
  });
}
