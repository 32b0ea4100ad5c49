// Notifications when a promotion of this window's folder succeeds, fails or is rolled back, with
// the actions that follow (open its checklist, roll back, its logs). Which change deserves one is
// decided in promotionsModel.ts (noticeFor): never on first sight, never twice for one state; and
// which window tells (notifiesHere): the one showing the promotion's panel, else the focused one.
import * as vscode from 'vscode';
import type { PromotionsFeed, RecordChange } from './promotionsFeed';
import {
  noticeFor,
  notifiesHere,
  type NoticeAction,
  type PromotionNotice,
} from './promotionsModel';

const ACTION_LABELS: Readonly<Record<NoticeAction, string>> = {
  open: 'Open',
  rollback: 'Roll Back',
  // The checklist panel tails the build and deploy logs of a running or failed promotion.
  logs: 'Show Logs',
};

function showMessage(
  severity: PromotionNotice['severity'],
  message: string,
  labels: string[],
): Thenable<string | undefined> {
  if (severity === 'error') return vscode.window.showErrorMessage(message, ...labels);
  if (severity === 'warning') return vscode.window.showWarningMessage(message, ...labels);
  return vscode.window.showInformationMessage(message, ...labels);
}

export function notifyPromotionOutcomes(
  feed: PromotionsFeed,
  log: vscode.LogOutputChannel,
  /** Whether this window shows promotion `id`'s checklist panel. */
  panelOpen: (id: string) => boolean,
): vscode.Disposable {
  return feed.onDidChangeRecord((change: RecordChange) => {
    const notice = noticeFor(change.previous, change.record);
    if (!notice) return;
    const here = { panelOpen: panelOpen(notice.id), focused: vscode.window.state.focused };
    if (notifiesHere(here)) void show(notice, log);
    else log.info(`Promotion ${notice.id}: ${notice.message} (told in the window in use)`);
  });
}

async function show(notice: PromotionNotice, log: vscode.LogOutputChannel): Promise<void> {
  log.info(`Promotion ${notice.id}: ${notice.message}`);
  // In Restricted Mode nothing that changes anything is offered; the panel still shows the record.
  const actions = notice.actions.filter((a) => a !== 'rollback' || vscode.workspace.isTrusted);
  const labels = actions.map((a) => ACTION_LABELS[a]);
  const picked = await showMessage(notice.severity, notice.message, labels);
  const action = actions.find((a) => ACTION_LABELS[a] === picked);
  if (!action) return;
  const command = action === 'rollback' ? 'railyard.rollbackPromotion' : 'railyard.openPromotion';
  try {
    await vscode.commands.executeCommand(command, { id: notice.id });
  } catch (e) {
    log.error(
      `${command} for promotion ${notice.id} failed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
