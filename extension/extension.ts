// Railyard's entry point, a small bundle of its own (dist/extension.js) so activation loads little:
// it registers what VS Code needs at once (every contributed command, the two views, the two panel
// serializers, the output channel) and loads the rest (extensionMain.ts, dist/extensionMain.js)
// right after activate() returns, or sooner if one of those is used first, then hands each on to it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DeferredTree } from './deferredTree';
import type { Node } from './environmentsTree';
import type { PromotionRow } from './promotionsModel';
import type * as ExtensionMain from './extensionMain';
import type { Railyard, Shell } from './extensionMain';
import { deferredApi, type RailyardApi } from './railyardApi';
import { METRICS_VIEW_TYPE, PANEL_VIEW_TYPE } from '../protocol/viewTypes';

export type { RailyardApi } from './railyardApi';

/** The second bundle, beside this one in dist/; esbuild leaves this require to run as is. */
const MAIN_BUNDLE = path.join(__dirname, 'extensionMain.js');

let main: typeof ExtensionMain | undefined;

export function activate(context: vscode.ExtensionContext): RailyardApi {
  const log = vscode.window.createOutputChannel('Railyard', { log: true });
  context.subscriptions.push(log);
  // The views exist before the rest does; VS Code asks them for rows only once activate() returned.
  const railyard = loader(() => {
    // A require at run time, not an import: an import would put the rest into this bundle.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    main = require(MAIN_BUNDLE) as typeof ExtensionMain;
    return main.start(context, { log, ...views });
  });
  const views = registerViews(context, () => railyard());
  registerCommands(context, () => railyard());
  registerSerializers(context, () => railyard());
  // After activate() returns, so VS Code's activation time counts this bundle only; the daemon
  // connection starts as soon as the rest is loaded.
  setImmediate(() => loadNow(railyard, log));
  return deferredApi(() => railyard().api);
}

/** Loads the rest; a failure is said once, in the log and a notification, rather than thrown. */
function loadNow(railyard: () => Railyard, log: vscode.LogOutputChannel): void {
  try {
    railyard();
  } catch (e) {
    log.error(
      `Railyard could not load ${MAIN_BUNDLE}: ${e instanceof Error ? e.stack : String(e)}`,
    );
    // Show Log from here: the command would need the rest too.
    const message = 'Railyard could not start: reinstall the extension. Its log says why.';
    void vscode.window.showErrorMessage(message, 'Show Log').then((pick) => pick && log.show());
  }
}

/** `load` once; its failure is kept and thrown again, so a half-started Railyard never starts twice. */
function loader(load: () => Railyard): () => Railyard {
  let loaded: { railyard: Railyard } | { error: unknown } | undefined;
  return () => {
    if (!loaded) {
      try {
        loaded = { railyard: load() };
      } catch (error) {
        loaded = { error };
      }
    }
    if ('error' in loaded) throw loaded.error;
    return loaded.railyard;
  };
}

/** Both views, each drawn by the real provider once the rest is loaded. */
function registerViews(
  context: vscode.ExtensionContext,
  railyard: () => Railyard,
): Omit<Shell, 'log'> {
  const environments = new DeferredTree<Node>(() => railyard().environments, true);
  const promotions = new DeferredTree<PromotionRow>(() => railyard().promotions, false);
  const environmentsView = vscode.window.createTreeView('railyard.environments', {
    treeDataProvider: environments,
    showCollapseAll: true,
  });
  const promotionsView = vscode.window.createTreeView('railyard.promotions', {
    treeDataProvider: promotions,
  });
  context.subscriptions.push(environments, promotions, environmentsView, promotionsView);
  return { environmentsView, promotionsView };
}

/**
 * Every command package.json contributes, from the manifest VS Code already read: each call loads
 * the rest if need be (a command can be what activated Railyard) and runs there.
 */
function registerCommands(context: vscode.ExtensionContext, railyard: () => Railyard): void {
  const manifest = context.extension.packageJSON as {
    contributes: { commands: { command: string }[] };
  };
  for (const { command } of manifest.contributes.commands)
    context.subscriptions.push(
      vscode.commands.registerCommand(command, (node?: Node) => railyard().run(command, node)),
    );
}

/** The panels restored after a window reload are handed to the rest once it is loaded. */
function registerSerializers(context: vscode.ExtensionContext, railyard: () => Railyard): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => railyard().restorePromotionPanel(panel, state),
    }),
    vscode.window.registerWebviewPanelSerializer(METRICS_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => railyard().restoreMetricsPanel(panel, state),
    }),
  );
}

export function deactivate(): void {
  main?.deactivate();
}
