// The tail of the build and deploy logs the panel shows: the last lines only (the Output channel
// has the whole log), grouped by service in the order they first spoke. Pure.
import type { PanelLogLine } from '../protocol/panel';
import { timeOfDay } from './panelWords';

/** Enough to see why a build broke; the full log is one button away. */
export const TAIL_LINES = 200;

/** The tail after a `logs` message: a reset starts over (a new promotion). */
export function appendLogs(
  tail: readonly PanelLogLine[],
  lines: readonly PanelLogLine[],
  reset: boolean,
  max: number = TAIL_LINES,
): PanelLogLine[] {
  const all = reset ? [...lines] : [...tail, ...lines];
  return all.length > max ? all.slice(all.length - max) : all;
}

export interface LogGroup {
  serviceId: string;
  name: string;
  /** The kind of its latest line: which full log "Open full log" opens. */
  kind: PanelLogLine['kind'];
  lines: { text: string; severity?: string; kind: PanelLogLine['kind'] }[];
}

/** One group per service, named from the record's services when it knows them. */
export function logGroups(
  tail: readonly PanelLogLine[],
  names: ReadonlyMap<string, string>,
  timeZone?: string,
): LogGroup[] {
  const groups = new Map<string, LogGroup>();
  for (const line of tail) {
    let group = groups.get(line.serviceId);
    if (!group) {
      const name = names.get(line.serviceId) ?? line.serviceId;
      group = { serviceId: line.serviceId, name, kind: line.kind, lines: [] };
      groups.set(line.serviceId, group);
    }
    group.kind = line.kind;
    const time = timeOfDay(line.ts, timeZone);
    group.lines.push({
      text: `${time ? `${time} ` : ''}${line.kind === 'build' ? 'build ' : ''}${line.text}`,
      kind: line.kind,
      ...(line.severity && { severity: line.severity.toLowerCase() }),
    });
  }
  return [...groups.values()];
}
