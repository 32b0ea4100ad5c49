// The promotion parts of the UI around the checklist panel, built on one feed of this folder's
// promotions: the Promotions view, the in-flight status bar item and the outcome notifications.
import * as vscode from 'vscode';
import type { TeamPromotion } from '../protocol/protocol';
import type { DaemonConnection } from './daemonConnection';
import type { EnvironmentsWatch } from './environmentsWatch';
import { notifyPromotionOutcomes } from './promotionNotifications';
import { PromotionStatus } from './promotionStatus';
import { PromotionsFeed } from './promotionsFeed';
import { teamPromotingKey, type InFlightStatus, type PromotionRow } from './promotionsModel';
import { PromotionsView } from './promotionsView';

export interface PromotionsUi extends vscode.Disposable {
  /** The Promotions view's rows, newest first. */
  rows(): PromotionRow[];
  onDidChangeRows: vscode.Event<PromotionRow[]>;
  /** What the in-flight status bar item shows; undefined while hidden. */
  status(): InFlightStatus | undefined;
  /** The team's promotions, each time a list brings them (teammates' panels follow them). */
  onDidChangeTeam: vscode.Event<TeamPromotion[]>;
  /** Lists the folder's and the team's promotions again (Refresh Promotions). */
  refresh(): Promise<void>;
  /** Draws the Promotions view's rows. */
  provider: vscode.TreeDataProvider<PromotionRow>;
}

export function createPromotionsUi(
  treeView: vscode.TreeView<unknown>,
  connection: DaemonConnection,
  watch: EnvironmentsWatch,
  log: vscode.LogOutputChannel,
  /** Whether this window shows promotion `id`'s checklist panel: it tells that promotion's outcome. */
  panelOpen: (id: string) => boolean,
): PromotionsUi {
  const feed = new PromotionsFeed(
    connection,
    () => watch.folder(),
    () => watch.projectRead,
    log,
  );
  const view = new PromotionsView(treeView, feed, () => watch.folder() !== undefined);
  const status = new PromotionStatus(feed);
  // Disposed in this order: what listens to the feed first, the feed itself last.
  const parts = vscode.Disposable.from(
    notifyPromotionOutcomes(feed, log, panelOpen),
    // railyard.refresh (the Environments view's Refresh) refreshes the promotions too.
    watch.onDidRequestRefresh(() => void feed.refresh()),
    followTeammates(watch, feed),
    view,
    status,
    feed,
  );
  return {
    rows: () => view.rows,
    onDidChangeRows: view.onDidChangeRows,
    status: () => status.current,
    onDidChangeTeam: feed.onDidChangeTeam,
    refresh: () => feed.refresh(),
    provider: view,
    dispose: () => {
      parts.dispose();
    },
  };
}

/**
 * Lists again when the tree sees a teammate's promotion begin, go silent or end, once the project
 * is read after a list that left the team's out (asked before it was), and after a list failed.
 */
function followTeammates(watch: EnvironmentsWatch, feed: PromotionsFeed): vscode.Disposable {
  let seen = watch.view && teamPromotingKey(watch.view);
  return watch.onDidChange((view) => {
    const key = teamPromotingKey(view);
    if (key === seen && feed.problem === undefined && feed.teamListed) return;
    seen = key;
    void feed.refresh();
  });
}
