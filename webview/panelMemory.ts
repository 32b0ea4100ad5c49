// What the webview keeps with `setState` across a reload: which promotion it shows (the
// extension's serializer reads that part as `panelMemento`) and what the user typed for it, so a
// half-typed reason survives. Pure: validated on the way in, since anything may be stored there.
import * as z from '../protocol/zod';
import { panelMemento, type PanelMemento, type PanelState } from '../protocol/panel';
import { EMPTY_INPUTS, type PanelInputs } from './panelModel';

const storedInputs = z.object({
  confirm: z.catch(z.string().check(z.maxLength(200)), ''),
  overrideWindow: z.catch(z.string().check(z.maxLength(2000)), ''),
  ackBackup: z.catch(z.string().check(z.maxLength(2000)), ''),
  takeOver: z.catch(z.string().check(z.maxLength(200)), ''),
  reapplyReverts: z.catch(z.boolean(), false),
  rollbackOnFailure: z.catch(z.boolean(), false),
});

const stored = z.extend(panelMemento, {
  /** Which promotion the inputs were typed for: another one starts blank. */
  inputsFor: z.optional(z.string()),
  inputs: z.optional(storedInputs),
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
