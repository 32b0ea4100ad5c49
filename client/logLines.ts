// Pure: Railway's Log objects as a client shows them (a level from the attributes or severity,
// attribute values decoded from their JSON strings, Railway's own dropped-lines notice recognised).
import type {
  LogItem,
  LogLevel,
  LogLine,
  LogMarker,
  RailwayLog,
  WireLogItem,
} from '../protocol/protocol';

const LEVEL_WORDS: Record<string, LogLevel> = {};
for (const [level, words] of Object.entries({
  error: ['err', 'error', 'fatal', 'crit', 'critical', 'panic', 'alert', 'emerg', 'stderr'],
  warn: ['warn', 'warning'],
  debug: ['debug', 'trace', 'verbose'],
  info: ['info', 'information', 'notice', 'log', 'stdout'],
})) {
  for (const word of words) LEVEL_WORDS[word] = level as LogLevel;
}

/** Railway normalises levels to debug/info/warn/error; stderr counts as error. */
export function normaliseLevel(raw: string | undefined): LogLevel | undefined {
  if (!raw) return undefined;
  // Every line passes here: a table lookup, and lower-casing only when the word is not already.
  return LEVEL_WORDS[raw] ?? LEVEL_WORDS[raw.toLowerCase().trim()];
}

const LEVEL_KEYS = new Set(['level', 'lvl', 'severity']);

/** Attribute values arrive JSON-encoded ("\"info\"", "42"); plain strings pass through. */
export function decodeAttribute(value: string): string {
  // The common cases without JSON.parse: a quoted string with no escapes, or a bare number.
  const last = value.length - 1;
  if (
    last > 0 &&
    value.charCodeAt(0) === 34 &&
    value.charCodeAt(last) === 34 &&
    !value.includes('\\')
  ) {
    return value.slice(1, last);
  }
  if (/^-?\d+(\.\d+)?$/.test(value)) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed : JSON.stringify(parsed);
  } catch {
    return value;
  }
}

export function toLogLine(log: RailwayLog): LogLine {
  let attributes: Record<string, string> | undefined;
  let level: LogLevel | undefined;
  for (const a of log.attributes ?? []) {
    const value = decodeAttribute(a.value);
    // The attribute that gives the level is shown as the level, not again among the attributes.
    const asLevel =
      level === undefined && LEVEL_KEYS.has(a.key) ? normaliseLevel(value) : undefined;
    if (asLevel) level = asLevel;
    else (attributes ??= {})[a.key] = value;
  }
  const line: LogLine = {
    type: 'line',
    timestamp: log.timestamp,
    message: log.message,
    level: level ?? normaliseLevel(log.severity ?? undefined) ?? 'info',
    attributes,
    deploymentId: log.tags?.deploymentId ?? undefined,
    serviceId: log.tags?.serviceId ?? undefined,
  };
  const rateLimited = readRateLimitNotice(log.message);
  if (rateLimited) line.rateLimited = rateLimited;
  return line;
}

/** Railway's limit when its notice names none: 500 lines a second per replica (Railway's docs). */
export const RAILWAY_LOG_LINES_PER_SECOND = 500;

const DROPPED_COUNT = /\bmessages?\s+dropped\s*[:=]?\s*(\d[\d,]*)/i;
const RAILWAY = /\brailway\b/i;
const RATE_LIMIT = /\brate[\s-]?limit/i;
const PER_SECOND = /(\d[\d,]*)\s*(?:logs?|lines?|messages?)\s*\/\s*s(?:ec(?:ond)?)?\b/i;

/**
 * Railway's own line saying it dropped lines of a replica over its logging limit. Railway's docs
 * (Logs, "Logging throughput": railwayapp/docs, content/docs/observability/logs.md) quote it as
 * "Railway rate limit of 500 logs/sec reached for replica, update your application to reduce the
 * logging rate. Messages dropped: 50", and users report the same words. Read by its stable parts,
 * in any case, so a reworded middle still reads: "Railway", "rate limit" and "messages dropped: N"
 * (the limit too, when it says one). An application's own "messages dropped: 5" stays a line.
 */
export function readRateLimitNotice(
  message: string,
): { dropped: number; perSecond: number } | undefined {
  // Every line passes here: the rarest part first, so an ordinary line costs one failed search
  // (measured at a few tens of ns on a request line, no slower than two indexOf calls).
  const count = DROPPED_COUNT.exec(message);
  if (!count || !RAILWAY.test(message) || !RATE_LIMIT.test(message)) return undefined;
  const limit = PER_SECOND.exec(message);
  return {
    dropped: Number(count[1]!.replace(/,/g, '')),
    perSecond: limit ? Number(limit[1]!.replace(/,/g, '')) : RAILWAY_LOG_LINES_PER_SECOND,
  };
}

/**
 * How a client shows an item: Railway's dropped-lines notice as a `rate-limited` marker (it stays a
 * line until then, so a replayed backlog dedupes it like any other), everything else as it is.
 */
export function shownItem(item: LogItem): LogItem {
  if (item.type !== 'line' || !item.rateLimited) return item;
  const { dropped, perSecond } = item.rateLimited;
  const marker: LogMarker = {
    type: 'marker',
    kind: 'rate-limited',
    text:
      `Railway dropped ${dropped} log ${dropped === 1 ? 'line' : 'lines'} here: ` +
      `a replica logged more than Railway's limit of ${perSecond} lines/s`,
    count: dropped,
    timestamp: item.timestamp,
  };
  if (item.deploymentId) marker.deploymentId = item.deploymentId;
  return marker;
}

/** A `logs.batch`'s items as clients show them: each Railway line read, markers as they are. */
export function readLogItems(items: WireLogItem[]): LogItem[] {
  return items.map((item) => (isMarker(item) ? item : toLogLine(item)));
}

/** Railway's lines carry no `type`; markers do. */
export function isMarker(item: WireLogItem): item is LogMarker {
  return (item as { type?: unknown }).type === 'marker';
}
