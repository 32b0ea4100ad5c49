// Which pushes the git server routes through its proc-receive hook (hooks/receiveGuard.cjs), and
// the environment that does it: those by a token without the `workflow` scope, and those to a
// protected branch. Every other push stays on receive-pack's ordinary path, untouched.
import * as crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { lacksWorkflowScope, tokenKind, type TokenScopes } from './workflowScope';

const HOOKS_DIR = path.join(__dirname, 'hooks');

/** Where the hook posts each update to a protected branch for the server's verdict. */
export const GUARD_PATH = '/_railyard/push-guard/';

/** GitHub's protection rules as the git server needs them (the GitHub simulator provides them). */
export interface PushGuard {
  /** The protected branches of `owner/name`: pushes to these go through the hook. */
  protectedBranches(owner: string, name: string): string[];
  /**
   * What GitHub prints refusing this direct push (the lines git shows after `remote: `), or null
   * when the push may go through.
   */
  refusal(push: GuardedPush): Promise<string[] | null>;
}

export interface GuardedPush {
  owner: string;
  name: string;
  branch: string;
  before: string;
  after: string;
}

export interface GuardInput {
  scopes: TokenScopes;
  token: string;
  /** Protected branches of the repository pushed to. */
  protectedBranches: readonly string[];
  /** The URL the hook posts protected updates to; see guardCallback. */
  callbackUrl: string;
}

/**
 * The environment for http-backend (receive-pack and its hooks inherit it): git's own config
 * through GIT_CONFIG_COUNT, so no repository on disk is changed. procReceiveRefs takes prefixes:
 * every branch for a token lacking `workflow`, otherwise the protected branches only.
 */
export function receiveGuardEnv(input: GuardInput): NodeJS.ProcessEnv {
  const workflow = lacksWorkflowScope(input.scopes, input.token);
  const prefixes = workflow
    ? ['refs/heads/']
    : input.protectedBranches.map((branch) => `refs/heads/${branch}`);
  if (prefixes.length === 0) return {};
  const config = [
    ['core.hooksPath', HOOKS_DIR],
    ...prefixes.map((p) => ['receive.procReceiveRefs', p]),
  ];
  const env: NodeJS.ProcessEnv = {
    GIT_CONFIG_COUNT: String(config.length),
    RAILYARD_SIM_NODE: process.execPath,
    RAILYARD_SIM_TOKEN_KIND: tokenKind(input.token),
    RAILYARD_SIM_WORKFLOW_GUARD: workflow ? '1' : '0',
    RAILYARD_SIM_PROTECTED: input.protectedBranches.join('\n'),
    RAILYARD_SIM_GUARD_URL: input.callbackUrl,
  };
  config.forEach(([key = '', value = ''], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** One push's callback secret, naming the repository, so a hook can only ask about its own push. */
export class GuardCallbacks {
  private readonly open = new Map<string, { owner: string; name: string }>();

  /** A fresh callback path for one push; `done` forgets it. */
  issue(owner: string, name: string): { path: string; done: () => void } {
    const secret = crypto.randomBytes(16).toString('hex');
    this.open.set(secret, { owner, name });
    return { path: `${GUARD_PATH}${secret}`, done: () => this.open.delete(secret) };
  }

  /** The repository a callback path was issued for, or undefined for an unknown or spent one. */
  lookup(pathname: string): { owner: string; name: string } | undefined {
    if (!pathname.startsWith(GUARD_PATH)) return undefined;
    return this.open.get(pathname.slice(GUARD_PATH.length));
  }
}

/** Answers the hook's POST: `{ refusal: string[] | null }`; 404 for a path no push was issued. */
export async function answerGuard(
  req: IncomingMessage,
  res: ServerResponse,
  callbacks: GuardCallbacks,
  guard: PushGuard | null,
): Promise<void> {
  const repo = callbacks.lookup(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  if (!repo || req.method !== 'POST') {
    res.writeHead(404).end();
    return;
  }
  const asked = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<GuardedPush>;
  const push = {
    ...repo,
    branch: String(asked.branch),
    before: String(asked.before),
    after: String(asked.after),
  };
  const refusal = guard ? await guard.refusal(push) : null;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ refusal }));
}
