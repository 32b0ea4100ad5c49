// Proves the Railway simulator's metrics queries: request counts by exact status code and duration
// percentiles that agree with the request lines the deployments wrote to their logs, resources
// derived from them, made-up history before the start, Railway's errors, and both readings of
// what Railway leaves open (empty steps, aggregate samples).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import { demoTraffic } from '../../sim/demoTraffic';
import { railwayOperations } from '../../daemon/railway/operations';
import { binOf, binRange } from '../../sim/railway/durationHistogram';
import { seeded, syntheticBucket } from '../../sim/railway/metricsHistory';
import { createState } from '../../sim/railway/fixtures';
import { SimClock } from '../../sim/clock';
import type { SimLog } from '../../sim/railway/logs';
import { bearer, data, errorOf } from './railwayTestClient';

interface StatusGroup {
  statusCode: number;
  samples: { ts: number; value: number }[];
}
interface DurationSample {
  ts: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}
interface ResourceResult {
  measurement: string;
  tags?: { serviceId: string | null };
  values: { ts: number; value: number }[];
}

const STEP = 30;

void describe('Railway simulator metrics', () => {
  let sim: RailwaySim;
  let auth: Record<string, string>;
  let environmentId: string;
  let serviceId: string;
  /** The first step boundary after the simulator started: nothing made up from here on. */
  let start: number;

  const attr = (l: SimLog, key: string): unknown => {
    const a = l.attributes.find((x) => x.key === key);
    return a ? JSON.parse(a.value) : undefined;
  };
  /** The backend's request lines in kars-prod, as `railyard logs` would read them. */
  const requestLines = () =>
    sim.state.logs
      .query({ environmentId, kind: 'deploy' }, 5000)
      .filter((l) => l.serviceId === serviceId && typeof attr(l, 'status') === 'number');
  const stepOf = (l: SimLog) =>
    Math.floor(Date.parse(l.timestamp.slice(0, 23) + 'Z') / 1000 / STEP) * STEP;
  /** `ms` of demo traffic, the clock moving with it. */
  const run = (ms: number, seed: number) => {
    const traffic = demoTraffic(sim.state, { random: seeded(seed) });
    for (let t = 0; t < ms; t += 250) {
      sim.state.clock.advance(250);
      traffic.tick(250);
    }
  };
  const window = (extra: object = {}) => ({
    environmentId,
    serviceId,
    startDate: new Date(start).toISOString(),
    endDate: sim.state.clock.now().toISOString(),
    ...extra,
  });
  const byStatus = (vars: object) =>
    data<{ httpMetricsGroupedByStatus: StatusGroup[] }>(
      sim,
      auth,
      railwayOperations.HttpMetricsByStatus,
      vars,
    ).then((d) => d.httpMetricsGroupedByStatus);
  const durations = (vars: object) =>
    data<{ httpDurationMetrics: { samples: DurationSample[] } }>(
      sim,
      auth,
      railwayOperations.HttpDurationMetrics,
      vars,
    ).then((d) => d.httpDurationMetrics.samples);

  before(async () => {
    sim = await startRailwaySim({ clock: new SimClock(Date.UTC(2026, 10, 30, 9, 0, 7)) });
    auth = bearer(sim.tokens.find((t) => t.kind === 'account')!.token);
    const env = sim.state.environmentByName('kars-prod');
    environmentId = env.id;
    serviceId = sim.state.serviceByName('kars-backend', env.projectId).id;
    start = Math.ceil(sim.state.clock.nowMs() / 30_000) * 30_000;
    sim.state.clock.advanceTo(start);
    run(90_000, 7);
  });
  after(() => sim.close());

  void it('httpMetricsGroupedByStatus counts the request lines in the logs, per exact status code and step', async () => {
    const groups = await byStatus(window({ stepSeconds: STEP }));
    const lines = requestLines();
    assert.ok(lines.length > 150, `only ${lines.length} request lines in 90 s`);
    const expected = new Map<string, number>();
    for (const l of lines) {
      const k = `${String(attr(l, 'status'))}@${stepOf(l)}`;
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    const answered = new Map<string, number>();
    for (const g of groups)
      for (const s of g.samples) answered.set(`${g.statusCode}@${s.ts}`, s.value);
    assert.deepEqual(answered, expected);
    assert.ok(groups.some((g) => g.statusCode === 201) && groups.some((g) => g.statusCode === 404));
    for (const g of groups) for (const s of g.samples) assert.equal(s.ts % STEP, 0);
  });

  void it('counts request lines whoever writes them, not only the demo', async () => {
    const serving = sim.state.servingDeployment(environmentId, serviceId)!;
    sim.logs.emit(serving.id, 5, { attributes: () => ({ status: 502, durationMs: 30 }) });
    // A window ends before its end instant: the lines are in once the clock has moved past them.
    sim.state.clock.advance(1000);
    const groups = await byStatus(window());
    assert.equal(groups.find((g) => g.statusCode === 502)?.samples[0]?.value, 5);
  });

  void it('httpDurationMetrics gives each step the percentiles of its lines, to the histogram bin', async () => {
    const samples = await durations(window({ stepSeconds: STEP }));
    const lines = requestLines();
    assert.equal(samples.length, new Set(lines.map(stepOf)).size);
    for (const s of samples) {
      const ms = lines
        .filter((l) => stepOf(l) === s.ts)
        .map((l) => attr(l, 'durationMs') as number)
        .sort((a, b) => a - b);
      for (const [q, value] of [
        [0.5, s.p50],
        [0.95, s.p95],
        [0.99, s.p99],
      ] as const) {
        const exact = ms[Math.ceil(q * ms.length) - 1]!;
        const [low, high] = binRange(binOf(exact));
        assert.ok(value >= low && value <= high, `p${q * 100} ${value} vs ${exact} at ${s.ts}`);
      }
      assert.ok(s.p50 <= s.p90 && s.p90 <= s.p95 && s.p95 <= s.p99);
    }
  });

  void it('without stepSeconds answers one aggregate sample, or several when set to', async (t) => {
    const one = await durations(window());
    assert.equal(one.length, 1);
    sim.state.ambiguities.metricsAggregate = 'several';
    t.after(() => (sim.state.ambiguities.metricsAggregate = 'one'));
    const several = await durations(window());
    assert.ok(several.length >= 3, `${several.length} samples`);
    const counts = await byStatus(window());
    assert.ok(
      counts.every((g) => g.samples.length >= 1 && g.samples.every((s) => s.ts % 30 === 0)),
    );
  });

  void it('leaves out steps without requests, or answers them as zero', async (t) => {
    sim.state.clock.advance(60_000);
    run(30_000, 11);
    const omitted = await durations(window({ stepSeconds: STEP }));
    const gap = omitted.findIndex((s, i) => i > 0 && s.ts - omitted[i - 1]!.ts > STEP);
    assert.ok(gap > 0, `no gap in ${omitted.map((s) => s.ts).join(', ')}`);
    sim.state.ambiguities.metricsEmptySteps = 'zero';
    t.after(() => (sim.state.ambiguities.metricsEmptySteps = 'omit'));
    const zero = await durations(window({ stepSeconds: STEP }));
    assert.equal(zero.length, (zero.at(-1)!.ts - zero[0]!.ts) / STEP + 1, 'every step');
    assert.ok(zero.length > omitted.length);
    assert.ok(zero.some((s) => s.p95 === 0));
    const ok = (await byStatus(window({ stepSeconds: STEP }))).find((g) => g.statusCode === 200)!;
    assert.equal(ok.samples.length, zero.length);
    assert.ok(ok.samples.some((s) => s.value === 0));
  });

  void it('metrics: CPU, memory and network per step, plausible, busier with traffic', async () => {
    const vars = {
      environmentId,
      serviceId,
      startDate: new Date(start).toISOString(),
      endDate: sim.state.clock.now().toISOString(),
      sampleRateSeconds: STEP,
      measurements: ['CPU_USAGE', 'MEMORY_USAGE_GB', 'NETWORK_RX_GB', 'NETWORK_TX_GB'],
    };
    const { metrics } = await data<{ metrics: ResourceResult[] }>(
      sim,
      auth,
      railwayOperations.ResourceMetrics,
      vars,
    );
    assert.deepEqual(
      metrics.map((m) => m.measurement),
      vars.measurements,
    );
    const cpu = metrics[0]!.values;
    assert.ok(cpu.length >= 6 && cpu.every((v) => v.ts % STEP === 0));
    assert.ok(
      cpu.every((v) => v.value > 0 && v.value < 1),
      'a fraction of a vCPU',
    );
    const busy = Math.max(...cpu.map((v) => v.value));
    const quiet = Math.min(...cpu.map((v) => v.value));
    assert.ok(busy > 2 * quiet, `busy ${busy} vs quiet ${quiet}`);
    const memory = metrics[1]!.values.map((v) => v.value);
    assert.ok(
      memory.every((m) => m > 0.1 && m < 0.5),
      memory.join(', '),
    );
    assert.ok(metrics[3]!.values.every((v) => v.value > 0 && v.value < 0.01));
  });

  void it('metrics: memory grows while a deployment runs and a restart resets it', async () => {
    sim.state.clock.advance(3 * 3_600_000);
    sim.state.restart(sim.state.servingDeployment(environmentId, serviceId)!);
    sim.state.clock.advance(600_000);
    const now = sim.state.clock.nowMs();
    const { metrics } = await data<{ metrics: ResourceResult[] }>(
      sim,
      auth,
      railwayOperations.ResourceMetrics,
      {
        environmentId,
        serviceId,
        startDate: new Date(now - 4 * 3_600_000).toISOString(),
        sampleRateSeconds: 600,
        measurements: ['MEMORY_USAGE_GB'],
      },
    );
    const memory = metrics[0]!.values.map((v) => v.value);
    const peak = Math.max(...memory);
    assert.ok(memory.at(-1)! < peak - 0.02, `after the restart ${memory.at(-1)} vs ${peak}`);
  });

  void it('metrics: grouped by service for a project, tagged', async () => {
    const env = sim.state.environmentByName('kars-prod');
    const { metrics } = await data<{ metrics: ResourceResult[] }>(
      sim,
      auth,
      /* GraphQL */ `
        query ($projectId: String!, $environmentId: String!, $startDate: DateTime!) {
          metrics(
            projectId: $projectId
            environmentId: $environmentId
            startDate: $startDate
            measurements: [CPU_USAGE]
            groupBy: [SERVICE_ID]
          ) {
            measurement
            tags {
              serviceId
            }
            values {
              ts
              value
            }
          }
        }
      `,
      {
        projectId: env.projectId,
        environmentId,
        startDate: new Date(sim.state.clock.nowMs() - 3_600_000).toISOString(),
      },
    );
    const services = sim.state.serviceInstances.filter((i) => i.environmentId === environmentId);
    assert.deepEqual(
      metrics.map((m) => m.tags?.serviceId).sort(),
      services.map((s) => s.serviceId).sort(),
    );
  });

  void it('has made-up history before the start (the same every time) and nothing past 7 days', async () => {
    const now = sim.state.clock.nowMs();
    const day = await byStatus({
      environmentId,
      serviceId,
      startDate: new Date(now - 86_400_000).toISOString(),
      endDate: new Date(sim.state.metrics.startedAtMs - 60_000).toISOString(),
      stepSeconds: 240,
    });
    const total = day.reduce((n, g) => n + g.samples.reduce((m, s) => m + s.value, 0), 0);
    // About 3 events a second for ~20 h, nine in ten of them requests.
    assert.ok(total > 100_000 && total < 400_000, `${total} requests in the made-up history`);
    // Hourly steps read whole made-up hours merged; 10-minute steps read every 10 s bucket.
    const hour = (ms: number) => new Date(Math.floor(ms / 3_600_000) * 3_600_000).toISOString();
    const week = {
      environmentId,
      serviceId,
      startDate: hour(now - 6 * 86_400_000),
      endDate: hour(now - 86_400_000),
    };
    const sum = (groups: StatusGroup[]) =>
      groups.reduce((n, g) => n + g.samples.reduce((m, s) => m + s.value, 0), 0);
    assert.equal(
      sum(await byStatus({ ...week, stepSeconds: 3600 })),
      sum(await byStatus({ ...week, stepSeconds: 600 })),
    );
    const clock = new SimClock(Date.UTC(2026, 10, 30));
    const [a, b] = [createState('kars', clock), createState('kars', clock)];
    const at = Date.UTC(2026, 10, 29, 14);
    const ids = (s: typeof a) => {
      const e = s.environmentByName('kars-prod');
      return [e.id, s.serviceByName('kars-backend', e.projectId).id] as const;
    };
    assert.deepEqual(syntheticBucket(a, ...ids(a), at), syntheticBucket(b, ...ids(b), at));
    const old = await byStatus({
      environmentId,
      serviceId,
      startDate: new Date(now - 9 * 86_400_000).toISOString(),
      endDate: new Date(now - 7.01 * 86_400_000).toISOString(),
      stepSeconds: 3600,
    });
    assert.deepEqual(old, []);
  });

  void it('answers bad arguments with GraphQL errors, as Railway does', async () => {
    const backwards = window({
      stepSeconds: STEP,
      startDate: window().endDate,
      endDate: window().startDate,
    });
    assert.match(
      await errorOf(sim, auth, railwayOperations.HttpMetricsByStatus, backwards),
      /endDate must be after startDate/,
    );
    assert.equal(
      await errorOf(
        sim,
        auth,
        railwayOperations.HttpDurationMetrics,
        window({ serviceId: 'nope' }),
      ),
      'Service not found',
    );
    assert.equal(
      await errorOf(
        sim,
        auth,
        railwayOperations.HttpDurationMetrics,
        window({ environmentId: 'nope' }),
      ),
      'Environment not found',
    );
    assert.match(
      await errorOf(sim, auth, railwayOperations.HttpMetricsByStatus, window({ stepSeconds: 0 })),
      /stepSeconds must be a positive/,
    );
  });
});
