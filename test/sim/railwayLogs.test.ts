// Proves the Railway simulator's logs: written as deployments move, streamed backlog-first over the daemon's own subscriptions, filtered.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import { karsRepo } from '../../sim/railway/fixtures';
import { matchesFilter, type SimLog } from '../../sim/railway/logs';
import { railwayOperations } from '../../daemon/railway/operations';

interface Log {
  timestamp: string;
  message: string;
  severity: string;
  attributes: { key: string; value: string }[];
  tags: { deploymentId: string; serviceId: string };
}

const account = 'acct-token-logs-0123456789';

function wsClient(sim: RailwaySim): Client {
  class HeaderSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { authorization: `Bearer ${account}` } });
    }
  }
  return createClient({ url: sim.wsUrl, webSocketImpl: HeaderSocket, retryAttempts: 0 });
}

/** Collects log events of one subscription; `until` decides when enough has arrived. */
async function collect(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  until: (events: Log[][]) => boolean,
  onEvent: (events: Log[][]) => void = () => undefined,
): Promise<Log[][]> {
  const events: Log[][] = [];
  for await (const result of client.iterate<Record<string, Log[]>>({ query, variables })) {
    assert.ok(result.data, JSON.stringify(result.errors));
    events.push(Object.values(result.data)[0] ?? []);
    if (until(events)) break;
    onEvent(events);
  }
  return events;
}

void describe('Railway simulator logs', () => {
  let sim: RailwaySim;
  let client: Client;
  before(async () => {
    sim = await startRailwaySim({ tokens: [{ token: account, kind: 'account' }] });
    client = wsClient(sim);
  });
  after(async () => {
    await client.dispose();
    await sim.close();
  });

  void it('streams a deployment backlog first, then each line as it moves to SUCCESS', async () => {
    const { state } = sim;
    const commit = { hash: 'a'.repeat(40), message: 'Ship', author: 'Ada Lovelace' };
    const [d] = state.push(karsRepo, 'kars-dev', commit);
    assert.ok(d);
    state.advance(d.id); // BUILDING
    const events = await collect(
      client,
      railwayOperations.DeploymentLogs,
      { deploymentId: d.id, limit: 10 },
      (all) => all.flat().some((l) => l.message === 'Listening on port 3000'),
      () => state.advance(d.id),
    );
    assert.deepEqual(events[0], [], 'no deploy logs while building: the backlog is an empty list');
    const lines = events.flat();
    assert.deepEqual(
      lines.map((l) => l.message),
      ['Starting Container', 'Listening on port 3000'],
    );
    assert.ok(lines.every((l) => l.tags.deploymentId === d.id && l.severity === 'info'));
    assert.match(lines[0]?.timestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    assert.deepEqual(lines[0]?.attributes, [{ key: 'level', value: '"info"' }]);
  });

  void it('keeps build logs apart, with the error of a failed build', async () => {
    const { state } = sim;
    const commit = { hash: 'b'.repeat(40), message: 'Break', author: 'Ada Lovelace' };
    const [d] = state.push(karsRepo, 'kars-prod', commit, { outcome: 'FAILED' });
    assert.ok(d);
    state.settle(d.id);
    const [backlog] = await collect(
      client,
      railwayOperations.BuildLogs,
      { deploymentId: d.id },
      () => true,
    );
    assert.deepEqual(
      backlog?.map((l) => [l.message, l.severity]),
      [
        ['Building kars-backend from bbbbbbb', 'info'],
        ['ERROR: failed to build: exit code: 1', 'error'],
      ],
    );
  });

  void it('streams an environment, narrowed by @service and the level, with lines a test appends', async () => {
    const { state } = sim;
    const env = state.environmentByName('kars-prod');
    const backend = state.serviceByName('kars-backend');
    const active = state.servingDeployment(env.id, backend.id);
    assert.ok(active);
    const filter = `@service:${backend.id} @level:error`;
    const events = await collect(
      client,
      railwayOperations.EnvironmentLogs,
      { environmentId: env.id, filter, beforeLimit: 5 },
      (all) => all.length === 2,
      () => {
        state.logs.append(active, 'deploy', 'GET /api/invoices 200');
        state.logs.append(active, 'deploy', 'invoice 7 has no customer', 'error');
      },
    );
    assert.deepEqual(events[0], [], 'the build error of the failed deployment is not a deploy log');
    assert.deepEqual(
      events[1]?.map((l) => [l.message, l.tags.serviceId]),
      [['invoice 7 has no customer', backend.id]],
    );
  });

  void it('gives each finished fixture deployment its logs, the newest `limit` of them', () => {
    const { state } = sim;
    const env = state.environmentByName('kars-dev');
    const frontend = state.serviceByName('kars-frontend');
    const active = state.servingDeployment(env.id, frontend.id);
    assert.ok(active);
    const logs = state.logs.query({ deploymentId: active.id, kind: 'deploy' }, 1);
    assert.deepEqual(
      logs.map((l) => l.message),
      ['Listening on port 3000'],
    );
  });
});

void describe('Railway filter subset', () => {
  const line = (message: string, severity: SimLog['severity'] = 'info'): SimLog => ({
    kind: 'deploy',
    deploymentId: 'd1',
    environmentId: 'e1',
    serviceId: 's1',
    projectId: 'p1',
    timestamp: '2026-01-01T00:00:00.000000001Z',
    message,
    severity,
    attributes: [{ key: 'level', value: JSON.stringify(severity) }],
  });

  void it('matches words, phrases, negation, AND, OR and attributes', () => {
    const l = line('GET /api/health 200 in 3 ms');
    assert.ok(matchesFilter(l, ''));
    assert.ok(matchesFilter(l, 'health'));
    assert.ok(matchesFilter(l, '"api/health 200"'));
    assert.ok(!matchesFilter(l, '-health'));
    assert.ok(matchesFilter(l, 'health AND 200'));
    assert.ok(!matchesFilter(l, 'health AND 500'));
    assert.ok(matchesFilter(l, 'nothing OR health'));
    assert.ok(matchesFilter(l, '@level:info @service:s1 @deployment:d1'));
    assert.ok(!matchesFilter(l, '@level:error'));
    assert.ok(matchesFilter(line('boom', 'error'), '@level:error'));
  });
});
