// Pure: Railway's Log objects as Railyard's log lines: a level from the attributes or severity,
// attribute values decoded from their JSON strings, and a key that identifies a line for dedupe.
import type { LogLevel, LogLine } from '../../protocol/protocol';

/** A log as Railway's API sends it (Log in the schema). */
export interface RailwayLog {
  timestamp: string;
  message: string;
  severity?: string | null;
  attributes?: { key: string; value: string }[] | null;
  tags?: { deploymentId?: string | null; serviceId?: string | null } | null;
}

/** Railway normalises levels to debug/info/warn/error; stderr counts as error. */
export function normaliseLevel(raw: string | undefined): LogLevel | undefined {
  const v = raw?.toLowerCase().trim();
  if (!v) return undefined;
  if (/^(err|error|fatal|crit|critical|panic|alert|emerg|stderr)$/.test(v)) return 'error';
  if (/^(warn|warning)$/.test(v)) return 'warn';
  if (/^(debug|trace|verbose)$/.test(v)) return 'debug';
  if (/^(info|information|notice|log|stdout)$/.test(v)) return 'info';
  return undefined;
}

/** Attribute values arrive JSON-encoded ("\"info\"", "42"); plain strings pass through. */
export function decodeAttribute(value: string): string {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed : JSON.stringify(parsed);
  } catch {
    return value;
  }
}

export function toLogLine(log: RailwayLog): LogLine {
  const attributes: Record<string, string> = {};
  for (const a of log.attributes ?? []) attributes[a.key] = decodeAttribute(a.value);
  // The attribute that gave the level is shown as the level, not again among the attributes.
  const levelKey = ['level', 'lvl', 'severity'].find(
    (k) => normaliseLevel(attributes[k]) !== undefined,
  );
  const level =
    (levelKey && normaliseLevel(attributes[levelKey])) ||
    normaliseLevel(log.severity ?? undefined) ||
    'info';
  if (levelKey) delete attributes[levelKey];
  return {
    type: 'line',
    timestamp: log.timestamp,
    message: log.message,
    level,
    attributes: Object.keys(attributes).length ? attributes : undefined,
    deploymentId: log.tags?.deploymentId ?? undefined,
  };
}

/**
 * Nanoseconds since the epoch from an RFC 3339 timestamp with up to 9 fraction digits; Date
 * keeps only milliseconds, and Railway's lines often share one.
 */
export function timestampNanos(ts: string): bigint {
  const m = /^(.*?T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) return BigInt(Date.parse(ts) || 0) * 1_000_000n;
  const seconds = BigInt(Date.parse(`${m[1]}${m[3]}`) / 1000);
  return seconds * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/**
 * A fixed-width UTC form ("2026-11-24T10:00:00.000000001Z") whose string order is time order.
 * Railway already sends this form, so the common case is a few character checks, not arithmetic.
 */
export function timestampKey(ts: string): string {
  if (ts.length === 30 && ts.charCodeAt(29) === 90 /* Z */ && ts.charCodeAt(19) === 46 /* . */)
    return ts;
  const nanos = timestampNanos(ts);
  const seconds = nanos / 1_000_000_000n;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}
