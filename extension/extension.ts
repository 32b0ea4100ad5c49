// Railyard's entry point: wires the daemon connection, status bar, accounts, views and commands,
// and returns a small API that the integration tests use to observe the connection.
import * as vscode from 'vscode';
import { Accounts } from './accounts';
import { registerCommands } from './commands';
import { DaemonConnection, type ConnectionState } from './daemonConnection';
import { EnvironmentsTree, type HoverMetrics, type Node } from './environmentsTree';
import { EnvironmentsWatch } from './environmentsWatch';
import { LogTailer } from './logTailer';
import { createPromotionsUi } from './promotionsUi';
import type { InFlightStatus, PromotionRow } from './promotionsModel';
import { PromotionPanels, type PanelEvent, type PanelInfo } from './promotionPanel';
import type { RenderedMessage } from './panelRelay';
import type { ToPanel } from '../protocol/panel';
import { createStatusBar } from './statusBar';
import { MetricsPanels, type MetricsRendered } from './metricsPanel';
import { stateDir } from '../protocol/discovery';
import type { ProjectView } from '../protocol/protocol';
import { version } from '../package.json';

export interface RailyardApi {
  connectionState(): ConnectionState;
  onDidChangeConnectionState: vscode.Event<ConnectionState>;
  /** The latest view of the workspace's project, and its changes. */
  projectView(): ProjectView | undefined;
  onDidChangeProjectView: vscode.Event<ProjectView>;
  /** The Environments tree's nodes under `parent` (the roots without one), as its rows hand them to commands. */
  treeNodes(parent?: Node): Node[];
  /** The Promotions view's rows (newest first), and each time they read differently. */
  promotionRows(): PromotionRow[];
  onDidChangePromotionRows: vscode.Event<PromotionRow[]>;
  /** What the in-flight promotion's status bar item shows; undefined while it is hidden. */
  promotionStatus(): InFlightStatus | undefined;
  /** The open promotion panels: which promotion, its state, what the page last drew. */
  panels(): PanelInfo[];
  /** A page drew a state (its `rendered` message). */
  onDidPanelRender: vscode.Event<PanelEvent<RenderedMessage>>;
  /** A message went to a page. */
  onDidPostToPanel: vscode.Event<PanelEvent<ToPanel>>;
  /** Handles `message` as if promotion `id`'s page had posted it; resolves once it is handled. */
  sendFromPanel(id: string, message: unknown): Promise<void>;
  /** What the pages' Content Security Policy refused, as they reported it. */
  cspViolations(): string[];
  /** A metrics page drew an answer. */
  onDidMetricsRender: vscode.Event<MetricsRendered>;
}

let connection: DaemonConnection | undefined;

export function activate(context: vscode.ExtensionContext): RailyardApi {
  const log = vscode.window.createOutputChannel('Railyard', { log: true });
  const daemonScript = context.asAbsolutePath('dist/daemon.js');
  log.info(
    `Railyard ${version} in VS Code ${vscode.version} (${vscode.env.appHost}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`,
  );
  log.info(`Daemon: ${daemonScript} run by ${process.execPath}; state directory ${stateDir()}`);

  connection = new DaemonConnection({
    daemonScript,
    clientName: `VS Code ${vscode.workspace.name ?? 'window'}`,
    version,
    log,
    idleShutdownMinutes: () =>
      vscode.workspace.getConfiguration('railyard').get<number>('daemon.idleShutdownMinutes', 30),
  });
  const accounts = new Accounts(connection, log);
  const tree = new EnvironmentsTree();
  const watch = new EnvironmentsWatch(connection, tree, log);
  const tailer = new LogTailer(connection, watch, context.workspaceState, log);
  const panels = new PromotionPanels({
    extensionUri: context.extensionUri,
    connection,
    watch,
    tailer,
    accounts,
    log,
  });
  const metrics = new MetricsPanels({
    extensionUri: context.extensionUri,
    connection,
    folder: () => watch.folder(),
    log,
  });
  tree.hoverMetrics = hoverMetrics(connection, watch);
  const promotions = createPromotionsUi(connection, watch, log, (id) => !!panels.find(id));
  const setConnectionContext = (state: ConnectionState) =>
    void vscode.commands.executeCommand('setContext', 'railyard.connection', state);
  context.subscriptions.push(
    log,
    connection,
    accounts,
    tree,
    watch,
    tailer,
    promotions,
    panels,
    metrics,
    createStatusBar(connection),
    // A teammate's panel shows their promotion as the Promotions feed lists it now.
    promotions.onDidChangeTeam((team) => panels.updateTeam(team)),
    connection.onDidChangeState(setConnectionContext),
    ...registerCommands({
      connection,
      accounts,
      log,
      tree,
      watch,
      tailer,
      state: context.workspaceState,
      panels,
      metrics,
    }),
  );
  void connection.start();
  const current = connection;
  return {
    connectionState: () => current.state,
    onDidChangeConnectionState: current.onDidChangeState,
    projectView: () => tree.current,
    onDidChangeProjectView: watch.onDidChange,
    treeNodes: (parent) => tree.getChildren(parent),
    promotionRows: () => promotions.rows(),
    onDidChangePromotionRows: promotions.onDidChangeRows,
    promotionStatus: () => promotions.status(),
    panels: () => panels.panels(),
    onDidPanelRender: panels.onDidRender,
    onDidPostToPanel: panels.onDidPost,
    sendFromPanel: async (id, message) => {
      const host = panels.find(id);
      if (!host) throw new Error(`No panel shows promotion ${id}`);
      await host.receive(message);
    },
    cspViolations: () => [...panels.cspViolations(), ...metrics.cspViolations()],
    onDidMetricsRender: metrics.onDidRender,
  };
}

/** The tree's hover asks the daemon for the last hour's requests only (cached there per step). */
function hoverMetrics(connection: DaemonConnection, watch: EnvironmentsWatch): HoverMetrics {
  return async (env, service) => {
    const client = connection.client;
    const folder = watch.folder();
    if (!client) throw new Error('the Railyard daemon is not connected');
    if (!folder) throw new Error('no workspace folder');
    return client.request('metrics.service', {
      folder,
      environmentId: env.id,
      serviceId: service.id,
      range: '1h',
      parts: ['requests'],
    });
  };
}

export function deactivate(): void {
  // Leave the daemon running: other windows and the CLI share it, and idle shutdown reaps it.
  connection?.dispose();
  connection = undefined;
}
