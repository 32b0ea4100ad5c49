// `metrics.service` in a real daemon against the Railway simulator: the simulator's numbers, one
// upstream request per part per step however many windows ask, only the parts asked, and a part
// Railway fails on reported as unavailable while the others answer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RpcClient } from '../../client/rpcClient';
import { demoTraffic } from '../../sim/demoTraffic';
import { seeded } from '../../sim/railway/metricsHistory';
import { startSimulators, type Simulators } from '../../sim/server';
import { railwayOperations } from '../../daemon/railway/operations';
import type { ServiceMetrics } from '../../protocol/metrics';
import { bearer, data } from '../sim/railwayTestClient';
import { folderOf, startInProcess, type FolderContext, type InProcessDaemon } from './harness';

interface StatusGroup {
  statusCode: number;
  samples: { ts: number; value: number }[];
}

void describe('metrics.service', () => {
  let sims: Simulators;
  let d: InProcessDaemon;
  let client: RpcClient;
  let folder: FolderContext;
  let environmentId: string;
  let serviceId: string;
  /** Where the simulator's recorded traffic begins (a step boundary). */
  let liveFrom: number;
  const requests = (operationName?: string) => sims.railway.requestCount(operationName);
  const ask = (extra: object = {}) =>
    client.request('metrics.service', { folder, environmentId, serviceId, ...extra });
  /** The simulator's own answer to one of the daemon's operations over an answer's window. */
  const simAnswer = <T>(op: keyof typeof railwayOperations, a: ServiceMetrics, vars: object) =>
    data<T>(sims.railway, bearer(sims.tokens.railway.account), railwayOperations[op], {
      environmentId,
      serviceId,
      startDate: new Date(a.from * 1000).toISOString(),
      endDate: new Date(a.to * 1000).toISOString(),
      ...vars,
    });

  /** The answer's requests and p95 are what the simulator says (per status code, summed by class). */
  const assertSimNumbers = async (a: ServiceMetrics) => {
    const groups = (
      await simAnswer<{ httpMetricsGroupedByStatus: StatusGroup[] }>('HttpMetricsByStatus', a, {
        stepSeconds: 30,
      })
    ).httpMetricsGroupedByStatus;
    const sum = (ts: number, hundreds: number) =>
      groups
        .filter((g) => Math.floor(g.statusCode / 100) === hundreds)
        .reduce((n, g) => n + (g.samples.find((s) => s.ts === ts)?.value ?? 0), 0);
    const r = a.requests!;
    r.ts.forEach((ts, i) => {
      assert.equal(r.byClass['2xx'][i], sum(ts, 2), `2xx at ${ts}`);
      assert.equal(r.byClass['4xx'][i], sum(ts, 4), `4xx at ${ts}`);
      assert.equal(r.byClass['5xx'][i], sum(ts, 5), `5xx at ${ts}`);
    });
    const samples = (
      await simAnswer<{ httpDurationMetrics: { samples: { ts: number; p95: number }[] } }>(
        'HttpDurationMetrics',
        a,
        { stepSeconds: 30 },
      )
    ).httpDurationMetrics.samples;
    a.duration!.ts.forEach((ts, i) => {
      assert.equal(
        a.duration!.p95[i],
        samples.find((s) => s.ts === ts)?.p95 ?? null,
        `p95 at ${ts}`,
      );
    });
  };

  before(async () => {
    sims = await startSimulators();
    const projectId = sims.railway.state.projects[0]!.id;
    folder = folderOf(projectId);
    d = await startInProcess(
      {
        ...sims.env,
        RAILWAY_API_TOKEN: sims.tokens.railway.account,
        RAILWAY_PROJECT_ID: projectId,
      },
      [],
      { now: () => sims.clock.now() },
    );
    client = await d.client('metrics-test');
    // The extension keeps the tree's watch open: the service's names and deployments come from it.
    const { view } = await client.request('environments.watch', { folder });
    const prod = view.environments.find((e) => e.name === 'kars-prod')!;
    environmentId = prod.id;
    serviceId = prod.services.find((s) => s.name === 'kars-backend')!.id;
    liveFrom = Math.ceil(sims.clock.nowMs() / 30_000) * 30_000;
    sims.clock.advanceTo(liveFrom);
    const traffic = demoTraffic(sims.railway.state, { random: seeded(5) });
    for (let t = 0; t < 120_000; t += 250) {
      sims.clock.advance(250);
      traffic.tick(250);
    }
    // Into the next step, so the last step of traffic is a finished one the window includes.
    sims.clock.advance(1_000);
  });
  after(async () => {
    await d.stop();
    await sims.close();
  });

  void it("answers with the simulator's numbers for requests, duration and resources", async () => {
    const a = await ask();
    assert.deepEqual(a.unavailable, []);
    assert.equal(a.stepSeconds, 30);
    assert.equal(a.to - a.from, 3600);
    assert.equal(a.serviceName, 'kars-backend');
    await assertSimNumbers(a);
    const r = a.requests!;
    assert.equal(r.ts.length, 120);
    const live = r.ts.reduce(
      (n, ts, i) =>
        ts * 1000 >= liveFrom
          ? n +
            r.byClass['2xx'][i]! +
            r.byClass['3xx'][i]! +
            r.byClass['4xx'][i]! +
            r.byClass['5xx'][i]!
          : n,
      0,
    );
    const lines = sims.railway.state.logs
      .query({ environmentId, kind: 'deploy' }, 5000)
      .filter((l) => l.serviceId === serviceId && l.attributes.some((x) => x.key === 'status'))
      .filter((l) => Date.parse(l.timestamp.slice(0, 23) + 'Z') < a.to * 1000);
    assert.equal(live, lines.length, 'the live steps count the request lines in the logs');
    const cpu = (
      await simAnswer<{ metrics: { values: { ts: number; value: number }[] }[] }>(
        'ResourceMetrics',
        a,
        {
          sampleRateSeconds: 30,
          measurements: ['CPU_USAGE'],
        },
      )
    ).metrics[0]!.values;
    assert.deepEqual(
      a.resources!.ts,
      cpu.map((v) => v.ts),
    );
    assert.deepEqual(
      a.resources!.cpu,
      cpu.map((v) => v.value),
    );
    // The fixture's deployments are hours old: none in the last hour.
    assert.deepEqual(a.deployments, []);
  });

  void it('gives the same series when Railway sends empty steps as zeros', async (t) => {
    // Three quiet steps at the end of the window.
    sims.clock.advance(120_000);
    sims.railway.state.ambiguities.metricsEmptySteps = 'zero';
    t.after(() => (sims.railway.state.ambiguities.metricsEmptySteps = 'omit'));
    const a = await ask({ parts: ['requests', 'duration'] });
    sims.railway.state.ambiguities.metricsEmptySteps = 'omit';
    await assertSimNumbers(a);
    assert.deepEqual(a.duration!.p95.slice(-3), [null, null, null]);
    assert.deepEqual(a.requests!.byClass['2xx'].slice(-3), [0, 0, 0]);
  });

  void it('asks Railway once per part per step, however many windows ask', async () => {
    await ask(); // whatever this step still lacked
    const before = requests();
    const other = await d.client('second window');
    const [again, fromOther] = await Promise.all([
      ask(),
      other.request('metrics.service', { folder, environmentId, serviceId }),
    ]);
    assert.equal(requests(), before, 'no upstream request within the step');
    assert.equal(again.fetchedAt, fromOther.fetchedAt);
    sims.clock.advance(30_000);
    // Both windows at once: the requests in flight are shared too.
    const [moved, movedOther] = await Promise.all([
      ask(),
      other.request('metrics.service', { folder, environmentId, serviceId }),
    ]);
    assert.equal(requests() - before, 3, 'the next step: one request per part');
    assert.equal(moved.from - again.from, 30);
    assert.deepEqual(movedOther.requests, moved.requests);
  });

  void it('fetches only the parts asked: the hover asks for requests alone', async () => {
    const before = requests();
    const byStatus = requests('HttpMetricsByStatus');
    const a = await ask({ range: '6h', parts: ['requests'] });
    assert.equal(requests() - before, 1);
    assert.equal(requests('HttpMetricsByStatus') - byStatus, 1);
    assert.equal(a.stepSeconds, 60);
    assert.ok(a.requests && !a.duration && !a.resources);
  });

  void it('reports a part Railway fails on as unavailable, the others answering', async () => {
    // As many 500s as the client's attempts, on the duration query only.
    sims.railway.faults.next({ status: 500, on: 'HttpDurationMetrics' }, 4);
    const a = await ask({ range: '24h' });
    assert.equal(a.unavailable.length, 1);
    assert.equal(a.unavailable[0]!.part, 'duration');
    assert.match(
      a.unavailable[0]!.message,
      /Railway had a problem answering HttpDurationMetrics \(HTTP 500\)/,
    );
    assert.equal(a.duration, undefined);
    assert.ok(a.requests && a.resources);
    // Marks come from the deployments the tree's watcher knows, oldest first.
    const known = sims.railway.state.deploymentsOf(environmentId, serviceId).reverse();
    assert.deepEqual(
      a.deployments.map((m) => [m.id, m.status]),
      known.map((k) => [k.id, k.status]),
    );
    assert.ok(a.deployments.every((m) => m.commit && m.ts >= a.from));
  });

  void it('fails with the upstream error when every part fails', async () => {
    sims.railway.faults.next({ status: 500, on: 'HttpMetricsByStatus' }, 4);
    await assert.rejects(ask({ range: '7d', parts: ['requests'] }), /HTTP 500/);
  });
});
