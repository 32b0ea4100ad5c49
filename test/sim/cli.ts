// `railyard sim`: starts the simulators, prints where they listen and which tokens they accept, and runs until stopped.
import { startSimulators, type Simulators, type SimulatorsOptions } from './server';

export interface SimCliIo {
  write(text: string): void;
  /** Resolves when the process should stop; defaults to the first SIGINT or SIGTERM. */
  stopped?: Promise<void>;
}

const usage = `usage: railyard sim [--json] [--railway-port N] [--github-port N] [--fixture kars|empty] [--advance-ms N]
  --advance-ms N   move deployments one step every N ms (default 3000; 0 = only when told)`;

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

function parseArgs(
  argv: string[],
): { options: SimulatorsOptions; json: boolean } | { error: string } {
  const options: SimulatorsOptions = { fixture: 'kars', autoAdvanceMs: 3000 };
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') {
      json = true;
      continue;
    }
    const value = argv[++i];
    if (flag === '--fixture' && (value === 'kars' || value === 'empty')) options.fixture = value;
    else if (flag === '--railway-port' && isCount(value)) options.railwayPort = Number(value);
    else if (flag === '--github-port' && isCount(value)) options.githubPort = Number(value);
    else if (flag === '--advance-ms' && isCount(value))
      options.autoAdvanceMs = Number(value) || undefined;
    else return { error: `railyard sim: unexpected ${flag ?? ''} ${value ?? ''}`.trim() };
  }
  return { options, json };
}

function isCount(value: string | undefined): boolean {
  return value !== undefined && /^\d+$/.test(value);
}

function describe(sims: Simulators) {
  return {
    railway: { url: sims.urls.railway, wsUrl: sims.urls.railwayWs },
    github: { url: sims.urls.github },
    tokens: sims.tokens,
    env: sims.env,
  };
}

function describeText(sims: Simulators): string {
  const t = sims.tokens;
  return [
    `Railway simulator  ${sims.urls.railway}  (subscriptions: ${sims.urls.railwayWs})`,
    `GitHub simulator   ${sims.urls.github}`,
    '',
    `Railway account token      ${t.railway.account}`,
    `Railway workspace token    ${t.railway.workspace}`,
    `Railway project token dev  ${t.railway.projectDev}`,
    `Railway project token prod ${t.railway.projectProd}`,
    `GitHub token (${t.github.login})      ${t.github.token}`,
    '',
    `Point Railyard at them:  RAILYARD_RAILWAY_URL=${sims.env.RAILYARD_RAILWAY_URL} RAILYARD_GITHUB_API_URL=${sims.env.RAILYARD_GITHUB_API_URL}`,
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
