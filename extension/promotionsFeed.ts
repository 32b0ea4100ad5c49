// This window's promotions, kept current for the Promotions view, the in-flight status bar item and
// the notifications alike: `promotion.list` for the folder on every connect and refresh, then every
// `promotion.changed` the daemon broadcasts to all its clients (so a promotion started from the CLI
// or another window shows here too). One list request serves the three.
import * as vscode from 'vscode';
import type { FolderContext, PromotionRecord, TeamPromotion } from '../protocol/protocol';
import type { RpcClient } from '../client/rpcClient';
import { ConnectionListener } from './connectionListener';
import type { DaemonConnection } from './daemonConnection';
import { sameFolder, supersedes } from './promotionsModel';

/** How many of the folder's promotions (and the team's) the list asks for: a week's work. */
const LIST_LIMIT = 50;

/** A record of this folder as it was known before (none on first sight) and as it is now. */
export interface RecordChange {
  previous: PromotionRecord | undefined;
  record: PromotionRecord;
}

export class PromotionsFeed implements vscode.Disposable {
  private readonly own = new Map<string, PromotionRecord>();
  private teamValue: TeamPromotion[] = [];
  private problemValue: string | undefined;
  private listedValue = false;
  private teamListedValue = false;
  private loading: Promise<void> | undefined;
  /** A refresh asked for while one was under way: it runs once more when that one ends. */
  private again = false;
  private readonly listener = new ConnectionListener<RpcClient>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly recordChanged = new vscode.EventEmitter<RecordChange>();
  private readonly teamChanged = new vscode.EventEmitter<TeamPromotion[]>();
  /** Fires when anything shown may have changed: records, the team's list, the connection. */
  readonly onDidChange = this.changed.event;
  /** Fires with each record of this folder that was accepted (a newer or equal revision). */
  readonly onDidChangeRecord = this.recordChanged.event;
  /** Fires with the team's promotions each time a list brings them. */
  readonly onDidChangeTeam = this.teamChanged.event;
  private readonly disposables: vscode.Disposable[];

  /**
   * @param projectRead whether the folder's project has been read: the team's promotions come from
   * its repository, which the daemon would wait for Railway to name, holding up this daemon's own.
   */
  constructor(
    private readonly connection: DaemonConnection,
    private readonly folder: () => FolderContext | undefined,
    private readonly projectRead: () => boolean,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables = [
      this.changed,
      this.recordChanged,
      this.teamChanged,
      connection.onDidConnect((client) => {
        this.listen(client);
        void this.refresh();
      }),
      connection.onDidChangeState(() => this.changed.fire()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset()),
    ];
    if (connection.client) {
      this.listen(connection.client);
      void this.refresh();
    }
  }

  get connected(): boolean {
    return this.connection.client !== undefined;
  }

  /** This folder's records, in no particular order. */
  records(): PromotionRecord[] {
    return [...this.own.values()];
  }

  /** Teammates' promotions from the last list (GitHub Deployments made by other daemons). */
  team(): TeamPromotion[] {
    return this.teamValue;
  }

  /** Whether the daemon has answered a list for this folder yet. */
  get listed(): boolean {
    return this.listedValue;
  }

  /** Whether the last list that answered brought the team's promotions too. */
  get teamListed(): boolean {
    return this.teamListedValue;
  }

  /** Why the last list failed, until one succeeds. */
  get problem(): string | undefined {
    return this.problemValue;
  }

  /** Lists again; calls during a list coalesce into one more list after it. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.listUntilSettled().finally(() => (this.loading = undefined));
    return this.loading;
  }

  dispose(): void {
    this.listener.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private async listUntilSettled(): Promise<void> {
    do {
      this.again = false;
      await this.list();
    } while (this.again);
  }

  private async list(): Promise<void> {
    const client = this.connection.client;
    const folder = this.folder();
    if (!client || !folder) return;
    const team = this.projectRead();
    try {
      const answer = await client.request('promotion.list', { folder, limit: LIST_LIMIT, team });
      this.problemValue = undefined;
      this.listedValue = true;
      this.teamListedValue = team;
      for (const r of answer.promotions) this.offer(r);
      if (team) {
        this.teamValue = answer.team;
        this.teamChanged.fire(answer.team);
      }
    } catch (e) {
      this.problemValue = e instanceof Error ? e.message : String(e);
      this.log.warn(`Listing promotions failed: ${this.problemValue}`);
    }
    this.changed.fire();
  }

  /** One listener, on the current connection only: the broadcast carries the whole record. */
  private listen(client: RpcClient): void {
    this.listener.attach(client, (c) =>
      c.onNotification('promotion.changed', ({ promotion }) => {
        if (this.offer(promotion)) this.changed.fire();
      }),
    );
  }

  /**
   * Keeps a record of this folder unless a newer one is known (a list answer can arrive after
   * the broadcasts it predates); says whether it kept it.
   */
  private offer(record: PromotionRecord): boolean {
    const folder = this.folder();
    if (!folder || !sameFolder(record.folder, folder.path)) return false;
    const previous = this.own.get(record.id);
    if (!supersedes(previous, record)) return false;
    this.own.set(record.id, record);
    this.recordChanged.fire({ previous, record });
    return true;
  }

  /** Another folder: its records are another list (and none of them is news). */
  private reset(): void {
    this.own.clear();
    this.teamValue = [];
    this.listedValue = false;
    this.changed.fire();
    void this.refresh();
  }
}
