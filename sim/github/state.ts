// The GitHub simulator's world: users and their tokens in memory, repositories on disk (the git server's), CI, statuses, deployments, branch protection and pull requests.
import { SimClock } from '../clock';
import { BranchProtections } from './branchProtection';
import { CiStore, type CiStoreOptions } from './ci';
import { DeploymentStore } from './deployments';
import { PullStore } from './pulls';
import { CommitStatuses } from './statuses';

export interface GithubUser {
  login: string;
  id: number;
  name: string | null;
  /** Commits by this address are linked to the user (`author.login` in commit answers). */
  email: string | null;
}

/** Where the repositories live: the git server's bare repositories, so GitHub and git agree. */
export interface GithubRepoSource {
  /** The bare repository's directory, or null when there is no such repository. */
  find(owner: string, name: string): Promise<string | null>;
  /** What `git clone` takes (GitHub's `clone_url`). */
  cloneUrl(owner: string, name: string): string;
  /** GitHub's own branch move (a merge): announced like a push; false when the branch moved first. */
  updateBranch(
    owner: string,
    name: string,
    branch: string,
    update: { newSha: string; expectedOldSha: string },
  ): Promise<boolean>;
}

/** A token the simulator accepts. `scopes: null` is a fine-grained token, which GitHub answers without X-OAuth-Scopes. */
export interface GithubTokenSpec {
  token: string;
  login: string;
  id?: number;
  name?: string | null;
  email?: string | null;
  scopes?: string[] | null;
}

export interface GithubCredential {
  token: string;
  user: GithubUser;
  scopes: string[] | null;
}

export const defaultGithubTokens: GithubTokenSpec[] = [
  {
    token: 'ghp_simAda0123456789abcdefghijklmnopqrstu',
    login: 'ada',
    id: 1001,
    name: 'Ada Lovelace',
    email: 'ada@kars.example',
    scopes: ['repo', 'read:org'],
  },
  {
    token: 'ghp_simGrace123456789abcdefghijklmnopqrst',
    login: 'grace',
    id: 1002,
    name: 'Grace Hopper',
    email: 'grace@kars.example',
    scopes: ['read:user'],
  },
];

export class GithubState {
  readonly users = new Map<string, GithubUser>();
  private readonly credentials = new Map<string, GithubCredential>();
  /** GitHub Actions: a check suite per pushed head. */
  readonly ci: CiStore;
  /** Commit statuses posted through the API (not check runs). */
  readonly statuses: CommitStatuses;
  /** Deployments and their statuses, from the API and from GitHub Apps (Railway's). */
  readonly deployments: DeploymentStore;
  /** Branch protection rules; the git server reads them for direct pushes. */
  readonly protections = new BranchProtections();
  /** Pull requests and their reviews. */
  readonly pulls: PullStore;

  /** `repos` null: a GitHub with no repositories (every repository route answers 404). */
  constructor(
    tokens: GithubTokenSpec[],
    readonly repos: GithubRepoSource | null = null,
    ci: CiStoreOptions = { clock: new SimClock() },
  ) {
    tokens.forEach((spec, i) => this.addToken(spec, 1000 + i));
    this.ci = new CiStore(ci);
    this.statuses = new CommitStatuses(ci.clock);
    this.deployments = new DeploymentStore(ci.clock);
    this.pulls = new PullStore(ci.clock, this.protections);
  }

  addToken(spec: GithubTokenSpec, fallbackId = 1000 + this.credentials.size): void {
    const user = this.users.get(spec.login) ?? {
      login: spec.login,
      id: spec.id ?? fallbackId,
      name: spec.name ?? null,
      email: spec.email ?? null,
    };
    this.users.set(user.login, user);
    const scopes = spec.scopes === undefined ? ['repo', 'read:org'] : spec.scopes;
    this.credentials.set(spec.token, { token: spec.token, user, scopes });
  }

  credential(token: string): GithubCredential | undefined {
    return this.credentials.get(token);
  }

  userByEmail(email: string): GithubUser | undefined {
    const wanted = email.toLowerCase();
    return [...this.users.values()].find((u) => u.email?.toLowerCase() === wanted);
  }
}
