// Sign in and out of Railway and GitHub: the tokens go straight to the daemon, which validates and
// keeps them; the extension only keeps the answer (signed in, as whom).
import * as vscode from 'vscode';
import type { AuthStatus } from '../protocol/protocol';
import { UPSTREAM_ANSWER_MS, type RpcClient } from '../client/rpcClient';
import type { DaemonConnection } from './daemonConnection';
import { setStepKey } from './walkthrough';

export class Accounts implements vscode.Disposable {
  private status: AuthStatus | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly connection: DaemonConnection,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(connection.onDidConnect((client) => void this.track(client)));
  }

  get current(): AuthStatus | undefined {
    return this.status;
  }

  async signInRailway(): Promise<void> {
    const client = this.requireClient();
    const token = await vscode.window.showInputBox({
      title: 'Sign in to Railway',
      prompt:
        "Paste a Railway account, workspace or project token (create one at railway.com/account/tokens). Railyard's daemon keeps it; VS Code does not.",
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Paste a token, or press Escape to cancel.'),
    });
    if (!token) return;
    const status = await client.request('auth.setRailwayToken', {
      token: token.trim(),
      kind: 'auto',
    });
    void vscode.window.showInformationMessage(
      `Signed in to Railway as ${status.account ?? 'unknown'} (${status.tokenKind ?? 'token'}).`,
    );
  }

  async signInGithub(): Promise<void> {
    const client = this.requireClient();
    const token = (await this.githubSessionToken()) ?? (await askGithubToken());
    if (!token) return;
    const status = await client.request('auth.setGithubToken', { token });
    void vscode.window.showInformationMessage(
      `Signed in to GitHub as ${status.account ?? 'unknown'}.`,
    );
  }

  async signOut(): Promise<void> {
    const client = this.requireClient();
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'Railway and GitHub', provider: 'all' as const },
        { label: 'Railway', provider: 'railway' as const },
        { label: 'GitHub', provider: 'github' as const },
      ],
      {
        title: 'Sign out of',
        placeHolder:
          'Railyard forgets the tokens it stored; environment variables and the Railway CLI login stay.',
      },
    );
    if (pick) await client.request('auth.signOut', { provider: pick.provider });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private async track(client: RpcClient): Promise<void> {
    client.onNotification('auth.changed', (status) => void this.apply(status));
    try {
      // It waits for Railway to check the token: as long as the watch's first answer may.
      await this.apply(await client.request('auth.status', {}, { timeoutMs: UPSTREAM_ANSWER_MS }));
    } catch (e) {
      this.log.warn(
        `Reading credential status failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  private async apply(status: AuthStatus): Promise<void> {
    this.status = status;
    this.log.info(
      `Credentials: Railway ${describe(status.railway)}, GitHub ${describe(status.github)}`,
    );
    const railway = status.railway.set && status.railway.valid !== false;
    await setStepKey('railyard.railwaySignedIn', railway);
    // Unset until the daemon answers, unlike the key above: the view says "Reading…" till then.
    await setRailwayAccount(railway ? 'signed-in' : 'signed-out');
    // The walkthrough's GitHub step checks itself off on this key.
    await setStepKey('railyard.githubSignedIn', status.github.set && status.github.valid !== false);
  }

  /** VS Code's own GitHub sign-in where the editor has one (desktop); code-server may not. */
  private async githubSessionToken(): Promise<string | undefined> {
    try {
      const session = await vscode.authentication.getSession('github', ['repo'], {
        createIfNone: true,
      });
      return session.accessToken;
    } catch (e) {
      this.log.info(
        `VS Code's GitHub sign-in is not available here (${e instanceof Error ? e.message : String(e)}); asking for a token`,
      );
      return undefined;
    }
  }

  private requireClient(): RpcClient {
    const client = this.connection.client;
    if (!client)
      throw new Error(
        'The Railyard daemon is not connected yet; try again in a moment or run "Railyard: Restart Daemon".',
      );
    return client;
  }
}

async function askGithubToken(): Promise<string | undefined> {
  const token = await vscode.window.showInputBox({
    title: 'Sign in to GitHub',
    prompt:
      'Paste a GitHub token with the "repo" scope. Railyard\'s daemon keeps it; VS Code does not.',
    password: true,
    ignoreFocusOut: true,
  });
  return token?.trim() || undefined;
}

function describe(c: AuthStatus['railway']): string {
  if (!c.set) return 'not signed in';
  if (c.valid === false) return `invalid (${c.problem ?? ''})`;
  if (c.problem) return `not checked (${c.problem})`;
  return `${c.account ?? '?'} from ${c.origin ?? c.source}`;
}

/**
 * The Railway account as the daemon last said: the welcome views need three states (unknown until
 * it answers), which a boolean key cannot give, since `key == false` also holds for an unset key.
 */
export async function setRailwayAccount(state: 'signed-in' | 'signed-out'): Promise<void> {
  await vscode.commands.executeCommand('setContext', 'railyard.railway', state);
}
