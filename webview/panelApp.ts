// The panel's controller: what it was told (the state, the log tail, what is busy, the last error)
// and what the user typed, redrawn after each message; every action goes to the extension.
import {
  PANEL_ACTIONS,
  type FromPanel,
  type PanelAction,
  type PanelLogLine,
  type PanelState,
  type ToPanel,
} from '../protocol/panel';
import { gateCounts, modelContext, type PanelInputs } from './panelModel';
import { inputsFor, mementoOf, memoryOf, shownKey, type PanelMemory } from './panelMemory';
import { appendLogs } from './logTail';
import { anyRunning } from './runModel';
import { BusyActions } from './busyActions';
import { createPage, type Page } from './panelPage';
import type { PanelHost, View } from './panelView';

/** The webview API as the panel uses it (acquireVsCodeApi()). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

const ACTIONS: readonly string[] = PANEL_ACTIONS;

export class PanelApp implements PanelHost {
  private state: PanelState = {};
  /** Which promotion is shown (its id, or the teammate's deployment). */
  private shown: string | undefined;
  private inputs: PanelInputs;
  private logs: PanelLogLine[] = [];
  private error: View['error'];
  private readonly busy = new BusyActions(() => this.draw());
  private readonly page: Page;

  constructor(
    private readonly vscode: VsCodeApi,
    private readonly memory: PanelMemory,
    main: HTMLElement,
  ) {
    this.shown = shownKey(memory);
    this.inputs = inputsFor(memory, memory);
    this.page = createPage(main, this, () => this.view());
  }

  view(): View {
    return {
      state: this.state,
      record: this.state.record,
      inputs: this.inputs,
      ctx: modelContext(this.state, this.busy.current(), Date.now()),
      logs: this.logs,
      error: this.error,
    };
  }

  draw(): void {
    this.page.render(this.view());
  }

  post(message: FromPanel): void {
    this.vscode.postMessage(message);
  }

  send(message: FromPanel): void {
    if (ACTIONS.includes(message.type)) {
      this.busy.sending(message.type as PanelAction);
      this.error = undefined;
    }
    this.post(message);
    this.draw();
  }

  setInput<K extends keyof PanelInputs>(key: K, value: PanelInputs[K]): void {
    this.inputs = { ...this.inputs, [key]: value };
    this.remember();
    this.draw();
  }

  receive(message: ToPanel): void {
    switch (message.type) {
      case 'state':
        return this.onState(message.state);
      case 'logs':
        this.logs = appendLogs(this.logs, message.lines, message.reset);
        break;
      case 'busy':
        this.busy.answered(message.action, message.busy);
        break;
      case 'error':
        this.error = {
          ...(message.action && { action: message.action }),
          message: message.message,
        };
        if (message.action) this.busy.failed(message.action);
        break;
    }
    this.draw();
  }

  /** Running steps' elapsed times move by themselves; nothing else does. */
  tick(): void {
    if (anyRunning(this.state.record)) this.draw();
  }

  private onState(next: PanelState): void {
    this.state = next;
    const key = shownKey(mementoOf(next));
    if (key !== this.shown) {
      // Another promotion in this panel: its own inputs (if typed before a reload), no old error.
      this.inputs = inputsFor(this.memory, mementoOf(next));
      this.shown = key;
      this.error = undefined;
    }
    this.remember();
    this.draw();
    this.post({
      type: 'rendered',
      ...(next.record && { id: next.record.id, state: next.record.state }),
      ...(!next.record && next.team && { id: next.team.id, state: next.team.state }),
      ...gateCounts(next.record),
    });
  }

  /** Until a state names what is shown, the memento restored at load stays. */
  private remember(): void {
    const memento = this.shown === undefined ? this.memory : mementoOf(this.state);
    this.vscode.setState(memoryOf(memento, this.inputs));
  }
}
