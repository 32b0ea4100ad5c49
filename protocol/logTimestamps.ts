// Pure: Railway's log timestamps (RFC 3339 with nanoseconds) as numbers and as fixed-width keys
// whose string order is time order; the daemon and its clients order and dedupe lines by them.

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
