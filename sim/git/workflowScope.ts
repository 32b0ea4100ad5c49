// GitHub refuses a push that creates or updates a workflow file unless the token has the
// `workflow` scope; this is the git server's side of that rule (receiveGuard.ts routes such pushes
// through the proc-receive hook, which answers each ref with GitHub's own words).

/** OAuth scopes per token, as the GitHub simulator knows them; null: a fine-grained token. */
export type TokenScopes = ReadonlyMap<string, readonly string[] | null>;

/** GitHub names the kind of credential in its refusal: OAuth tokens start `gho_`. */
export function tokenKind(token: string): 'oauth' | 'pat' {
  return token.startsWith('gho_') ? 'oauth' : 'pat';
}

/** A token is restricted when its scopes are known and lack `workflow` (fine-grained ones are not described by scopes). */
export function lacksWorkflowScope(scopes: TokenScopes, token: string): boolean {
  const known = scopes.get(token);
  return known !== undefined && known !== null && !known.includes('workflow');
}
