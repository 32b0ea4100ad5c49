// The test API activate() returns (the integration tests and benches observe the extension through
// it), and the stand-in extension.ts returns at once: each member hands the call on to the API of
// the rest of the extension (extensionMain.ts), loading that first if it is not loaded yet.
import type * as vscode from 'vscode';
import type { ToPanel } from '../protocol/panel';
import type { ProjectView } from '../protocol/protocol';
import type { ConnectionState } from './daemonConnection';
import type { Node } from './environmentsTree';
import type { MetricsRendered } from './metricsPanel';
import type { RenderedMessage } from './panelRelay';
import type { PanelEvent, PanelInfo } from './promotionPanel';
import type { InFlightStatus, PromotionRow } from './promotionsModel';

export interface RailyardApi {
  connectionState(): ConnectionState;
  onDidChangeConnectionState: vscode.Event<ConnectionState>;
  /** The latest view of the workspace's project, and its changes. */
  projectView(): ProjectView | undefined;
  onDidChangeProjectView: vscode.Event<ProjectView>;
  /** The Environments tree's nodes under `parent` (the roots without one), as its rows hand them to commands. */
  treeNodes(parent?: Node): Node[];
  /** The Promotions view's rows (newest first), and each time they read differently. */
  promotionRows(): PromotionRow[];
  onDidChangePromotionRows: vscode.Event<PromotionRow[]>;
  /** What the in-flight promotion's status bar item shows; undefined while it is hidden. */
  promotionStatus(): InFlightStatus | undefined;
  /** The open promotion panels: which promotion, its state, what the page last drew. */
  panels(): PanelInfo[];
  /** A page drew a state (its `rendered` message). */
  onDidPanelRender: vscode.Event<PanelEvent<RenderedMessage>>;
  /** A message went to a page. */
  onDidPostToPanel: vscode.Event<PanelEvent<ToPanel>>;
  /** Handles `message` as if promotion `id`'s page had posted it; resolves once it is handled. */
  sendFromPanel(id: string, message: unknown): Promise<void>;
  /** What the pages' Content Security Policy refused, as they reported it. */
  cspViolations(): string[];
  /** A metrics page drew an answer. */
  onDidMetricsRender: vscode.Event<MetricsRendered>;
}

/** Every member, each a function (an event is one too), so each can be handed on as a call. */
const MEMBERS: Record<keyof RailyardApi, true> = {
  connectionState: true,
  onDidChangeConnectionState: true,
  projectView: true,
  onDidChangeProjectView: true,
  treeNodes: true,
  promotionRows: true,
  onDidChangePromotionRows: true,
  promotionStatus: true,
  panels: true,
  onDidPanelRender: true,
  onDidPostToPanel: true,
  sendFromPanel: true,
  cspViolations: true,
  onDidMetricsRender: true,
};

type AnyMember = (...args: unknown[]) => unknown;

/**
 * The API with `api()` called on each use. A plain object of functions, never a Proxy: VS Code
 * looks for a `then` on what activate() returns, and that look must not load the rest.
 */
export function deferredApi(api: () => RailyardApi): RailyardApi {
  const members = Object.keys(MEMBERS).map((key) => {
    const call = (...args: unknown[]) => (api()[key as keyof RailyardApi] as AnyMember)(...args);
    return [key, call] as const;
  });
  return Object.fromEntries(members) as unknown as RailyardApi;
}
