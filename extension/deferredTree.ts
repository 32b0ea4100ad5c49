// A tree view's data provider that extension.ts registers at activation: it loads the rest of the
// extension on VS Code's first question and hands every question on to the real provider from then.
import * as vscode from 'vscode';

type Changed<T> = T | T[] | undefined | null | void;

export class DeferredTree<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Changed<T>>();
  readonly onDidChangeTreeData = this.changed.event;
  private loaded: vscode.TreeDataProvider<T> | undefined;
  private forwarding: vscode.Disposable | undefined;
  /**
   * Set only for a real provider that resolves its items (the Environments tree's hover): VS Code
   * asks a provider that has one on every hover, so the Promotions view keeps none, as before.
   */
  readonly resolveTreeItem?: (
    item: vscode.TreeItem,
    element: T,
    token: vscode.CancellationToken,
  ) => vscode.ProviderResult<vscode.TreeItem>;

  constructor(
    private readonly load: () => vscode.TreeDataProvider<T>,
    resolves: boolean,
  ) {
    if (resolves)
      this.resolveTreeItem = (item, element, token) =>
        this.provider().resolveTreeItem?.(item, element, token) ?? item;
  }

  getChildren(element?: T): vscode.ProviderResult<T[]> {
    return this.provider().getChildren(element);
  }

  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.provider().getTreeItem(element);
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }

  /** The real provider, loaded on first use; its changes are this provider's from then on. */
  private provider(): vscode.TreeDataProvider<T> {
    if (!this.loaded) {
      this.loaded = this.load();
      this.forwarding = this.loaded.onDidChangeTreeData?.((e) => this.changed.fire(e));
    }
    return this.loaded;
  }
}
