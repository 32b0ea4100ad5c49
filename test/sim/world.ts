// Ties the three simulators into one world: Railway's fixture from the repository's real commits, pushes that deploy, GitHub over git's repositories.
import * as fs from 'node:fs/promises';
import type { GitServer } from './git/gitServer';
import type { KarsRepo } from './git/karsRepo';
import { commitInfo, type CommitInfo } from './git/repoQueries';
import type { GithubRepoSource } from './github/state';
import type { KarsBranch, KarsHistory } from './railway/karsHistory';
import type { SimCommit, SimOutcome } from './railway/model';
import type { RailwayState } from './railway/state';

/** Which seeded commits each branch's environment deployed, oldest first (the last is the branch head). */
const deployedRoles: Record<KarsBranch, (keyof KarsRepo['commits'])[]> = {
  'kars-dev': ['customerIndex', 'totalsInList'],
  'kars-prod': ['initial', 'release'],
  'feature/invoice-export': ['invoiceExport'],
};

export function simCommit(c: CommitInfo): SimCommit {
  return { hash: c.sha, message: c.message, author: c.author.name };
}

/** Reads the deployed commits from the seeded repository itself, so the Railway fixture cannot disagree with git. */
export async function readKarsHistory(kars: KarsRepo): Promise<KarsHistory> {
  const read = async (roles: (keyof KarsRepo['commits'])[]) =>
    Promise.all(
      roles.map(async (role) => {
        const info = await commitInfo(kars.path, kars.commits[role]);
        if (!info) throw new Error(`the seeded repository lacks its ${role} commit`);
        return simCommit(info);
      }),
    );
  return {
    'kars-dev': await read(deployedRoles['kars-dev']),
    'kars-prod': await read(deployedRoles['kars-prod']),
    'feature/invoice-export': await read(deployedRoles['feature/invoice-export']),
  };
}

/** Decides how the deployments a push creates will end; SUCCESS unless a test said otherwise. */
export type PushOutcomes = (repository: string, branch: string) => SimOutcome;

/**
 * What Railway does on a GitHub push: a QUEUED deployment per service whose trigger watches the branch,
 * built from the pushed head. The git server awaits this before the push returns, so a test that has
 * pushed can look at Railway at once.
 */
export function deployOnPush(
  git: GitServer,
  state: RailwayState,
  outcomes: PushOutcomes,
): () => void {
  return git.onPush(async (event) => {
    if (event.deleted) return;
    const repository = `${event.owner}/${event.repo}`;
    const head =
      event.commits.find((c) => c.sha === event.after) ??
      (await commitInfo(git.repoPath(event.owner, event.repo), event.after));
    if (!head) return;
    state.push(repository, event.branch, simCommit(head), outcomes(repository, event.branch));
  });
}

/** GitHub's repositories are the git server's, as on github.com where the API and git share them. */
export function gitRepoSource(git: GitServer): GithubRepoSource {
  return {
    find: async (owner, name) => {
      let dir: string;
      try {
        dir = git.repoPath(owner, name);
      } catch {
        return null; // a name git would refuse names no repository
      }
      const found = await fs.stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      return found ? dir : null;
    },
    cloneUrl: (owner, name) => git.repoUrl(owner, name),
  };
}
