// Ties the three simulators into one world: Railway's fixture from the repository's real commits, pushes that deploy, GitHub over git's repositories.
import * as fs from 'node:fs/promises';
import type { GitServer } from './git/gitServer';
import type { KarsRepo } from './git/karsRepo';
import { changedFiles, commitInfo, type CommitInfo } from './git/repoQueries';
import type { GithubRepoSource } from './github/state';
import type { KarsBranch, KarsHistory } from './railway/karsHistory';
import type { SimCommit } from './railway/model';
import type { CommitSource, PushOptions, RailwayState } from './railway/state';

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
export type PushOutcomes = (repository: string, branch: string) => PushOptions;

/** Webhooks a test has made go missing: the next push to each `repository branch` never reaches Railway. */
export class Webhooks {
  private readonly missing = new Set<string>();

  /** The next push to that branch is never delivered (Railway creates no deployment at all). */
  dropNext(repository: string, branch: string): void {
    this.missing.add(`${repository} ${branch}`);
  }

  /** Consumes a drop set for this push; true when it is to be dropped. */
  take(repository: string, branch: string): boolean {
    return this.missing.delete(`${repository} ${branch}`);
  }
}

/**
 * What GitHub and Railway do on a push: GitHub sends its push webhook, which reaches Railway a step
 * later (never during the push itself) and makes the deployments, or goes missing. What the push
 * touched is read from git now, while the push is handled, so the webhook carries it as GitHub's does.
 */
export function deployOnPush(
  git: GitServer,
  state: RailwayState,
  outcomes: PushOutcomes,
  webhooks: Webhooks = new Webhooks(),
): () => void {
  return git.onPush(async (event) => {
    if (event.deleted) return;
    const repository = `${event.owner}/${event.repo}`;
    const dir = git.repoPath(event.owner, event.repo);
    const head =
      event.commits.find((c) => c.sha === event.after) ?? (await commitInfo(dir, event.after));
    if (!head) return;
    const changed = event.created ? undefined : await changedFiles(dir, event.before, event.after);
    if (webhooks.take(repository, event.branch)) return;
    const options: PushOptions = {
      ...outcomes(repository, event.branch),
      changedFiles: changed?.flatMap((f) => [f.filename, f.previousFilename ?? []].flat()),
    };
    state.clock.after(
      state.timings.webhookMs,
      () => state.push(repository, event.branch, simCommit(head), options),
      `push webhook ${repository}#${event.branch}`,
    );
  });
}

/** Railway reads commits from the connected repository: here, the git server's. */
export function gitCommitSource(git: GitServer): CommitSource {
  const dirOf = (repository: string) => {
    const [owner = '', name = ''] = repository.split('/');
    return git.repoPath(owner, name);
  };
  const read = async (repository: string, ref: string) => {
    const info = await commitInfo(dirOf(repository), ref).catch(() => null);
    return info ? simCommit(info) : undefined;
  };
  return {
    // Only a full sha names a commit for Railway; a branch name or a prefix is not one.
    find: (repository, sha) =>
      /^[0-9a-f]{40}$/.test(sha) ? read(repository, sha) : Promise.resolve(undefined),
    head: (repository, branch) => read(repository, `refs/heads/${branch}`),
  };
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
    updateBranch: (owner, name, branch, update) =>
      git.updateBranch(owner, name, branch, update.newSha, update.expectedOldSha),
  };
}
