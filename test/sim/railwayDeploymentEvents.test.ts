// Proves the Railway simulator's deploymentEvents: each step recorded in order as a deployment moves, through the query and the subscription, for success and failure.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from 'graphql-ws';
import { SimClock } from '../../sim/clock';
import type { SimDeployment, SimFailure, SimOutcome } from '../../sim/railway/model';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import { bearer, data, errorOf, projectHeader, wsClient } from './railwayTestClient';

const account = 'acct-token-events-0123456789';
const devProject = 'proj-token-events-dev-012345';

interface Payload {
  durationMs: number | null;
  error: string | null;
}

interface Event {
  id: string;
  step: string;
  createdAt: string;
  completedAt: string | null;
  payload: Payload | null;
}

const eventFields = 'id step createdAt completedAt payload { durationMs error }';
const eventsQuery = `query Events($id: String!) {
  deploymentEvents(id: $id) { edges { cursor node { ${eventFields} } } }
}`;
const eventsSubscription = `subscription Events($id: String!) {
  deploymentEvents(id: $id) { ${eventFields} }
}`;

/** A step as the assertions read it: its name, whether it completed, and its error if any. */
const brief = (e: Event) =>
  `${e.step}${e.completedAt === null ? ' (open)' : ''}${e.payload?.error ? ` ! ${e.payload.error}` : ''}`;

async function queryEvents(sim: RailwaySim, id: string): Promise<Event[]> {
  const d = await data<{ deploymentEvents: { edges: { cursor: string; node: Event }[] } }>(
    sim,
    bearer(account),
    eventsQuery,
    { id },
  );
  return d.deploymentEvents.edges.map((e) => {
    assert.equal(e.cursor, e.node.id);
    return e.node;
  });
}

/** Subscribes, settles the deployment once the first event (the backlog) has arrived, and collects until `done`. */
async function watch(
  sim: RailwaySim,
  client: Client,
  d: SimDeployment,
  done: (e: Event) => boolean,
): Promise<Event[]> {
  const seen: Event[] = [];
  const events = client.iterate<{ deploymentEvents: Event }>({
    query: eventsSubscription,
    variables: { id: d.id },
  });
  for await (const result of events) {
    assert.ok(result.data, JSON.stringify(result.errors));
    seen.push(result.data.deploymentEvents);
    if (done(result.data.deploymentEvents)) break;
    if (seen.length === 1) sim.state.settle(d.id);
  }
  return seen;
}

/** A new deployment of kars-backend in kars-dev, moved into BUILDING so its first steps exist. */
function building(sim: RailwaySim, outcome: SimOutcome, failure?: SimFailure): SimDeployment {
  const env = sim.state.environmentByName('kars-dev');
  const service = sim.state.serviceByName('kars-backend');
  const ids = { environmentId: env.id, serviceId: service.id };
  const d = sim.state.createDeployment({ ...ids, outcome, failure });
  sim.state.advance(d.id);
  assert.equal(d.status, 'BUILDING');
  return d;
}

/** The distinct events in the order they first appeared. */
function firstSeen(events: Event[]): string[] {
  return [...new Set(events.map((e) => e.id))];
}

void describe('Railway simulator deployment events', () => {
  let sim: RailwaySim;
  let client: Client;
  before(async () => {
    sim = await startRailwaySim({
      tokens: [
        { token: account, kind: 'account' },
        { token: devProject, kind: 'project', environment: 'kars-dev' },
      ],
      clock: new SimClock(Date.parse('2026-03-02T09:00:00.000Z')),
      // Sends as fast as it can from one token; Hobby's 10 requests/s is tested in railwayRateLimits.test.ts.
      rateLimitPerSecond: null,
    });
    client = wsClient(sim, bearer(account));
  });
  after(async () => {
    await client.dispose();
    await sim.close();
  });

  void it('streams a successful deployment step by step, each step again when it completes', async () => {
    const d = building(sim, 'SUCCESS');
    const seen = await watch(sim, client, d, (e) => e.step === 'DRAIN_INSTANCES');
    assert.equal(d.status, 'SUCCESS');
    assert.deepEqual(seen.map(brief), [
      'SNAPSHOT_CODE',
      'BUILD_IMAGE (open)',
      'BUILD_IMAGE',
      'PUBLISH_IMAGE',
      'CREATE_CONTAINER',
      'HEALTHCHECK (open)',
      'HEALTHCHECK',
      'DRAIN_INSTANCES',
    ]);
    const listed = await queryEvents(sim, d.id);
    assert.deepEqual(
      listed.map((e) => e.id),
      firstSeen(seen),
      'the query lists what the subscription sent, in the same order',
    );
    for (const e of listed) {
      assert.ok(e.completedAt !== null && e.createdAt <= e.completedAt, brief(e));
      assert.equal(e.payload?.durationMs, Date.parse(e.completedAt) - Date.parse(e.createdAt));
      assert.equal(e.payload?.error, null);
    }
    const created = listed.map((e) => e.createdAt);
    assert.deepEqual(created, [...created].sort(), 'oldest first');
  });

  void it('leaves a healthcheck that never passes open and failed, and nothing after it', async () => {
    const d = building(sim, 'FAILED', 'healthcheck');
    const seen = await watch(sim, client, d, (e) => e.payload?.error != null);
    assert.equal(d.status, 'FAILED');
    const failed = 'HEALTHCHECK (open) ! Healthcheck failed: service unavailable';
    assert.deepEqual(seen.map(brief).slice(-2), ['HEALTHCHECK (open)', failed]);
    const listed = await queryEvents(sim, d.id);
    assert.deepEqual(listed.map(brief), [
      'SNAPSHOT_CODE',
      'BUILD_IMAGE',
      'PUBLISH_IMAGE',
      'CREATE_CONTAINER',
      failed,
    ]);
    assert.deepEqual(
      listed.map((e) => e.id),
      firstSeen(seen),
    );
  });

  void it('fails a pre-deploy command (migrations) before any container is created', async () => {
    const d = building(sim, 'FAILED', 'preDeploy');
    sim.state.settle(d.id);
    assert.equal(d.status, 'FAILED');
    assert.deepEqual((await queryEvents(sim, d.id)).map(brief), [
      'SNAPSHOT_CODE',
      'BUILD_IMAGE',
      'PUBLISH_IMAGE',
      'PRE_DEPLOY_COMMAND (open) ! Pre-deploy command failed: exit code: 1',
    ]);
  });

  void it('gives a deployment that crashes after taking over its whole story, no step failed', async () => {
    const d = building(sim, 'CRASHED');
    await watch(sim, client, d, (e) => e.step === 'DRAIN_INSTANCES');
    sim.state.settle(d.id);
    assert.equal(d.status, 'CRASHED');
    const listed = await queryEvents(sim, d.id);
    assert.equal(listed.at(-1)?.step, 'DRAIN_INSTANCES');
    assert.ok(listed.every((e) => e.completedAt !== null && !e.payload?.error));
  });

  void it('stops a failed build at BUILD_IMAGE, open, with the build error', async () => {
    const d = building(sim, 'FAILED');
    sim.state.settle(d.id);
    assert.equal(d.status, 'FAILED');
    assert.deepEqual((await queryEvents(sim, d.id)).map(brief), [
      'SNAPSHOT_CODE',
      'BUILD_IMAGE (open) ! Build failed: exit code: 1',
    ]);
  });

  void it('sends a subscriber that arrives late every step so far, then the rest', async () => {
    const d = building(sim, 'SUCCESS');
    sim.state.advance(d.id);
    const seen = await watch(sim, client, d, (e) => e.step === 'DRAIN_INSTANCES');
    assert.deepEqual(
      firstSeen(seen),
      (await queryEvents(sim, d.id)).map((e) => e.id),
    );
    assert.equal(
      seen.length,
      6 + 1,
      'five steps so far, then HEALTHCHECK completes and DRAIN_INSTANCES',
    );
  });

  void it('gives the seeded history complete stories, and a rollback no build steps', async () => {
    const env = sim.state.environmentByName('kars-prod');
    const [active, previous] = sim.state.deploymentsOf(
      env.id,
      sim.state.serviceByName('kars-backend').id,
    );
    assert.ok(active && previous);
    const history = await queryEvents(sim, active.id);
    assert.equal(history.length, 6);
    for (const e of history) {
      assert.ok(e.createdAt >= active.createdAt && e.completedAt !== null, brief(e));
      assert.ok(
        Date.parse(e.createdAt) - Date.parse(active.createdAt) < 60_000,
        'backdated with it',
      );
    }
    await data(sim, bearer(account), 'mutation($id: String!) { deploymentRollback(id: $id) }', {
      id: previous.id,
    });
    const rollback = sim.state.deploymentsOf(env.id, active.serviceId)[0]!;
    sim.state.settle(rollback.id);
    assert.deepEqual((await queryEvents(sim, rollback.id)).map(brief), [
      'CREATE_CONTAINER',
      'HEALTHCHECK',
      'DRAIN_INSTANCES',
    ]);
  });

  void it('pages events with Railway connection arguments', async () => {
    const d = building(sim, 'SUCCESS');
    sim.state.settle(d.id);
    const all = (await queryEvents(sim, d.id)).map((e) => e.id);
    const page = await data<{ deploymentEvents: { edges: { node: { id: string } }[] } }>(
      sim,
      bearer(account),
      'query($id: String!, $after: String) { deploymentEvents(id: $id, first: 2, after: $after) { edges { node { id } } } }',
      { id: d.id, after: all[1] },
    );
    assert.deepEqual(
      page.deploymentEvents.edges.map((e) => e.node.id),
      all.slice(2, 4),
    );
  });

  void it('keeps another environment`s events from a project token, over HTTP and the socket', async () => {
    const prod = sim.state.environmentByName('kars-prod');
    const d = sim.state.deployments.find((x) => x.environmentId === prod.id)!;
    const q = 'query($id: String!) { deploymentEvents(id: $id) { edges { node { id } } } }';
    assert.match(await errorOf(sim, projectHeader(devProject), q, { id: d.id }), /Not Authorized/);
    const scoped = wsClient(sim, projectHeader(devProject));
    try {
      const events = scoped.iterate({ query: eventsSubscription, variables: { id: d.id } });
      const first = await events.next().then(
        (r) => JSON.stringify(r.value),
        (e: unknown) => JSON.stringify(e),
      );
      assert.match(first, /Not Authorized/);
    } finally {
      await scoped.dispose();
    }
  });
});
