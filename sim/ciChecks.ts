// What Railway's "Wait for CI" reads from GitHub: the state of a commit's check suites. The GitHub
// simulator implements it; the Railway simulator only sees this interface, as Railway only sees
// GitHub's check-suite webhooks.

/** `absent`: the commit has no check suites, so Railway does not wait for it. */
export type CiState = 'absent' | 'pending' | 'success' | 'failure';

export interface CommitChecks {
  state(repository: string, sha: string): CiState;
  /** Called when every check suite of a commit has completed. Returns an unsubscribe. */
  onSettled(
    listener: (repository: string, sha: string, state: 'success' | 'failure') => void,
  ): () => void;
}

/** A GitHub that runs no CI: nothing ever waits. */
export const noChecks: CommitChecks = {
  state: () => 'absent',
  onSettled: () => () => undefined,
};
