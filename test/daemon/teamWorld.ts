// What the team promotion tests share: two teammates' daemons (two state directories, two
// GitHub logins) on one simulated world, and waits driven by notifications and GitHub's events.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { EnvironmentView, ProjectView, PromotionRecord } from '../../protocol/protocol';
import type { RpcClient } from '../../client/rpcClient';
import { runGit } from '../../sim/git/gitRun';
import { addTeammate, signedInDaemonEnv, type Simulators } from '../../sim/server';
import { startInProcess, type FolderContext, type InProcessDaemon } from './harness';
import { KARS_REPO, gate, gated, liveSimulators, recordUntil } from './promotionWorld';

export const LIN = {
  token: 'ghp_simLin0123456789abcdefghijklmnopqrstuv',
  login: 'lin',
  name: 'Lin Teammate',
  email: 'lin@kars.example',
};

export interface Teammate {
  daemon: InProcessDaemon;
  client: RpcClient;
  login: string;
}

export interface Team {
  sims: Simulators;
  ada: Teammate;
  lin: Teammate;
}

export async function teammate(
  sims: Simulators,
  login: string,
  env: Record<string, string>,
): Promise<Teammate> {
  const daemon = await startInProcess({
    ...signedInDaemonEnv(sims),
    RAILYARD_MACHINE: `${login}-laptop`,
    RAILYARD_PR_POLL_MS: '100',
    ...env,
  });
  return { daemon, client: await daemon.client(`${login}-test`), login };
}

export function team(): () => Team {
  let t: Team;
  before(async () => {
    const sims = await liveSimulators();
    addTeammate(sims, { ...LIN, scopes: ['repo', 'workflow'] });
    const ada = await teammate(sims, 'ada', {});
    const lin = await teammate(sims, 'lin', { GH_TOKEN: LIN.token });
    t = { sims, ada, lin };
  });
  after(async () => {
    await Promise.all([t.ada.daemon.stop(), t.lin.daemon.stop()]);
    void t.sims.close();
  });
  return () => t;
}

/** Plans kars-dev → kars-prod (or a back-merge) and waits for the gates. */
export async function planned(
  who: Teammate,
  folder: FolderContext,
  extra: { kind?: 'back-merge'; from?: string; to?: string } = {},
): Promise<PromotionRecord> {
  const r = await who.client.request('promotion.plan', {
    folder,
    from: extra.from ?? 'kars-dev',
    to: extra.to ?? 'kars-prod',
    ...(extra.kind && { kind: extra.kind }),
  });
  return recordUntil(who.client, r.id, gated);
}

export async function signedOff(who: Teammate, folder: FolderContext): Promise<PromotionRecord> {
  const r = await planned(who, folder);
  await who.client.request('promotion.signOff', { folder, id: r.id });
  return recordUntil(who.client, r.id, (x) => gated(x) && gate(x, 'qa-signoff').state === 'pass');
}

/** GitHub's REST answer as a teammate's token sees it. */
export async function github<T>(
  sims: Simulators,
  token: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(`${sims.urls.github}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}` },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  assert.ok(
    res.ok,
    `${init.method ?? 'GET'} ${path}: HTTP ${res.status} ${await res.clone().text()}`,
  );
  return (await res.json()) as T;
}

interface DeploymentJson {
  id: number;
  environment: string;
  creator: { login: string };
  payload: { railyard?: { promotion: string; by: string; machine: string } };
}

export async function railyardDeployments(sims: Simulators): Promise<DeploymentJson[]> {
  const all = await github<DeploymentJson[]>(
    sims,
    sims.tokens.github.token,
    `/repos/${KARS_REPO}/deployments?environment=kars-prod`,
  );
  return all.filter((d) => d.payload.railyard);
}

export async function statesOf(sims: Simulators, id: number): Promise<string[]> {
  const statuses = await github<{ state: string }[]>(
    sims,
    sims.tokens.github.token,
    `/repos/${KARS_REPO}/deployments/${id}/statuses`,
  );
  return statuses.map((s) => s.state).reverse();
}

/** An environment as a teammate's daemon shows it, once `ok` holds (from its notifications). */
export async function environmentWhen(
  who: Teammate,
  folder: FolderContext,
  name: string,
  ok: (e: EnvironmentView) => boolean,
): Promise<EnvironmentView> {
  const pick = (v: ProjectView) => v.environments.find((e) => e.name === name);
  // Listening first: a view sent while the watch request is answered is not missed.
  let off = () => {};
  const seen = new Promise<EnvironmentView>((resolve) => {
    off = who.client.onNotification('environments.changed', (n) => {
      const e = pick(n.view);
      if (e && ok(e)) resolve(e);
    });
  });
  const watch = await who.client.request('environments.watch', { folder });
  const now = pick(watch.view);
  const found = now && ok(now) ? now : await seen;
  off();
  return found;
}

/** Resolves once every git service of kars-dev has finished deploying `sha` (served or skipped). */
export async function devServes(who: Teammate, folder: FolderContext, sha: string): Promise<void> {
  await environmentWhen(who, folder, 'kars-dev', (dev) => {
    const git = dev.services.filter((s) => s.repo);
    return (
      git.length > 0 &&
      git.every(
        (s) => s.latest?.commitHash === sha && ['SUCCESS', 'SKIPPED'].includes(s.latest.status),
      )
    );
  });
}

export async function fileOn(
  sims: Simulators,
  ref: string,
  file: string,
): Promise<string | undefined> {
  const out = await runGit(['show', `${ref}:${file}`], { cwd: sims.repo!.path }).catch(
    () => undefined,
  );
  return out?.stdout;
}

/** Resolves once Railyard's GitHub Deployment `id` has a status in `state` (GitHub's own event). */
export function statusPosted(sims: Simulators, id: number, state: string): Promise<void> {
  return new Promise((resolve) => {
    const has = () =>
      sims.github.state.deployments
        .list(KARS_REPO)
        .some((d) => d.id === id && d.statuses.some((s) => s.state === state));
    if (has()) return resolve();
    const off = sims.github.state.deployments.onStatus((d, s) => {
      if (d.id === id && s.state === state) {
        off();
        resolve();
      }
    });
  });
}
