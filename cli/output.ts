// How the CLI prints: text for people, one JSON document with --json, errors as sentences with exit codes.
import { adviceFor, EXIT_CODES } from '../client/errorGuidance';
import * as path from 'node:path';
import { stateDir, statePaths } from '../protocol/discovery';
import { folderContextOf, type FolderContext } from '../protocol/protocol';

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

/** A word the user typed, quoted back, unless it is long enough to be a token pasted by mistake. */
export function quoted(word: string): string {
  return word.length > 24 ? '(not shown: it looks like it could be a token)' : `"${word}"`;
}

/** The folder a command is about: trusted, as git trusts the repository it runs in; the project link is the terminal's. */
export function cliFolder(folder: string | undefined): FolderContext {
  return folderContextOf(path.resolve(folder ?? process.cwd()), true);
}
