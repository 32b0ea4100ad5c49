// `railyard login railway|github` and `railyard logout`: hand a token to the daemon, which validates
// it upstream and stores it exactly as the editor's sign-in does; the CLI never keeps it.
import type { AuthStatus, CredentialStatus } from '../protocol/protocol';
import { openDaemon } from './daemonCommands';
import { CliError, print } from './output';
import { promptHidden, readPipedToken } from './tokenInput';

type Provider = 'railway' | 'github';

const NAMES: Record<Provider, string> = { railway: 'Railway', github: 'GitHub' };

/** Where each provider's token may wait in the environment, in the daemon's own order. */
const ENV_TOKENS: Record<Provider, { name: string; kind: TokenKind }[]> = {
  railway: [
    { name: 'RAILWAY_TOKEN', kind: 'project' },
    { name: 'RAILWAY_API_TOKEN', kind: 'account' },
  ],
  github: [
    { name: 'GITHUB_TOKEN', kind: 'auto' },
    { name: 'GH_TOKEN', kind: 'auto' },
  ],
};

/** How the daemon should try a Railway token: RAILWAY_TOKEN holds a project token, RAILWAY_API_TOKEN an account or workspace one. */
type TokenKind = 'auto' | 'account' | 'project';

interface FoundToken {
  token: string;
  from: string;
  kind: TokenKind;
}

export async function loginCommand(args: string[], flags: { json: boolean }): Promise<number> {
  const provider = providerOf(args[0], 'login');
  if (args.length > 1) throw refuseArgv(provider);
  const found = await findToken(provider);
  const client = await openDaemon();
  try {
    const status =
      provider === 'railway'
        ? await client.request('auth.setRailwayToken', { token: found.token, kind: found.kind })
        : await client.request('auth.setGithubToken', { token: found.token });
    print(flags.json, status, signedIn(provider, status, found.from));
    return 0;
  } finally {
    client.close();
  }
}

export async function logoutCommand(args: string[], flags: { json: boolean }): Promise<number> {
  const which = args[0] === undefined || args[0] === 'all' ? 'all' : providerOf(args[0], 'logout');
  if (args.length > 1) throw new CliError('Usage: railyard logout [railway|github|all]', 2);
  const client = await openDaemon();
  try {
    const status = await client.request('auth.signOut', { provider: which });
    print(flags.json, status, signedOut(which, status));
    return 0;
  } finally {
    client.close();
  }
}

/** Never quotes the argument: it may be a token typed in the wrong place. */
function providerOf(arg: string | undefined, command: 'login' | 'logout'): Provider {
  if (arg === 'railway' || arg === 'github') return arg;
  const choices = command === 'login' ? 'railway|github' : '[railway|github|all]';
  const hint = arg === undefined ? '' : ' (and never put a token on the command line: pipe it in)';
  throw new CliError(`Usage: railyard ${command} ${choices}${hint}`, 2);
}

function refuseArgv(provider: Provider): CliError {
  const variable = provider === 'railway' ? 'RAILWAY_API_TOKEN' : 'GH_TOKEN';
  return new CliError(
    `Refusing a token on the command line: other users can read it in the process list and your shell keeps it in its history (if it was a real token, revoke it). Pipe it in instead, e.g. \`printenv ${variable} | railyard login ${provider}\`, or run \`railyard login ${provider}\` in a terminal and paste it at the prompt.`,
    2,
  );
}

/** Piped standard input first, then the environment, then a prompt on the terminal. */
async function findToken(provider: Provider): Promise<FoundToken> {
  if (!process.stdin.isTTY) {
    const piped = await readPipedToken();
    if (piped) return { token: piped, from: 'standard input', kind: 'auto' };
  }
  for (const { name, kind } of ENV_TOKENS[provider]) {
    const token = process.env[name]?.trim();
    if (token) return { token, from: name, kind };
  }
  if (process.stdin.isTTY) {
    const typed = await promptHidden(`${NAMES[provider]} token (input hidden): `);
    if (typed) return { token: typed, from: 'the terminal', kind: 'auto' };
  }
  const names = ENV_TOKENS[provider].map((e) => e.name).join(' or ');
  throw new CliError(
    `No ${NAMES[provider]} token: pipe one in, set ${names}, or run this in a terminal to paste it.`,
    2,
  );
}

function signedIn(provider: Provider, s: CredentialStatus, from: string): string {
  const kind = s.tokenKind && s.tokenKind !== 'user' ? `, ${s.tokenKind} token` : '';
  const scopes = s.scopes?.length ? `, scopes ${s.scopes.join(', ')}` : '';
  return `Signed in to ${NAMES[provider]} as ${s.account ?? '?'}${kind}${scopes} (from ${from}); the Railyard daemon keeps the token.`;
}

/** Environment variables and the Railway CLI's login are not Railyard's to remove: say when one remains. */
function signedOut(which: Provider | 'all', status: AuthStatus): string {
  const providers: Provider[] = which === 'all' ? ['railway', 'github'] : [which];
  return providers
    .map((p) => {
      const s = status[p];
      return s.set
        ? `Signed out of ${NAMES[p]} in Railyard; still signed in through ${s.origin ?? s.source}, which Railyard does not remove.`
        : `Signed out of ${NAMES[p]}.`;
    })
    .join('\n');
}
