// Proves Railway subscriptions against the simulator: upgrade-header auth by token kind, live status, reconnect after drops, refusals.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import { karsRepo } from '../../sim/railway/fixtures';
import type { SimTokenSpec } from '../../sim/railway/access';
import { railwayOperations } from '../../daemon/railway/operations';
import {
  railwayWebSocketUrl,
  subscribeRailway,
  type RailwaySubscriptionOptions,
} from '../../daemon/railway/railwaySubscriptions';
import type { UpstreamError } from '../../daemon/upstreamError';
import { nextFrameList } from '../../daemon/logs/logRuns';
import type { DeploymentResult } from '../../daemon/railway/types';

const account = 'acct-subs-test-token-71c2aa';
const project = 'proj-subs-test-token-93d0fe';
const tokens: SimTokenSpec[] = [
  { token: account, kind: 'account' },
  { token: project, kind: 'project', environment: 'kars-dev' },
];

/** Collects a subscription's events and lets a test await the n-th one. */
function recorder() {
  const statuses: string[] = [];
  const connects: boolean[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  let failed: ((e: UpstreamError) => void) | undefined;
  const errored = new Promise<UpstreamError>((resolve) => (failed = resolve));
  const check = () => {
    if (waiter && statuses.length >= waiter.count) waiter.resolve();
  };
  return {
    statuses,
    connects,
    errored,
    handlers: {
      next: (d: DeploymentResult) => (statuses.push(d.deployment.status), check()),
      error: (e: UpstreamError) => failed?.(e),
      connected: (again: boolean) => connects.push(again),
    },
    until: (count: number) =>
      new Promise<void>((resolve) => ((waiter = { count, resolve }), check())),
  };
}

void describe('subscribeRailway against the simulator', () => {
  let sim: RailwaySim;
  let retries: number[];
  const opts = (over: Partial<RailwaySubscriptionOptions> = {}): RailwaySubscriptionOptions => ({
    endpoint: sim.url,
    token: account,
    tokenKind: 'account',
    retryWait: (n) => (retries.push(n), Promise.resolve()),
    ...over,
  });
  before(async () => {
    sim = await startRailwaySim({ tokens });
  });
  after(() => sim.close());

  void it('turns the HTTP endpoint into the WebSocket one', () => {
    assert.equal(
      railwayWebSocketUrl('https://backboard.railway.com/graphql/v2'),
      'wss://backboard.railway.com/graphql/v2',
    );
    assert.equal(railwayWebSocketUrl(sim.url), sim.wsUrl);
  });

  void it('streams a deployment from QUEUED to SUCCESS for an account token', async () => {
    retries = [];
    const d = sim.state.push(karsRepo, 'kars-prod', {
      hash: '1'.repeat(40),
      message: 'm',
      author: 'a',
    })[0]!;
    const rec = recorder();
    const sub = subscribeRailway(
      opts(),
      railwayOperations.DeploymentUpdates,
      { id: d.id },
      rec.handlers,
    );
    for (let n = 1; n <= 3; n++) {
      await rec.until(n);
      sim.state.advance(d.id);
    }
    await rec.until(4);
    sub.dispose();
    assert.deepEqual(rec.statuses, ['QUEUED', 'BUILDING', 'DEPLOYING', 'SUCCESS']);
    assert.deepEqual(rec.connects, [false]);
  });

  void it('offers each log frame as bytes first: taken ones skip graphql-ws, the rest reach next', async () => {
    retries = [];
    const dev = sim.state.environmentByName('kars-dev');
    const d = sim.state.deployments.find((x) => x.environmentId === dev.id)!;
    const taken: string[] = [];
    const decoded: string[] = [];
    let take = false;
    let wake = () => undefined as void;
    const sub = subscribeRailway<{ deploymentLogs: { message: string }[] }>(
      opts(),
      railwayOperations.DeploymentLogs,
      { deploymentId: d.id, limit: 0 },
      {
        frame: (bytes) => {
          const list = nextFrameList(bytes);
          if (!take || !list?.length) return false;
          taken.push(
            ...(JSON.parse(`[${list.toString()}]`) as { message: string }[]).map((l) => l.message),
          );
          return (wake(), true);
        },
        next: (data) => (decoded.push(...data.deploymentLogs.map((l) => l.message)), wake()),
        error: (e) => assert.fail(e.message),
      },
    );
    const until = (ok: () => boolean) => new Promise<void>((r) => (wake = () => ok() && r()));
    await sim.state.logs.untilSubscriptions((n) => n === 1, { deploymentId: d.id });
    let arrived = until(() => decoded.length === 2);
    sim.logs.emit(d.id, 2, { message: (n) => `decoded ${n}` });
    await arrived;
    take = true;
    arrived = until(() => taken.length + decoded.length === 5);
    sim.logs.emit(d.id, 3, { message: (n) => `raw ${n}` });
    await arrived;
    sub.dispose();
    assert.deepEqual(decoded.slice(-2), ['decoded 1', 'decoded 2']);
    assert.deepEqual(
      taken,
      ['raw 3', 'raw 4', 'raw 5'],
      "the simulator's frames have Railway's shape",
    );
    assert.equal(decoded.length, 2, 'a taken frame is not decoded again');
  });

  void it('sends a project token in Project-Access-Token on the upgrade', async () => {
    retries = [];
    const dev = sim.state.environmentByName('kars-dev');
    const d = sim.state.deployments.find((x) => x.environmentId === dev.id)!;
    const rec = recorder();
    const sub = subscribeRailway(
      opts({ token: project, tokenKind: 'project' }),
      railwayOperations.DeploymentUpdates,
      { id: d.id },
      rec.handlers,
    );
    await rec.until(1);
    sub.dispose();
    assert.equal(rec.statuses.length, 1);
  });

  void it('reports a deployment outside a project token’s environment as auth, not as a silent stream', async () => {
    retries = [];
    const prod = sim.state.environmentByName('kars-prod');
    const d = sim.state.deployments.find((x) => x.environmentId === prod.id)!;
    const rec = recorder();
    const sub = subscribeRailway(
      opts({ token: project, tokenKind: 'project' }),
      railwayOperations.DeploymentUpdates,
      { id: d.id },
      rec.handlers,
    );
    const error = await rec.errored;
    sub.dispose();
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /Not Authorized/);
  });

  void it('gives up at once on a refused token, without retrying, and never quotes it', async () => {
    retries = [];
    const bad = 'acct-this-token-is-not-known-42';
    const rec = recorder();
    const sub = subscribeRailway(
      opts({ token: bad }),
      railwayOperations.DeploymentUpdates,
      { id: 'x' },
      rec.handlers,
    );
    const error = await rec.errored;
    sub.dispose();
    assert.equal(error.kind, 'auth');
    assert.deepEqual(retries, []);
    assert.ok(!error.message.includes(bad));
  });

  void it('reconnects after the socket drops, says so, and carries on streaming', async () => {
    retries = [];
    const d = sim.state.push(karsRepo, 'kars-dev', {
      hash: '2'.repeat(40),
      message: 'm',
      author: 'a',
    })[0]!;
    const rec = recorder();
    const sub = subscribeRailway(
      opts(),
      railwayOperations.DeploymentUpdates,
      { id: d.id },
      rec.handlers,
    );
    await rec.until(1);
    sim.faults.next({ dropSockets: true });
    await rec.until(2);
    sim.state.advance(d.id);
    await rec.until(3);
    sub.dispose();
    assert.deepEqual(rec.statuses, ['QUEUED', 'QUEUED', 'BUILDING']);
    assert.deepEqual(rec.connects, [false, true]);
    assert.deepEqual(retries, [0]);
  });
});

void describe('subscribeRailway without a server', () => {
  let port: number;
  before(async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  void it('retries the configured number of times, then reports a network error', async () => {
    const retries: number[] = [];
    const rec = recorder();
    const sub = subscribeRailway(
      {
        endpoint: `http://127.0.0.1:${port}/graphql/v2`,
        token: account,
        tokenKind: 'account',
        retryAttempts: 3,
        retryWait: (n) => (retries.push(n), Promise.resolve()),
      },
      railwayOperations.DeploymentUpdates,
      { id: 'x' },
      rec.handlers,
    );
    const error = await rec.errored;
    sub.dispose();
    assert.equal(error.kind, 'network');
    assert.deepEqual(retries, [0, 1, 2]);
  });
});
