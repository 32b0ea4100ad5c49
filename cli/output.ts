// How the CLI prints: text for people, one JSON document with --json, errors as sentences with exit codes.
import { adviceFor, EXIT_CODES } from '../client/errorGuidance';
import { stateDir, statePaths } from '../protocol/discovery';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function print(json: boolean, value: unknown, text: string): void {
  process.stdout.write(
    json ? JSON.stringify(value, null, 2) + '\n' : text.endsWith('\n') ? text : text + '\n',
  );
}

/**
 * Prints the sentence (the daemon's own, which says what to do) and returns the exit code of its
 * kind of problem (client/errorGuidance.ts); only the daemon's own bugs point at its log.
 */
export function printError(e: unknown): number {
  if (e instanceof CliError) {
    process.stderr.write(`railyard: ${e.message}\n`);
    return e.exitCode;
  }
  if (isArgvError(e)) {
    process.stderr.write(`railyard: ${e.message}\nrailyard --help lists commands and options.\n`);
    return EXIT_CODES.usage;
  }
  const advice = adviceFor(e);
  process.stderr.write(`railyard: ${advice.message}\n`);
  if (advice.action === 'show-daemon-log')
    process.stderr.write(`railyard: the daemon's log is ${statePaths(stateDir()).log}\n`);
  return advice.exitCode;
}

/** node:util parseArgs refusing the command line (an unknown option, a missing value). */
function isArgvError(e: unknown): e is Error {
  return e instanceof Error && String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
}
