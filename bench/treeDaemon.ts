// The tree's upstream cost measured on the whole product: the built daemon (dist/daemon.js) as its
// own process, a client watching the kars project (3 environments × 3 services) through the
// protocol, for a real period of wall-clock time with nothing happening. Every request is counted
// where it lands, at the simulators, and scaled to an hour. Beside treeRequests.ts's virtual hour
// (the project watcher alone), this catches what only the assembled daemon does: health checks,
// branch heads from git, GitHub's compare, a second look at anything.
import { RpcClient } from '../client/rpcClient';
import { readSecret, statePaths } from '../protocol/discovery';
import { discoveryOf, karsFolder, spawnDaemon, tempHome } from '../test/daemon/harness';
import { signedInDaemonEnv, startSimulators } from '../sim/server';

export interface DaemonHour {
  seconds: number;
  railway: number;
  github: number;
  git: number;
  /** Per hour, from the counts over `seconds`. */
  perHour: { railway: number; github: number; git: number };
}

export async function wholeDaemon(seconds: number): Promise<DaemonHour> {
  const sims = await startSimulators();
  const home = tempHome();
  const daemon = spawnDaemon(
    home,
    [],
    { ...signedInDaemonEnv(sims), HOME: tempHome() },
    [],
    'built',
  );
  try {
    await daemon.stdout;
    const { port } = discoveryOf(home);
    const client = await RpcClient.connect({
      port,
      secret: readSecret(statePaths(home))!,
      client: { name: 'tree bench', kind: 'test' },
    });
    const { view } = await client.request('environments.watch', { folder: karsFolder(sims) });
    if (view.state !== 'ready')
      throw new Error(`the daemon did not show the project: ${view.message}`);
    // Counted from the first answer on: what a tree left open costs, not what opening it costs.
    const counts = () => ({
      railway: sims.railway.requestCount(),
      github: sims.github.requestCount(),
      git: sims.git.requestCount(),
    });
    const before = counts();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const after = counts();
    client.close();
    const railway = after.railway - before.railway;
    const github = after.github - before.github;
    const git = after.git - before.git;
    const hour = (n: number) => Math.round((n * 3600) / seconds);
    return {
      seconds,
      railway,
      github,
      git,
      perHour: { railway: hour(railway), github: hour(github), git: hour(git) },
    };
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exit;
    await sims.close();
  }
}
