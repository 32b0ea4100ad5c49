// Runs git for the daemon: argument arrays (never a shell), never prompting, never reading the
// user's global config, and credentials only through the environment, never in argv or a URL.
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import type { Redactor } from '../diagnostics/redact';

export interface GitResult {
  ok: boolean;
  stdout: string;
  /** Redacted: safe to log and to show. */
  stderr: string;
  code: number | null;
}

/** `http.extraHeader` through git's environment config: the token stays out of argv and remotes. */
export function tokenEnv(token: string | undefined): NodeJS.ProcessEnv {
  if (!token) return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}

/** git's whole environment for the daemon: nothing inherited but PATH, no user or system config, no prompts. */
export function gitEnv(token: string | undefined): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: os.tmpdir(),
    LANG: 'C',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: os.devNull,
    ...tokenEnv(token),
  };
}

export function runGit(
  args: string[],
  opts: { cwd?: string; token?: string; redactor: Redactor; timeoutMs?: number },
): Promise<GitResult> {
  const env = gitEnv(opts.token);
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      {
        cwd: opts.cwd ?? os.tmpdir(),
        env,
        timeout: opts.timeoutMs ?? 30_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ ok: !error, stdout, stderr: opts.redactor.redact(stderr), code });
      },
    );
  });
}
