// `railyard sim`: starts the simulators, prints where they listen, which tokens they accept and the daemon's environment, and runs until stopped.
import { isCiMode } from './github/ci';
import { startSimulators, type Simulators, type SimulatorsOptions } from './server';

export interface SimCliIo {
  write(text: string): void;
  /** Resolves when the process should stop; defaults to the first SIGINT or SIGTERM. */
  stopped?: Promise<void>;
}

const usage = `usage: railyard sim [--json] [--railway-port N] [--github-port N] [--git-port N] [--fixture kars|empty] [--advance-ms N] [--ci MODE]
  --railway-port N, --port N   the Railway simulator's port (default: any free one)
  --advance-ms N   one step of a push (webhook, CI, queue, build, deploy) lasts N ms on the wall clock
                   (default 3000; 0 = the clock stands still)
  --ci pass|fail|manual|absent   how each push's GitHub Actions check run ends (default pass);
                   manual stays in progress, absent runs no check at all
  --json           print the URLs, tokens and environment as one line of JSON`;

/** Returns the exit code once the simulators have stopped. */
export async function main(
  argv: string[],
  io: SimCliIo = { write: (t) => process.stdout.write(t) },
): Promise<number> {
  const parsed = parseArgs(argv);
  if ('error' in parsed) {
    io.write(`${parsed.error}\n${usage}\n`);
    return 2;
  }
  const sims = await startSimulators(parsed.options);
  io.write(parsed.json ? `${JSON.stringify(describe(sims))}\n` : describeText(sims));
  await (io.stopped ?? untilSignal());
  await sims.close();
  return 0;
}

export function parseArgs(
  argv: string[],
): { options: SimulatorsOptions; json: boolean } | { error: string } {
  const options: SimulatorsOptions = { fixture: 'kars', stepMs: 3000, realTime: true };
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') {
      json = true;
      continue;
    }
    const value = argv[++i];
    if (flag === '--fixture' && (value === 'kars' || value === 'empty')) options.fixture = value;
    else if (isRailwayPort(flag) && isCount(value)) options.railwayPort = Number(value);
    else if (flag === '--github-port' && isCount(value)) options.githubPort = Number(value);
    else if (flag === '--git-port' && isCount(value)) options.gitPort = Number(value);
    else if (flag === '--ci' && isCiMode(value)) options.ci = value;
    else if (flag === '--advance-ms' && isCount(value)) {
      options.stepMs = Number(value) || undefined;
      options.realTime = Number(value) > 0;
    } else return { error: `railyard sim: unexpected ${flag ?? ''} ${value ?? ''}`.trim() };
  }
  return { options, json };
}

/** `--port` is short for `--railway-port`: the Railway simulator is the one a daemon is pointed at. */
function isRailwayPort(flag: string | undefined): boolean {
  return flag === '--railway-port' || flag === '--port';
}

function isCount(value: string | undefined): boolean {
  return value !== undefined && /^\d+$/.test(value);
}

function describe(sims: Simulators) {
  const { urls } = sims;
  return {
    railway: { url: urls.railway, wsUrl: urls.railwayWs, appsUrl: urls.railwayApps },
    github: { url: urls.github },
    git: { url: urls.git, repo: urls.repo },
    tokens: sims.tokens,
    env: sims.env,
  };
}

function describeText(sims: Simulators): string {
  const { urls, tokens: t } = sims;
  return [
    `Railway simulator  ${urls.railway}  (subscriptions: ${urls.railwayWs})`,
    `Railway apps       ${urls.railwayApps}  (*.up.railway.app, by Host header)`,
    `GitHub simulator   ${urls.github}`,
    `git server         ${urls.git}`,
    `repository         ${urls.repo ?? '(none: empty fixture)'}`,
    '',
    `Railway account token      ${t.railway.account}`,
    `Railway workspace token    ${t.railway.workspace}`,
    `Railway project token dev  ${t.railway.projectDev || '(none)'}`,
    `Railway project token prod ${t.railway.projectProd || '(none)'}`,
    `GitHub and git token (${t.github.login}) ${t.github.token}`,
    '',
    'Point Railyard at them:',
    ...Object.entries(sims.env).map(([name, value]) => `  export ${name}=${value}`),
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
