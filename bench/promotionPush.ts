// Benchmark: issue 11's figure. From the daemon receiving the confirmation (`promotion.start`)
// to the git server acknowledging the push, on a repository of 10,000 commits with a warm mirror,
// beside a fresh `git clone` + `git merge --no-ff` + `git push` of the same repository from the
// same server, interleaved round by round in one run. Goal: under 1/5 of the baseline, by median.
//
// The whole product: the built daemon (dist/daemon.js) as its own process, driven through the
// protocol against the simulators (Railway, GitHub, git over smart HTTP). The kars repository's
// kars-dev gets 10,000 more commits and kars-prod an older head of the same line before the daemon
// starts; every round adds a teammate's commit to kars-dev, then plans kars-dev → kars-prod (the
// gates fetch the mirror: it is warm), waits for `gated`, and confirms. Timed: from the client
// sending `promotion.start` (with the typed confirmation) to the git server announcing kars-prod's
// push, as every listener of the server hears it; the daemon's own view beside it, from its
// record: start sent → confirmed (the source-moved check), → merged, → pushed. The baseline's
// round ends at the same announcement. A third column, the floor: the push alone of a merge made
// beforehand, from a warm clone: what the server and git's client cost for any push.
// Run: npm run bench:promote [-- --rounds 7 --commits 10000]
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RpcClient } from '../client/rpcClient';
import { readSecret, statePaths } from '../protocol/discovery';
import { GATE_IDS, type FolderContext, type PromotionRecord } from '../protocol/protocol';
import { tokenEnv } from '../sim/git/gitClient';
import { runGit } from '../sim/git/gitRun';
import { signedInDaemonEnv, startSimulators, type Simulators } from '../sim/server';
import { discoveryOf, karsFolder, spawnDaemon, tempHome } from '../test/daemon/harness';
import { final, gate, gated, recordUntil } from '../test/daemon/promotionWorld';
import { advanceBranch, FILES, growHistory } from './bigHistory';

const SOURCE = 'kars-dev';
const TARGET = 'kars-prod';

function arg(name: string, fallback: number): number {
  return Number(
    new RegExp(`--${name}[= ](\\d+)`).exec(process.argv.slice(2).join(' '))?.[1] ?? fallback,
  );
}

/** Resolves when the git server announces the next push to `branch`, with the time it did. */
function nextPush(sims: Simulators, branch: string): Promise<{ after: string; at: number }> {
  return new Promise((resolve) => {
    const off = sims.git.onPush((event) => {
      if (event.branch !== branch) return;
      off();
      resolve({ after: event.after, at: performance.now() });
    });
  });
}

/**
 * The kars folder with only the merge gate on: the gates run before the confirmation and are not
 * timed; the dry merge stays so that what is confirmed is known to merge. Settling is 0 s, so a
 * round ends as soon as Railway serves the merge.
 */
async function benchFolder(sims: Simulators): Promise<FolderContext> {
  const dir = tempHome();
  const gates = Object.fromEntries(GATE_IDS.map((id) => [id, id === 'merge' ? 'required' : 'off']));
  const config = { promotions: [{ from: SOURCE, to: TARGET, settleSeconds: 0, gates }] };
  await fs.writeFile(path.join(dir, 'railyard.json'), JSON.stringify(config, null, 2));
  return karsFolder(sims, { dir });
}

interface DaemonRound {
  /** Client sends promotion.start → the server announces the push. */
  ms: number;
  /** By the daemon's record (wall clock, ms): start sent → confirmed → merged → pushed. */
  check: number;
  merge: number;
  push: number;
}

function entered(r: PromotionRecord, state: PromotionRecord['state']): number {
  const at = [...r.history].reverse().find((h) => h.state === state)?.at;
  if (!at) throw new Error(`promotion ${r.id} never was ${state}`);
  return Date.parse(at);
}

/** (a): plan, wait for the gates (untimed), confirm; timed until the push lands. */
async function railyardRound(
  sims: Simulators,
  client: RpcClient,
  folder: FolderContext,
): Promise<DaemonRound> {
  const plan = await client.request('promotion.plan', { folder, from: SOURCE, to: TARGET });
  const ready = await recordUntil(client, plan.id, gated);
  if (gate(ready, 'merge').state !== 'pass')
    throw new Error(`the merge gate: ${gate(ready, 'merge').detail}`);
  const landed = nextPush(sims, TARGET);
  const sent = Date.now();
  const start = performance.now();
  await client.request('promotion.start', { folder, id: plan.id, confirm: TARGET });
  const push = await landed;
  const done = await recordUntil(client, plan.id, final);
  if (done.state !== 'succeeded') throw new Error(`promotion ${done.id}: ${done.summary}`);
  if (done.mergeCommit !== push.after)
    throw new Error(`the server got ${push.after}, the daemon made ${done.mergeCommit}`);
  const [confirmed, merged, pushed] = (['confirmed', 'merged', 'pushed'] as const).map((state) =>
    entered(done, state),
  );
  return {
    ms: push.at - start,
    check: confirmed! - sent,
    merge: merged! - confirmed!,
    push: pushed! - merged!,
  };
}

function gitEnv(sims: Simulators): NodeJS.ProcessEnv {
  return {
    ...tokenEnv(sims.tokens.git),
    GIT_AUTHOR_NAME: 'Bench Dev',
    GIT_AUTHOR_EMAIL: 'dev@bench.example',
    GIT_COMMITTER_NAME: 'Bench Dev',
    GIT_COMMITTER_EMAIL: 'dev@bench.example',
  };
}

/** (b): a fresh clone, a --no-ff merge in a work tree, a push; timed until the push lands. */
async function baselineRound(sims: Simulators, round: number): Promise<number> {
  const work = tempHome();
  const env = gitEnv(sims);
  try {
    const landed = nextPush(sims, TARGET);
    const start = performance.now();
    await runGit(['clone', '--quiet', '--branch', TARGET, sims.urls.repo!, work], { env });
    const message = `Promote ${SOURCE} to ${TARGET} (baseline round ${round})`;
    await runGit(['merge', '--quiet', '--no-ff', '-m', message, `origin/${SOURCE}`], {
      cwd: work,
      env,
    });
    await runGit(['push', '--quiet', 'origin', TARGET], { cwd: work, env });
    return (await landed).at - start;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/**
 * (c), the floor: only the push of a --no-ff merge, from a work clone fetched and merged untimed
 * beforehand; what the server and git's client cost for any push, whoever makes the merge.
 */
async function pushAlone(sims: Simulators, work: string, round: number): Promise<number> {
  const env = gitEnv(sims);
  await runGit(['fetch', '--quiet', 'origin'], { cwd: work, env });
  await runGit(['reset', '--quiet', '--hard', `origin/${TARGET}`], { cwd: work });
  const message = `Promote ${SOURCE} to ${TARGET} (push-alone round ${round})`;
  await runGit(['merge', '--quiet', '--no-ff', '-m', message, `origin/${SOURCE}`], {
    cwd: work,
    env,
  });
  const landed = nextPush(sims, TARGET);
  const start = performance.now();
  await runGit(['push', '--quiet', 'origin', TARGET], { cwd: work, env });
  return (await landed).at - start;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const ms = (x: number) => `${Math.round(x)} ms`.padStart(9);

interface Figures {
  ours: DaemonRound[];
  floor: number[];
  theirs: number[];
}

const HEAD =
  'round   railyard   (check    merge     push)   push alone   baseline (clone + merge + push)';

function row(label: string, ours: DaemonRound, floor: number, theirs: number): string {
  const parts = `${ms(ours.check)} ${ms(ours.merge)} ${ms(ours.push)}`;
  return `${label.padStart(5)} ${ms(ours.ms)}  ${parts}   ${ms(floor)}    ${ms(theirs)}`;
}

/**
 * Round 0 warms every side up (the daemon's first plan clones the mirror) and is not counted.
 * Each side gets a new commit on the source first, so each push carries something new.
 */
async function rounds(
  sims: Simulators,
  client: RpcClient,
  folder: FolderContext,
  count: number,
): Promise<Figures> {
  const dir = sims.repo!.path;
  const work = tempHome();
  await runGit(['clone', '--quiet', '--branch', TARGET, sims.urls.repo!, work], {
    env: gitEnv(sims),
  });
  const figures: Figures = { ours: [], floor: [], theirs: [] };
  console.log(HEAD);
  try {
    for (let round = 0; round <= count; round++) {
      await advanceBranch(dir, SOURCE, round * 3);
      const ours = await railyardRound(sims, client, folder);
      await advanceBranch(dir, SOURCE, round * 3 + 1);
      const floor = await pushAlone(sims, work, round);
      await advanceBranch(dir, SOURCE, round * 3 + 2);
      const theirs = await baselineRound(sims, round);
      console.log(row(round === 0 ? 'warm' : String(round), ours, floor, theirs));
      if (round === 0) continue;
      figures.ours.push(ours);
      figures.floor.push(floor);
      figures.theirs.push(theirs);
    }
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  return figures;
}

function report({ ours, floor, theirs }: Figures): void {
  const of = (pick: (r: DaemonRound) => number) => median(ours.map(pick));
  const mid: DaemonRound = {
    ms: of((r) => r.ms),
    check: of((r) => r.check),
    merge: of((r) => r.merge),
    push: of((r) => r.push),
  };
  const b = median(theirs);
  const ratio = mid.ms / b;
  console.log(row('median', mid, median(floor), b));
  console.log(
    `ratio   ${ratio.toFixed(3)} (1/${(1 / ratio).toFixed(1)}); the push alone is ${(median(floor) / b).toFixed(3)} of the baseline`,
  );
  console.log(
    ratio < 0.2
      ? 'goal met: under 1/5 of the baseline'
      : 'GOAL MISSED: not under 1/5 of the baseline',
  );
}

async function main(): Promise<void> {
  const count = arg('rounds', 5);
  const commits = arg('commits', 10_000);
  const sims = await startSimulators({ realTime: true, stepMs: 20 });
  const home = tempHome();
  const built = performance.now();
  const big = await growHistory(sims.repo!.path, {
    branch: SOURCE,
    behind: TARGET,
    count: commits,
    lag: 20,
  });
  console.log(
    `repository: kars/kars-app, ${big.commits} commits on ${SOURCE}, ${FILES} files of ~2 KB, pack ${big.pack}, built in ${ms(performance.now() - built).trim()}`,
  );
  const daemon = spawnDaemon(
    home,
    [],
    { ...signedInDaemonEnv(sims), HOME: tempHome() },
    [],
    'built',
  );
  try {
    await daemon.stdout;
    const client = await RpcClient.connect({
      port: discoveryOf(home).port,
      secret: readSecret(statePaths(home))!,
      client: { name: 'promotion bench', kind: 'test' },
    });
    const folder = await benchFolder(sims);
    console.log(`daemon: dist/daemon.js; ${TARGET} ${20} commits behind ${SOURCE}\n`);
    report(await rounds(sims, client, folder, count));
    client.close();
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exit;
    await sims.close();
    await fs.rm(home, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
