// Shows a failure as the daemon's sentence with the one button that fixes it, where there is one
// (what each code offers is decided in client/errorGuidance.ts, which the CLI shares).
import * as vscode from 'vscode';
import { ACTION_LABELS, adviceFor, type ErrorAction } from '../client/errorGuidance';
import { stateDir, statePaths } from '../protocol/discovery';
import type { FolderContext } from '../protocol/protocol';

export interface ErrorDisplayDeps {
  log: vscode.LogOutputChannel;
  /** The workspace folder the tree shows, where "Link a Project" links one. */
  folder(): FolderContext | undefined;
}

/**
 * Logs the failure under `context` and shows it. A failure in the background (a watch, a tail
 * after a reconnect) pops up only when there is something to do about it (`onlyIfActionable`).
 */
export async function showError(
  e: unknown,
  deps: ErrorDisplayDeps,
  options: { context: string; onlyIfActionable?: boolean },
): Promise<void> {
  const advice = adviceFor(e);
  deps.log.error(`${options.context}: ${advice.message}`);
  if (options.onlyIfActionable && !advice.action) return;
  const label = advice.action && ACTION_LABELS[advice.action];
  const picked = label
    ? await vscode.window.showErrorMessage(advice.message, label)
    : await vscode.window.showErrorMessage(advice.message);
  if (picked && advice.action) await runAction(advice.action, deps);
}

async function runAction(action: ErrorAction, deps: ErrorDisplayDeps): Promise<void> {
  switch (action) {
    case 'sign-in':
      return void (await vscode.commands.executeCommand('railyard.signInRailway'));
    case 'sign-in-github':
      return void (await vscode.commands.executeCommand('railyard.signInGithub'));
    case 'trust-workspace':
      return void (await vscode.commands.executeCommand('workbench.trust.manage'));
    case 'link-project':
      return linkProject(deps.folder());
    case 'show-daemon-log':
      return showDaemonLog(deps.log);
    case 'show-log':
      return deps.log.show();
  }
}

/**
 * The two ways Railyard finds a project that a user sets up: the Railway CLI's link, or
 * railyard.json. Both need a folder, so without one the user is offered to open one.
 */
export async function linkProject(folder: FolderContext | undefined): Promise<void> {
  if (!folder) {
    const open = 'Open Folder';
    const picked = await vscode.window.showInformationMessage(
      'Railyard links a Railway project to a workspace folder: open the folder of your project first.',
      open,
    );
    if (picked === open) await vscode.commands.executeCommand('workbench.action.files.openFolder');
    return;
  }
  const pick = await vscode.window.showQuickPick(
    [
      {
        label: 'Run `railway link` in a terminal',
        detail: 'The Railway CLI asks for the workspace and project, then Refresh shows it.',
        way: 'railway-link' as const,
      },
      {
        label: 'Add "projectId" to railyard.json',
        detail:
          "The project's id is in its Railway dashboard: Settings, or the URL after /project/.",
        way: 'railyard-json' as const,
      },
    ],
    { title: `Link a Railway project to ${folder.path}` },
  );
  if (pick?.way === 'railway-link') {
    const terminal = vscode.window.createTerminal({ name: 'railway link', cwd: folder.path });
    terminal.show();
    terminal.sendText('railway link');
  }
  if (pick?.way === 'railyard-json') await openRailyardJson(folder.path);
}

/** railyard.json, or a new one (starting as `snippet`) that exists only once the user saves it. */
export async function openRailyardJson(
  folder: string,
  snippet = '{\n\t"projectId": "$1"\n}\n',
): Promise<void> {
  const file = vscode.Uri.joinPath(vscode.Uri.file(folder), 'railyard.json');
  const exists = await vscode.workspace.fs.stat(file).then(
    () => true,
    () => false,
  );
  const document = await vscode.workspace.openTextDocument(
    exists ? file : file.with({ scheme: 'untitled' }),
  );
  const editor = await vscode.window.showTextDocument(document);
  if (!exists) await editor.insertSnippet(new vscode.SnippetString(snippet));
}

/** The daemon's internal errors leave their details in its log file, never in the message. */
async function showDaemonLog(log: vscode.LogOutputChannel): Promise<void> {
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(statePaths(stateDir()).log), {
      preview: true,
    });
  } catch {
    log.show();
  }
}
