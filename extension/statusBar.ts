// The daemon status bar item: the connection state at a glance, actions in its tooltip.
import * as vscode from 'vscode';
import type { ConnectionState, DaemonConnection } from './daemonConnection';

const look: Record<ConnectionState, { icon: string; label: string; background?: string }> = {
  starting: { icon: '$(loading~spin)', label: 'starting' },
  connected: { icon: '$(check)', label: 'connected' },
  reconnecting: {
    icon: '$(sync~spin)',
    label: 'reconnecting',
    background: 'statusBarItem.warningBackground',
  },
  error: { icon: '$(error)', label: 'error', background: 'statusBarItem.errorBackground' },
  stopped: { icon: '$(circle-slash)', label: 'stopped' },
};

export function createStatusBar(connection: DaemonConnection): vscode.Disposable {
  const item = vscode.window.createStatusBarItem(
    'railyard.daemon',
    vscode.StatusBarAlignment.Left,
    10,
  );
  item.name = 'Railyard Daemon';
  const render = (state: ConnectionState) => {
    const l = look[state];
    item.text = `${l.icon} Railyard`;
    // Screen readers and the UI tests read this label; keep its wording stable.
    item.accessibilityInformation = { label: `Railyard daemon: ${l.label}` };
    item.backgroundColor = l.background ? new vscode.ThemeColor(l.background) : undefined;
    item.tooltip = tooltip(l.label, connection);
    item.command =
      state === 'error' || state === 'stopped' ? 'railyard.restartDaemon' : 'railyard.showStatus';
  };
  render(connection.state);
  item.show();
  const sub = connection.onDidChangeState(render);
  return vscode.Disposable.from(item, sub);
}

function tooltip(label: string, connection: DaemonConnection): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = {
    enabledCommands: [
      'railyard.showLog',
      'railyard.restartDaemon',
      'railyard.stopDaemon',
      'railyard.showStatus',
    ],
  };
  md.appendMarkdown(`**Railyard daemon: ${label}**`);
  const client = connection.client;
  if (client)
    md.appendMarkdown(
      `\n\nversion ${client.daemonVersion}, protocol ${client.protocolVersion}, pid ${client.daemonPid}`,
    );
  if (connection.lastError) md.appendMarkdown('\n\n').appendText(connection.lastError);
  md.appendMarkdown(
    '\n\n[$(output) Open Log](command:railyard.showLog) · [$(debug-restart) Restart Daemon](command:railyard.restartDaemon) · [$(debug-stop) Stop](command:railyard.stopDaemon)',
  );
  return md;
}
