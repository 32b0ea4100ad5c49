// The `railyard` command line: parses argv and dispatches to one module per command group.
import { parseArgs } from 'node:util';
import { main as simMain } from '../sim/cli';
import { daemonCommand } from './daemonCommands';
import { loginCommand, logoutCommand } from './loginCommand';
import { logsCommand } from './logsCommand';
import { CliError, printError } from './output';
import { promoteCommand } from './promoteCommand';
import { statusCommand } from './statusCommand';

const USAGE = `Usage: railyard <command> [options]

Commands:
  daemon start      Start the daemon in the background (or say where it already runs)
  daemon status     Show the daemon, its clients and credentials
  daemon stop       Stop the daemon
  status            This folder's Railway project: environments, services, API budget
  logs <service>    Follow a service's logs (--env NAME, --build, --filter EXPR, --lines N)
  promote <from> <to>  Merge one environment's branch into the next's behind the gates, and follow
                    the deploy; status, history, cancel, rollback, revert (railyard promote --help)
  login railway     Sign in to Railway with a token from standard input, RAILWAY_TOKEN (a project
                    token) or RAILWAY_API_TOKEN, or typed at a hidden prompt; never an argument.
                    The daemon validates and stores it, as the editor's sign-in does
  login github      The same for GitHub: standard input, GITHUB_TOKEN or GH_TOKEN, or the prompt
  logout [WHICH]    Forget the tokens Railyard stored: railway, github or all (the default)
  sim               Run the built-in Railway, GitHub and git simulators (railyard sim --help)

Options:
  --json            Machine-readable output
  --folder DIR      The workspace folder (default: the current directory)
  --help            This text

Exit codes:
  0  done
  1  failed (the daemon's own bugs included)
  2  bad command line
  3  daemon status: no daemon runs
  4  signed out, or Railway refused the credential
  5  no Railway project linked to the folder
  6  no such environment, service or deployment
  7  refused: untrusted folder, protected environment, conflict
  8  Railway or the daemon could not answer: network, block page, outage, rate limit
  railyard promote has its own 3 to 7 (railyard promote --help lists them)
`;

export async function main(argv: string[]): Promise<number> {
  // The simulators parse their own flags.
  if (argv[0] === 'sim') return simMain(argv.slice(1));
  // promote's flags are its own, and so are its exit codes (cli/promoteExit.ts).
  if (argv[0] === 'promote') return promoteCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      folder: { type: 'string' },
      env: { type: 'string' },
      build: { type: 'boolean', default: false },
      filter: { type: 'string' },
      lines: { type: 'string' },
    },
  });
  const [group, action] = positionals;
  if (values.help || !group) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (group === 'daemon') return daemonCommand(action, { json: values.json });
  if (group === 'status') return statusCommand({ json: values.json, folder: values.folder });
  if (group === 'logs') return logsCommand(action, values);
  if (group === 'login') return loginCommand(positionals.slice(1), { json: values.json });
  if (group === 'logout') return logoutCommand(positionals.slice(1), { json: values.json });
  // A long word may be a token pasted in the wrong place: never echo it back to the terminal.
  const shown = group.length > 24 ? '(not shown: it looks like it could be a token)' : `"${group}"`;
  throw new CliError(`Unknown command ${shown}.\n\n${USAGE}`, 2);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => process.exit(printError(e)),
);
