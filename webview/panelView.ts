// What every renderer gets: the state to draw (the daemon's record, the user's inputs, what is
// busy, the last error, the log tail) and the host to talk back through.
import type { FromPanel, PanelAction, PanelLogLine, PanelState } from '../protocol/panel';
import type { PromotionRecord } from '../protocol/promotion';
import type { ModelContext, PanelInputs } from './panelModel';

export interface View {
  state: PanelState;
  record?: PromotionRecord;
  inputs: PanelInputs;
  ctx: ModelContext;
  logs: readonly PanelLogLine[];
  error?: { action?: PanelAction; message: string };
}

/** The page's side effects, given to the renderers so they stay free of globals. */
export interface PanelHost {
  /** Posts to the extension; an action (recheck, start…) also shows as busy until answered. */
  send(message: FromPanel): void;
  /** Records what the user typed or ticked, remembers it across reloads, and redraws. */
  setInput<K extends keyof PanelInputs>(key: K, value: PanelInputs[K]): void;
}

/** String-valued inputs: the ones a text field edits. */
export type TextInput = {
  [K in keyof PanelInputs]: PanelInputs[K] extends string ? K : never;
}[keyof PanelInputs];
export type FlagInput = Exclude<keyof PanelInputs, TextInput>;
