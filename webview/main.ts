// The promotion checklist panel's script (bundled to dist/webview.js, an ES module). It holds no
// promotion state of its own: the extension posts the daemon's record, the page draws it, and
// every action goes back as a typed message. What the user typed is kept with setState.
import './jitless';
import { reportCspViolations } from './cspReport';
import { toPanel, type FromPanel } from '../protocol/panel';
import { readMemory } from './panelMemory';
import { PanelApp, type VsCodeApi } from './panelApp';

declare function acquireVsCodeApi(): VsCodeApi;

function start(): void {
  const vscode = acquireVsCodeApi();
  reportCspViolations((m) => vscode.postMessage(m satisfies FromPanel));
  const main = document.getElementById('panel');
  if (!main) throw new Error('the panel page has no main#panel');
  const app = new PanelApp(vscode, readMemory(vscode.getState()), main);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = toPanel.safeParse(event.data);
    if (!parsed.success) {
      console.error(
        'Railyard panel: ignored a message not of the panel protocol',
        parsed.error.issues,
      );
      return;
    }
    app.receive(parsed.data);
  });
  setInterval(() => app.tick(), 1000);
  app.draw();
  app.post({ type: 'ready' });
}

start();
