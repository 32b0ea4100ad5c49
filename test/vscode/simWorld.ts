// The simulated Railway, GitHub and git world the VS Code suites run against, and the environment
// that points a Railyard daemon (through code-server and the extension host) at it.
import type { SimDeployment } from '../../sim/railway/model';
import type { RailwayState } from '../../sim/railway/state';
import { signedInDaemonEnv, startSimulators, type Simulators } from '../../sim/server';

export interface SimWorld {
  sims: Simulators;
  /** The kars project's id, as RAILWAY_PROJECT_ID names it. */
  projectId: string;
  /** For code-server's environment: every extension host, hence every daemon, inherits it. */
  daemonEnv: Record<string, string>;
}

/** Starts the simulators with the kars fixture; deployments move only when a test says so. */
export async function startSimWorld(): Promise<SimWorld> {
  const sims = await startSimulators({ fixture: 'kars' });
  const project = sims.railway.state.projects[0];
  if (!project) {
    await sims.close();
    throw new Error('the kars fixture has no Railway project');
  }
  const daemonEnv = signedInDaemonEnv(sims);
  return { sims, projectId: project.id, daemonEnv };
}

/** The commit a simulated deployment was built from. */
export function commitOf(deployment: SimDeployment | undefined): string | undefined {
  const hash = deployment?.meta.commitHash;
  return typeof hash === 'string' ? hash : undefined;
}

/** The deployment serving `service` in `environment` now (names, as in the fixture). */
export function activeDeployment(
  state: RailwayState,
  environment: string,
  service: string,
): SimDeployment | undefined {
  const env = state.environmentByName(environment);
  return state.servingDeployment(env.id, state.serviceByName(service, env.projectId).id);
}

/** Resolves with the first deployment the simulator creates or changes that `accept`s. */
export function nextDeployment(
  state: RailwayState,
  accept: (d: SimDeployment) => boolean,
  timeoutMs: number,
): Promise<SimDeployment> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the Railway simulator saw no such deployment in ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = state.onDeploymentChange((d) => {
      if (!accept(d)) return;
      clearTimeout(timer);
      stop();
      resolve(d);
    });
  });
}
