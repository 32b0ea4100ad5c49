// The daemon's own clone of a project's repository (a bare mirror in the state directory, fetched
// incrementally): pins branch heads, dry-runs and makes the promotion's merge, pushes it without
// force. The user's working tree is never touched; the token travels only as http.extraHeader in
// git's environment, never in a URL, argv, a remote, a log line or an error.

export interface MirrorCommit {
  sha: string;
  /** The subject line. */
  message: string;
  author: string;
  authorEmail: string;
  authoredAt: string;
}

export type DryMerge = { clean: true; tree: string } | { clean: false; conflicts: string[] };

export type PushOutcome =
  | { kind: 'pushed' }
  /** The target moved (someone pushed meanwhile): nothing changed; never forced. */
  | { kind: 'rejected'; detail: string }
  /** GitHub refuses workflow changes from a token without the `workflow` scope. */
  | { kind: 'workflow-scope'; files: string[]; detail: string }
  | { kind: 'error'; detail: string };

export interface MergeInput {
  targetSha: string;
  sourceSha: string;
  message: string;
  author: { name: string; email: string };
  /** Author and committer date: the same inputs make the same sha, so redoing it after a crash makes the same commit. */
  date: Date;
}

export type TagPush = { kind: 'pushed' } | { kind: 'exists' } | { kind: 'error'; detail: string };

export interface RevertInput {
  /** The commit the revert goes on top of (its only parent). */
  onto: string;
  /** The commit undone; a merge is undone relative to its first parent (`git revert -m 1`). */
  commit: string;
  message: string;
  author: { name: string; email: string };
  /** Author and committer date, so a redo after a crash makes the same sha. */
  date: Date;
}

export interface GitMirror {
  readonly repo: string;
  /** Clones (first time) or fetches every branch; throws a GitError with a redacted sentence. */
  sync(): Promise<void>;
  /** A branch's head in the mirror (after sync), or undefined when there is no such branch. */
  head(branch: string): Promise<string | undefined>;
  /** The remote's head of a branch now (ls-remote), without fetching. */
  remoteHead(branch: string): Promise<string | undefined>;
  /** Commits reachable from `head` but not `base`, newest first. */
  commitsBetween(base: string, head: string): Promise<MirrorCommit[]>;
  /** Paths changed from the merge base of base and head to head. */
  filesChanged(base: string, head: string): Promise<string[]>;
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  dryMerge(targetSha: string, sourceSha: string): Promise<DryMerge>;
  /** Makes the two-parent merge commit (target first) and returns its sha; refuses a conflicted merge. */
  commitMerge(input: MergeInput): Promise<string>;
  /** Pushes `sha` to `branch` only if the remote branch is still `expectedOld`; never forced. */
  push(sha: string, branch: string, expectedOld: string): Promise<PushOutcome>;
  /** The full message (subject and body) of a commit in the mirror. */
  message(sha: string): Promise<string>;
  /** Tags on the remote now (ls-remote --tags, peeled to the commit), name → commit sha. */
  remoteTags(): Promise<Map<string, string>>;
  /**
   * Pushes a new tag refs/tags/<name> at sha, never forced: 'exists' when the remote already has
   * that tag at another commit (someone took the name); 'pushed' when it is already at this sha (a
   * redo). A name git would refuse is an 'error' without asking the remote.
   */
  pushTag(name: string, sha: string): Promise<TagPush>;
  /**
   * A commit on top of `onto` undoing `commit` (git revert semantics; for a merge commit relative to its
   * first parent, like `git revert -m 1`), made with commit-tree from the given author/date so a redo makes
   * the same sha. Throws GitError kind 'conflict' naming the paths when the revert does not apply cleanly.
   */
  revert(input: RevertInput): Promise<string>;
}

/** What went wrong, so the engine and the UI can say what to do: sign in again, retry, fix the conflict. */
export type GitErrorKind = 'auth' | 'not-found' | 'network' | 'conflict' | 'git';

export class GitError extends Error {
  constructor(
    message: string,
    readonly kind: GitErrorKind = 'git',
  ) {
    super(message);
    this.name = 'GitError';
  }
}
