// Keeps the tree and the production status bar item fed: watches the workspace's project through
// the daemon, and watches again after every reconnect so the views recover by themselves.
import * as vscode from 'vscode';
import { RpcError } from '../protocol/jsonrpc';
import {
  ErrorCode,
  folderContextOf,
  type FolderContext,
  type ProjectView,
} from '../protocol/protocol';
import { UPSTREAM_ANSWER_MS, type RpcClient } from '../client/rpcClient';
import type { DaemonConnection } from './daemonConnection';
import type { EnvironmentsTree } from './environmentsTree';
import { showError } from './errorDisplay';
import { productionSummary } from './treeModel';
import { setRailwayAccount } from './accounts';
import { setStepKey } from './walkthrough';

export class EnvironmentsWatch implements vscode.Disposable {
  private watchId: string | undefined;
  /** Whether the folder was trusted when it was watched: the views that follow were read so. */
  private watchedTrusted = true;
  private current: ProjectView | undefined;
  /** The start under way, which a Refresh waits for rather than start another. */
  private starting: Promise<void> | undefined;
  private read = false;
  /** Counts starts, so one superseded by a newer start drops its watch. */
  private generation = 0;

  /** The view shown now. */
  get view(): ProjectView | undefined {
    return this.current;
  }
  private readonly early = new Map<string, ProjectView>();
  private readonly listening = new WeakSet<RpcClient>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly prodItem = vscode.window.createStatusBarItem(
    'railyard.production',
    vscode.StatusBarAlignment.Left,
    9,
  );
  private readonly changedEmitter = new vscode.EventEmitter<ProjectView>();
  /** Fires with every new view (tests and other views listen). */
  readonly onDidChange = this.changedEmitter.event;
  private readonly refreshEmitter = new vscode.EventEmitter<void>();
  /** Fires when a refresh is asked for (railyard.refresh), so the views beside the tree refresh too. */
  readonly onDidRequestRefresh = this.refreshEmitter.event;

  constructor(
    private readonly connection: DaemonConnection,
    private readonly tree: EnvironmentsTree,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.prodItem.name = 'Railyard Production';
    this.prodItem.command = 'railyard.environments.focus';
    this.disposables.push(
      connection.onDidConnect((c) => void this.start(c)),
      this.prodItem,
      this.changedEmitter,
      this.refreshEmitter,
    );
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(
        () => connection.client && void this.start(connection.client),
      ),
      // Trusted now: the daemon reads the rest of railyard.json (health URLs, protection, promotions).
      vscode.workspace.onDidGrantWorkspaceTrust(
        () => connection.client && void this.start(connection.client),
      ),
    );
  }

  /**
   * The folder whose project the tree shows (the first workspace folder), with the workspace's
   * trust and this window's project link, which the daemon does not take from its own environment.
   */
  folder(): FolderContext | undefined {
    const path = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return path ? folderContextOf(path, vscode.workspace.isTrusted) : undefined;
  }

  async refresh(): Promise<void> {
    this.refreshEmitter.fire();
    const client = this.connection.client;
    if (!client) return;
    // No watch yet: one is starting (it answers when Railway does), or its start failed.
    if (!this.watchId) return this.starting ?? this.start(client);
    try {
      this.offer(
        await client.request(
          'environments.refresh',
          { watchId: this.watchId },
          { timeoutMs: UPSTREAM_ANSWER_MS },
        ),
      );
    } catch (e) {
      // The daemon no longer knows the watch (it restarted under us): watching again refreshes.
      if (!(e instanceof RpcError && e.code === ErrorCode.NotFound)) throw e;
      await this.start(client);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** Whether the newest start's watch has answered: till then the view may be another folder's. */
  get projectRead(): boolean {
    return this.read;
  }

  private start(client: RpcClient): Promise<void> {
    const started = this.watch(client).finally(() => {
      if (this.starting === started) this.starting = undefined;
    });
    this.starting = started;
    return started;
  }

  private async watch(client: RpcClient): Promise<void> {
    // A reconnect, a folder change and a trust grant can overlap: only the newest start counts.
    const generation = ++this.generation;
    this.read = false;
    const folder = this.folder();
    if (!folder) {
      return this.apply({
        state: 'no-project',
        message: 'Open a folder to see its Railway project.',
        environments: [],
      });
    }
    this.listen(client);
    try {
      const previous = this.watchId;
      this.watchId = undefined;
      if (previous)
        await client.request('environments.unwatch', { watchId: previous }).catch(() => undefined);
      const { watchId, view } = await client.request(
        'environments.watch',
        { folder },
        { timeoutMs: UPSTREAM_ANSWER_MS },
      );
      if (generation !== this.generation) {
        // Superseded while it was answered: its watch would poll for nobody.
        await client.request('environments.unwatch', { watchId }).catch(() => undefined);
        return;
      }
      this.watchId = watchId;
      this.watchedTrusted = folder.trusted;
      // Notifications can arrive in the same read as the answer, before we knew our watch id.
      const early = this.early.get(watchId);
      this.early.clear();
      this.current = undefined;
      this.read = true;
      this.offer(view);
      if (early) this.offer(early);
    } catch (e) {
      if (generation === this.generation) this.failed(e);
    }
  }

  /** The tree says why, rather than "Reading…" for good; Refresh watches again. */
  private failed(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.current = undefined;
    this.read = true;
    this.offer({
      state: 'error',
      message: `${message} Refresh to try again.`,
      environments: [],
    });
    void showError(
      e,
      { log: this.log, folder: () => this.folder() },
      { context: 'Watching the project failed', onlyIfActionable: true },
    );
  }

  /** One listener per connection; views for a watch id not yet known are kept until it is. */
  private listen(client: RpcClient): void {
    if (this.listening.has(client)) return;
    this.listening.add(client);
    client.onNotification('environments.changed', (n) => {
      if (n.watchId === this.watchId) return this.offer(n.view);
      const kept = this.early.get(n.watchId);
      if (!kept || (n.view.revision ?? 0) >= (kept.revision ?? 0))
        this.early.set(n.watchId, n.view);
    });
  }

  /** Applies a view unless an equal or newer revision is already shown. */
  private offer(view: ProjectView): void {
    if (
      this.current?.revision !== undefined &&
      view.revision !== undefined &&
      view.revision <= this.current.revision
    )
      return;
    this.current = view;
    this.apply(view);
  }

  private apply(view: ProjectView): void {
    this.tree.show(view, this.watchedTrusted);
    void setStepKey('railyard.projectLinked', view.state !== 'no-project');
    void vscode.commands.executeCommand('setContext', 'railyard.project', view.state);
    if (view.state === 'signed-out') {
      void setStepKey('railyard.railwaySignedIn', false);
      void setRailwayAccount('signed-out');
    }
    this.renderProduction(view);
    this.changedEmitter.fire(view);
  }

  private renderProduction(view: ProjectView): void {
    const summary = view.state === 'ready' ? productionSummary(view.environments) : undefined;
    if (!summary) return this.prodItem.hide();
    const icon = {
      deploying: '$(sync~spin)',
      healthy: '$(pass-filled)',
      failed: '$(error)',
      unknown: '$(rocket)',
    }[summary.state];
    this.prodItem.text = `${icon} ${summary.text}`;
    this.prodItem.accessibilityInformation = { label: `Railway ${summary.text}` };
    this.prodItem.backgroundColor =
      summary.state === 'failed'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : undefined;
    this.prodItem.tooltip = `Railway production (${view.project?.name ?? ''}): ${summary.text}. Click to show the environments.`;
    this.prodItem.show();
  }
}
