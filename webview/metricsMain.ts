// The metrics panel's script (bundled to dist/metrics.js with uPlot and its stylesheet, an ES
// module): wires the page to the webview API, validates every message from the extension, follows
// theme changes, and reports what its CSP refused.
import './jitless';
import { reportCspViolations } from './cspReport';
import 'uplot/dist/uPlot.min.css';
import './metrics.css';
import { toMetricsPanel, type FromMetricsPanel } from '../protocol/metricsPanel';
import { MetricsApp, type MetricsVsCodeApi } from './metricsApp';

declare function acquireVsCodeApi(): MetricsVsCodeApi;

function start(): void {
  const vscode = acquireVsCodeApi();
  reportCspViolations((m) => vscode.postMessage(m satisfies FromMetricsPanel));
  const main = document.getElementById('panel');
  if (!main) throw new Error('the metrics page has no main#panel');
  const app = new MetricsApp(vscode, main);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = toMetricsPanel.safeParse(event.data);
    if (!parsed.success) {
      console.error('Railyard metrics: ignored a message not of its protocol', parsed.error.issues);
      return;
    }
    app.receive(parsed.data);
  });
  // VS Code swaps the body's theme class (and its variables) when the theme changes.
  new MutationObserver(() => app.retheme()).observe(document.body, {
    attributes: true,
    attributeFilter: ['class'],
  });
  vscode.postMessage({ type: 'ready' });
}

start();
