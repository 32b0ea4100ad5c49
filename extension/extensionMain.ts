// The rest of Railyard, its own bundle (dist/extensionMain.js), which extension.ts loads right after
// activation or on the first use of a command, view or panel: the daemon connection, accounts, the
// trees' models, the panels, promotions, metrics and logs, with the context keys they set.
import * as vscode from 'vscode';
import { Accounts } from './accounts';
import { commandRunner, type CommandRunner } from './commands';
import { DaemonConnection, type ConnectionState } from './daemonConnection';
import { EnvironmentsTree, type HoverMetrics, type Node } from './environmentsTree';
import { EnvironmentsWatch } from './environmentsWatch';
import { LogTailer } from './logTailer';
import { createPromotionsUi, type PromotionsUi } from './promotionsUi';
import type { PromotionRow } from './promotionsModel';
import { PromotionPanels } from './promotionPanel';
import type { RailyardApi } from './railyardApi';
import { createStatusBar } from './statusBar';
import { checkStepsOnWelcomePage } from './walkthrough';
import { MetricsPanels } from './metricsPanel';
import { stateDir } from '../protocol/discovery';
import { version } from '../package.json';

/** What extension.ts made at activation and hands over: the log and the two views. */
export interface Shell {
  log: vscode.LogOutputChannel;
  environmentsView: vscode.TreeView<unknown>;
  promotionsView: vscode.TreeView<unknown>;
}

/** What extension.ts hands each command, view question, restored panel and API call on to. */
export interface Railyard {
  api: RailyardApi;
  run: CommandRunner;
  environments: vscode.TreeDataProvider<Node>;
  promotions: vscode.TreeDataProvider<PromotionRow>;
  restorePromotionPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  restoreMetricsPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
}

/** The parts start() builds, for the command runner and the API. */
interface Parts {
  connection: DaemonConnection;
  tree: EnvironmentsTree;
  watch: EnvironmentsWatch;
  panels: PromotionPanels;
  metrics: MetricsPanels;
  promotions: PromotionsUi;
}

let connection: DaemonConnection | undefined;

export function start(context: vscode.ExtensionContext, shell: Shell): Railyard {
  const { log } = shell;
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
  const railyard = wire(context, shell, connection);
  void connection.start();
  return railyard;
}

function wire(
  context: vscode.ExtensionContext,
  { log, environmentsView, promotionsView }: Shell,
  connection: DaemonConnection,
): Railyard {
  const accounts = new Accounts(connection, log);
  const tree = new EnvironmentsTree(environmentsView);
  const watch = new EnvironmentsWatch(connection, tree, log);
  const tailer = new LogTailer(connection, watch, context.workspaceState, log);
  const { extensionUri } = context;
  const panels = new PromotionPanels({ extensionUri, connection, watch, tailer, accounts, log });
  const folder = () => watch.folder();
  const metrics = new MetricsPanels({ extensionUri, connection, folder, log });
  tree.hoverMetrics = hoverMetrics(connection, watch);
  const promotions = createPromotionsUi(promotionsView, connection, watch, log, (id) => {
    return !!panels.find(id);
  });
  const setConnectionContext = (state: ConnectionState) =>
    void vscode.commands.executeCommand('setContext', 'railyard.connection', state);
  context.subscriptions.push(
    ...[connection, accounts, tree, watch, tailer, promotions, panels, metrics],
    createStatusBar(connection),
    checkStepsOnWelcomePage(),
    // A teammate's panel shows their promotion as the Promotions feed lists it now.
    promotions.onDidChangeTeam((team) => panels.updateTeam(team)),
    connection.onDidChangeState(setConnectionContext),
  );
  const state = context.workspaceState;
  const deps = { connection, accounts, log, tree, watch, tailer, state, panels, metrics };
  const parts = { connection, tree, watch, panels, metrics, promotions };
  return {
    api: api(parts),
    run: commandRunner({ ...deps, promotions }),
    environments: tree,
    promotions: promotions.provider,
    restorePromotionPanel: (panel, state) => panels.restore(panel, state),
    restoreMetricsPanel: (panel, state) => Promise.resolve(metrics.restore(panel, state)),
  };
}

function api({ connection, tree, watch, panels, metrics, promotions }: Parts): RailyardApi {
  return {
    connectionState: () => connection.state,
    onDidChangeConnectionState: connection.onDidChangeState,
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
