// Starts the Railway and GitHub simulators together, for the demo, the VS Code tests and `railyard sim`.
import type { FixtureName } from './railway/fixtures';
import { startRailwaySim, type RailwaySim } from './railway/server';
import { startGithubSim, type GithubSim } from './github/server';

export interface SimulatorsOptions {
  railwayPort?: number;
  githubPort?: number;
  fixture?: FixtureName;
  /** Demo mode: move deployments along on a timer. */
  autoAdvanceMs?: number;
  rateLimitPerHour?: number;
}

export interface SimulatorTokens {
  railway: { account: string; workspace: string; projectDev: string; projectProd: string };
  github: { token: string; login: string };
}

export interface Simulators {
  railway: RailwaySim;
  github: GithubSim;
  urls: { railway: string; railwayWs: string; github: string };
  tokens: SimulatorTokens;
  /** The environment that points a Railyard daemon at these simulators. */
  env: { RAILYARD_RAILWAY_URL: string; RAILYARD_GITHUB_API_URL: string };
  close(): Promise<void>;
}

export async function startSimulators(options: SimulatorsOptions = {}): Promise<Simulators> {
  const railway = await startRailwaySim({
    port: options.railwayPort,
    fixture: options.fixture,
    autoAdvanceMs: options.autoAdvanceMs,
    rateLimitPerHour: options.rateLimitPerHour,
  });
  const github = await startGithubSim({ port: options.githubPort }).catch(
    async (error: unknown) => {
      await railway.close();
      throw error;
    },
  );
  let closing: Promise<void> | undefined;
  return {
    railway,
    github,
    urls: { railway: railway.url, railwayWs: railway.wsUrl, github: github.url },
    tokens: knownTokens(railway, github),
    env: { RAILYARD_RAILWAY_URL: railway.url, RAILYARD_GITHUB_API_URL: github.url },
    close: () => (closing ??= Promise.all([railway.close(), github.close()]).then(() => undefined)),
  };
}

function knownTokens(railway: RailwaySim, github: GithubSim): SimulatorTokens {
  const find = (kind: string, env?: string) =>
    railway.tokens.find(
      (t) =>
        t.kind === kind && (env === undefined || ('environment' in t && t.environment === env)),
    )?.token ?? '';
  const gh = github.tokens[0];
  return {
    railway: {
      account: find('account'),
      workspace: find('workspace'),
      projectDev: find('project', 'kars-dev'),
      projectProd: find('project', 'kars-prod'),
    },
    github: { token: gh?.token ?? '', login: gh?.login ?? '' },
  };
}
