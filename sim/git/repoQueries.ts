// Read and merge queries over a bare repository, with GitHub's semantics, for the GitHub simulator and the git server.
import { gitOut, runGit, identityEnv, type GitIdentity } from './gitRun';

export interface CommitPerson {
  name: string;
  email: string;
  /** ISO 8601 in UTC, the way GitHub writes it: `2025-01-06T09:00:00Z`. */
  date: string;
}

export interface CommitInfo {
  sha: string;
  /** The full message, trimmed, as GitHub's `commit.message`. */
  message: string;
  author: CommitPerson;
  committer: CommitPerson;
  parents: string[];
}

export interface Branch {
  name: string;
  sha: string;
}

export type CompareStatus = 'ahead' | 'behind' | 'identical' | 'diverged';

export interface ChangedFile {
  filename: string;
  /** GitHub's words for a file's change. */
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed';
  additions: number;
  deletions: number;
  previousFilename?: string;
}

export interface Comparison {
  baseSha: string;
  headSha: string;
  mergeBaseSha: string;
  aheadBy: number;
  behindBy: number;
  status: CompareStatus;
  /** Commits on head that base lacks, oldest first, as GitHub's compare lists them. */
  commits: CommitInfo[];
  /** The three-dot diff: merge base to head. */
  files: ChangedFile[];
}

export type MergeResult =
  { sha: string; upToDate: boolean } | { conflict: string[] } | { missing: string };

const FIELD = '\x1f';
const RECORD = '\x1e';
const LOG_FORMAT =
  ['%H', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%P', '%B'].join('%x1f') + '%x1e';

/** GitHub writes dates in UTC with a Z and no fraction. */
function utc(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseCommit(record: string): CommitInfo | null {
  const f = record.replace(/^\n/, '').split(FIELD);
  const [sha, an, ae, ad, cn, ce, cd, parents, message] = f;
  if (f.length !== 9 || !sha || an === undefined || ae === undefined || ad === undefined)
    return null;
  return {
    sha,
    message: (message ?? '').trim(),
    author: { name: an, email: ae, date: utc(ad) },
    committer: { name: cn ?? '', email: ce ?? '', date: utc(cd ?? ad) },
    parents: parents ? parents.split(' ') : [],
  };
}

/** `git log` over a revision range (argument arrays such as `['b..a']` or `['a', '--not', 'b']`). */
export async function logCommits(repoPath: string, revs: readonly string[]): Promise<CommitInfo[]> {
  const out = await gitOut(['log', `--format=${LOG_FORMAT}`, ...revs, '--'], { cwd: repoPath });
  return out
    .split(RECORD)
    .map(parseCommit)
    .filter((c): c is CommitInfo => c !== null);
}

/** Refuses names git would read as options; everything else is git's to judge. */
function safeRef(ref: string): boolean {
  return ref !== '' && !ref.startsWith('-') && !ref.includes('\0');
}

/** The commit a branch, tag or sha names, or null when it names none. */
export async function resolveRef(repoPath: string, ref: string): Promise<string | null> {
  if (!safeRef(ref)) return null;
  const result = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd: repoPath,
    okExitCodes: [0, 1, 128],
  });
  const sha = result.stdout.trim();
  return result.exitCode === 0 && /^[0-9a-f]{40}$/.test(sha) ? sha : null;
}

/** Every branch and the commit it points at, sorted by name. */
export async function listBranches(repoPath: string): Promise<Branch[]> {
  const out = await gitOut(['for-each-ref', '--format=%(refname)%00%(objectname)', 'refs/heads'], {
    cwd: repoPath,
  });
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [ref = '', sha = ''] = line.split('\0');
      return { name: ref.replace(/^refs\/heads\//, ''), sha };
    });
}

export async function commitInfo(repoPath: string, ref: string): Promise<CommitInfo | null> {
  const sha = await resolveRef(repoPath, ref);
  if (sha === null) return null;
  const [commit] = await logCommits(repoPath, ['-1', sha]);
  return commit ?? null;
}

async function countCommits(repoPath: string, range: string): Promise<number> {
  return Number.parseInt(await gitOut(['rev-list', '--count', range], { cwd: repoPath }), 10);
}

async function mergeBase(repoPath: string, a: string, b: string): Promise<string | null> {
  const result = await runGit(['merge-base', a, b], { cwd: repoPath, okExitCodes: [0, 1] });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

function compareStatus(aheadBy: number, behindBy: number): CompareStatus {
  if (aheadBy > 0 && behindBy > 0) return 'diverged';
  if (aheadBy > 0) return 'ahead';
  return behindBy > 0 ? 'behind' : 'identical';
}

/**
 * GitHub's compare of `base...head`: what head has that base lacks, judged from their merge base.
 * Null when either ref is unknown or they share no history (GitHub answers 404 for both).
 */
export async function compare(
  repoPath: string,
  base: string,
  head: string,
): Promise<Comparison | null> {
  const [baseSha, headSha] = await Promise.all([
    resolveRef(repoPath, base),
    resolveRef(repoPath, head),
  ]);
  if (baseSha === null || headSha === null) return null;
  const mergeBaseSha = await mergeBase(repoPath, baseSha, headSha);
  if (mergeBaseSha === null) return null;
  const [aheadBy, behindBy, commits, files] = await Promise.all([
    countCommits(repoPath, `${baseSha}..${headSha}`),
    countCommits(repoPath, `${headSha}..${baseSha}`),
    logCommits(repoPath, ['--reverse', `${baseSha}..${headSha}`]),
    changedFiles(repoPath, mergeBaseSha, headSha),
  ]);
  const status = compareStatus(aheadBy, behindBy);
  return { baseSha, headSha, mergeBaseSha, aheadBy, behindBy, status, commits, files };
}

const STATUS_WORDS: Record<string, ChangedFile['status']> = {
  A: 'added',
  D: 'removed',
  M: 'modified',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
};

/** Files changed from one commit to another with GitHub's status words and line counts. */
export async function changedFiles(
  repoPath: string,
  from: string,
  to: string,
): Promise<ChangedFile[]> {
  const common = ['-z', '-M', '--no-ext-diff', from, to, '--'];
  const [names, stats] = await Promise.all([
    gitOut(['diff', '--name-status', ...common], { cwd: repoPath }),
    gitOut(['diff', '--numstat', ...common], { cwd: repoPath }),
  ]);
  const counts = parseNumstat(stats);
  return parseNameStatus(names).map((file) => {
    const count = counts.get(file.filename) ?? { additions: 0, deletions: 0 };
    return { ...file, ...count };
  });
}

type NamedChange = Pick<ChangedFile, 'filename' | 'status' | 'previousFilename'>;

/** `--name-status -z`: a status token, then one path (two for renames and copies). */
function parseNameStatus(out: string): NamedChange[] {
  const parts = out.split('\0');
  const files: NamedChange[] = [];
  for (let i = 0; i < parts.length;) {
    const code = parts[i++] ?? '';
    if (code === '') continue;
    const status = STATUS_WORDS[code.charAt(0)] ?? 'changed';
    if (code.startsWith('R') || code.startsWith('C')) {
      const previousFilename = parts[i++] ?? '';
      files.push({ filename: parts[i++] ?? '', status, previousFilename });
    } else files.push({ filename: parts[i++] ?? '', status });
  }
  return files;
}

/** `--numstat -z`: `adds\tdels\tpath` or, for renames, `adds\tdels\t` then old and new paths; `-` for binary. */
function parseNumstat(out: string): Map<string, { additions: number; deletions: number }> {
  const parts = out.split('\0');
  const counts = new Map<string, { additions: number; deletions: number }>();
  for (let i = 0; i < parts.length;) {
    const [adds = '', dels = '', path = ''] = (parts[i++] ?? '').split('\t');
    if (adds === '') continue;
    let filename = path;
    if (path === '') {
      i++; // the old path of a rename
      filename = parts[i++] ?? '';
    }
    const n = (s: string) => (s === '-' ? 0 : Number.parseInt(s, 10));
    counts.set(filename, { additions: n(adds), deletions: n(dels) });
  }
  return counts;
}

/** Conflicted paths from `merge-tree --write-tree --name-only -z`: the tree id, paths, a blank, messages. */
function conflictedPaths(out: string): string[] {
  const [, ...rest] = out.split('\0');
  const end = rest.indexOf('');
  return [...new Set(end < 0 ? rest : rest.slice(0, end))];
}

/**
 * Merges head into the base branch as GitHub's merge endpoints do: a merge commit (never a fast-forward),
 * computed in memory by `git merge-tree` so no worktree is needed, and the branch moved only if nobody
 * moved it meanwhile. The committer defaults to GitHub's web-flow identity.
 */
export async function mergeBranches(
  repoPath: string,
  base: string,
  head: string,
  message: string,
  committer: GitIdentity = { name: 'GitHub', email: 'noreply@github.com' },
): Promise<MergeResult> {
  const [baseSha, headSha] = await Promise.all([
    resolveRef(repoPath, `refs/heads/${base}`),
    resolveRef(repoPath, head),
  ]);
  if (baseSha === null) return { missing: base };
  if (headSha === null) return { missing: head };
  if ((await mergeBase(repoPath, baseSha, headSha)) === headSha)
    return { sha: baseSha, upToDate: true };
  const merged = await runGit(
    ['merge-tree', '--write-tree', '--name-only', '-z', baseSha, headSha],
    {
      cwd: repoPath,
      okExitCodes: [0, 1],
    },
  );
  if (merged.exitCode === 1) return { conflict: conflictedPaths(merged.stdout) };
  const tree = merged.stdout.split('\0')[0] ?? '';
  const sha = await gitOut(['commit-tree', tree, '-p', baseSha, '-p', headSha, '-m', message], {
    cwd: repoPath,
    env: identityEnv(committer),
  });
  await runGit(['update-ref', '-m', `merge ${head}`, `refs/heads/${base}`, sha, baseSha], {
    cwd: repoPath,
  });
  return { sha, upToDate: false };
}
