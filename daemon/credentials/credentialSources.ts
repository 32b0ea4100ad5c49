// Where the daemon finds each credential, in order: what the user stored in Railyard, then the
// environment and the Railway CLI's login, in the Railway CLI's own precedence.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StoredCredentials } from './credentialStore';

export type RailwayTokenKind = 'account' | 'workspace' | 'project';

export interface FoundToken {
  token: string;
  source: 'stored' | 'env' | 'railway-cli';
  origin: string;
  /** How to send it: project tokens as Project-Access-Token, the rest as Bearer. */
  kind: 'auto' | 'account' | 'project';
}

export function railwayConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.HOME ?? os.homedir(), '.railway', 'config.json');
}

export function findRailwayToken(
  stored: StoredCredentials,
  env: NodeJS.ProcessEnv = process.env,
): FoundToken | undefined {
  if (stored.railway) {
    const kind = stored.railway.tokenKind === 'project' ? 'project' : 'account';
    return { token: stored.railway.token, source: 'stored', origin: 'Railyard', kind };
  }
  if (env.RAILWAY_TOKEN)
    return { token: env.RAILWAY_TOKEN, source: 'env', origin: 'RAILWAY_TOKEN', kind: 'project' };
  if (env.RAILWAY_API_TOKEN)
    return {
      token: env.RAILWAY_API_TOKEN,
      source: 'env',
      origin: 'RAILWAY_API_TOKEN',
      kind: 'account',
    };
  const cli = readRailwayCliLogin(railwayConfigPath(env));
  return cli
    ? { token: cli, source: 'railway-cli', origin: '~/.railway/config.json', kind: 'account' }
    : undefined;
}

export function findGithubToken(
  stored: StoredCredentials,
  env: NodeJS.ProcessEnv = process.env,
): FoundToken | undefined {
  if (stored.github)
    return { token: stored.github.token, source: 'stored', origin: 'Railyard', kind: 'account' };
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN'] as const) {
    const token = env[name];
    if (token) return { token, source: 'env', origin: name, kind: 'account' };
  }
  return undefined;
}

/**
 * The Railway CLI's access token, read only: refresh tokens rotate and reuse revokes the whole
 * login, so Railyard never refreshes it; an expired one reads as absent.
 */
export function readRailwayCliLogin(
  file: string,
  nowSeconds = Date.now() / 1000,
): string | undefined {
  let config: unknown;
  try {
    config = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const user = (config as { user?: Record<string, unknown> } | null)?.user;
  if (!user) return undefined;
  const expires = typeof user.tokenExpiresAt === 'number' ? user.tokenExpiresAt : undefined;
  if (typeof user.accessToken === 'string' && user.accessToken) {
    return expires !== undefined && expires <= nowSeconds ? undefined : user.accessToken;
  }
  return typeof user.token === 'string' && user.token ? user.token : undefined;
}
