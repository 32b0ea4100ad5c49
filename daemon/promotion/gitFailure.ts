// What git printed when it failed, turned into something a user can act on: a GitError whose
// message says what to do (sign in again, check the repository, retry), and a push's porcelain
// status turned into the reason git or GitHub refused it. Every message is redacted before it leaves.
import { GitError as SimpleGitError } from 'simple-git';
import type { Redactor } from '../diagnostics/redact';
import { GitError, type GitErrorKind } from './gitMirror';

/**
 * A git process that exited non-zero, as simple-git's `errors` option hands it to us (exit code
 * kept). It extends simple-git's own error class, which simple-git rethrows as is; any other class
 * it would flatten into a string.
 */
export class GitExit extends SimpleGitError {
  constructor(
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(undefined, `git exited ${exitCode}: ${stderr.trim()}`);
    this.name = 'GitExit';
  }
}

interface Rule {
  test: RegExp;
  kind: GitErrorKind;
  say: (repo: string) => string;
}

// Ordered: a 404 for a private repository is GitHub's answer to a token that may not see it.
const RULES: Rule[] = [
  {
    test: /Authentication failed|could not read (Username|Password)|Invalid username or password|returned error: 40[13]/i,
    kind: 'auth',
    say: (repo) =>
      `GitHub refused the token for ${repo}: sign in again with \`railyard login github\` (the token needs the repo scope)`,
  },
  {
    test: /Repository not found|repository '[^']*' not found|returned error: 404/i,
    kind: 'not-found',
    say: (repo) =>
      `Repository ${repo} was not found, or the signed-in GitHub account cannot see it: check the repository Railway deploys from, and the account's access`,
  },
  {
    test: /Could not resolve host|Failed to connect|Connection refused|timed out|Empty reply|Recv failure|SSL/i,
    kind: 'network',
    say: (repo) => `Could not reach the git server for ${repo}: check the network and try again`,
  },
];

/** The last few lines git printed: the `fatal:` reason is at the end. */
function tail(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('hint:'));
  return lines.slice(-3).join(' / ') || 'no output';
}

export function gitFailure(
  what: string,
  repo: string,
  error: unknown,
  redactor: Redactor,
): GitError {
  if (error instanceof GitError) return error;
  const output =
    error instanceof GitExit
      ? error.stderr
      : error instanceof Error
        ? error.message
        : String(error);
  const rule = RULES.find((r) => r.test.test(output));
  const message = rule
    ? `${rule.say(repo)}. (git ${what}: ${tail(output)})`
    : `git ${what} failed for ${repo}: ${tail(output)}`;
  return new GitError(redactor.redact(message), rule?.kind ?? 'git');
}

/** How the remote answered one ref of a refused push, from `git push --porcelain`'s status line. */
export type PushRefusal =
  | { kind: 'moved'; reason: string }
  | { kind: 'workflow'; reason: string; file: string }
  | { kind: 'other'; reason: string };

// `!<TAB><src>:<dst><TAB>[rejected] (fetch first)` or `… [remote rejected] (<the server's reason>)`.
const REFUSED = /^!\t[^\t]*\t\[(rejected|remote rejected)\] \((.*)\)$/m;
const WORKFLOW = /refusing to allow .+ to create or update workflow `([^`]+)`/;
// The target moved: git's own checks, or the server losing the compare-and-swap on the ref.
const MOVED = /non-fast-forward|fetch first|stale info|failed to update ref|cannot lock ref/;

export function pushRefusal(porcelain: string): PushRefusal | undefined {
  const m = REFUSED.exec(porcelain);
  if (!m) return undefined;
  const reason = m[2] ?? '';
  const workflow = WORKFLOW.exec(reason);
  if (workflow) return { kind: 'workflow', reason, file: workflow[1] ?? '' };
  return MOVED.test(reason) ? { kind: 'moved', reason } : { kind: 'other', reason };
}
