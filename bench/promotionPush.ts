// Benchmark: the promotion's git work after confirmation, on a repository with 10,000 commits
// served over smart HTTP by the git simulator. Measured, interleaved round by round in one run:
// (a) Railyard: a warm mirror does what the engine does after "confirm" (fetch, dry merge, merge
//     commit, push) until git reports the push acknowledged; the gates' fetch and pinning of the
//     heads happen before the confirmation and are not counted;
// (b) baseline: what a script without a mirror does: fresh `git clone`, `git merge --no-ff`,
//     `git push`.
// Every round first adds a commit to the source branch, so each push carries something new.
// Goal: (a) under 1/5 of (b), by median.
// Run: npm run bench:promote [-- --rounds 7 --commits 10000]
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Redactor } from '../daemon/diagnostics/redact';
import { SimpleGitMirror } from '../daemon/promotion/simpleGitMirror';
import { tokenEnv } from '../sim/git/gitClient';
import { gitOut, runGit, sealedEnv } from '../sim/git/gitRun';
import { startGitServer, type GitServer } from '../sim/git/gitServer';

const TOKEN = 'ghp_benchPromote0123456789abcdefghijklmn';
const OWNER = 'bench';
const NAME = 'big-app';
const WHO = 'Bench Dev <dev@bench.example> ';
/** Files the history touches, in 50 directories: a tree of a realistic size. */
const FILES = 2_000;
/** Lines per source file (about 2 KB): each commit edits one line of one file, as real commits do. */
const LINES = 60;

/** A source file's text after commit `i` edited it. */
function source(file: number, i: number): string {
  const lines = Array.from(
    { length: LINES },
    (_, n) =>
      `export function handler${file}_${n}(input: string): string { return input.trim() + '${n}'; }`,
  );
  lines[i % LINES] = `export const revision${file} = ${i}; // changed by commit ${i}`;
  return `${lines.join('\n')}\n`;
}

function arg(name: string, fallback: number): number {
  return Number(
    new RegExp(`--${name}[= ](\\d+)`).exec(process.argv.slice(2).join(' '))?.[1] ?? fallback,
  );
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/** A fast-import stream of `count` commits on kars-dev, each changing one file; kars-prod at 90%. */
function history(count: number): string {
  const parts: string[] = [];
  const base = 1_700_000_000;
  for (let i = 1; i <= count; i++) {
    const file = `src/dir${i % 50}/file${i % FILES}.ts`;
    const text = source(i % FILES, i);
    parts.push(
      `commit refs/heads/kars-dev\nmark :${i}\ncommitter ${WHO}${base + i * 60} +0000\n`,
      data(`Change ${i}`),
      i > 1 ? `from :${i - 1}\n` : '',
      `M 100644 inline ${file}\n`,
      data(text),
    );
  }
  parts.push(`reset refs/heads/kars-prod\nfrom :${Math.floor(count * 0.9)}\n\n`);
  return parts.join('');
}

/** Runs git with a stdin; the sim's runGit has none. */
function gitWithInput(args: string[], input: string, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: sealedEnv(), stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`git ${args[0]} exited ${code}: ${stderr}`)),
    );
    child.stdin.end(input);
  });
}

async function buildRepository(server: GitServer, commits: number): Promise<string> {
  const { path: dir } = await server.createRepo(OWNER, NAME, { defaultBranch: 'kars-dev' });
  await gitWithInput(['fast-import', '--quiet'], history(commits), dir);
  await runGit(['repack', '-a', '-d', '-q'], { cwd: dir });
  return dir;
}

/** A teammate's new commit on the source branch, written straight into the served repository. */
async function advanceSource(dir: string, round: number): Promise<void> {
  const stream =
    `commit refs/heads/kars-dev\ncommitter ${WHO}${1_800_000_000 + round * 60} +0000\n` +
    data(`Round ${round}`) +
    `from refs/heads/kars-dev^0\nM 100644 inline src/round/r${round}.ts\n` +
    data(`export const round = ${round};\n`);
  await gitWithInput(['fast-import', '--quiet'], stream, dir);
}

/** Untimed, like the gates before the confirmation: fetch, and pin both heads. */
async function gates(mirror: SimpleGitMirror): Promise<{ target: string; source: string }> {
  await mirror.sync();
  const target = await mirror.head('kars-prod');
  const source = await mirror.head('kars-dev');
  if (!target || !source) throw new Error('the mirror lacks a branch');
  return { target, source };
}

/** (a): what the engine runs after confirmation (fetch, merge, push), until the push is acknowledged. */
async function railyardRound(mirror: SimpleGitMirror, round: number): Promise<number> {
  const { target, source } = await gates(mirror);
  const start = performance.now();
  await mirror.sync();
  const dry = await mirror.dryMerge(target, source);
  if (!dry.clean) throw new Error(`conflicts: ${dry.conflicts.join(', ')}`);
  const sha = await mirror.commitMerge({
    targetSha: target,
    sourceSha: source,
    message: `Promote kars-dev to kars-prod (bench round ${round})`,
    author: { name: 'Bench Dev', email: 'dev@bench.example' },
    date: new Date(),
  });
  const outcome = await mirror.push(sha, 'kars-prod', target);
  if (outcome.kind !== 'pushed') throw new Error(`push: ${JSON.stringify(outcome)}`);
  return performance.now() - start;
}

/** (b): a fresh clone, a --no-ff merge in a work tree, a push. */
async function baselineRound(url: string, round: number): Promise<number> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-bench-clone-'));
  const env = {
    ...tokenEnv(TOKEN),
    GIT_AUTHOR_NAME: 'Bench Dev',
    GIT_AUTHOR_EMAIL: 'dev@bench.example',
    GIT_COMMITTER_NAME: 'Bench Dev',
    GIT_COMMITTER_EMAIL: 'dev@bench.example',
  };
  try {
    const start = performance.now();
    await runGit(['clone', '--quiet', '--branch', 'kars-prod', url, work], { env });
    const message = `Promote kars-dev to kars-prod (baseline round ${round})`;
    await runGit(['merge', '--quiet', '--no-ff', '-m', message, 'origin/kars-dev'], {
      cwd: work,
      env,
    });
    await runGit(['push', '--quiet', 'origin', 'kars-prod'], { cwd: work, env });
    return performance.now() - start;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const ms = (x: number) => `${Math.round(x)} ms`.padStart(9);

async function main(): Promise<void> {
  const rounds = arg('rounds', 5);
  const commits = arg('commits', 10_000);
  const server = await startGitServer({ tokens: [TOKEN] });
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-bench-state-'));
  try {
    const built = performance.now();
    const dir = await buildRepository(server, commits);
    const count = await gitOut(['rev-list', '--count', 'kars-dev'], { cwd: dir });
    const objects = await gitOut(['count-objects', '-vH'], { cwd: dir });
    const pack = /size-pack: (.+)/.exec(objects)?.[1] ?? '?';
    const took = ms(performance.now() - built).trim();
    console.log(
      `repository: ${count} commits, ${FILES} files of ~2 KB, pack ${pack}, built in ${took}`,
    );
    const mirror = new SimpleGitMirror({
      stateDir,
      gitUrl: server.url,
      repo: `${OWNER}/${NAME}`,
      token: () => TOKEN,
      redactor: new Redactor(),
    });
    const warm = performance.now();
    await mirror.sync();
    console.log(
      `mirror warmed (first clone, not counted): ${ms(performance.now() - warm).trim()}\n`,
    );
    const ours: number[] = [];
    const theirs: number[] = [];
    console.log('round   railyard (warm mirror)   baseline (clone + merge + push)');
    for (let round = 1; round <= rounds; round++) {
      await advanceSource(dir, round * 2 - 1);
      ours.push(await railyardRound(mirror, round));
      await advanceSource(dir, round * 2);
      theirs.push(await baselineRound(server.repoUrl(OWNER, NAME), round));
      console.log(
        `${String(round).padStart(5)}   ${ms(ours.at(-1)!)}                ${ms(theirs.at(-1)!)}`,
      );
    }
    const ratio = median(ours) / median(theirs);
    console.log(`median  ${ms(median(ours))}                ${ms(median(theirs))}`);
    console.log(`ratio   ${ratio.toFixed(3)} (1/${(1 / ratio).toFixed(1)})`);
    console.log(
      ratio < 0.2
        ? 'goal met: under 1/5 of the baseline'
        : 'GOAL MISSED: not under 1/5 of the baseline',
    );
  } finally {
    await server.close();
    await fs.rm(stateDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
