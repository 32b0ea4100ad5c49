// The daemon's single door to GitHub: one client per token, and the compare call that tells how
// far a promotion source branch is ahead of (and behind) its target.
import type { EnvironmentView } from '../../protocol/protocol';
import type { FoundToken } from '../credentials/credentialSources';
import type { PromotionCounts } from '../environments/environmentViews';
import { GithubClient } from './githubClient';

interface Compare {
  ahead_by: number;
  behind_by: number;
}

export class GithubAccess {
  private readonly clients = new Map<string, GithubClient>();

  constructor(
    private readonly baseUrl: string,
    private readonly currentToken: () => FoundToken | undefined,
  ) {}

  client(): GithubClient | undefined {
    const found = this.currentToken();
    return found ? this.clientFor(found.token) : undefined;
  }

  clientFor(token: string): GithubClient {
    let client = this.clients.get(token);
    if (!client) {
      client = new GithubClient({ token, baseUrl: this.baseUrl });
      this.clients.set(token, client);
    }
    return client;
  }

  /** Ahead/behind per promotion source, from GitHub's compare; pairs it cannot compare are left out. */
  async promotionCounts(envs: EnvironmentView[]): Promise<PromotionCounts> {
    const counts: PromotionCounts = new Map();
    const client = this.client();
    if (!client) return counts;
    const byName = new Map(envs.map((e) => [e.name, e]));
    await Promise.all(
      envs.map(async (source) => {
        const target = source.promotion ? byName.get(source.promotion.to) : undefined;
        const repo = source.repo ?? target?.repo;
        if (!target?.branch || !source.branch || !repo) return;
        const path = `/repos/${repo}/compare/${encodeURIComponent(target.branch)}...${encodeURIComponent(source.branch)}`;
        const answer = await client.get<Compare>(path);
        if (answer.ok)
          counts.set(source.name, {
            ahead: answer.value.data.ahead_by,
            behind: answer.value.data.behind_by,
          });
      }),
    );
    return counts;
  }
}
