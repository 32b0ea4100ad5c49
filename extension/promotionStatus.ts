// The in-flight promotion's status bar item: shown only while a promotion of this window's folder
// holds its target (started here, in another window or from the CLI: the daemon broadcasts every
// change to every client), and a click opens its checklist panel.
import * as vscode from 'vscode';
import type { PromotionsFeed } from './promotionsFeed';
import { inFlightStatus, type InFlightStatus } from './promotionsModel';

export class PromotionStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'railyard.promotion',
    vscode.StatusBarAlignment.Left,
    8,
  );
  private shown: InFlightStatus | undefined;
  private readonly sub: vscode.Disposable;

  constructor(private readonly feed: PromotionsFeed) {
    this.item.name = 'Railyard Promotion';
    this.sub = feed.onDidChange(() => this.render());
    this.render();
  }

  /** What the item shows now; undefined while it is hidden. */
  get current(): InFlightStatus | undefined {
    return this.shown;
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }

  private render(): void {
    // Disconnected, the records may be stale: a spinner would claim what nobody knows.
    this.shown = this.feed.connected ? inFlightStatus(this.feed.records()) : undefined;
    if (!this.shown) return this.item.hide();
    this.item.text = this.shown.text;
    this.item.tooltip = this.shown.tooltip;
    this.item.accessibilityInformation = { label: this.shown.accessibilityLabel };
    this.item.command = {
      command: 'railyard.openPromotion',
      title: 'Open Promotion',
      arguments: [this.shown.open],
    };
    this.item.show();
  }
}
