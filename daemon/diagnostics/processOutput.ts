// What the daemon process itself prints, redacted: its stderr is kept in a file (daemon.stderr.log)
// that Node's and libraries' warnings, debug output and crash reports reach without the logger.
import type { Logger } from './logger';
import type { Redactor } from './redact';

type Write = (chunk: unknown, ...rest: unknown[]) => boolean;

/**
 * Makes every later write to these streams pass the redactor first. A secret split across two
 * writes would pass, but Node, console and the logger write each message in one call.
 */
export function redactProcessOutput(
  redactor: Redactor,
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) {
    const write = stream.write.bind(stream) as Write;
    const redacting: Write = (chunk, ...rest) =>
      write(redactChunk(redactor, chunk, rest[0]), ...rest);
    stream.write = redacting;
  }
}

/** Strings stay strings; bytes (or strings in another encoding) are read as UTF-8 and become bytes. */
function redactChunk(redactor: Redactor, chunk: unknown, encoding: unknown): unknown {
  if (typeof chunk === 'string') {
    if (typeof encoding !== 'string' || /^utf-?8$/i.test(encoding)) return redactor.redact(chunk);
    return Buffer.from(redactor.redact(Buffer.from(chunk, encoding as BufferEncoding).toString()));
  }
  if (chunk instanceof Uint8Array)
    return Buffer.from(redactor.redact(Buffer.from(chunk).toString('utf8')));
  return chunk;
}

export interface CrashReporting {
  /** The daemon's log once it has one; until then reports go to (redacted) stderr. */
  logger(): Logger | undefined;
  /** Stops what runs, before the process exits after an uncaught exception. */
  stop(): Promise<void>;
}

/**
 * Installed before anything can fail: without a listener Node prints an uncaught exception's stack
 * straight to file descriptor 2, past any redaction. A stray rejection is reported, not fatal: the
 * daemon serves every window and must stay up.
 */
export function reportCrashes(target: CrashReporting): void {
  const report = (what: string, e: unknown) => {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    const logger = target.logger();
    if (logger) logger.error(what, { error });
    else process.stderr.write(`railyard daemon: ${what}: ${error}\n`);
  };
  process.on('unhandledRejection', (e) => report('unhandled rejection', e));
  process.on('uncaughtException', (e) => {
    report('uncaught exception', e);
    void target.stop().finally(() => process.exit(1));
  });
}
