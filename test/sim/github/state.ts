// The GitHub simulator's in-memory world: users and their tokens now; repositories, checks and pulls as issues need them.

export interface GithubUser {
  login: string;
  id: number;
  name: string | null;
}

/** A token the simulator accepts. `scopes: null` is a fine-grained token, which GitHub answers without X-OAuth-Scopes. */
export interface GithubTokenSpec {
  token: string;
  login: string;
  id?: number;
  name?: string | null;
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
    scopes: ['repo', 'read:org'],
  },
  {
    token: 'ghp_simGrace123456789abcdefghijklmnopqrst',
    login: 'grace',
    id: 1002,
    name: 'Grace Hopper',
    scopes: ['read:user'],
  },
];

export class GithubState {
  readonly users = new Map<string, GithubUser>();
  private readonly credentials = new Map<string, GithubCredential>();

  constructor(tokens: GithubTokenSpec[]) {
    tokens.forEach((spec, i) => this.addToken(spec, 1000 + i));
  }

  addToken(spec: GithubTokenSpec, fallbackId = 1000 + this.credentials.size): void {
    const user = this.users.get(spec.login) ?? {
      login: spec.login,
      id: spec.id ?? fallbackId,
      name: spec.name ?? null,
    };
    this.users.set(user.login, user);
    const scopes = spec.scopes === undefined ? ['repo', 'read:org'] : spec.scopes;
    this.credentials.set(spec.token, { token: spec.token, user, scopes });
  }

  credential(token: string): GithubCredential | undefined {
    return this.credentials.get(token);
  }
}
