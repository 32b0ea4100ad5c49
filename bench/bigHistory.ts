// A long history for the promotion bench, written straight into a bare repository with
// `git fast-import` (seconds for 10,000 commits, where a commit loop would take minutes): each
// commit edits one line of one of 2,000 files of ~2 KB in 50 directories, as real commits do.
import { spawn } from 'node:child_process';
import { gitOut, runGit, sealedEnv } from '../sim/git/gitRun';

const WHO = 'Bench Dev <dev@bench.example> ';
/** Files the history touches: a tree of a realistic size. */
export const FILES = 2_000;
/** Lines per file (about 2 KB). */
const LINES = 60;

/** A file's text after commit `i` edited it. */
function source(file: number, i: number): string {
  const lines = Array.from(
    { length: LINES },
    (_, n) =>
      `export function handler${file}_${n}(input: string): string { return input.trim() + '${n}'; }`,
  );
  lines[i % LINES] = `export const revision${file} = ${i}; // changed by commit ${i}`;
  return `${lines.join('\n')}\n`;
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/** `count` commits on `branch` from its current head; `behind` moved to the commit `lag` before the end. */
function history(branch: string, from: string, count: number, behind: string, lag: number): string {
  const parts: string[] = [];
  const base = 1_700_000_000;
  for (let i = 1; i <= count; i++) {
    const file = `src/dir${i % 50}/file${i % FILES}.ts`;
    parts.push(
      `commit refs/heads/${branch}\nmark :${i}\ncommitter ${WHO}${base + i * 60} +0000\n`,
      data(`Change ${i}`),
      i === 1 ? `from ${from}\n` : `from :${i - 1}\n`,
      `M 100644 inline ${file}\n`,
      data(source(i % FILES, i)),
    );
  }
  parts.push(`reset refs/heads/${behind}\nfrom :${count - lag}\n\n`);
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

export interface BigHistory {
  /** Commits `branch` has now, all told. */
  commits: number;
  /** The repository's pack on disk, as git prints it. */
  pack: string;
}

/**
 * Grows `branch` by `count` commits on top of its head and moves `behind` to `lag` commits
 * before the new end (a fast-forward: the release branch is an older state of the same line).
 * Written into the bare repository, so no push events fire: the world as it was before the bench.
 */
export async function growHistory(
  dir: string,
  options: { branch: string; behind: string; count: number; lag: number },
): Promise<BigHistory> {
  const { branch, behind, count, lag } = options;
  const from = await gitOut(['rev-parse', `refs/heads/${branch}`], { cwd: dir });
  await gitWithInput(['fast-import', '--quiet'], history(branch, from, count, behind, lag), dir);
  await runGit(['repack', '-a', '-d', '-q'], { cwd: dir });
  const commits = Number(await gitOut(['rev-list', '--count', branch], { cwd: dir }));
  const objects = await gitOut(['count-objects', '-vH'], { cwd: dir });
  return { commits, pack: /size-pack: (.+)/.exec(objects)?.[1] ?? '?' };
}

/** A teammate's new commit on `branch`, written straight into the served repository. */
export async function advanceBranch(dir: string, branch: string, round: number): Promise<void> {
  const stream =
    `commit refs/heads/${branch}\ncommitter ${WHO}${1_800_000_000 + round * 60} +0000\n` +
    data(`Round ${round}`) +
    `from refs/heads/${branch}^0\nM 100644 inline src/round/r${round}.ts\n` +
    data(`export const round = ${round};\n`);
  await gitWithInput(['fast-import', '--quiet'], stream, dir);
}
