// The git gates' world: the simulated git server with the seeded kars repository, and a GateContext
// over a REAL SimpleGitMirror of it, synced, heads pinned and the change summary built as gateRun
// does, so a gate sees exactly what it would see in the daemon. Railway and health are untouchable.
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redactor } from '../../daemon/diagnostics/redact';
import type { GateContext } from '../../daemon/promotion/gateContext';
import {
  buildChangeSummary,
  DEFAULT_MIGRATION_PATTERNS,
} from '../../daemon/promotion/gates/changes';
import { GitError } from '../../daemon/promotion/gitMirror';
import { SimpleGitMirror } from '../../daemon/promotion/simpleGitMirror';
import { commitAndPush, tokenEnv } from '../../sim/git/gitClient';
import { identityEnv, runGit, type GitIdentity } from '../../sim/git/gitRun';
import { startGitServer, type GitServer } from '../../sim/git/gitServer';
import { karsPeople, seedKarsRepo, type KarsRepo } from '../../sim/git/karsRepo';
import { contextOf, recordOf } from '../fixtures/promotionGates';

/** The tokens the server knows, by what GitHub would say of their scopes. */
export const gitTokens = {
  /** `repo` only: GitHub refuses its workflow changes. */
  repoOnly: 'ghp_simRepoOnly0123456789abcdefghijklmnop',
  /** `repo` and `workflow`: the teammates' pushes use it. */
  maintainer: 'ghp_simMaintainer456789abcdefghijklmnopqr',
  /** Fine-grained: no scopes header (null); the server lets it push. */
  fineGrained: 'github_pat_simFineGrained0123456789abcdef',
} as const;

const when = (date: string): GitIdentity => ({ ...karsPeople.grace, date: `${date}+00:00` });

export interface GitGateContextOptions {
  /** The token's scopes as the daemon read them; undefined: no GitHub sign-in. */
  githubScopes?: string[] | null;
  migrations?: readonly string[];
  /** The mirror's token (fetch and push); the maintainer's by default. */
  token?: string;
}

export interface GitGateWorld {
  server: GitServer;
  kars: KarsRepo;
  /** A teammate's commit pushed with the maintainer's token; its sha. */
  push(
    branch: string,
    files: Record<string, string | null>,
    message: string,
    author?: GitIdentity,
  ): Promise<string>;
  /** Merges `branch` into `into` (--no-ff, `message`) as a teammate would, and pushes it; the merge's sha. */
  mergeAndPush(branch: string, into: string, message: string): Promise<string>;
  /** `git revert --no-edit` of `sha` on `branch` (`-m 1` for a merge), as a teammate would, pushed; the revert's sha. */
  revertAndPush(branch: string, sha: string): Promise<string>;
  /** A real mirror of kars/kars-app in this world's state directory, fetching with `token`. */
  mirror(token?: string): SimpleGitMirror;
  /** kars-dev → kars-prod as the server has them now: mirror synced, both heads pinned, changes built. */
  context(o?: GitGateContextOptions): Promise<GateContext & { mirror: SimpleGitMirror }>;
  /** Safe to call twice. */
  close(): Promise<void>;
}

export async function startGitGateWorld(): Promise<GitGateWorld> {
  const server = await startGitServer({
    tokens: Object.values(gitTokens),
    tokenScopes: new Map<string, string[] | null>([
      [gitTokens.repoOnly, ['repo']],
      [gitTokens.maintainer, ['repo', 'workflow']],
      [gitTokens.fineGrained, null],
    ]),
  });
  const kars = await seedKarsRepo(server);
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-git-gates-'));
  const mirror = (token: string = gitTokens.maintainer) =>
    new SimpleGitMirror({
      stateDir,
      gitUrl: server.url,
      repo: 'kars/kars-app',
      token: () => token,
      redactor: new Redactor(),
    });
  return {
    server,
    kars,
    push: async (branch, files, message, author = when('2025-01-20T09:30:00')) =>
      (
        await commitAndPush(server, {
          ...kars,
          branch,
          files,
          message,
          author,
          token: gitTokens.maintainer,
        })
      ).sha,
    mergeAndPush: (branch, into, message) => mergeAndPush(kars, branch, into, message),
    revertAndPush: (branch, sha) => revertAndPush(kars, branch, sha),
    mirror,
    context: async (o = {}) => pinnedContext(mirror(o.token), o),
    close: async () => {
      await server.close();
      await fs.rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** What gateRun does before the gates: sync, pin both heads, summarize what the source brings. */
async function pinnedContext(
  mirror: SimpleGitMirror,
  o: GitGateContextOptions,
): Promise<GateContext & { mirror: SimpleGitMirror }> {
  await mirror.sync();
  const sourceCommit = await mirror.head('kars-dev');
  const targetCommit = await mirror.head('kars-prod');
  if (!sourceCommit || !targetCommit) throw new Error('the mirror lacks kars-dev or kars-prod');
  const migrations = [...(o.migrations ?? DEFAULT_MIGRATION_PATTERNS)];
  const changes = await buildChangeSummary(mirror, targetCommit, sourceCommit, migrations, {
    repo: 'acme/kars',
    githubApiUrl: undefined,
  });
  const ctx = contextOf({
    record: recordOf({ sourceCommit, targetCommit }),
    settings: { settleSeconds: 60, deployTimeoutSeconds: 900, migrations },
    changes,
    mirror,
    ...('githubScopes' in o && { githubScopes: o.githubScopes }),
  });
  return { ...ctx, mirror };
}

/** A clone of kars at `branch` in a temporary directory for `work`, removed after. */
async function inClone<T>(
  kars: KarsRepo,
  branch: string,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-git-clone-'));
  try {
    await runGit(['clone', '--quiet', '--no-tags', '--branch', branch, kars.url, dir], {
      env: tokenEnv(gitTokens.maintainer),
    });
    return await work(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function revertAndPush(kars: KarsRepo, branch: string, sha: string): Promise<string> {
  return inClone(kars, branch, async (dir) => {
    const parents = (await runGit(['rev-list', '--parents', '-n', '1', sha], { cwd: dir })).stdout;
    const mainline = parents.trim().split(' ').length > 2 ? ['-m', '1'] : [];
    await runGit(['revert', '--no-edit', ...mainline, sha], {
      cwd: dir,
      env: identityEnv(when('2025-01-22T09:00:00')),
    });
    await runGit(['push', '--quiet', 'origin', branch], {
      cwd: dir,
      env: tokenEnv(gitTokens.maintainer),
    });
    return (await runGit(['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim();
  });
}

async function mergeAndPush(
  kars: KarsRepo,
  branch: string,
  into: string,
  message: string,
): Promise<string> {
  const auth = tokenEnv(gitTokens.maintainer);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-git-pr-'));
  try {
    await runGit(['clone', '--quiet', '--no-tags', kars.url, work], { env: auth });
    await runGit(['checkout', '--quiet', into], { cwd: work });
    await runGit(['merge', '--quiet', '--no-ff', '-m', message, `origin/${branch}`], {
      cwd: work,
      env: identityEnv(when('2025-01-20T12:00:00')),
    });
    await runGit(['push', '--quiet', 'origin', into], { cwd: work, env: auth });
    return (await runGit(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** The GitError a promise rejects with; fails the test when it resolves. */
export async function rejection(p: Promise<unknown>): Promise<GitError> {
  const error = await p.then(
    () => assert.fail('expected a GitError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof GitError, String(error));
  return error;
}
