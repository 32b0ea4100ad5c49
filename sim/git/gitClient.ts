// The developer's side of the simulated git world: credentials through the environment, and commit-and-push over HTTP.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitOut, identityEnv, runGit, type GitIdentity } from './gitRun';
import { basicAuthHeader } from './httpAuth';
import type { GitServer } from './gitServer';

/**
 * Hands git the token as an `http.extraHeader` through GIT_CONFIG_COUNT/KEY/VALUE: the form the daemon
 * uses, since it keeps the token out of argv (visible in `ps`) and out of the remote URL (stored in .git/config).
 */
export function tokenEnv(token: string): NodeJS.ProcessEnv {
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: ${basicAuthHeader(token)}`,
  };
}

/** Reads the token from its own environment at run time, so the script on disk holds no secret. */
const ASKPASS_SCRIPT = `#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' x-access-token ;;
  *) printf '%s\\n' "$RAILYARD_SIM_GIT_TOKEN" ;;
esac
`;

/**
 * The other way to hand git a token without argv or URL: a GIT_ASKPASS helper git runs after the server's 401.
 * Writes the helper into `dir` (which the caller removes).
 */
export async function askpassEnv(token: string, dir: string): Promise<NodeJS.ProcessEnv> {
  const script = path.join(dir, 'askpass.sh');
  await fs.writeFile(script, ASKPASS_SCRIPT, { mode: 0o700 });
  return { GIT_ASKPASS: script, RAILYARD_SIM_GIT_TOKEN: token };
}

export interface CommitAndPushOptions {
  owner: string;
  repo: string;
  branch: string;
  /** Path → new content; null deletes the file. */
  files: Record<string, string | null>;
  message: string;
  author: GitIdentity;
  /** Defaults to the server's first token. */
  token?: string;
  /** Where a branch that does not exist yet starts; the repository's default branch when omitted. */
  from?: string;
}

export interface PushedCommit {
  sha: string;
  /** The branch head before the push; null when the push created the branch. */
  before: string | null;
}

async function writeFiles(workdir: string, files: CommitAndPushOptions['files']): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(workdir, relative);
    if (!file.startsWith(workdir + path.sep))
      throw new Error(`path escapes the work tree: ${relative}`);
    if (content === null) await fs.rm(file, { force: true });
    else {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content);
    }
  }
}

/** Checks out the branch, or starts it from `from` (or the default branch) when the remote lacks it. */
async function checkoutBranch(
  workdir: string,
  branch: string,
  from: string | undefined,
): Promise<string | null> {
  const remote = `refs/remotes/origin/${branch}`;
  const found = await runGit(['rev-parse', '--verify', '--quiet', remote], {
    cwd: workdir,
    okExitCodes: [0, 1],
  });
  if (found.exitCode === 0) {
    await runGit(['checkout', '--quiet', '-B', branch, remote], { cwd: workdir });
    return found.stdout.trim();
  }
  const start = from === undefined ? 'HEAD' : `refs/remotes/origin/${from}`;
  await runGit(['checkout', '--quiet', '-b', branch, start], { cwd: workdir });
  return null;
}

/**
 * What a developer does: clone over HTTP, change files, commit, push. The token travels in the environment
 * only, so the push authenticates the way the daemon's will, and the server's onPush listeners have run
 * by the time this resolves.
 */
export async function commitAndPush(
  server: GitServer,
  options: CommitAndPushOptions,
): Promise<PushedCommit> {
  const token = options.token ?? server.tokens[0];
  if (token === undefined) throw new Error('commitAndPush needs a token: the server has none');
  const auth = tokenEnv(token);
  const workdir = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-git-push-'));
  try {
    const url = server.repoUrl(options.owner, options.repo);
    await runGit(['clone', '--quiet', '--no-tags', url, workdir], { env: auth });
    const before = await checkoutBranch(workdir, options.branch, options.from);
    await writeFiles(workdir, options.files);
    await runGit(['add', '--all'], { cwd: workdir });
    await runGit(['commit', '--quiet', '-m', options.message], {
      cwd: workdir,
      env: identityEnv(options.author),
    });
    await runGit(['push', '--quiet', 'origin', `HEAD:refs/heads/${options.branch}`], {
      cwd: workdir,
      env: auth,
    });
    return { sha: await gitOut(['rev-parse', 'HEAD'], { cwd: workdir }), before };
  } finally {
    await fs.rm(workdir, { recursive: true, force: true });
  }
}
