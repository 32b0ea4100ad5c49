// Benchmark: upstream Railway requests per hour with the metrics panel open. The panel asks
// `metrics.service` for every part of one service at range 1h every step (30 s) while visible; two
// windows have it open, half a step apart. Run against the built daemon (dist/daemon.js as its
// own process) and the simulators, with the simulators' clock (and through
// RAILYARD_TEST_CLOCK_FILE the daemon's) moved through an hour in seconds of real time; every
// request is counted where it lands, at the Railway simulator. Beside it, in the same run, the
// baseline "one request per chart per refresh": 4 charts (requests, p95, CPU, memory) per refresh
// of one window, sent straight to the simulator (4 × 3600 / 30 = 480 an hour).
// Run: npm run bench:metrics
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RpcClient } from '../client/rpcClient';
import { readSecret, statePaths } from '../protocol/discovery';
import { RANGE_STEP_SECONDS } from '../protocol/metrics';
import { RailwayClient } from '../daemon/railway/railwayClient';
import { discoveryOf, karsFolder, spawnDaemon, tempHome } from '../test/daemon/harness';
import { signedInDaemonEnv, startSimulators, type Simulators } from '../sim/server';

const HOUR_S = 3600;
const STEP_S = RANGE_STEP_SECONDS['1h'];
const OPERATIONS = ['HttpMetricsByStatus', 'HttpDurationMetrics', 'ResourceMetrics'] as const;
/** When each window's panel opened, seconds into the hour: half a step apart, off the steps. */
const WINDOW_OFFSETS_S = [4, 4 + STEP_S / 2];

interface Target {
  environmentId: string;
  serviceId: string;
}

const metricsRequests = (sims: Simulators) => OPERATIONS.map((op) => sims.railway.requestCount(op));

/** The panel's refreshes of every window over an hour, in time order. */
function refreshes(): { at: number; window: number }[] {
  const out: { at: number; window: number }[] = [];
  WINDOW_OFFSETS_S.forEach((offset, window) => {
    for (let at = offset; at < HOUR_S; at += STEP_S) out.push({ at, window });
  });
  return out.sort((a, b) => a.at - b.at);
}

/** Moves the simulators' clock and the daemon's (through its clock file) to `ms`. */
function moveClocks(sims: Simulators, clockFile: string, ms: number): void {
  sims.clock.advanceTo(ms);
  fs.writeFileSync(clockFile, String(sims.clock.nowMs()));
}

async function railyardHour(sims: Simulators, start: number) {
  const home = tempHome();
  const clockFile = path.join(tempHome(), 'clock');
  moveClocks(sims, clockFile, start);
  const env = { ...signedInDaemonEnv(sims), HOME: tempHome(), RAILYARD_TEST_CLOCK_FILE: clockFile };
  const daemon = spawnDaemon(home, [], env, [], 'built');
  try {
    await daemon.stdout;
    const { port } = discoveryOf(home);
    const secret = readSecret(statePaths(home))!;
    const windows = await Promise.all(
      WINDOW_OFFSETS_S.map((_, i) =>
        RpcClient.connect({ port, secret, client: { name: `window ${i + 1}`, kind: 'test' } }),
      ),
    );
    const folder = karsFolder(sims);
    // Each window shows the tree too, as the extension does; the panel reads names from it.
    const views = await Promise.all(
      windows.map((w) => w.request('environments.watch', { folder })),
    );
    const target = backendIn(views[0]!.view.environments);
    const before = metricsRequests(sims);
    const beforeAll = sims.railway.requestCount();
    const plan = refreshes();
    for (const r of plan) {
      moveClocks(sims, clockFile, start + r.at * 1000);
      await windows[r.window]!.request('metrics.service', { folder, ...target, range: '1h' });
    }
    const after = metricsRequests(sims);
    for (const w of windows) w.close();
    return {
      byOperation: OPERATIONS.map((op, i) => [op, after[i]! - before[i]!] as const),
      total: after.reduce((n, v, i) => n + v - before[i]!, 0),
      allRailway: sims.railway.requestCount() - beforeAll,
      calls: plan.length,
    };
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exit;
  }
}

function backendIn(
  envs: { id: string; name: string; services: { id: string; name: string }[] }[],
): Target {
  const prod = envs.find((e) => e.name === 'kars-prod');
  const backend = prod?.services.find((s) => s.name === 'kars-backend');
  if (!prod || !backend) throw new Error('the kars project lacks kars-backend in kars-prod');
  return { environmentId: prod.id, serviceId: backend.id };
}

/** One window's panel without a daemon: each refresh, one request per chart. */
async function baselineHour(sims: Simulators, start: number, target: Target): Promise<number> {
  const client = new RailwayClient({
    token: sims.tokens.railway.account,
    tokenKind: 'account',
    endpoint: sims.railway.url,
  });
  const before = sims.railway.requestCount();
  for (let at = 0; at < HOUR_S; at += STEP_S) {
    sims.clock.advanceTo(start + at * 1000);
    const to = new Date(sims.clock.nowMs());
    const vars = {
      ...target,
      startDate: new Date(to.getTime() - HOUR_S * 1000).toISOString(),
      endDate: to.toISOString(),
    };
    await Promise.all([
      client.operation('HttpMetricsByStatus', { ...vars, stepSeconds: STEP_S }),
      client.operation('HttpDurationMetrics', { ...vars, stepSeconds: STEP_S }),
      client.operation('ResourceMetrics', {
        ...vars,
        sampleRateSeconds: STEP_S,
        measurements: ['CPU_USAGE'],
      }),
      client.operation('ResourceMetrics', {
        ...vars,
        sampleRateSeconds: STEP_S,
        measurements: ['MEMORY_USAGE_GB'],
      }),
    ]);
  }
  return sims.railway.requestCount() - before;
}

async function main(): Promise<void> {
  const sims = await startSimulators();
  try {
    const stepMs = STEP_S * 1000;
    const start = Math.ceil(sims.clock.nowMs() / stepMs) * stepMs;
    const railyard = await railyardHour(sims, start);
    const env = sims.railway.state.environmentByName('kars-prod');
    const target = {
      environmentId: env.id,
      serviceId: sims.railway.state.serviceByName('kars-backend', env.projectId).id,
    };
    const baseline = await baselineHour(sims, start + HOUR_S * 1000, target);
    const computed = (4 * HOUR_S) / STEP_S;
    console.log(
      `Metrics panel open for an hour: range 1h, all parts, every ${STEP_S} s, ${WINDOW_OFFSETS_S.length} windows; the built daemon, the simulators' clock moved`,
    );
    console.log(
      `railyard   ${String(railyard.total).padStart(5)} Railway metrics requests/hour for ${railyard.calls} panel refreshes (${railyard.byOperation.map(([op, n]) => `${op} ${n}`).join(', ')})`,
    );
    console.log(
      `           ${String(railyard.allRailway).padStart(5)} Railway requests of any kind in the same hour (the tree's polls included)`,
    );
    console.log(
      `baseline   ${String(baseline).padStart(5)} measured, one request per chart per refresh, one window (computed: 4 charts × ${HOUR_S / STEP_S} refreshes = ${computed}); two windows: ${2 * baseline}`,
    );
  } finally {
    await sims.close();
  }
}

void main();
