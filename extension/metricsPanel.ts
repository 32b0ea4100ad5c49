// The metrics panels: one WebviewPanel per service and environment ("Show Metrics" on a service
// row), fed by the daemon's `metrics.service` once per step of the chosen range while the panel is
// visible and not at all while hidden, read again after a reconnect, restored after a reload.
import * as vscode from 'vscode';
import { RANGE_STEP_SECONDS, type ServiceMetrics } from '../protocol/metrics';
import {
  fromMetricsPanel,
  metricsMemento,
  METRICS_VIEW_TYPE,
  type FromMetricsPanel,
  type MetricsMemento,
  type ToMetricsPanel,
} from '../protocol/metricsPanel';
import type { FolderContext } from '../protocol/protocol';
import type { DaemonConnection } from './daemonConnection';
import { metricsHtml } from './metricsHtml';
import { metricsTitle, refreshDelay } from './metricsRefresh';
import { webviewOptions } from './panelHost';
import { newNonce } from './panelHtml';

export interface MetricsPanelsDeps {
  extensionUri: vscode.Uri;
  connection: DaemonConnection;
  folder(): FolderContext | undefined;
  log: vscode.LogOutputChannel;
}

/** What a page drew, for the tests. */
export type MetricsRendered = Extract<FromMetricsPanel, { type: 'rendered' }>;

/** The service a panel shows, with the names for its title. */
export interface MetricsTarget {
  environmentId: string;
  serviceId: string;
  environmentName: string;
  serviceName: string;
}

const keyOf = (s: { environmentId: string; serviceId: string }) =>
  `${s.environmentId}/${s.serviceId}`;

export class MetricsPanels implements vscode.Disposable {
  private readonly hosts = new Map<string, MetricsPanelHost>();
  private readonly violations: string[] = [];
  private readonly renderEmitter = new vscode.EventEmitter<MetricsRendered>();
  private readonly disposables: vscode.Disposable[] = [];
  /** A page drew an answer (the tests wait on it). */
  readonly onDidRender = this.renderEmitter.event;

  constructor(private readonly deps: MetricsPanelsDeps) {
    this.disposables.push(
      this.renderEmitter,
      // A new daemon: every visible panel reads its service anew.
      deps.connection.onDidConnect(() => {
        for (const h of this.hosts.values()) h.fetchSoon();
      }),
    );
  }

  /** Shows a service's metrics: its open panel revealed, else a new one over the last hour. */
  open(target: MetricsTarget): void {
    const open = this.hosts.get(keyOf(target));
    if (open) return open.panel.reveal(undefined, false);
    const panel = vscode.window.createWebviewPanel(
      METRICS_VIEW_TYPE,
      metricsTitle(target.serviceName, target.environmentName),
      vscode.ViewColumn.Active,
      webviewOptions(this.deps.extensionUri),
    );
    const { environmentId, serviceId } = target;
    this.create(panel, { environmentId, serviceId, range: '1h', table: false });
  }

  cspViolations(): string[] {
    return [...this.violations];
  }

  dispose(): void {
    for (const h of [...this.hosts.values()]) h.dispose();
    for (const d of this.disposables) d.dispose();
  }

  /**
   * After a reload: the page's memento names the service; one it cannot read closes the panel.
   * (extension.ts registers the serializer at activation and hands each panel here.)
   */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const memento = metricsMemento.safeParse(state ?? {});
    if (!memento.success || this.hosts.has(keyOf(memento.data))) {
      this.deps.log.info(
        'Closed a restored metrics panel: it named no service, or another shows it',
      );
      panel.dispose();
      return;
    }
    this.create(panel, memento.data);
  }

  private create(panel: vscode.WebviewPanel, subject: MetricsMemento): void {
    const host = new MetricsPanelHost(panel, subject, this.deps, {
      rendered: (m) => this.renderEmitter.fire(m),
      cspViolation: (text) => void this.violations.push(text),
    });
    const key = keyOf(subject);
    this.hosts.set(key, host);
    panel.onDidDispose(() => {
      if (this.hosts.get(key) === host) this.hosts.delete(key);
    });
  }
}

interface HostEvents {
  rendered(message: MetricsRendered): void;
  cspViolation(text: string): void;
}

class MetricsPanelHost implements vscode.Disposable {
  private metrics: ServiceMetrics | undefined;
  private lastFetchedAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private fetching = false;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private subject: MetricsMemento,
    private readonly deps: MetricsPanelsDeps,
    private readonly events: HostEvents,
  ) {
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'railyard.svg');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidChangeViewState(() => this.schedule()),
      panel.onDidDispose(() => this.dispose()),
    );
    this.load();
  }

  /** Asks at once if the panel is visible (a new daemon connection). */
  fetchSoon(): void {
    this.lastFetchedAt = undefined;
    this.schedule();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }

  private load(): void {
    const webview = this.panel.webview;
    const asset = (...path: string[]) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'dist', ...path)).toString();
    webview.html = metricsHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: asset('metrics.js'),
      styleUri: asset('metrics.css'),
      title: this.panel.title,
    });
  }

  private receive(raw: unknown): void {
    const parsed = fromMetricsPanel.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn(`The metrics panel sent a message Railyard does not know; ignored`);
      return;
    }
    const m = parsed.data;
    switch (m.type) {
      case 'ready':
        this.post({ type: 'subject', subject: this.subject });
        if (this.metrics?.range === this.subject.range)
          this.post({ type: 'metrics', metrics: this.metrics });
        return this.schedule();
      case 'range':
        this.subject = { ...this.subject, range: m.range };
        return this.fetchSoon();
      case 'view':
        this.subject = { ...this.subject, table: m.table };
        return;
      case 'rendered':
        return this.events.rendered(m);
      case 'csp-violation': {
        const text = `${m.directive}: ${m.blocked}`;
        this.deps.log.error(`The metrics panel's Content Security Policy refused ${text}`);
        return this.events.cspViolation(text);
      }
    }
  }

  /** The next request, a step after the last answer, while the panel is visible. */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed || this.fetching) return;
    const delay = refreshDelay({
      visible: this.panel.visible,
      lastFetchedAt: this.lastFetchedAt,
      stepSeconds: this.metrics?.stepSeconds ?? RANGE_STEP_SECONDS[this.subject.range],
      now: Date.now(),
    });
    if (delay !== undefined) this.timer = setTimeout(() => void this.fetch(), delay);
  }

  private async fetch(): Promise<void> {
    const { range, environmentId, serviceId } = this.subject;
    this.fetching = true;
    this.post({ type: 'loading', loading: true });
    try {
      const client = this.deps.connection.client;
      if (!client)
        throw new Error(
          'The Railyard daemon is not connected; the charts come back when it is (or run "Railyard: Restart Daemon").',
        );
      const folder = this.deps.folder();
      if (!folder) throw new Error('Open the folder of a Railway project to see its metrics.');
      const metrics = await client.request('metrics.service', {
        folder,
        environmentId,
        serviceId,
        range,
      });
      // The user picked another range meanwhile: its own request follows.
      if (this.disposed || range !== this.subject.range) return;
      this.metrics = metrics;
      this.panel.title = metricsTitle(metrics.serviceName, metrics.environmentName);
      this.post({ type: 'metrics', metrics });
    } catch (e) {
      this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      this.deps.log.warn(`Metrics of ${serviceId} in ${environmentId}: ${String(e)}`);
    } finally {
      // A failure waits a step too: a daemon or Railway that is down is not asked in a loop.
      if (range === this.subject.range) this.lastFetchedAt = Date.now();
      this.fetching = false;
      this.post({ type: 'loading', loading: false });
      this.schedule();
    }
  }

  private post(message: ToMetricsPanel): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }
}
