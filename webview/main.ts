// The promotion checklist panel's script (bundled to dist/webview.js, an ES module). It holds no
// promotion state of its own: the extension posts the daemon's record, the page draws it, and
// every action goes back as a typed message. What the user typed is kept with setState.
import './jitless';
import {
  PANEL_ACTIONS,
  toPanel,
  type FromPanel,
  type PanelAction,
  type PanelLogLine,
  type PanelState,
  type ToPanel,
} from '../protocol/panel';
import { gateCounts, modelContext, type PanelInputs } from './panelModel';
import { inputsFor, mementoOf, memoryOf, readMemory, shownKey } from './panelMemory';
import { appendLogs } from './logTail';
import { anyRunning } from './runModel';
import { BusyActions } from './busyActions';
import { createPage } from './panelPage';
import type { PanelHost, View } from './panelView';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const ACTIONS: readonly string[] = PANEL_ACTIONS;

function start(): void {
  const vscode = acquireVsCodeApi();
  const post = (message: FromPanel) => vscode.postMessage(message);
  // Registered first: a refusal while the page builds is reported too.
  document.addEventListener('securitypolicyviolation', (e) =>
    post({
      type: 'csp-violation',
      directive: (e.effectiveDirective || e.violatedDirective).slice(0, 200),
      blocked: (e.blockedURI || 'inline').slice(0, 2000),
    }),
  );
  const memory = readMemory(vscode.getState());
  let state: PanelState = {};
  let shown = shownKey(memory);
  let inputs: PanelInputs = inputsFor(memory, memory);
  let logs: PanelLogLine[] = [];
  let error: View['error'];
  const busy = new BusyActions(() => page.render(view()));

  const view = (): View => ({
    state,
    record: state.record,
    inputs,
    ctx: modelContext(state, busy.current(), Date.now()),
    logs,
    error,
  });
  const remember = () =>
    vscode.setState(memoryOf(shown === undefined ? memory : mementoOf(state), inputs));

  const host: PanelHost = {
    send(message) {
      if (ACTIONS.includes(message.type)) {
        busy.sending(message.type as PanelAction);
        error = undefined;
      }
      post(message);
      page.render(view());
    },
    setInput(key, value) {
      inputs = { ...inputs, [key]: value };
      remember();
      page.render(view());
    },
  };
  const main = document.getElementById('panel');
  if (!main) throw new Error('the panel page has no main#panel');
  const page = createPage(main, host, view);

  const onState = (next: PanelState) => {
    state = next;
    const key = shownKey(mementoOf(next));
    if (key !== shown) {
      // Another promotion in this panel: its own inputs (if it was shown before), no old error.
      inputs = inputsFor(memory, mementoOf(next));
      shown = key;
      error = undefined;
    }
    remember();
    page.render(view());
    post({
      type: 'rendered',
      ...(next.record && { id: next.record.id, state: next.record.state }),
      ...(!next.record && next.team && { id: next.team.id, state: next.team.state }),
      ...gateCounts(next.record),
    });
  };

  const onMessage = (message: ToPanel) => {
    switch (message.type) {
      case 'state':
        return onState(message.state);
      case 'logs':
        logs = appendLogs(logs, message.lines, message.reset);
        break;
      case 'busy':
        busy.answered(message.action, message.busy);
        break;
      case 'error':
        error = { ...(message.action && { action: message.action }), message: message.message };
        if (message.action) busy.failed(message.action);
        break;
    }
    page.render(view());
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = toPanel.safeParse(event.data);
    if (!parsed.success) {
      console.error(
        'Railyard panel: ignored a message that is not the panel protocol',
        parsed.error.issues,
      );
      return;
    }
    onMessage(parsed.data);
  });
  // Running steps' elapsed times move by themselves; nothing else does.
  setInterval(() => {
    if (anyRunning(state.record)) page.render(view());
  }, 1000);
  page.render(view());
  post({ type: 'ready' });
}

start();
