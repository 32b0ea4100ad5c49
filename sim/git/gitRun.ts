// Runs the real `git` binary for the simulators with a sealed environment: no prompts, no user or system config.
import { execFile, type ExecFileException } from 'node:child_process';

/** A git identity with an optional fixed date, so commits made by the simulators have stable shas. */
export interface GitIdentity {
  name: string;
  email: string;
  /** Any date git accepts; ISO 8601 with an offset (`2025-01-06T09:00:00+00:00`) keeps shas stable. */
  date?: string;
}

/** A git command that exited non-zero, with what it printed so a test failure says why. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} exited ${exitCode ?? 'by signal'}: ${(stderr || stdout).trim()}`);
    this.name = 'GitCommandError';
  }
}

export interface GitRunOptions {
  cwd?: string;
  /** Added on top of the sealed environment (credentials, identities, GIT_CONFIG_* entries). */
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are answers rather than failures (`merge-tree` says 1 for a conflict). */
  okExitCodes?: readonly number[];
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * The parent's environment minus everything that changes git's behaviour: an inherited GIT_DIR or
 * GIT_ASKPASS (VS Code's terminals set one) would make tests act on the wrong repository or prompt.
 */
export function sealedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('GIT_') || key === 'SSH_ASKPASS' || key.startsWith('LC_')) continue;
    env[key] = value;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    // Messages are parsed in a few places; keep them in English.
    LC_ALL: 'C',
    ...extra,
  };
}

/** Author and committer variables for one identity. */
export function identityEnv(who: GitIdentity, committer: GitIdentity = who): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
  if (who.date !== undefined) env.GIT_AUTHOR_DATE = who.date;
  const committed = committer.date ?? who.date;
  if (committed !== undefined) env.GIT_COMMITTER_DATE = committed;
  return env;
}

/** Runs `git <args>`; resolves with its output, rejects with GitCommandError on an unexpected exit. */
export function runGit(args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
  const ok = options.okExitCodes ?? [0];
  return new Promise((resolve, reject) => {
    const opts = { cwd: options.cwd, env: sealedEnv(options.env), maxBuffer: 64 * 1024 * 1024 };
    execFile('git', [...args], opts, (error: ExecFileException | null, stdout, stderr) => {
      const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      if (exitCode !== null && ok.includes(exitCode)) resolve({ stdout, stderr, exitCode });
      else reject(new GitCommandError(args, exitCode, stdout, stderr));
    });
  });
}

/** Runs git and returns its stdout without the trailing newline. */
export async function gitOut(
  args: readonly string[],
  options: GitRunOptions = {},
): Promise<string> {
  return (await runGit(args, options)).stdout.replace(/\n$/, '');
}
