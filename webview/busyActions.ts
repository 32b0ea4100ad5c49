// Which of the panel's actions are busy: those the extension says it is running, and those the page
// has just sent and not heard back about, so that a second click cannot send one twice. One the
// extension never answers (a modal dismissed without a reply) is forgotten after a while.
import type { PanelAction } from '../protocol/panel';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class BusyActions {
  private readonly running = new Set<PanelAction>();
  private readonly sent = new Map<PanelAction, unknown>();

  constructor(
    /** Called when a sent action is forgotten, to redraw its control enabled. */
    private readonly onForget: () => void,
    private readonly forgetAfterMs = 10_000,
    private readonly timers: Timers = browserTimers,
  ) {}

  /** The page sent it: busy until the extension answers. */
  sending(action: PanelAction): void {
    this.settle(action);
    const handle = this.timers.setTimeout(() => {
      this.sent.delete(action);
      this.onForget();
    }, this.forgetAfterMs);
    this.sent.set(action, handle);
  }

  /** The extension's `busy` message. */
  answered(action: PanelAction, busy: boolean): void {
    this.settle(action);
    if (busy) this.running.add(action);
    else this.running.delete(action);
  }

  /** The extension's `error` for it: not busy any more. */
  failed(action: PanelAction): void {
    this.answered(action, false);
  }

  current(): ReadonlySet<PanelAction> {
    return new Set([...this.running, ...this.sent.keys()]);
  }

  private settle(action: PanelAction): void {
    if (!this.sent.has(action)) return;
    this.timers.clearTimeout(this.sent.get(action));
    this.sent.delete(action);
  }
}
