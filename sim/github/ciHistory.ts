// The CI a seeded repository's branch heads ran before the simulators started, so that "is CI green on kars-dev?" has GitHub's answer from the first request.
import type { KarsRepo } from '../git/karsRepo';
import { commitInfo } from '../git/repoQueries';
import type { CiStore } from './ci';

/** A completed, successful suite on each branch head, pushed when the head was committed. */
export async function recordSeededCi(ci: CiStore, repo: KarsRepo): Promise<void> {
  const repository = `${repo.owner}/${repo.repo}`;
  for (const [branch, sha] of Object.entries(repo.branches)) {
    const head = await commitInfo(repo.path, sha);
    if (!head) throw new Error(`the seeded repository lacks the head of ${branch}`);
    ci.recordPast(repository, branch, sha, new Date(head.committer.date));
  }
}
