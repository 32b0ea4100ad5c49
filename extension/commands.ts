// Runs every command in package.json (extension.ts registers them at activation and hands each
// call here); each reports its failure as the daemon's sentence with the button that fixes it
// (extension/errorDisplay.ts).
import * as vscode from 'vscode';
import type { Accounts } from './accounts';
import type { DaemonConnection } from './daemonConnection';
import { deploymentCommands } from './deploymentCommands';
import { rowMissing } from './treeModel';
import { showError } from './errorDisplay';
import { logCommands } from './logCommands';
import type { LogTailer } from './logTailer';
import { promotionCommands } from './promoteCommand';
import type { PromotionPanels } from './promotionPanel';
import type { PromotionsUi } from './promotionsUi';
import type { MetricsPanels } from './metricsPanel';
import type { EnvironmentsTree, Node } from './environmentsTree';
import type { EnvironmentsWatch } from './environmentsWatch';
import { walkthroughCommands } from './walkthrough';

export interface CommandDeps {
  connection: DaemonConnection;
  accounts: Accounts;
  log: vscode.LogOutputChannel;
  tree: EnvironmentsTree;
  watch: EnvironmentsWatch;
  tailer: LogTailer;
  state: vscode.Memento;
  panels: PromotionPanels;
  metrics: MetricsPanels;
  promotions: PromotionsUi;
}

/** Runs command `id` with the row it was invoked on, if any. */
export type CommandRunner = (id: string, node?: Node) => Promise<void>;

export function commandRunner(deps: CommandDeps): CommandRunner {
  const { connection, accounts, log } = deps;
  const display = { log, folder: () => deps.watch.folder() };
  const table: Record<string, (node?: Node) => unknown> = {
    ...deploymentCommands(deps),
    ...logCommands(deps),
    ...promotionCommands(deps),
    ...walkthroughCommands(deps.watch),
    'railyard.signInRailway': () => accounts.signInRailway(),
    'railyard.signInGithub': () => accounts.signInGithub(),
    'railyard.signOut': () => accounts.signOut(),
    'railyard.restartDaemon': () => connection.restart(),
    'railyard.stopDaemon': () => connection.stopDaemon(),
    'railyard.showLog': () => log.show(),
    'railyard.showStatus': () => showStatus(connection, log),
    'railyard.showMetrics': (node) => showMetrics(deps.metrics, node),
    'railyard.refreshPromotions': () => deps.promotions.refresh(),
  };
  return async (id, node) => {
    const run = table[id];
    if (!run) throw new Error(`Railyard has no command ${id}`);
    try {
      await run(node);
    } catch (e) {
      void showError(e, display, { context: id });
    }
  };
}

function showMetrics(metrics: MetricsPanels, node: Node | undefined): void {
  if (node?.kind !== 'service') throw rowMissing('Show Metrics', 'a service');
  metrics.open({
    environmentId: node.env.id,
    serviceId: node.service.id,
    environmentName: node.env.name,
    serviceName: node.service.name,
  });
}

async function showStatus(
  connection: DaemonConnection,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const client = connection.client;
  if (!client) {
    const action = await vscode.window.showWarningMessage(
      `Railyard daemon: ${connection.state}. ${connection.lastError ?? ''}`,
      'Restart Daemon',
      'Show Log',
    );
    if (action === 'Restart Daemon') await connection.restart();
    if (action === 'Show Log') log.show();
    return;
  }
  const s = await client.request('daemon.status', {});
  const clients = s.clients.map((c) => `${c.name} [${c.kind}]`).join(', ');
  void vscode.window.showInformationMessage(
    `Railyard daemon ${s.daemonVersion}, pid ${s.pid}, up ${s.uptimeSeconds}s. Clients: ${clients}.`,
  );
}
