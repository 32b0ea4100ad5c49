// The Environments view: project → environment → service → deployments, live from the daemon's
// `environments.changed` notifications. While there is nothing to show it stays empty, so
// VS Code shows the welcome content that matches the connection and sign-in state.
import * as vscode from 'vscode';
import type { ServiceMetrics } from '../protocol/metrics';
import type {
  DeploymentView,
  EnvironmentView,
  ProjectView,
  ServiceView,
} from '../protocol/protocol';
import {
  HEALTH_LOOK,
  unstartedPushText,
  STATUS_LOOK,
  deploymentLook,
  dashboardUrl,
  deploymentContext,
  deploymentDescription,
  deploymentLabel,
  environmentDescription,
  environmentLabel,
  peopleLines,
  promotingLines,
  restrictedModeMessage,
  serviceContext,
  serviceDescription,
  serviceTooltip,
  shownAges,
  shownDeployment,
} from './treeModel';
import { hoverMetricsLine, unansweredLine } from './sparkline';

/** How often a visible tree looks whether a shown age went stale; it re-renders only if one did. */
const AGE_CHECK_MS = 10_000;
/** A hover waits this long for the last hour's requests, then says Railway did not answer. */
const HOVER_METRICS_MS = 4_000;

/** Reads a service's last hour of requests for its hover (`metrics.service`, parts ['requests']). */
export type HoverMetrics = (env: EnvironmentView, service: ServiceView) => Promise<ServiceMetrics>;

export type Node =
  | { kind: 'environment'; env: EnvironmentView }
  | { kind: 'pr-group'; envs: EnvironmentView[] }
  | { kind: 'service'; env: EnvironmentView; service: ServiceView }
  | { kind: 'deployment'; env: EnvironmentView; service: ServiceView; deployment: DeploymentView }
  | { kind: 'message'; text: string; detail?: string };

export class EnvironmentsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private view: ProjectView | undefined;
  /** The ages last rendered (see shownAges). */
  private renderedAges = '';
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly agesFresh: vscode.Disposable;
  /** Set once the daemon can be asked: a service's hover then shows its last hour's traffic. */
  hoverMetrics: HoverMetrics | undefined;

  /** `treeView`: the view extension.ts made at activation, its rows drawn by this provider. */
  constructor(private readonly treeView: vscode.TreeView<unknown>) {
    this.agesFresh = this.keepAgesFresh(treeView);
  }

  get current(): ProjectView | undefined {
    return this.view;
  }

  /** `trusted`: what the daemon was told of the folder's workspace trust when it made `view`. */
  show(view: ProjectView | undefined, trusted = true): void {
    this.view = view;
    this.renderedAges = shownAges(view);
    this.treeView.message = view && restrictedModeMessage(view, trusted);
    this.changed.fire(undefined);
  }

  /**
   * Ages are computed when a row is rendered and the daemon sends a view only when something
   * changed, so "just now" would stay for good: while the tree is visible, re-render once a shown
   * age would read differently (about once a minute at most).
   */
  private keepAgesFresh(treeView: vscode.TreeView<unknown>): vscode.Disposable {
    let timer: NodeJS.Timeout | undefined;
    const tick = () => {
      const ages = shownAges(this.view);
      if (ages === this.renderedAges) return;
      this.renderedAges = ages;
      this.changed.fire(undefined);
    };
    const follow = (visible: boolean) => {
      clearInterval(timer);
      timer = visible ? setInterval(tick, AGE_CHECK_MS) : undefined;
      if (visible) tick();
    };
    follow(treeView.visible);
    const sub = treeView.onDidChangeVisibility((e) => follow(e.visible));
    return new vscode.Disposable(() => {
      clearInterval(timer);
      sub.dispose();
    });
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'environment':
        return node.env.services.map((service) => ({ kind: 'service', env: node.env, service }));
      case 'pr-group':
        return node.envs.map((env) => ({ kind: 'environment', env }));
      case 'service':
        return node.service.recent.map((deployment) => ({
          kind: 'deployment',
          env: node.env,
          service: node.service,
          deployment,
        }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'environment':
        return this.environmentItem(node.env);
      case 'pr-group':
        return prGroupItem(node.envs);
      case 'service':
        return this.serviceItem(node.env, node.service);
      case 'deployment':
        return deploymentItem(node.service, node.deployment);
      case 'message':
        return messageItem(node.text, node.detail);
    }
  }

  /**
   * A service row's tooltip, built only when someone hovers it: nothing is fetched for rows
   * nobody looks at. The sparkline line is added when the daemon answers; if it does not, one line
   * says so and the rest of the tooltip is as always.
   */
  async resolveTreeItem(
    item: vscode.TreeItem,
    node: Node,
    token: vscode.CancellationToken,
  ): Promise<vscode.TreeItem> {
    if (node.kind !== 'service') return item;
    const base = serviceTooltip(node.service, node.env);
    const line = this.hoverMetrics ? await this.metricsLine(node.env, node.service) : undefined;
    if (token.isCancellationRequested) return item;
    item.tooltip = new vscode.MarkdownString(line ? `${base}  \n${line}` : base);
    return item;
  }

  private async metricsLine(env: EnvironmentView, service: ServiceView): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer in time')), HOVER_METRICS_MS);
    });
    try {
      return hoverMetricsLine(await Promise.race([this.hoverMetrics!(env, service), late]));
    } catch (e) {
      return unansweredLine(e instanceof Error ? e.message : String(e));
    } finally {
      clearTimeout(timer);
    }
  }

  dispose(): void {
    this.agesFresh.dispose();
    this.changed.dispose();
  }

  private roots(): Node[] {
    const view = this.view;
    // Empty lets the welcome view explain signed-out / no project; errors are shown as a row.
    if (!view || view.state === 'signed-out' || view.state === 'no-project') return [];
    const rows: Node[] = [];
    if (view.state === 'error')
      rows.push({ kind: 'message', text: 'Railway did not answer', detail: view.message });
    if (view.configProblem)
      rows.push({
        kind: 'message',
        text: 'railyard.json has a problem',
        detail: view.configProblem,
      });
    const persistent = view.environments.filter((e) => !e.isEphemeral);
    const prs = view.environments.filter((e) => e.isEphemeral);
    rows.push(...persistent.map((env): Node => ({ kind: 'environment', env })));
    if (prs.length) rows.push({ kind: 'pr-group', envs: prs });
    return rows;
  }

  private environmentItem(env: EnvironmentView): vscode.TreeItem {
    const item = new vscode.TreeItem(
      environmentLabel(env),
      vscode.TreeItemCollapsibleState.Expanded,
    );
    item.id = `env:${env.id}`;
    item.description = environmentDescription(env);
    const look = HEALTH_LOOK[env.health.state];
    item.iconPath = new vscode.ThemeIcon(
      env.protected ? 'shield' : 'server-environment',
      new vscode.ThemeColor(look.color),
    );
    item.contextValue = `environment${env.protected ? '.protected' : ''}${env.promotion ? '.promotable' : ''}`;
    item.tooltip = new vscode.MarkdownString(
      [
        `**${env.name}**${env.protected ? ' (protected)' : ''}`,
        ...promotingLines(env),
        env.branch ? `Branch: \`${env.branch}\`` : '',
        `Health: ${look.label}${env.health.detail ? ` (${env.health.detail})` : ''}`,
        env.promotion
          ? `Promotes to ${env.promotion.to}${env.promotion.ahead !== undefined ? `: ${env.promotion.ahead} commits ahead` : ''}`
          : '',
        unstartedPushText(env),
      ]
        .filter(Boolean)
        .join('  \n'),
    );
    const guard = env.protected ? 'protected, ' : '';
    item.accessibilityInformation = {
      label: `Environment ${env.name}, ${guard}${item.description}`,
    };
    return item;
  }

  private serviceItem(env: EnvironmentView, service: ServiceView): vscode.TreeItem {
    const item = new vscode.TreeItem(
      service.name,
      service.recent.length
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `svc:${env.id}:${service.id}`;
    const d = shownDeployment(service);
    const look = d ? STATUS_LOOK[d.status] : undefined;
    item.description = serviceDescription(service);
    item.iconPath = new vscode.ThemeIcon(
      look?.icon ?? 'circle-outline',
      look ? new vscode.ThemeColor(look.color) : undefined,
    );
    // Left unset: resolveTreeItem builds it on hover, with the last hour's traffic.
    item.contextValue = serviceContext(service);
    item.accessibilityInformation = {
      label: `Service ${service.name} in ${env.name}: ${look?.label ?? 'no deployment'}`,
    };
    return item;
  }

  /** The project's dashboard URL for a node, for "Open in Railway dashboard". */
  dashboardFor(node: Node): string | undefined {
    const projectId = this.view?.project?.id;
    if (!projectId) return undefined;
    if (node.kind === 'environment') return dashboardUrl(projectId, node.env);
    if (node.kind === 'service' || node.kind === 'deployment')
      return dashboardUrl(projectId, node.env, node.service.id);
    return dashboardUrl(projectId);
  }
}

function prGroupItem(envs: EnvironmentView[]): vscode.TreeItem {
  const item = new vscode.TreeItem(
    'Pull request environments',
    vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = 'pr-group';
  item.description = `${envs.length}`;
  item.iconPath = new vscode.ThemeIcon('git-pull-request');
  return item;
}

function deploymentItem(service: ServiceView, d: DeploymentView): vscode.TreeItem {
  const active = service.active?.id === d.id;
  const label = deploymentLabel(d, service.image);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `dep:${d.id}`;
  const look = deploymentLook(d);
  item.description = deploymentDescription(d, active);
  item.accessibilityInformation = {
    label: `Deployment ${label} of ${service.name}: ${active ? 'active' : look.label}`,
  };
  item.iconPath = new vscode.ThemeIcon(
    active ? 'debug-stackframe' : look.icon,
    new vscode.ThemeColor(look.color),
  );
  item.tooltip = new vscode.MarkdownString(
    [
      `${look.label}${active ? ' (active)' : ''}`,
      d.commitMessage ?? '',
      ...peopleLines(d),
      `\`${d.id}\``,
    ]
      .filter(Boolean)
      .join('  \n'),
  );
  item.contextValue = deploymentContext(d, active);
  return item;
}

function messageItem(text: string, detail?: string): vscode.TreeItem {
  const item = new vscode.TreeItem(text, vscode.TreeItemCollapsibleState.None);
  item.description = detail;
  item.tooltip = detail;
  item.iconPath = new vscode.ThemeIcon(
    'warning',
    new vscode.ThemeColor('problemsWarningIcon.foreground'),
  );
  return item;
}
