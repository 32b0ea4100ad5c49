// Proves the demo's application chatter: every running service's active deployment talks like its
// kind of service, nothing else does, and the chatter moves to a new active deployment at once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoTraffic, startDemoTraffic } from '../../sim/demoTraffic';
import { createState } from '../../sim/railway/fixtures';
import type { SimLog } from '../../sim/railway/logs';
import type { SimDeployment } from '../../sim/railway/model';
import type { RailwayState } from '../../sim/railway/state';

/** A small seeded generator (mulberry32), so every run writes the same lines. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function active(state: RailwayState, env: string, service: string): SimDeployment {
  const e = state.environmentByName(env);
  const d = state.servingDeployment(e.id, state.serviceByName(service, e.projectId).id);
  assert.ok(d, `${service} in ${env} has no active deployment`);
  return d;
}

/** `ms` of traffic in the demo's own steps. */
function run(traffic: { tick(ms: number): number }, ms: number): void {
  for (let t = 0; t < ms; t += 250) traffic.tick(250);
}

const linesOf = (state: RailwayState, d: SimDeployment): SimLog[] =>
  state.logs.query({ deploymentId: d.id, kind: 'deploy' }, 5000);
const attr = (l: SimLog, key: string): unknown => {
  const found = l.attributes.find((a) => a.key === key);
  return found ? JSON.parse(found.value) : undefined;
};

void describe('demo traffic', () => {
  void it('makes every active deployment talk like its service: requests, warnings, checkpoints', () => {
    const state = createState('kars');
    const traffic = demoTraffic(state, { random: seeded(7) });
    run(traffic, 60_000);
    const backend = linesOf(state, active(state, 'kars-prod', 'kars-backend'));
    const requests = backend.filter((l) => /^(GET|POST|PATCH) \/api\//.test(l.message));
    assert.ok(requests.length > 100, `only ${requests.length} backend requests in a minute`);
    for (const l of requests) {
      assert.equal(typeof attr(l, 'status'), 'number', l.message);
      assert.equal(typeof attr(l, 'durationMs'), 'number', l.message);
    }
    assert.ok(
      backend.some((l) => l.severity === 'warn'),
      'no warning in a minute',
    );
    assert.ok(
      backend.some((l) => l.severity === 'error'),
      'no error in a minute',
    );
    const web = linesOf(state, active(state, 'kars-prod', 'kars-frontend'));
    assert.ok(
      web.some((l) => l.message.startsWith('GET /assets/')),
      'the frontend serves no assets',
    );
    const postgres = linesOf(state, active(state, 'kars-prod', 'Postgres'));
    assert.ok(postgres.some((l) => l.message.startsWith('checkpoint complete: wrote ')));
    const devBackend = linesOf(state, active(state, 'kars-dev', 'kars-backend'));
    assert.ok(devBackend.length > 20 && devBackend.length < backend.length, 'dev is not quieter');
  });

  void it('writes nothing to deployments that are not active, and follows the new active one', () => {
    const state = createState('kars');
    const traffic = demoTraffic(state, { random: seeded(11) });
    const old = active(state, 'kars-dev', 'kars-backend');
    const commit = { hash: 'f00dfeed'.padEnd(40, '0'), message: 'Try a deploy', author: 'Ada' };
    const [queued] = state.push('kars/kars-app', 'kars-dev', commit);
    assert.ok(queued);
    run(traffic, 10_000);
    assert.equal(linesOf(state, queued).length, 0, 'a queued deployment talked');
    state.settle(queued.id);
    assert.equal(active(state, 'kars-dev', 'kars-backend').id, queued.id);
    const oldBefore = linesOf(state, old).length;
    const newBefore = linesOf(state, queued).length;
    run(traffic, 10_000);
    assert.equal(linesOf(state, old).length, oldBefore, 'the replaced deployment still talks');
    assert.ok(linesOf(state, queued).length > newBefore, 'the new active deployment is silent');
  });

  void it('a database outage turns the API to errors', () => {
    const state = createState('kars');
    state.setHealth('kars-prod', 'kars-backend', 'db-down');
    const traffic = demoTraffic(state, { random: seeded(3) });
    const backend = active(state, 'kars-prod', 'kars-backend');
    const before = linesOf(state, backend).length;
    run(traffic, 10_000);
    const written = linesOf(state, backend).slice(before);
    assert.ok(written.length > 0);
    assert.ok(written.every((l) => l.severity === 'error' && /ECONNREFUSED/.test(l.message)));
  });

  void it('stops on stop(), twice without harm', () => {
    const traffic = startDemoTraffic(createState('kars'), { tickMs: 5 });
    traffic.stop();
    traffic.stop();
  });
});
