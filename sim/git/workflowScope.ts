// GitHub refuses a push that creates or updates a workflow file unless the token has the
// `workflow` scope; this is the git server's side of that rule. Pushes by such a token are routed
// through git's proc-receive hook (hooks/workflowScope.cjs), which answers each ref with GitHub's
// own words; other pushes take git's ordinary path untouched.
import * as path from 'node:path';

/** OAuth scopes per token, as the GitHub simulator knows them; null: a fine-grained token. */
export type TokenScopes = ReadonlyMap<string, readonly string[] | null>;

const HOOKS_DIR = path.join(__dirname, 'hooks');

/** GitHub names the kind of credential in its refusal: OAuth tokens start `gho_`. */
function tokenKind(token: string): 'oauth' | 'pat' {
  return token.startsWith('gho_') ? 'oauth' : 'pat';
}

/** A token is restricted when its scopes are known and lack `workflow` (fine-grained ones are not described by scopes). */
export function lacksWorkflowScope(scopes: TokenScopes, token: string): boolean {
  const known = scopes.get(token);
  return known !== undefined && known !== null && !known.includes('workflow');
}

/**
 * The environment for http-backend (receive-pack and its hooks inherit it): git's own config
 * through GIT_CONFIG_COUNT, so no repository on disk is changed and unrestricted pushes stay on
 * receive-pack's ordinary path.
 */
export function workflowGuardEnv(scopes: TokenScopes, token: string): NodeJS.ProcessEnv {
  if (!lacksWorkflowScope(scopes, token)) return {};
  return {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'receive.procReceiveRefs',
    GIT_CONFIG_VALUE_0: 'refs/heads/',
    GIT_CONFIG_KEY_1: 'core.hooksPath',
    GIT_CONFIG_VALUE_1: HOOKS_DIR,
    RAILYARD_SIM_NODE: process.execPath,
    RAILYARD_SIM_TOKEN_KIND: tokenKind(token),
  };
}
