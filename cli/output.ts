// How the CLI prints: text for people, one JSON document with --json, errors as sentences with exit codes.
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

export function printError(e: unknown): number {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`railyard: ${message}\n`);
  return e instanceof CliError ? e.exitCode : 1;
}
