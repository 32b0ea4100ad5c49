// Token checks for the git server, shaped like GitHub's: Basic with the token as password (or username), or Bearer.
import { createHash, timingSafeEqual } from 'node:crypto';

/** Who a request authenticated as, or why it did not. */
export type AuthOutcome =
  | { kind: 'ok'; user: string; token: string }
  | { kind: 'missing' }
  | { kind: 'bad'; scheme: string };

/** The token a header carries and the username git sent with it (GitHub ignores the username). */
function credentialsOf(header: string): { scheme: string; user: string; token: string } | null {
  const space = header.indexOf(' ');
  if (space < 0) return null;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer' || scheme === 'token') return { scheme, user: 'bearer', token: value };
  if (scheme !== 'basic') return { scheme, user: '', token: '' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  // `https://<token>@github.com` sends the token as the username with an empty or x-oauth-basic password.
  const tokenAsUser = password === '' || password === 'x-oauth-basic';
  return { scheme, user, token: tokenAsUser ? user : password };
}

/** Compares digests so the check takes the same time whatever prefix of a token matches. */
function sameToken(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function authenticate(header: string | undefined, tokens: Iterable<string>): AuthOutcome {
  if (header === undefined || header.trim() === '') return { kind: 'missing' };
  const creds = credentialsOf(header);
  if (creds === null || creds.token === '') return { kind: 'bad', scheme: creds?.scheme ?? '' };
  let found = false;
  for (const token of tokens) found = sameToken(creds.token, token) || found;
  return found
    ? { kind: 'ok', user: creds.user || 'token', token: creds.token }
    : { kind: 'bad', scheme: creds.scheme };
}

/** The value of a Basic Authorization header as GitHub expects it from git: `x-access-token:<token>`. */
export function basicAuthHeader(token: string, user = 'x-access-token'): string {
  return `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
}
