// Pure: log lines as the daemon carries them, Railway's own JSON in runs. A `next` frame of a log
// subscription is recognised by its bytes and its list forwarded as it came, so a busy stream costs
// a few native searches per frame instead of a parse and a stringify per line. Anything that does
// not look exactly as expected is left to the decoding path, which is always correct.
import type { LogMarker, RailwayLog } from '../../protocol/protocol';
import { timestampKey } from '../../protocol/logTimestamps';

/** A piece of a stream: Railway's lines (comma-separated Log objects) or one marker. */
export interface LogRun {
  /** `{…},{…}` for lines, as Railway sent them; one object for a marker. */
  json: Buffer;
  /** Lines in `json`: 0 for a marker; counted only when someone needs it (drops, late joiners). */
  lines?: number;
  marker?: LogMarker;
}

/**
 * Every line starts with this: GraphQL answers in the selection's order and LogFields selects
 * `timestamp` first. Inside a JSON string a quote is escaped, so these bytes never occur in a
 * message or an attribute value.
 */
const LINE_START = Buffer.from('{"timestamp":"');
const TIMESTAMP_LENGTH = 30;
const FRAME_START = Buffer.from('{"id":"');
const NEXT_DATA = Buffer.from('","type":"next","payload":{"data":{"');
const FIELD_END = Buffer.from('":[');
const FRAME_END = Buffer.from(']}}}');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function markerRun(marker: LogMarker): LogRun {
  return { json: Buffer.from(JSON.stringify(marker)), lines: 0, marker };
}

/** Decoded lines back to a run (the decoding path: first events, replays, unusual frames). */
export function linesRun(logs: RailwayLog[]): LogRun {
  return { json: Buffer.from(logs.map((l) => JSON.stringify(l)).join(',')), lines: logs.length };
}

/**
 * The list of a graphql-transport-ws `next` frame shaped
 * `{"id":"…","type":"next","payload":{"data":{"<field>":[…]}}}`, or undefined for any other frame.
 */
export function nextFrameList(frame: Buffer): Buffer | undefined {
  if (!startsWith(frame, FRAME_START, 0)) return undefined;
  const idEnd = frame.indexOf(QUOTE, FRAME_START.length);
  if (idEnd < 0 || frame.subarray(FRAME_START.length, idEnd).includes(BACKSLASH)) return undefined;
  if (!startsWith(frame, NEXT_DATA, idEnd)) return undefined;
  const fieldStart = idEnd + NEXT_DATA.length;
  const fieldEnd = frame.indexOf(FIELD_END, fieldStart);
  if (fieldEnd < 0 || !/^[A-Za-z]+$/.test(frame.toString('latin1', fieldStart, fieldEnd)))
    return undefined;
  const listStart = fieldEnd + FIELD_END.length;
  const listEnd = frame.length - FRAME_END.length;
  if (listEnd < listStart || !startsWith(frame, FRAME_END, listEnd)) return undefined;
  return frame.subarray(listStart, listEnd);
}

export interface RunBounds {
  /** The oldest and newest lines' timestamps (fixed-width, so string order is time order). */
  first: string;
  last: string;
  /** Messages of the lines at `last`, for dedupe after a reconnect. */
  messagesAtLast: string[];
}

/**
 * The timestamps at both ends of a list, and the messages at the newest instant; undefined when the
 * list is empty or not as expected (the newest line is parsed, so a malformed tail is caught here).
 */
export function runBounds(list: Buffer): RunBounds | undefined {
  const first = timestampAt(list, 0);
  let at = list.lastIndexOf(LINE_START);
  const last = at >= 0 ? timestampAt(list, at) : undefined;
  if (first === undefined || last === undefined) return undefined;
  const messagesAtLast: string[] = [];
  let end = list.length;
  while (at >= 0 && timestampAt(list, at) === last) {
    const message = messageOf(list.subarray(at, end), last);
    if (message === undefined) return undefined;
    messagesAtLast.push(message);
    end = at - 1; // the comma before this line
    at = at > 0 ? list.lastIndexOf(LINE_START, at - 1) : -1;
  }
  return { first, last, messagesAtLast };
}

/** How many lines a run holds, counted once. */
export function lineCount(run: LogRun): number {
  if (run.lines === undefined) {
    let n = 0;
    for (let at = run.json.indexOf(LINE_START); at >= 0; at = run.json.indexOf(LINE_START, at + 1))
      n++;
    run.lines = n;
  }
  return run.lines;
}

/** The newest `n` lines of a run, cut at a line boundary. */
export function lastLines(run: LogRun, n: number): LogRun {
  const count = lineCount(run);
  if (run.marker || count <= n) return run;
  let at = run.json.length;
  for (let i = 0; i < n; i++) at = run.json.lastIndexOf(LINE_START, at - 1);
  return { json: run.json.subarray(at), lines: n };
}

/** A whole `logs.batch` notification, its items joined without decoding them. */
export function encodeBatch(streamId: string, runs: LogRun[]): Buffer {
  const head = `{"jsonrpc":"2.0","method":"logs.batch","params":{"streamId":${JSON.stringify(streamId)},"items":[`;
  const parts: Buffer[] = [Buffer.from(head)];
  for (const run of runs) {
    if (run.json.length === 0) continue;
    if (parts.length > 1) parts.push(COMMA);
    parts.push(run.json);
  }
  parts.push(BATCH_END);
  return Buffer.concat(parts);
}

const COMMA = Buffer.from(',');
const BATCH_END = Buffer.from(']}}');

function startsWith(buf: Buffer, prefix: Buffer, at: number): boolean {
  return (
    buf.length >= at + prefix.length &&
    buf.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0
  );
}

/** The timestamp of the line starting at `at`, when it is in Railway's fixed-width UTC form. */
function timestampAt(list: Buffer, at: number): string | undefined {
  const from = at + LINE_START.length;
  const to = from + TIMESTAMP_LENGTH;
  if (!startsWith(list, LINE_START, at) || list[to] !== QUOTE) return undefined;
  const ts = list.toString('latin1', from, to);
  return timestampKey(ts) === ts ? ts : undefined;
}

function messageOf(line: Buffer, timestamp: string): string | undefined {
  try {
    const log = JSON.parse(line.toString('utf8')) as Partial<RailwayLog>;
    return log.timestamp === timestamp && typeof log.message === 'string' ? log.message : undefined;
  } catch {
    return undefined;
  }
}
