// One checklist panel: a WebviewPanel showing one promotion (this daemon's, or a teammate's read
// through GitHub). It loads the page with a fresh nonce, sends it the daemon's record on `ready`
// and on every change, follows the deploy's logs, and relays what the page asks (panelRelay.ts).
import * as vscode from 'vscode';
import type { RpcClient } from '../client/rpcClient';
import type { LogStreams } from '../client/streamRouter';
import {
  PANEL_VIEW_TYPE,
  type PanelReadOnly,
  type PanelState,
  type ToPanel,
} from '../protocol/panel';
import { RpcError } from '../protocol/jsonrpc';
import {
  ErrorCode,
  type FolderContext,
  type PromotionRecord,
  type TeamPromotion,
} from '../protocol/protocol';
import type { DaemonConnection } from './daemonConnection';
import { showError } from './errorDisplay';
import type { LogTailer } from './logTailer';
import { newNonce, panelHtml } from './panelHtml';
import { PanelLogs } from './panelLogs';
import {
  afterFailedRead,
  isNewer,
  readOnlyOf,
  recordTitle,
  teamEntryOf,
  teamTitle,
  type Answer,
  type Question,
} from './panelHostModel';
import { relay, type RelayHost, type RenderedMessage } from './panelRelay';

const TEAM_NOT_LISTED =
  "GitHub does not list this teammate's promotion now (signed out of GitHub, GitHub not answering, or older than the newest 100). It shows here again once GitHub lists it.";

/** What a panel shows: one of this daemon's promotions, or a teammate's GitHub deployment. */
export type PanelSubject =
  { kind: 'own'; id: string } | { kind: 'team'; deploymentId: number; repo: string };

export function subjectKey(s: PanelSubject): string {
  return s.kind === 'own' ? `promotion ${s.id}` : `team ${s.repo}#${s.deploymentId}`;
}

export interface PanelHostDeps {
  extensionUri: vscode.Uri;
  connection: DaemonConnection;
  folder(): FolderContext | undefined;
  /** The user's GitHub login, so their own sign-off reads "you". */
  login(): string | undefined;
  streams(): LogStreams | undefined;
  tailer: LogTailer;
  log: vscode.LogOutputChannel;
  /** Shows another promotion in its own panel (a revert, a back-merge). */
  open(record: PromotionRecord): Promise<void>;
  /** For the test API: what the page drew, what it was sent, what its CSP refused. */
  rendered(host: PanelHost, message: RenderedMessage): void;
  posted(host: PanelHost, message: ToPanel): void;
  cspViolation(host: PanelHost, text: string): void;
}

/** The page's files: the only ones it may load. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

export class PanelHost implements RelayHost, vscode.Disposable {
  private recordValue: PromotionRecord | undefined;
  private teamValue: TeamPromotion | undefined;
  private renderedValue: RenderedMessage | undefined;
  /** Why the promotion could not be read, until it is: the page shows it instead of "Loading". */
  private loadError: string | undefined;
  private readonly logs: PanelLogs;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly subject: PanelSubject,
    private readonly deps: PanelHostDeps,
    /** Opened before its promotion was known: its page is loading, or has loaded and said so. */
    early?: EarlyPanel,
  ) {
    this.logs = new PanelLogs({
      streams: () => deps.streams(),
      folder: () => deps.folder(),
      post: (m) => this.post(m),
      warn: (m) => deps.log.warn(m),
    });
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'railyard.svg');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
    if (!early) {
      loadPage(panel, deps.extensionUri);
      return;
    }
    // What the page said before this host listened (its `ready`) is handled now, in order.
    early.stop.dispose();
    for (const m of early.heard) void this.receive(m);
  }

  get key(): string {
    return subjectKey(this.subject);
  }

  /** What the test API reports of this panel. */
  get info() {
    return {
      ...(this.subject.kind === 'own' ? { id: this.subject.id } : {}),
      ...(this.subject.kind === 'team' ? { team: this.subject.deploymentId } : {}),
      ...(this.recordValue && { state: this.recordValue.state }),
      ...(this.teamValue && { state: this.teamValue.state }),
      ...(this.readOnly() && { readOnly: this.readOnly() }),
      ...(this.renderedValue && { rendered: this.renderedValue }),
      title: this.panel.title,
    };
  }

  /** Handles a message as if the page had posted it (the webview's own messages come here too). */
  receive(raw: unknown): Promise<void> {
    return relay(this, raw);
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** A record of this panel's promotion, from an answer or `promotion.changed`; older ones are ignored. */
  showRecord(record: PromotionRecord): void {
    if (this.disposed || this.subject.kind !== 'own' || record.id !== this.subject.id) return;
    if (!isNewer(record, this.recordValue)) return;
    this.recordValue = record;
    this.loadError = undefined;
    this.panel.title = recordTitle(record);
    this.sendState();
    void this.logs.follow(record);
  }

  showTeam(team: TeamPromotion): void {
    if (this.disposed) return;
    this.teamValue = team;
    this.loadError = undefined;
    this.panel.title = teamTitle(team);
    this.sendState();
  }

  /** The daemon (again): read the promotion anew, since the journal may have moved on meanwhile. */
  async refresh(client: RpcClient): Promise<void> {
    try {
      if (this.subject.kind === 'own')
        return this.showRecord(await client.request('promotion.get', { id: this.subject.id }));
      const team = await findTeamPromotion(client, this.deps.folder(), this.subject);
      if (team) return this.showTeam(team);
      // An empty team list is not proof it is gone: GitHub may be signed out, failing, or listing
      // only its newest 100. Say so instead of closing; the next connection reads it again.
      if (!this.teamValue) this.sayLoadError(TEAM_NOT_LISTED);
      else this.sendState();
    } catch (e) {
      const unknown = e instanceof RpcError && e.code === ErrorCode.NotFound;
      if (this.closesUnknown(unknown, 'the daemon no longer knows it')) return;
      this.failed(e, `Reading ${this.key} for its panel failed`);
      this.sayLoadError(e instanceof Error ? e.message : String(e));
    }
  }

  /** Kept, so a page that loads after the read failed is told too (else it says "Loading…"). */
  private sayLoadError(message: string): void {
    this.loadError = message;
    this.post({ type: 'error', message });
  }

  /**
   * A panel restored in a window whose daemon never ran its promotion, or after the journal was
   * cleared, would otherwise say "Loading the promotion…" for ever. True when it closed.
   */
  private closesUnknown(unknown: boolean, why: string): boolean {
    const showing = !!(this.recordValue ?? this.teamValue);
    if (afterFailedRead({ unknown, showing }) !== 'close') return false;
    this.deps.log.warn(`Closed the panel of ${this.key}: ${why}. Promote… starts one again.`);
    this.dispose();
    return true;
  }

  /** A new daemon connection: the tail's streams start again on it. */
  reattachLogs(): Promise<void> {
    return this.logs.reattach();
  }

  sendState(): void {
    const login = this.deps.login();
    const readOnly = this.readOnly();
    const state: PanelState = {
      ...(this.recordValue && { record: this.recordValue }),
      ...(this.teamValue && { team: this.teamValue }),
      ...(readOnly && { readOnly }),
      ...(login && { login }),
    };
    this.post({ type: 'state', state });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.logs.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.panel.dispose();
  }

  // RelayHost: what the relay needs of the panel and the editor.

  record = () => this.recordValue;
  team = () => this.teamValue;
  client = () => this.deps.connection.client;
  folder = () => this.deps.folder();
  offer = (record: PromotionRecord) => this.showRecord(record);
  open = (record: PromotionRecord) => this.deps.open(record);
  warn = (message: string) => this.deps.log.warn(message);

  readOnly(): PanelReadOnly | undefined {
    return readOnlyOf({
      team: this.subject.kind === 'team',
      connected: this.deps.connection.state === 'connected',
      trusted: vscode.workspace.isTrusted,
    });
  }

  post(message: ToPanel): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
    this.deps.posted(this, message);
  }

  ready(): void {
    this.sendState();
    // Said again: one posted before the page loaded was lost, and it says why nothing shows.
    if (this.loadError) this.post({ type: 'error', message: this.loadError });
    this.logs.replay();
  }

  rendered(message: RenderedMessage): void {
    this.renderedValue = message;
    this.deps.rendered(this, message);
  }

  cspViolation(text: string): void {
    this.deps.log.error(`The promotion panel's Content Security Policy refused ${text}`);
    this.deps.cspViolation(this, text);
  }

  async ask(q: Question): Promise<Answer> {
    const answer = await vscode.window.showWarningMessage(
      q.message,
      { modal: true, detail: q.detail },
      q.confirm,
    );
    if (answer !== q.confirm) return undefined;
    if (q.typed === undefined) return {};
    // A protected target's name is typed, as everywhere else in Railyard: a click is not enough.
    const name = q.typed;
    const typed = await vscode.window.showInputBox({
      title: q.message,
      prompt: `${name} is protected. Type its name to confirm.`,
      placeHolder: name,
      ignoreFocusOut: true,
      validateInput: (v) => (v === name ? undefined : `Type ${name} exactly to confirm.`),
    });
    return typed === name ? { confirm: typed } : undefined;
  }

  async openLogs(spec: { environment: string; service: string; kind: 'build' | 'deploy' }) {
    await this.deps.tailer.tail(spec);
  }

  async openExternal(url: string): Promise<void> {
    const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
    if (!opened) this.deps.log.warn(`The editor did not open ${url}`);
  }

  failed(error: unknown, context: string): void {
    const display = { log: this.deps.log, folder: () => this.deps.folder() };
    void showError(error, display, { context, onlyIfActionable: true });
  }
}

/** A teammate's promotion as GitHub lists it now, found by its deployment. */
async function findTeamPromotion(
  client: RpcClient,
  folder: FolderContext | undefined,
  s: Extract<PanelSubject, { kind: 'team' }>,
): Promise<TeamPromotion | undefined> {
  const { team } = await client.request('promotion.list', {
    ...(folder && { folder }),
    limit: 100,
  });
  return teamEntryOf(team, s);
}

/** A panel opened at once, before the daemon named its promotion, and what its page said meanwhile. */
export interface EarlyPanel {
  panel: vscode.WebviewPanel;
  heard: unknown[];
  stop: vscode.Disposable;
}

/** Opens a panel and starts loading its page, listening until a host takes it over. */
export function openEarlyPanel(title: string, extensionUri: vscode.Uri): EarlyPanel {
  const panel = vscode.window.createWebviewPanel(
    PANEL_VIEW_TYPE,
    title,
    vscode.ViewColumn.Active,
    webviewOptions(extensionUri),
  );
  const heard: unknown[] = [];
  const stop = panel.webview.onDidReceiveMessage((m: unknown) => void heard.push(m));
  loadPage(panel, extensionUri);
  return { panel, heard, stop };
}

/** The page, with a fresh nonce for its one script. */
function loadPage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): void {
  const webview = panel.webview;
  const asset = (...path: string[]) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  webview.html = panelHtml({
    cspSource: webview.cspSource,
    nonce: newNonce(),
    scriptUri: asset('dist', 'webview.js'),
    styleUri: asset('media', 'panel.css'),
    codiconUri: asset('dist', 'codicons', 'codicon.css'),
    title: panel.title,
  });
}
