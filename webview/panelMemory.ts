// What the webview keeps with `setState` across a reload: which promotion it shows (the
// extension's serializer reads that part as `panelMemento`) and what the user typed for it, so a
// half-typed reason survives. Pure: validated on the way in, since anything may be stored there.
import { z } from 'zod';
import { panelMemento, type PanelMemento, type PanelState } from '../protocol/panel';
import { EMPTY_INPUTS, type PanelInputs } from './panelModel';

const storedInputs = z.object({
  confirm: z.string().max(200).catch(''),
  overrideWindow: z.string().max(2000).catch(''),
  ackBackup: z.string().max(2000).catch(''),
  takeOver: z.string().max(200).catch(''),
  reapplyReverts: z.boolean().catch(false),
  rollbackOnFailure: z.boolean().catch(false),
});

const stored = panelMemento.extend({
  /** Which promotion the inputs were typed for: another one starts blank. */
  inputsFor: z.string().optional(),
  inputs: storedInputs.optional(),
});
export type PanelMemory = z.infer<typeof stored>;

/** What getState() gave back, or nothing when it is not ours. */
export function readMemory(raw: unknown): PanelMemory {
  const parsed = stored.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

/** The key of the promotion a state shows: its id, or the teammate's deployment. */
export function shownKey(m: PanelMemento): string | undefined {
  if (m.id) return m.id;
  return m.team ? `team:${m.team.repo}#${m.team.deploymentId}` : undefined;
}

/** Which promotion a state shows, as the serializer needs it. */
export function mementoOf(state: PanelState): PanelMemento {
  if (state.record) return { id: state.record.id };
  if (state.team) return { team: { deploymentId: state.team.deploymentId, repo: state.team.repo } };
  return {};
}

/** The inputs to start from for what `memento` shows: the stored ones only if typed for it. */
export function inputsFor(memory: PanelMemory, memento: PanelMemento): PanelInputs {
  const key = shownKey(memento);
  if (key === undefined || memory.inputsFor !== key || !memory.inputs) return { ...EMPTY_INPUTS };
  return { ...memory.inputs };
}

export function memoryOf(memento: PanelMemento, inputs: PanelInputs): PanelMemory {
  const key = shownKey(memento);
  return { ...memento, ...(key !== undefined && { inputsFor: key, inputs }) };
}
