// Pure: the log lines of the editor-load bench, one source for both loads: the simulated services
// write these messages through Railway and the daemon, and the baseline extension appends the
// same lines, formatted as Railyard's channels show them, straight to plain Output channels.
import { formatItem } from '../client/logFormat';
import { toLogLine } from '../client/logLines';
import { EMIT_NS, SEQ } from '../sim/railway/logGenerator';

const paths = ['/api/invoices', '/api/customers', '/api/health', '/api/invoices/export', '/'];

/** An access-log line of a typical length; one in 50 a warning, one in 400 an error. */
export function message(seq: number): string {
  const p = paths[seq % paths.length]!;
  const status = seq % 400 === 0 ? 500 : 200;
  return `${seq % 7 ? 'GET' : 'POST'} ${p}/${seq % 997} ${status} in ${(seq * 7) % 180}ms`;
}

export function severity(seq: number): 'info' | 'warn' | 'error' {
  return seq % 400 === 0 ? 'error' : seq % 50 === 0 ? 'warn' : 'info';
}

/** Length of Railyard's time column ("16:20:05.123") and the space after it. */
export const timeColumn = 'HH:MM:SS.mmm '.length;

/**
 * The lines seq = first…first+count-1 as a Railyard deploy-log channel shows them, less the time
 * column (the baseline extension puts the time of its append there), so both loads draw lines of
 * the same lengths: each read as the extension reads the simulated Railway's line (its level, and
 * the `seq` and `emitNs` attributes every generated line carries, shown after the message).
 */
export function channelLinesWithoutTime(count: number, first = 1, emitNs = '0'): string[] {
  const lines: string[] = [];
  for (let seq = first; seq < first + count; seq++) {
    const item = toLogLine({
      timestamp: '2026-01-01T00:00:00.000Z',
      message: message(seq),
      severity: severity(seq),
      attributes: [
        { key: 'level', value: JSON.stringify(severity(seq)) },
        { key: SEQ, value: JSON.stringify(seq) },
        { key: EMIT_NS, value: JSON.stringify(emitNs) },
      ],
    });
    lines.push(formatItem(item).slice(timeColumn));
  }
  return lines;
}
