// Pure: how a log item reads in an Output channel: timestamp, padded level, message, attributes;
// markers stand out with a leading "──". The grammar in syntaxes/ colours exactly this shape.
import { shownItem } from './logLines';
import type { LogItem } from '../protocol/protocol';

/** "2026-11-24T16:20:00.123456789Z" → "16:20:00.123" in UTC, short enough to scan. */
export function shortTime(ts: string): string {
  const m = /T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,3}))?/.exec(ts);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(3, '0')}` : ts;
}

/** "2026-11-24T16:20:00.123456789Z" → "2026-11-24T16:20:00.123Z": nanoseconds say nothing to a reader. */
export function toMillis(ts: string): string {
  return ts.replace(/(\.\d{3})\d*(?=Z|[+-]\d\d:?\d\d$)/, '$1');
}

/** A service's name by id, for streams of a whole environment, whose lines mix services. */
export type ServiceNames = (serviceId: string) => string | undefined;

export function formatItem(read: LogItem, withDate = false, names?: ServiceNames): string {
  // Railway's notice that it dropped lines reads as a marker: it is about the stream, not the app.
  const item = shownItem(read);
  if (item.type === 'marker') return `── ${item.text} ──`;
  const time = withDate ? toMillis(item.timestamp) : shortTime(item.timestamp);
  const attrs = item.attributes ? Object.entries(item.attributes).map(([k, v]) => `${k}=${v}`) : [];
  const tail = attrs.length ? `  ${attrs.join(' ')}` : '';
  const service = names && item.serviceId ? names(item.serviceId) : undefined;
  const who = service ? `[${service}] ` : '';
  return `${time} ${item.level.toUpperCase().padEnd(5)} ${who}${item.message}${tail}`;
}

export function formatBatch(items: LogItem[], withDate = false, names?: ServiceNames): string {
  return items.map((i) => formatItem(i, withDate, names)).join('\n');
}

/** The Output channel name for a service's stream: "Railway: kars-backend (kars-prod)". */
export function channelName(
  service: string | undefined,
  environment: string,
  kind: 'deploy' | 'build' | 'environment',
): string {
  const what = service ?? 'all services';
  return kind === 'build'
    ? `Railway build: ${what} (${environment})`
    : `Railway: ${what} (${environment})`;
}
