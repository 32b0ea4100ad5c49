// The daemon's structured log: one JSON object per line in the state directory, every line redacted.
import * as fs from 'node:fs';
import type { Redactor } from './redact';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  close(): void;
}

const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A logger appending to `file` (mode 0600); `echo` also writes lines to stderr (foreground runs). */
export function createLogger(
  file: string,
  redactor: Redactor,
  opts: { level?: Level; echo?: boolean } = {},
): Logger {
  const fd = fs.openSync(file, 'a', 0o600);
  fs.fchmodSync(fd, 0o600);
  const min = order[opts.level ?? 'info'];
  let open = true;
  const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (!open || order[level] < min) return;
    const line =
      redactor.redact(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })) +
      '\n';
    fs.writeSync(fd, line);
    if (opts.echo) process.stderr.write(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    close: () => {
      if (!open) return;
      open = false;
      fs.closeSync(fd);
    },
  };
}
