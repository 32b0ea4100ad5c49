// Promotion at team scale, with two teammates' daemons (two state directories, two GitHub logins)
// sharing only GitHub and Railway, as a team does: a race for the target that one wins, the PR path
// through a protected branch with a required review, a stale promotion taken over, a release tag,
// a back-merge, and a revert followed by the re-promotion that reverts the revert.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, type PromotionRecord } from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import { runGit } from '../../sim/git/gitRun';
import { addTeammate, signedInDaemonEnv, type Simulators } from '../../sim/server';
import {
  spawnDaemon,
  startInProcess,
  tempHome,
  type FolderContext,
  type InProcessDaemon,
} from './harness';
import { readDiscovery, readSecret, statePaths } from '../../protocol/discovery';
import { RpcClient } from '../../client/rpcClient';
import type { EnvironmentView, ProjectView } from '../../protocol/protocol';
import {
  KARS_REPO,
  commitOnServer,
  final,
  gate,
  gated,
  liveSimulators,
  promotionFolder,
  pushCommit,
  recordUntil,
  serverHead,
} from './promotionWorld';

const LIN = {
  token: 'ghp_simLin0123456789abcdefghijklmnopqrstuv',
  login: 'lin',
  name: 'Lin Teammate',
  email: 'lin@kars.example',
};

interface Teammate {
  daemon: InProcessDaemon;
  client: RpcClient;
  login: string;
}

interface Team {
  sims: Simulators;
  ada: Teammate;
  lin: Teammate;
}

async function teammate(
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

function team(): () => Team {
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
async function planned(
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

async function signedOff(who: Teammate, folder: FolderContext): Promise<PromotionRecord> {
  const r = await planned(who, folder);
  await who.client.request('promotion.signOff', { folder, id: r.id });
  return recordUntil(who.client, r.id, (x) => gated(x) && gate(x, 'qa-signoff').state === 'pass');
}

async function rejection(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RpcError) return e;
    throw e;
  }
  assert.fail('expected the daemon to refuse');
}

/** GitHub's REST answer as a teammate's token sees it. */
async function github<T>(
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

async function railyardDeployments(sims: Simulators): Promise<DeploymentJson[]> {
  const all = await github<DeploymentJson[]>(
    sims,
    sims.tokens.github.token,
    `/repos/${KARS_REPO}/deployments?environment=kars-prod`,
  );
  return all.filter((d) => d.payload.railyard);
}

async function statesOf(sims: Simulators, id: number): Promise<string[]> {
  const statuses = await github<{ state: string }[]>(
    sims,
    sims.tokens.github.token,
    `/repos/${KARS_REPO}/deployments/${id}/statuses`,
  );
  return statuses.map((s) => s.state).reverse();
}

/** An environment as a teammate's daemon shows it, once `ok` holds (from its notifications). */
async function environmentWhen(
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
async function devServes(who: Teammate, folder: FolderContext, sha: string): Promise<void> {
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

async function fileOn(sims: Simulators, ref: string, file: string): Promise<string | undefined> {
  const out = await runGit(['show', `${ref}:${file}`], { cwd: sims.repo!.path }).catch(
    () => undefined,
  );
  return out?.stdout;
}

describe('two teammates racing for kars-prod', () => {
  const t = team();

  it('one wins and tags the release, the other is refused with the winner’s name', async () => {
    const { sims, ada, lin } = t();
    const adaFolder = promotionFolder(sims, { tag: 'release-{date}-{n}' });
    const linFolder = promotionFolder(sims, { tag: 'release-{date}-{n}' });
    const a = await signedOff(ada, adaFolder);
    const l = await signedOff(lin, linFolder);
    const starts = await Promise.allSettled([
      ada.client.request('promotion.start', { folder: adaFolder, id: a.id, confirm: 'kars-prod' }),
      lin.client.request('promotion.start', { folder: linFolder, id: l.id, confirm: 'kars-prod' }),
    ]);
    const won = starts.findIndex((s) => s.status === 'fulfilled');
    assert.notEqual(won, -1, 'one start went through');
    const lost = starts[1 - won]!;
    assert.equal(lost.status, 'rejected', 'the other was refused');
    const winner = [ada, lin][won]!;
    const error = lost.reason as RpcError;
    assert.equal(error.code, ErrorCode.Conflict);
    assert.match(
      error.message,
      new RegExp(`being promoted by ${winner.login} on ${winner.login}-laptop`),
    );
    assert.equal((error.data as { lock: { by: string } }).lock.by, winner.login);

    const id = [a, l][won]!.id;
    const done = await recordUntil(winner.client, id, final);
    assert.equal(done.state, 'succeeded', done.summary);
    assert.ok(done.deployment, 'the promotion is a GitHub Deployment');
    assert.match(done.tag ?? '', /^release-\d{4}-\d{2}-\d{2}-1$/);
    const tagged = await runGit(['rev-parse', `refs/tags/${done.tag}^{commit}`], {
      cwd: sims.repo!.path,
    });
    assert.equal(tagged.stdout.trim(), done.mergeCommit, 'the tag is on the merge commit');

    const ours = (await railyardDeployments(sims)).find((d) => d.id === done.deployment!.id)!;
    assert.equal(ours.payload.railyard!.by, winner.login);
    await until(async () => (await statesOf(sims, ours.id)).at(-1) === 'success');
    const states = await statesOf(sims, ours.id);
    assert.equal(states[0], 'in_progress');

    const loser = [ada, lin][1 - won]!;
    const history = await loser.client.request('promotion.list', {});
    const seen = history.team.find((x) => x.id === id);
    assert.ok(seen, `${loser.login}'s history lists ${winner.login}'s promotion`);
    assert.equal(seen.by, winner.login);
    assert.equal(seen.state, 'succeeded');
  });
});

/** Resolves once `ok` holds; for GitHub's side, which sends no notification. */
async function until(ok: () => Promise<boolean>, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await ok()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  assert.fail('the condition never held');
}

describe('a protected kars-prod', () => {
  const t = team();

  it('goes through a pull request, pauses for a review, and merges at the pinned sha', async () => {
    const { sims, ada, lin } = t();
    sims.github.state.protections.set(KARS_REPO, 'kars-prod', {
      requirePullRequest: true,
      requiredApprovingReviews: 1,
      requiredChecks: [],
      dismissStaleReviews: false,
      enforceAdmins: true,
    });
    const folder = promotionFolder(sims, { strategy: 'pull-request' });
    const r = await signedOff(ada, folder);
    assert.match(gate(r, 'merge').detail, /pull request/);
    await ada.client.request('promotion.start', { folder, id: r.id, confirm: 'kars-prod' });
    const waiting = await recordUntil(
      ada.client,
      r.id,
      (x) => x.steps.find((s) => s.id === 'pull-request')?.state === 'needs-you',
    );
    const pr = waiting.pullRequest!;
    assert.match(waiting.summary, new RegExp(`#${pr.number}`));
    assert.match(waiting.summary, /approving review/);

    // Lin sees it and cannot start another promotion of kars-prod meanwhile.
    const linFolder = promotionFolder(sims);
    const theirs = await signedOff(lin, linFolder);
    assert.equal(gate(theirs, 'lock').state, 'fail');
    assert.match(gate(theirs, 'lock').detail, /held by ada/);
    const refused = await rejection(
      lin.client.request('promotion.start', {
        folder: linFolder,
        id: theirs.id,
        confirm: 'kars-prod',
      }),
    );
    assert.match(refused.message, /held by ada/);
    const prod = await environmentWhen(
      lin,
      linFolder,
      'kars-prod',
      (e) => e.promoting !== undefined,
    );
    assert.equal(prod.promoting?.by, 'ada@ada-laptop');
    assert.equal(prod.promoting?.mine, false);
    await lin.client.request('promotion.cancel', { folder: linFolder, id: theirs.id });

    await github(sims, LIN.token, `/repos/${KARS_REPO}/pulls/${pr.number}/reviews`, {
      method: 'POST',
      body: { event: 'APPROVE' },
    });
    const done = await recordUntil(ada.client, r.id, final);
    assert.equal(done.state, 'succeeded', done.summary);
    const merge = await commitOnServer(sims, done.mergeCommit!);
    assert.deepEqual(merge.parents, [r.targetCommit, r.sourceCommit], 'merged at the pinned sha');
    assert.equal(await serverHead(sims, 'kars-prod'), done.mergeCommit);
  });

  it('explains a direct push the protection refuses, and offers the pull request', async () => {
    const { sims, lin } = t();
    const folder = promotionFolder(sims);
    const sha = await pushCommit(
      sims,
      'kars-dev',
      { 'notes/direct.txt': 'direct\n' },
      'Direct change',
    );
    await devServes(lin, folder, sha);
    const r = await signedOff(lin, folder);
    assert.equal(gate(r, 'merge').state, 'warn');
    assert.match(gate(r, 'merge').detail, /protects kars-prod/);
    const before = await serverHead(sims, 'kars-prod');
    await lin.client.request('promotion.start', { folder, id: r.id, confirm: 'kars-prod' });
    const done = await recordUntil(lin.client, r.id, final);
    assert.equal(done.state, 'failed');
    assert.match(done.summary, /--strategy pull-request/);
    assert.equal(await serverHead(sims, 'kars-prod'), before, 'nothing reached kars-prod');
  });
});

describe('a hotfix on kars-prod', () => {
  const t = team();

  it('is back-merged into kars-dev as its own promotion, after which kars-dev promotes', async () => {
    const { sims, ada } = t();
    const hotfix = await pushCommit(
      sims,
      'kars-prod',
      { 'HOTFIX.md': 'fixed\n' },
      'Hotfix in prod',
    );
    const folder = promotionFolder(sims);
    const blocked = await planned(ada, folder);
    assert.equal(gate(blocked, 'divergence').state, 'fail');
    assert.ok(gate(blocked, 'divergence').actions.includes('back-merge'));

    const back = await planned(ada, folder, {
      kind: 'back-merge',
      from: 'kars-prod',
      to: 'kars-dev',
    });
    assert.equal(back.kind, 'back-merge');
    assert.equal(gate(back, 'ci').state, 'off', 'a back-merge checks only what it needs');
    await ada.client.request('promotion.start', { folder, id: back.id });
    const merged = await recordUntil(ada.client, back.id, final);
    assert.equal(merged.state, 'succeeded', merged.summary);
    assert.equal(await fileOn(sims, 'kars-dev', 'HOTFIX.md'), 'fixed\n');
    assert.ok((await commitOnServer(sims, merged.mergeCommit!)).parents.includes(hotfix));

    const again = await signedOff(ada, folder);
    assert.equal(gate(again, 'divergence').state, 'pass', gate(again, 'divergence').detail);
  });
});

describe('a promotion reverted in git', () => {
  const t = team();

  it('reverts the merge on kars-prod, and the next promotion brings it back by reverting the revert', async () => {
    const { sims, ada } = t();
    const folder = promotionFolder(sims);
    await devServes(
      ada,
      folder,
      await pushCommit(sims, 'kars-dev', { 'feature.txt': 'feature v1\n' }, 'Add the feature'),
    );
    const r = await signedOff(ada, folder);
    await ada.client.request('promotion.start', { folder, id: r.id, confirm: 'kars-prod' });
    const shipped = await recordUntil(ada.client, r.id, final);
    assert.equal(shipped.state, 'succeeded', shipped.summary);
    assert.equal(await fileOn(sims, 'kars-prod', 'feature.txt'), 'feature v1\n');

    const revert = await ada.client.request('promotion.revert', {
      folder,
      id: r.id,
      confirm: 'kars-prod',
    });
    assert.equal(revert.kind, 'revert');
    const reverted = await recordUntil(ada.client, revert.id, final);
    assert.equal(reverted.state, 'succeeded', reverted.summary);
    assert.equal(await fileOn(sims, 'kars-prod', 'feature.txt'), undefined, 'the feature is gone');
    const original = await ada.client.request('promotion.get', { id: r.id });
    assert.equal(original.revertedBy?.promotion, revert.id);

    await devServes(
      ada,
      folder,
      await pushCommit(sims, 'kars-dev', { 'fix.txt': 'fix\n' }, 'Fix the feature'),
    );
    const next = await signedOff(ada, folder);
    const divergence = gate(next, 'divergence');
    assert.equal(divergence.state, 'needs-you', divergence.detail);
    assert.ok(divergence.actions.includes('revert-revert'));
    const plain = await rejection(
      ada.client.request('promotion.start', { folder, id: next.id, confirm: 'kars-prod' }),
    );
    assert.equal(plain.code, ErrorCode.Conflict);
    await ada.client.request('promotion.start', {
      folder,
      id: next.id,
      confirm: 'kars-prod',
      reapplyReverts: true,
    });
    const back = await recordUntil(ada.client, next.id, final);
    assert.equal(back.state, 'succeeded', back.summary);
    assert.equal(back.reapplies.length, 1);
    assert.equal(await fileOn(sims, 'kars-prod', 'feature.txt'), 'feature v1\n', 'it came back');
    assert.equal(await fileOn(sims, 'kars-prod', 'fix.txt'), 'fix\n');
  });
});

async function connectTo(home: string, name: string): Promise<RpcClient> {
  const paths = statePaths(home);
  return RpcClient.connect({
    port: readDiscovery(paths)!.port,
    secret: readSecret(paths)!,
    client: { name, kind: 'test' },
  });
}

/** Ada's daemon as its own process, so it can die as a laptop closing its lid does. */
async function adaProcess(sims: Simulators, home: string) {
  const child = spawnDaemon(home, [], {
    ...signedInDaemonEnv(sims),
    RAILYARD_IDLE_TIMEOUT: '0',
    RAILYARD_MACHINE: 'ada-laptop',
    RAILYARD_PR_POLL_MS: '100',
  });
  await child.stdout;
  return { child, client: await connectTo(home, 'ada-process') };
}

describe('a teammate whose daemon went away mid-promotion', () => {
  let sims: Simulators;
  let lin: Teammate;
  before(async () => {
    sims = await liveSimulators();
    addTeammate(sims, { ...LIN, scopes: ['repo', 'workflow'] });
    lin = await teammate(sims, 'lin', { GH_TOKEN: LIN.token });
  });
  after(async () => {
    await lin.daemon.stop();
    void sims.close();
  });

  it('holds kars-prod until stale, is taken over after a typed confirmation, and learns it', async () => {
    sims.github.state.protections.set(KARS_REPO, 'kars-prod', {
      requirePullRequest: true,
      requiredApprovingReviews: 1,
      requiredChecks: [],
      dismissStaleReviews: false,
      enforceAdmins: true,
    });
    const home = tempHome();
    const folder = promotionFolder(sims, { strategy: 'pull-request' });
    const ada = await adaProcess(sims, home);
    const plannedByAda = await ada.client.request('promotion.plan', {
      folder,
      from: 'kars-dev',
      to: 'kars-prod',
    });
    await recordUntil(ada.client, plannedByAda.id, gated);
    await ada.client.request('promotion.signOff', { folder, id: plannedByAda.id });
    await recordUntil(
      ada.client,
      plannedByAda.id,
      (x) => gated(x) && gate(x, 'qa-signoff').state === 'pass',
    );
    await ada.client.request('promotion.start', {
      folder,
      id: plannedByAda.id,
      confirm: 'kars-prod',
    });
    await recordUntil(
      ada.client,
      plannedByAda.id,
      (x) => x.steps.find((s) => s.id === 'pull-request')?.state === 'needs-you',
    );
    ada.client.close();
    ada.child.child.kill('SIGKILL');
    await ada.child.exit;

    // Not stale yet: refused, naming Ada.
    const linFolder = promotionFolder(sims, { strategy: 'pull-request' });
    const early = await planned(lin, linFolder);
    assert.ok(!gate(early, 'lock').actions.includes('take-over'), gate(early, 'lock').detail);

    sims.clock.advance(16 * 60_000);
    const r = await lin.client.request('promotion.recheck', { folder: linFolder, id: early.id });
    const late = await recordUntil(lin.client, r.id, gated);
    assert.equal(gate(late, 'lock').state, 'fail');
    assert.ok(gate(late, 'lock').actions.includes('take-over'), gate(late, 'lock').detail);
    assert.match(gate(late, 'lock').detail, /ada.*silent since/);
    await lin.client.request('promotion.signOff', { folder: linFolder, id: late.id });
    await recordUntil(
      lin.client,
      late.id,
      (x) => gated(x) && gate(x, 'qa-signoff').state === 'pass',
    );
    const refused = await rejection(
      lin.client.request('promotion.start', {
        folder: linFolder,
        id: late.id,
        confirm: 'kars-prod',
      }),
    );
    assert.equal((refused.data as { lock: { stale: boolean } }).lock.stale, true);
    assert.match(refused.message, /Take it over by typing kars-prod/);

    const taking = await lin.client.request('promotion.start', {
      folder: linFolder,
      id: late.id,
      confirm: 'kars-prod',
      takeOver: 'kars-prod',
    });
    assert.equal(taking.tookOver?.promotion, plannedByAda.id);
    assert.equal(taking.tookOver?.by, 'ada');
    const waiting = await recordUntil(
      lin.client,
      late.id,
      (x) => x.steps.find((s) => s.id === 'pull-request')?.state === 'needs-you',
    );
    assert.equal(waiting.pullRequest?.reused, true, "Ada's open pull request is reused");
    await github(
      sims,
      LIN.token,
      `/repos/${KARS_REPO}/pulls/${waiting.pullRequest.number}/reviews`,
      {
        method: 'POST',
        body: { event: 'APPROVE' },
      },
    );
    const done = await recordUntil(lin.client, late.id, final);
    assert.equal(done.state, 'succeeded', done.summary);

    // Ada's daemon comes back: its promotion learns it was taken over, and does nothing more.
    const back = await adaProcess(sims, home);
    try {
      const stopped = await recordUntil(
        back.client,
        plannedByAda.id,
        (x) => x.takenOverBy !== undefined,
      );
      assert.equal(stopped.takenOverBy?.by, 'lin');
      assert.equal(stopped.takenOverBy?.promotion, late.id);
      const settledAda = await recordUntil(back.client, plannedByAda.id, final);
      assert.equal(settledAda.state, 'cancelled', settledAda.summary);
    } finally {
      back.client.close();
      back.child.child.kill('SIGTERM');
      await back.child.exit;
    }
  });
});
