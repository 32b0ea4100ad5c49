// The daemon's GitMirror on simple-git: one bare clone per repository in the state directory, kept
// current by incremental fetches, where the promotion's merge (or a revert) is tried, made and
// pushed without force, and release tags are listed and pushed, never moved. The contract, and
// why the token never reaches a URL, argv or the mirror's config, is in gitMirror.ts.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { simpleGit, type PushResult, type SimpleGit } from 'simple-git';
import type { Redactor } from '../diagnostics/redact';
import { gitEnv } from '../git/gitCommand';
import { GitExit, gitFailure, pushRefusal } from './gitFailure';
import {
  GitError,
  type DryMerge,
  type GitMirror,
  type MergeInput,
  type MirrorCommit,
  type PushOutcome,
  type RevertInput,
  type TagPush,
} from './gitMirror';
import { ALLOWED_ENV, exists, identityEnv, keepExit, serialized, splitZ } from './mirrorProcess';
import { peeledTags, tagPushOutcome } from './mirrorTags';
import { tagNameProblem } from './releaseTag';

export interface SimpleGitMirrorOptions {
  /** The daemon's state directory; mirrors live in `<stateDir>/mirrors/<owner>+<name>.git`. */
  stateDir: string;
  /** Where repositories are served: `https://github.com`, or the git simulator's base URL. */
  gitUrl: string;
  /** `owner/name` */
  repo: string;
  /** Read at each git run, so a new sign-in is used at once. */
  token: () => string | undefined;
  redactor: Redactor;
  /** Kill a git that printed nothing for this long (default 120 s). */
  idleTimeoutMs?: number;
}

const WORKFLOWS = '.github/workflows/';
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const REPO = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are answers (merge-tree: 1 is a conflict). */
  okCodes?: number[];
}

/** Reverts of reverts a promotion may fold in between the target head and its merge. */
const MAX_REAPPLIED = 16;

export class SimpleGitMirror implements GitMirror {
  readonly repo: string;
  /** The bare mirror on disk. */
  readonly dir: string;
  /** The remote URL: never with a credential in it. */
  readonly url: string;
  private urlChecked = false;
  /** Merge commits this mirror made, by sha, with their first parent: push need not ask git. */
  private readonly made = new Map<string, string>();
  /**
   * Clean merges' trees by `target source`: merge-tree is a function of the two commits, and the
   * tree it wrote is in the mirror, so the merge commit reuses the one the gate checked. Emptied
   * at each fetch, the only git here that may run gc and so prune a tree no ref holds yet.
   */
  private readonly trees = new Map<string, string>();

  constructor(private readonly options: SimpleGitMirrorOptions) {
    const m = REPO.exec(options.repo);
    const [owner, name] = [m?.[1] ?? '', m?.[2] ?? ''];
    if (!m || [owner, name].some((p) => p === '.' || p === '..'))
      throw new GitError(`"${options.repo}" is not a GitHub repository name (owner/name)`);
    const base = new URL(options.gitUrl);
    if (base.username !== '' || base.password !== '')
      throw new GitError('The git URL must not carry credentials: the token travels in a header');
    this.repo = options.repo;
    this.dir = path.join(options.stateDir, 'mirrors', `${owner}+${name}.git`);
    this.url = `${options.gitUrl.replace(/\/+$/, '')}/${owner}/${name}.git`;
  }

  sync(): Promise<void> {
    return this.serial(async () => ((await exists(this.dir)) ? this.fetch() : this.clone()));
  }

  head(branch: string): Promise<string | undefined> {
    return this.serial(() => this.resolve(`refs/heads/${branch}`));
  }

  remoteHead(branch: string): Promise<string | undefined> {
    return this.serial(async () => {
      const ref = `refs/heads/${branch}`;
      const { stdout } = await this.run('ls-remote', ['ls-remote', this.url, ref], {
        cwd: os.tmpdir(),
      });
      const line = stdout.split('\n').find((l) => l.endsWith(`\t${ref}`));
      return line?.split('\t')[0];
    });
  }

  commitsBetween(base: string, head: string): Promise<MirrorCommit[]> {
    return this.serial(async () => {
      const format = '--format=%H%x1f%s%x1f%an%x1f%ae%x1f%aI';
      const args = ['log', '-z', format, head, '--not', base, '--'];
      return splitZ((await this.run('log', args)).stdout).map((record) => {
        const [sha = '', message = '', author = '', authorEmail = '', authoredAt = ''] =
          record.split('\x1f');
        return { sha, message, author, authorEmail, authoredAt };
      });
    });
  }

  filesChanged(base: string, head: string): Promise<string[]> {
    return this.serial(async () => {
      const args = ['diff', '--name-only', '-z', `${base}...${head}`, '--'];
      return splitZ((await this.run('diff', args)).stdout);
    });
  }

  isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return this.serial(async () => {
      const args = ['merge-base', '--is-ancestor', ancestor, descendant];
      return (await this.run('merge-base', args, { okCodes: [1] })).code === 0;
    });
  }

  dryMerge(targetSha: string, sourceSha: string): Promise<DryMerge> {
    return this.serial(() => this.mergeTree(targetSha, sourceSha));
  }

  commitMerge(input: MergeInput): Promise<string> {
    return this.serial(async () => {
      const merge = await this.mergeTree(input.targetSha, input.sourceSha);
      if (!merge.clean) {
        const files = merge.conflicts.join(', ');
        throw new GitError(
          `The merge conflicts in ${files}: nothing was changed. Merge the target into the source branch and resolve them there, then promote again.`,
          'conflict',
        );
      }
      const parents = ['-p', input.targetSha, '-p', input.sourceSha];
      const args = ['commit-tree', merge.tree, ...parents, '-m', input.message];
      const { stdout } = await this.run('commit-tree', args, { env: identityEnv(input) });
      const sha = stdout.trim();
      this.made.set(sha, input.targetSha);
      return sha;
    });
  }

  push(sha: string, branch: string, expectedOld: string): Promise<PushOutcome> {
    return this.serial(() => this.pushMerge(sha, branch, expectedOld));
  }

  message(sha: string): Promise<string> {
    return this.serial(async () => {
      const { stdout } = await this.run('log', ['log', '-1', '--format=%B', sha, '--']);
      return stdout.replace(/\n+$/, '');
    });
  }

  remoteTags(): Promise<Map<string, string>> {
    return this.serial(async () => {
      const args = ['ls-remote', '--tags', this.url];
      return peeledTags((await this.run('ls-remote', args, { cwd: os.tmpdir() })).stdout);
    });
  }

  pushTag(name: string, sha: string): Promise<TagPush> {
    const problem =
      tagNameProblem(name) ?? (SHA.test(sha) ? undefined : `${sha} is not a commit sha`);
    if (problem)
      return Promise.resolve({ kind: 'error', detail: `Cannot tag "${name}": ${problem}` });
    return this.serial(() => this.pushNewTag(name, sha));
  }

  revert(input: RevertInput): Promise<string> {
    return this.serial(() => this.makeRevert(input));
  }

  /** Workflow files that differ between two commits or trees: what GitHub checks a push's token for. */
  changedWorkflowFiles(base: string, head: string): Promise<string[]> {
    return this.serial(() => this.workflowDiff(base, head));
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    return serialized(this.dir, work);
  }

  private git(cwd: string, env: NodeJS.ProcessEnv = {}): SimpleGit {
    const token = this.options.token();
    this.options.redactor.add(token);
    return simpleGit({
      baseDir: cwd,
      allowEnvironment: ALLOWED_ENV,
      // GIT_CONFIG_COUNT carries the token's header; GIT_CONFIG_GLOBAL points at /dev/null.
      unsafe: { allowUnsafeConfigEnvCount: true, allowUnsafeConfigPaths: true },
      timeout: { block: this.options.idleTimeoutMs ?? 120_000 },
      errors: keepExit,
    }).env({ ...gitEnv(token), ...env });
  }

  private async run(
    what: string,
    args: string[],
    opts: RunOptions = {},
  ): Promise<{ code: number; stdout: string }> {
    const cwd = opts.cwd ?? this.dir;
    if (cwd === this.dir && !(await exists(this.dir)))
      throw new GitError(`There is no mirror of ${this.repo} yet: sync it first`);
    try {
      return { code: 0, stdout: await this.git(cwd, opts.env).raw(args) };
    } catch (error) {
      if (error instanceof GitExit && opts.okCodes?.includes(error.exitCode))
        return { code: error.exitCode, stdout: error.stdout };
      throw gitFailure(what, this.repo, error, this.options.redactor);
    }
  }

  /** Clones into a temporary directory first, so a crash never leaves half a mirror. */
  private async clone(): Promise<void> {
    const parent = path.dirname(this.dir);
    await fs.mkdir(parent, { recursive: true });
    const tmp = await fs.mkdtemp(path.join(parent, '.clone-'));
    try {
      const target = path.join(tmp, 'mirror.git');
      await this.run('clone', ['clone', '--bare', '--quiet', this.url, target], { cwd: tmp });
      // A bare clone has no fetch refspec; the branches are all the mirror follows (not GitHub's refs/pull/*).
      const refspec = ['config', 'remote.origin.fetch', '+refs/heads/*:refs/heads/*'];
      await this.run('config', refspec, { cwd: target });
      await fs.rename(target, this.dir);
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }

  /**
   * Incremental: only objects the mirror lacks travel; branches deleted upstream go. `--verbose`
   * also keeps simple-git from waiting 50 ms after a git that printed nothing.
   */
  private async fetch(): Promise<void> {
    if (!this.urlChecked) await this.checkUrl();
    this.trees.clear();
    await this.run('fetch', ['fetch', '--prune', '--verbose', 'origin']);
  }

  /** Once per instance: the git URL may have changed between daemon runs (simulator, GitHub). */
  private async checkUrl(): Promise<void> {
    const { stdout } = await this.run('config', ['config', '--get', 'remote.origin.url'], {
      okCodes: [1],
    });
    if (stdout.trim() !== this.url)
      await this.run('config', ['config', 'remote.origin.url', this.url]);
    this.urlChecked = true;
  }

  private async resolve(ref: string): Promise<string | undefined> {
    const args = ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`];
    const { code, stdout } = await this.run('rev-parse', args, { okCodes: [1] });
    return code === 0 ? stdout.trim() : undefined;
  }

  /**
   * `merge-tree --write-tree` merges objects only: no work tree, no index, no checkout of the
   * repository's files, so its cost follows the changed paths, not the size of the tree or the
   * length of the history (a worktree with `git merge` would check out every file first and need
   * cleaning after a conflict). The tree it writes is the one commitMerge commits, so what the
   * gate checked is exactly what is pushed. simple-git's MergeSummary parser reads `git merge`'s
   * work-tree output, so it does not apply here; git 2.38+ is needed.
   */
  private async mergeTree(target: string, source: string): Promise<DryMerge> {
    const known = this.trees.get(`${target} ${source}`);
    if (known) return { clean: true, tree: known };
    const args = [
      'merge-tree',
      '--write-tree',
      '--name-only',
      '--no-messages',
      '-z',
      target,
      source,
    ];
    const { code, stdout } = await this.run('merge-tree', args, { okCodes: [1] });
    const [tree = '', ...paths] = splitZ(stdout);
    if (code !== 0) return { clean: false, conflicts: [...new Set(paths)] };
    this.trees.set(`${target} ${source}`, tree);
    return { clean: true, tree };
  }

  /**
   * A revert is the three-way merge of `onto` and the reverted commit's first parent, based on the
   * reverted commit. `merge-tree --merge-base` would say so directly, but it needs git 2.40; two
   * commits on top of the reverted one, holding the trees of `onto` and of that parent, make the
   * reverted commit their only merge base, so plain `--write-tree` (2.38, as the merge needs)
   * merges the same three trees. They are fixed-date commit-tree objects no ref holds: the same
   * inputs reuse the same objects, and gc drops them.
   */
  private async makeRevert(input: RevertInput): Promise<string> {
    const parent = await this.resolve(`${input.commit}^1`);
    if (!parent)
      throw new GitError(
        `${input.commit.slice(0, 7)} has no parent: there is nothing to revert it to`,
      );
    const ours = await this.sideOf(input, input.onto);
    const theirs = await this.sideOf(input, parent);
    const merge = await this.mergeTree(ours, theirs);
    if (!merge.clean)
      throw new GitError(
        `Reverting ${input.commit.slice(0, 7)} onto ${input.onto.slice(0, 7)} conflicts in ${merge.conflicts.join(', ')}: nothing was changed. Revert it by hand and resolve them, then push.`,
        'conflict',
      );
    const args = ['commit-tree', merge.tree, '-p', input.onto, '-m', input.message];
    return (await this.run('commit-tree', args, { env: identityEnv(input) })).stdout.trim();
  }

  /** One side of a revert's merge: `tree`'s tree, on top of the reverted commit. */
  private async sideOf(input: RevertInput, tree: string): Promise<string> {
    const args = [
      'commit-tree',
      `${tree}^{tree}`,
      '-p',
      input.commit,
      '-m',
      'railyard revert side',
    ];
    return (await this.run('commit-tree', args, { env: identityEnv(input) })).stdout.trim();
  }

  /** A plain push of a new tag: no `+`, no --force, so git refuses to move a tag someone has. */
  private async pushNewTag(name: string, sha: string): Promise<TagPush> {
    const args = ['push', '--porcelain', 'origin', `${sha}:refs/tags/${name}`];
    try {
      const { code, stdout } = await this.run('push', args, { okCodes: [1] });
      return tagPushOutcome(code, stdout, name, (s) => this.options.redactor.redact(s));
    } catch (error) {
      return {
        kind: 'error',
        detail: gitFailure('push', this.repo, error, this.options.redactor).message,
      };
    }
  }

  private async workflowDiff(base: string, head: string): Promise<string[]> {
    const args = ['diff', '--name-only', '-z', base, head, '--', WORKFLOWS];
    return splitZ((await this.run('diff', args)).stdout);
  }

  /**
   * A plain push: no `+`, no --force, no --force-with-lease. The merge's first parent is the
   * target head the gates saw, so it fast-forwards only while the remote branch is still there;
   * if anyone pushed meanwhile, git refuses it as non-fast-forward and nothing changes.
   */
  /**
   * Whether `sha` is built on `base` by first parents: the merge itself, or the merge on top of
   * the reverts of reverts a promotion reapplies. A merge made here has the first parent it was
   * given; one from the journal (a resumed daemon) is asked of git.
   */
  private async onto(sha: string, base: string): Promise<boolean> {
    let at = sha;
    for (let depth = 0; depth < MAX_REAPPLIED + 1; depth++) {
      const parent = this.made.get(at) ?? (await this.resolve(`${at}^1`).catch(() => undefined));
      if (parent === base) return true;
      if (!parent) return false;
      at = parent;
    }
    return false;
  }

  private async pushMerge(sha: string, branch: string, expectedOld: string): Promise<PushOutcome> {
    if (!(await this.onto(sha, expectedOld)))
      return {
        kind: 'error',
        detail: `${sha.slice(0, 7)} is not a merge onto ${expectedOld.slice(0, 7)}: refusing to push it`,
      };
    try {
      const result = await this.git(this.dir).push('origin', `${sha}:refs/heads/${branch}`);
      return this.pushed(result, sha, branch);
    } catch (error) {
      return this.refused(error, sha, branch, expectedOld);
    }
  }

  /**
   * The mirror's branch follows at once, so the next gates see the merge without a fetch: git
   * itself moves it, as the tracking ref of origin's `+refs/heads/*:refs/heads/*` refspec.
   */
  private pushed(result: PushResult, sha: string, branch: string): PushOutcome {
    const moved = result.update?.hash.to !== undefined && sha.startsWith(result.update.hash.to);
    const already = result.pushed.some((p) => p.alreadyUpdated);
    if (!moved && !already)
      return { kind: 'error', detail: `git did not report ${branch} updated; fetch and check it` };
    return { kind: 'pushed' };
  }

  private async refused(
    error: unknown,
    sha: string,
    branch: string,
    expectedOld: string,
  ): Promise<PushOutcome> {
    const redact = (s: string) => this.options.redactor.redact(s);
    const refusal = error instanceof GitExit ? pushRefusal(error.stdout) : undefined;
    if (refusal?.kind === 'moved') {
      const detail = `${branch} moved on the remote since the gates ran (${refusal.reason}); nothing was pushed: fetch, re-check the gates and confirm again`;
      return { kind: 'rejected', detail: redact(detail) };
    }
    if (refusal?.kind === 'workflow') {
      const files = await this.workflowDiff(expectedOld, sha).catch(() => [refusal.file]);
      const detail = `GitHub refused the push: ${refusal.reason}. The merge changes ${files.join(', ')}; sign in with a token that has the workflow scope (\`railyard login github\`), or push this merge yourself`;
      return { kind: 'workflow-scope', files, detail: redact(detail) };
    }
    if (refusal)
      return { kind: 'error', detail: redact(`The remote refused the push: ${refusal.reason}`) };
    return {
      kind: 'error',
      detail: gitFailure('push', this.repo, error, this.options.redactor).message,
    };
  }
}
