// The checklist panels: one WebviewPanel per promotion (revealed when it is open already), fed by
// the daemon's `promotion.changed` broadcasts, re-read after every reconnect, re-drawn when the
// workspace is trusted or the daemon comes and goes, and restored after a window reload.
import * as vscode from 'vscode';
import type { RpcClient } from '../client/rpcClient';
import { LogStreams } from '../client/streamRouter';
import { panelMemento, PANEL_VIEW_TYPE, type ToPanel } from '../protocol/panel';
import type { PromotionRecord, TeamPromotion } from '../protocol/protocol';
import type { Accounts } from './accounts';
import { ConnectionListener } from './connectionListener';
import type { DaemonConnection } from './daemonConnection';
import type { EnvironmentsWatch } from './environmentsWatch';
import type { LogTailer } from './logTailer';
import {
  openEarlyPanel,
  PanelHost,
  subjectKey,
  webviewOptions,
  type EarlyPanel,
  type PanelHostDeps,
  type PanelSubject,
} from './panelHost';
import { recordTitle, teamTitle, teamUpdate } from './panelHostModel';
import type { RenderedMessage } from './panelRelay';

export interface PanelsDeps {
  extensionUri: vscode.Uri;
  connection: DaemonConnection;
  watch: EnvironmentsWatch;
  tailer: LogTailer;
  accounts: Accounts;
  log: vscode.LogOutputChannel;
}

/** What the test API tells of a panel. */
export type PanelInfo = PanelHost['info'];
export interface PanelEvent<T> {
  id?: string;
  team?: number;
  message: T;
}

export class PromotionPanels implements vscode.Disposable {
  private readonly hosts = new Map<string, PanelHost>();
  private streams: LogStreams | undefined;
  private readonly listener = new ConnectionListener<RpcClient>();
  private readonly violations: string[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly renderEmitter = new vscode.EventEmitter<PanelEvent<RenderedMessage>>();
  private readonly postEmitter = new vscode.EventEmitter<PanelEvent<ToPanel>>();
  /** The page drew a state (tests and the paint benchmark wait on it). */
  readonly onDidRender = this.renderEmitter.event;
  /** A message went to a page (tests read the relay's answers). */
  readonly onDidPost = this.postEmitter.event;

  constructor(private readonly deps: PanelsDeps) {
    const { connection } = deps;
    this.disposables.push(
      this.renderEmitter,
      this.postEmitter,
      connection.onDidConnect((client) => void this.connected(client)),
      // Connected or not decides whether a panel only shows: every panel says so at once.
      connection.onDidChangeState(() => this.redraw()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.redraw()),
    );
    if (connection.client) void this.connected(connection.client);
  }

  /** Shows one of this daemon's promotions, read from the daemon. */
  async openId(id: string): Promise<PanelHost> {
    const client = this.requireClient();
    return this.show(await client.request('promotion.get', { id }));
  }

  /** Shows a record in its panel: the open one revealed, else a new one. */
  show(record: PromotionRecord, early?: EarlyPanel): PanelHost {
    const subject: PanelSubject = { kind: 'own', id: record.id };
    const open = this.hosts.get(subjectKey(subject));
    // Already shown elsewhere: the panel opened early is not needed.
    if (open) early?.panel.dispose();
    const host = open ?? this.create(subject, recordTitle(record), undefined, early);
    host.showRecord(record);
    host.reveal();
    return host;
  }

  /** Shows a teammate's promotion, read-only. */
  showTeam(team: TeamPromotion): PanelHost {
    const subject: PanelSubject = {
      kind: 'team',
      deploymentId: team.deploymentId,
      repo: team.repo,
    };
    const host = this.hosts.get(subjectKey(subject)) ?? this.create(subject, teamTitle(team));
    host.showTeam(team);
    host.reveal();
    return host;
  }

  /**
   * The team's promotions as the Promotions feed listed them anew: each open teammate's panel shows
   * its entry as it is now (without being revealed), so it does not stay as it was when opened.
   */
  updateTeam(team: readonly TeamPromotion[]): void {
    for (const host of this.hosts.values()) {
      if (host.subject.kind !== 'team') continue;
      const entry = teamUpdate(team, host.subject, host.team());
      if (entry) host.showTeam(entry);
    }
  }

  /** The panel of one of this daemon's promotions, if it is open. */
  find(id: string): PanelHost | undefined {
    return this.hosts.get(subjectKey({ kind: 'own', id }));
  }

  panels(): PanelInfo[] {
    return [...this.hosts.values()].map((h) => h.info);
  }

  cspViolations(): string[] {
    return [...this.violations];
  }

  dispose(): void {
    for (const h of [...this.hosts.values()]) h.dispose();
    for (const d of this.disposables) d.dispose();
    this.listener.dispose();
    this.streams?.dispose();
  }

  /** A panel opened now, its page loading while the daemon plans; `show` hands it its promotion. */
  openEarly(title: string): EarlyPanel {
    return openEarlyPanel(title, this.deps.extensionUri);
  }

  private create(
    subject: PanelSubject,
    title: string,
    restored?: vscode.WebviewPanel,
    early?: EarlyPanel,
  ): PanelHost {
    const panel =
      early?.panel ??
      restored ??
      vscode.window.createWebviewPanel(
        PANEL_VIEW_TYPE,
        title,
        vscode.ViewColumn.Active,
        webviewOptions(this.deps.extensionUri),
      );
    if (restored ?? early) panel.title = title;
    const host = new PanelHost(panel, subject, this.hostDeps(), early);
    const key = host.key;
    this.hosts.set(key, host);
    host.onDidDispose(() => {
      if (this.hosts.get(key) === host) this.hosts.delete(key);
    });
    return host;
  }

  private hostDeps(): PanelHostDeps {
    const { deps } = this;
    return {
      extensionUri: deps.extensionUri,
      connection: deps.connection,
      tailer: deps.tailer,
      log: deps.log,
      folder: () => deps.watch.folder(),
      login: () => githubLogin(deps.accounts),
      // Only the current connection's: a closed one's would fail every subscribe.
      streams: () =>
        this.streams && this.streams.client === deps.connection.client ? this.streams : undefined,
      open: (record: PromotionRecord) => {
        this.show(record);
        return Promise.resolve();
      },
      rendered: (host: PanelHost, message: RenderedMessage) =>
        this.renderEmitter.fire({ ...idsOf(host), message }),
      posted: (host: PanelHost, message: ToPanel) =>
        this.postEmitter.fire({ ...idsOf(host), message }),
      cspViolation: (_host: PanelHost, text: string) => void this.violations.push(text),
    };
  }

  /**
   * After a window reload: the page's memento says which promotion it showed. Until the daemon
   * answers, the panel shows itself disconnected; a memento it cannot read closes the panel.
   * (extension.ts registers the serializer at activation and hands each panel here.)
   */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const memento = panelMemento.safeParse(state ?? {});
    const subject: PanelSubject | undefined =
      memento.success && memento.data.id
        ? { kind: 'own', id: memento.data.id }
        : memento.success && memento.data.team
          ? { kind: 'team', ...memento.data.team }
          : undefined;
    if (!subject || this.hosts.has(subjectKey(subject))) {
      this.deps.log.info(
        'Closed a restored promotion panel: it named no promotion, or one another panel shows',
      );
      panel.dispose();
      return;
    }
    const host = this.create(subject, panel.title, panel);
    const client = this.deps.connection.client;
    if (client) await host.refresh(client);
  }

  /** A new daemon connection: listen for changes on it, and read every open panel's promotion again. */
  private async connected(client: RpcClient): Promise<void> {
    // One handler, on the current connection only: the previous client's is removed.
    this.listener.attach(client, (c) =>
      c.onNotification('promotion.changed', ({ promotion }) =>
        this.find(promotion.id)?.showRecord(promotion),
      ),
    );
    if (this.streams?.client !== client) {
      this.streams?.dispose();
      this.streams = new LogStreams(client);
    }
    await Promise.all(
      [...this.hosts.values()].map(async (h) => {
        // Streams first: a record read anew may then add streams without starting them twice.
        await h.reattachLogs();
        await h.refresh(client);
      }),
    );
  }

  private redraw(): void {
    for (const h of this.hosts.values()) h.sendState();
  }

  private requireClient(): RpcClient {
    const client = this.deps.connection.client;
    if (!client)
      throw new Error(
        'The Railyard daemon is not connected yet; try again in a moment or run "Railyard: Restart Daemon".',
      );
    return client;
  }
}

function idsOf(host: PanelHost): { id?: string; team?: number } {
  const s = host.subject;
  return s.kind === 'own' ? { id: s.id } : { team: s.deploymentId };
}

function githubLogin(accounts: Accounts): string | undefined {
  const github = accounts.current?.github;
  return github?.set && github.valid !== false ? github.account : undefined;
}
