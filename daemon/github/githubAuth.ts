// Checks a GitHub token by asking who it belongs to and which OAuth scopes it carries.
import { success, type Outcome } from '../upstreamError';
import { GithubClient } from './githubClient';

export interface GithubTokenIdentity {
  login: string;
  /** From X-OAuth-Scopes; empty for fine-grained tokens, which GitHub does not describe by scopes. */
  scopes: string[];
}

export type GithubClientFactory = (token: string) => GithubClient;

/** `client` is a factory, or a base URL (default api.github.com) for which a plain client is made. */
export async function validateGithubToken(
  client: GithubClientFactory | string | undefined,
  token: string,
): Promise<Outcome<GithubTokenIdentity>> {
  const github =
    typeof client === 'function' ? client(token) : new GithubClient({ token, baseUrl: client });
  const answer = await github.get<{ login: string }>('/user');
  if (!answer.ok) return answer;
  return success({
    login: answer.value.data.login,
    scopes: parseScopes(answer.value.headers.get('x-oauth-scopes')),
  });
}

export function parseScopes(header: string | null): string[] {
  return (header ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
