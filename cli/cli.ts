// The `railyard` command line: parses argv and dispatches to one module per command group.
import { parseArgs } from 'node:util';
import { daemonCommand } from './daemonCommands';
import { statusCommand } from './statusCommand';
import { CliError, printError } from './output';

const USAGE = `Usage: railyard <command> [options]

Commands:
  daemon start    Start the daemon in the background (or say where it already runs)
  daemon status   Show the daemon, its clients and credentials
  daemon stop     Stop the daemon
  status          This folder's Railway project: environments, services, API budget
                  (--folder DIR for another folder)

Options:
  --json          Machine-readable output
  --help          This text
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      folder: { type: 'string' },
    },
  });
  const [group, action] = positionals;
  if (values.help || !group) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (group === 'daemon') return daemonCommand(action, { json: values.json });
  if (group === 'status') return statusCommand({ json: values.json, folder: values.folder });
  throw new CliError(`Unknown command "${group}".\n\n${USAGE}`, 2);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => process.exit(printError(e)),
);
