// How the mirror runs git through simple-git: the environment variables it may pass, one queue
// per mirror directory, exit codes kept, NUL-separated output, and the fixed identity that makes a
// commit reproducible.
import * as fs from 'node:fs/promises';
import type { SimpleGitOptions } from 'simple-git';
import { GitExit } from './gitFailure';
import type { MergeInput } from './gitMirror';

// simple-git refuses git's environment variables in `.env()` unless named here; the isolation,
// the token's http.extraHeader (GIT_CONFIG_*) and the merge's fixed identity are the ones we set.
export const ALLOWED_ENV = [
  'GIT_TERMINAL_PROMPT',
  'GIT_CONFIG_NOSYSTEM',
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_COUNT',
  'GIT_CONFIG_KEY_0',
  'GIT_CONFIG_VALUE_0',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE',
];

/** One queue per mirror directory, shared by every instance: the daemon may run gates concurrently. */
const queues = new Map<string, Promise<unknown>>();

export function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => queues.get(key) === settled && queues.delete(key));
  return run;
}

export async function exists(dir: string): Promise<boolean> {
  return fs.stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Keeps the exit code: simple-git alone treats a non-zero exit with an empty stderr as success. */
export const keepExit: SimpleGitOptions['errors'] = (error, result) => {
  if (result.exitCode === 0) return error;
  const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');
  return new GitExit(result.exitCode, text(result.stdOut), text(result.stdErr));
};

export function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s !== '');
}

/** The fixed identity and date that make the same merge inputs produce the same commit sha. */
export function identityEnv(input: Pick<MergeInput, 'author' | 'date'>): NodeJS.ProcessEnv {
  const date = `@${Math.floor(input.date.getTime() / 1000)} +0000`;
  const { name, email } = input.author;
  return {
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
    GIT_COMMITTER_DATE: date,
  };
}
