// The Promotions view: this folder's promotions from the daemon's journal and the team's from
// GitHub Deployments, newest first; a row opens its checklist panel (railyard.openPromotion).
// Rows come from promotionsModel.ts; this file only draws them and says why there are none.
import * as vscode from 'vscode';
import type { PromotionsFeed } from './promotionsFeed';
import { promotionRows, shownRows, type PromotionRow } from './promotionsModel';

/** How often a visible view looks whether a shown age went stale; it re-renders only if one did. */
const AGE_CHECK_MS = 15_000;

export class PromotionsView implements vscode.TreeDataProvider<PromotionRow>, vscode.Disposable {
  private rowsValue: PromotionRow[] = [];
  /** What the rows last rendered read (see shownRows): an equal update is not drawn again. */
  private rendered = '';
  private readonly changed = new vscode.EventEmitter<PromotionRow | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly rowsChanged = new vscode.EventEmitter<PromotionRow[]>();
  /** Fires with the rows each time they read differently (the tests wait on it). */
  readonly onDidChangeRows = this.rowsChanged.event;
  private readonly disposables: vscode.Disposable[];

  /** `treeView`: the view extension.ts made at activation, its rows drawn by this provider. */
  constructor(
    private readonly treeView: vscode.TreeView<unknown>,
    private readonly feed: PromotionsFeed,
    private readonly hasFolder: () => boolean,
  ) {
    this.disposables = [
      this.changed,
      this.rowsChanged,
      feed.onDidChange(() => this.update()),
      this.keepAgesFresh(),
    ];
    this.update();
  }

  /** The rows shown now, newest first. */
  get rows(): PromotionRow[] {
    return this.rowsValue;
  }

  getChildren(row?: PromotionRow): PromotionRow[] {
    return row ? [] : this.rowsValue;
  }

  getTreeItem(row: PromotionRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = row.key;
    item.description = row.description;
    item.tooltip = new vscode.MarkdownString(row.tooltip);
    item.iconPath = new vscode.ThemeIcon(row.look.icon, new vscode.ThemeColor(row.look.color));
    item.accessibilityInformation = { label: row.accessibilityLabel };
    item.contextValue = `promotion.${row.mine ? 'own' : 'team'}.${row.outcome}`;
    item.command = {
      command: 'railyard.openPromotion',
      title: 'Open Promotion',
      arguments: [row.open],
    };
    return item;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** Recomputes the rows; draws them (and fires) only when something reads differently. */
  private update(): void {
    const rows = this.feed.connected
      ? promotionRows(this.feed.records(), this.feed.team(), Date.now())
      : [];
    this.treeView.message = this.message(rows);
    const shown = shownRows(rows);
    if (shown === this.rendered) return;
    this.rendered = shown;
    this.rowsValue = rows;
    this.changed.fire(undefined);
    this.rowsChanged.fire(rows);
  }

  /** The line above the rows: why there are none, or why the team's may be missing. */
  private message(rows: PromotionRow[]): string | undefined {
    if (!this.feed.connected)
      return 'Not connected to the Railyard daemon: promotions show again once it reconnects.';
    if (!this.hasFolder()) return 'Open a folder to see its promotions.';
    if (this.feed.problem) return `Could not list promotions: ${this.feed.problem}`;
    if (!rows.length && !this.feed.listed) return 'Listing promotions…';
    if (!rows.length) return 'No promotions yet for this folder. Promote… starts one.';
    return undefined;
  }

  /**
   * "3 min ago" is computed when the rows are, and nothing else changes while a list sits still:
   * while the view is visible, look every few seconds and re-render once an age would read
   * differently (about once a minute at most).
   */
  private keepAgesFresh(): vscode.Disposable {
    let timer: NodeJS.Timeout | undefined;
    const follow = (visible: boolean) => {
      clearInterval(timer);
      timer = visible ? setInterval(() => this.update(), AGE_CHECK_MS) : undefined;
      if (visible) this.update();
    };
    follow(this.treeView.visible);
    const sub = this.treeView.onDidChangeVisibility((e) => follow(e.visible));
    return new vscode.Disposable(() => {
      clearInterval(timer);
      sub.dispose();
    });
  }
}
