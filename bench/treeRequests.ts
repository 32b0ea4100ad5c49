// Benchmark: upstream Railway requests per hour with the Environments tree open and nothing
// happening. Two measurements, each printed beside its baseline:
// 1. The project watcher alone (daemon/environments/projectWatcher.ts) on a virtual clock: an hour
//    passes in seconds, for 3×3 and 10×10 projects; every request is a real HTTP request to the
//    Railway simulator, counted there. Beside it, one request per service every 10 s (what the
//    best community extension does), counted the same way in the same run.
// 2. The whole daemon (dist/daemon.js as its own process) watching the kars project (3×3) through
//    the protocol for a measured period of real time (--seconds, default 300), its Railway, GitHub
//    API and git requests counted at the simulators and scaled to an hour (bench/treeDaemon.ts).
// Run: npm run bench:tree [-- --seconds 600]
import { ProjectWatcher, type Timers } from '../daemon/environments/projectWatcher';
import {
  environmentTreeDocument,
  RECENT_DEPLOYMENTS,
  type EnvironmentTreeResult,
} from '../daemon/environments/treeQuery';
import { RailwayClient } from '../daemon/railway/railwayClient';
import { startRailwaySim, type RailwaySim } from '../sim/railway/server';
import { wholeDaemon } from './treeDaemon';

const HOUR = 3_600_000;
const BASELINE_INTERVAL = 10_000;
const TOKEN = 'bench-account-token-0123456789';

/** Timers on a virtual clock: `runFor` fires them in time order and waits for the work they start. */
class VirtualTimers implements Timers {
  private now = 0;
  private seq = 0;
  private readonly queue = new Map<number, { at: number; fn: () => void }>();
  readonly pending = new Set<Promise<unknown>>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.queue.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue.delete(handle as number);
  }
  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }
  async runFor(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await Promise.all(this.pending);
      const next = [...this.queue.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      this.queue.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = end;
  }
}

/** A project of `envs` environments × `services` services, every service deployed and idle. */
function buildGrid(sim: RailwaySim, envs: number, services: number): string {
  const { state } = sim;
  const at = state.timestamp();
  const workspace = { id: state.nextId(), name: 'bench' };
  state.workspaces.push(workspace);
  for (const user of state.users) user.workspaceIds.push(workspace.id);
  const project = {
    id: state.nextId(),
    name: `grid-${envs}x${services}`,
    description: '',
    workspaceId: workspace.id,
    createdAt: at,
    updatedAt: at,
  };
  state.projects.push(project);
  const svcs = Array.from({ length: services }, (_, i) => ({
    id: state.nextId(),
    name: `svc-${i}`,
    projectId: project.id,
    icon: null,
    createdAt: at,
    updatedAt: at,
  }));
  state.services.push(...svcs);
  for (let e = 0; e < envs; e++) {
    const env = {
      id: state.nextId(),
      name: `env-${e}`,
      projectId: project.id,
      isEphemeral: false,
      meta: null,
      sourceEnvironmentId: null,
      createdAt: at,
      updatedAt: at,
    };
    state.environments.push(env);
    for (const s of svcs) {
      state.serviceInstances.push({
        id: state.nextId(),
        serviceId: s.id,
        environmentId: env.id,
        source: { repo: 'bench/app', image: null },
        healthcheckPath: null,
        numReplicas: 1,
        restartPolicyMaxRetries: 10,
        watchPatterns: [],
        autoDeploy: true,
        needsApproval: false,
        serviceDomains: [],
        customDomains: [],
        createdAt: at,
        updatedAt: at,
      });
      state.triggers.push({
        id: state.nextId(),
        projectId: project.id,
        environmentId: env.id,
        serviceId: s.id,
        repository: 'bench/app',
        branch: env.name,
        provider: 'github',
        checkSuites: false,
      });
      state.createDeployment({
        environmentId: env.id,
        serviceId: s.id,
        status: 'SUCCESS',
        meta: { commitHash: 'abc1234', branch: env.name },
      });
    }
  }
  return project.id;
}

async function railyard(
  sim: RailwaySim,
  projectId: string,
  timers: VirtualTimers,
): Promise<number> {
  const client = new RailwayClient({ token: TOKEN, tokenKind: 'account', endpoint: sim.url });
  const before = sim.requestCount();
  const watcher = new ProjectWatcher({
    projectId,
    link: { source: 'env' },
    config: () => ({}),
    fetchTree: (id) =>
      timers.track(
        client.request<EnvironmentTreeResult>(environmentTreeDocument, {
          projectId: id,
          recent: RECENT_DEPLOYMENTS,
        }),
      ),
    subscribeDeployment: () => () => undefined,
    checkHealth: () => Promise.resolve({ state: 'unknown' }),
    onView: () => undefined,
    timers,
  });
  await watcher.start();
  await timers.runFor(HOUR);
  watcher.stop();
  return sim.requestCount() - before;
}

/** One request per service instance every 10 s: its latest deployment, all at once, unpaced. */
async function baseline(
  sim: RailwaySim,
  projectId: string,
  timers: VirtualTimers,
): Promise<number> {
  const client = new RailwayClient({
    token: TOKEN,
    tokenKind: 'account',
    endpoint: sim.url,
    pace: { perWindow: Infinity, windowMs: 1000 },
  });
  const instances = sim.state.serviceInstances.filter(
    (i) => sim.state.environments.find((e) => e.id === i.environmentId)?.projectId === projectId,
  );
  const before = sim.requestCount();
  const tick = () => {
    for (const i of instances) {
      void timers.track(
        client.operation('Deployments', {
          input: { projectId, environmentId: i.environmentId, serviceId: i.serviceId },
          first: 1,
        }),
      );
    }
    timers.setTimeout(tick, BASELINE_INTERVAL);
  };
  tick();
  await timers.runFor(HOUR - 1);
  return sim.requestCount() - before;
}

async function measure(
  envs: number,
  services: number,
): Promise<{ size: string; railyard: number; baseline: number }> {
  const sim = await startRailwaySim({
    fixture: 'empty',
    tokens: [{ token: TOKEN, kind: 'account' }],
    // The baseline sends 100 requests at once every 10 s; only the count matters here.
    rateLimitPerHour: 10_000_000,
    rateLimitPerSecond: null,
  });
  try {
    const projectId = buildGrid(sim, envs, services);
    return {
      size: `${envs}×${services}`,
      railyard: await railyard(sim, projectId, new VirtualTimers()),
      baseline: await baseline(sim, projectId, new VirtualTimers()),
    };
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  const seconds = Number(/--seconds[= ](\d+)/.exec(process.argv.slice(2).join(' '))?.[1] ?? 300);
  const rows = [await measure(3, 3), await measure(10, 10)];
  console.log('1. The project watcher, an idle hour on a virtual clock (counted at the simulator)');
  console.log('size     railyard   baseline (1 request/service/10 s)   goal');
  for (const r of rows)
    console.log(
      `${r.size.padEnd(8)} ${String(r.railyard).padStart(8)}   ${String(r.baseline).padStart(8)}                            <= 60`,
    );
  console.log(
    `\n2. The whole daemon (dist/daemon.js), kars 3×3 watched through the protocol, ${seconds} s of real time`,
  );
  const whole = await wholeDaemon(seconds);
  console.log(
    `Railway API: ${whole.railway} requests → ${whole.perHour.railway}/hour (baseline as in 1: ${rows[0]!.baseline}/hour)`,
  );
  console.log(
    `GitHub API: ${whole.github} → ${whole.perHour.github}/hour; git (branch heads): ${whole.git} → ${whole.perHour.git}/hour`,
  );
  const worst = Math.max(...rows.map((r) => r.railyard), whole.perHour.railway);
  console.log(
    worst <= 60
      ? `goal met: at most ${worst} Railway requests/hour`
      : `GOAL MISSED: ${worst} Railway requests/hour`,
  );
}

void main();
