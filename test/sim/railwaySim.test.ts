// Proves the Railway simulator behaves like Railway where the daemon depends on it: auth, data, lifecycle, limits, faults, subscriptions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import { karsRepo } from '../../sim/railway/fixtures';
import type { SimTokenSpec } from '../../sim/railway/access';

const account = 'acct-token-0123456789abcdef';
const workspace = 'wksp-token-0123456789abcdef';
const devProject = 'proj-token-dev-0123456789ab';
const tokens: SimTokenSpec[] = [
  { token: account, kind: 'account', name: 'Ada Lovelace', email: 'ada@kars.example' },
  { token: workspace, kind: 'workspace' },
  { token: devProject, kind: 'project', environment: 'kars-dev' },
];

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string }[] };
}

async function post(
  sim: RailwaySim,
  headers: Record<string, string>,
  query: string,
  variables?: object,
): Promise<Answer> {
  const res = await fetch(sim.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const projectHeader = (token: string) => ({ 'project-access-token': token });

function wsClient(sim: RailwaySim, headers: Record<string, string>, retryAttempts = 0): Client {
  class HeaderSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  return createClient({ url: sim.wsUrl, webSocketImpl: HeaderSocket, retryAttempts, lazy: true });
}

void describe('Railway simulator over HTTP', () => {
  let sim: RailwaySim;
  before(async () => {
    // Sends as fast as it can from one token; Hobby's 10 requests/s is tested in railwayRateLimits.test.ts.
    sim = await startRailwaySim({ fixture: 'kars', tokens, rateLimitPerSecond: null });
  });
  after(() => sim.close());

  void it('answers me for an account token, with rate-limit headers, and counts the request by operation', async () => {
    const before = sim.requestCount('Me');
    const a = await post(sim, bearer(account), 'query Me { me { id name email } }');
    assert.equal(a.status, 200);
    assert.deepEqual(a.body.data?.me, {
      id: 'user-ada',
      name: 'Ada Lovelace',
      email: 'ada@kars.example',
    });
    assert.equal(a.headers.get('x-ratelimit-limit'), '1000');
    assert.ok(Number(a.headers.get('x-ratelimit-remaining')) < 1000);
    assert.ok(Number(a.headers.get('x-ratelimit-reset')) > Date.now() / 1000);
    assert.equal(sim.requestCount('Me'), before + 1);
    assert.ok(sim.requestCount({ token: account }) >= 1);
  });

  void it('refuses unknown tokens the way Railway words it', async () => {
    const unknown = await post(sim, bearer('nope-not-a-token-at-all'), '{ me { id } }');
    assert.match(unknown.body.errors?.[0]?.message ?? '', /Not Authorized/);
    const badProject = await post(
      sim,
      projectHeader('nope-not-a-token-at-all'),
      '{ projectToken { projectId } }',
    );
    assert.match(badProject.body.errors?.[0]?.message ?? '', /project token not found/);
  });

  void it('refuses me for workspace and project tokens, and for no token', async () => {
    for (const headers of [bearer(workspace), projectHeader(devProject), {}]) {
      const a = await post(sim, headers, '{ me { id } }');
      assert.match(a.body.errors?.[0]?.message ?? '', /Not Authorized/);
    }
  });

  void it('tells a project token its project and environment, and a workspace token its workspace', async () => {
    const p = await post(
      sim,
      projectHeader(devProject),
      '{ projectToken { projectId environmentId environment { name } } }',
    );
    const token = p.body.data?.projectToken as {
      projectId: string;
      environmentId: string;
      environment: { name: string };
    };
    assert.equal(token.environment.name, 'kars-dev');
    assert.equal(token.projectId, sim.state.projects[0]?.id);
    const w = await post(sim, bearer(workspace), '{ apiToken { workspaces { id name } } }');
    assert.deepEqual(w.body.data?.apiToken, {
      workspaces: [{ id: sim.state.workspaces[0]?.id, name: 'KARS' }],
    });
  });

  void it('scopes a project token to its environment', async () => {
    const id = sim.state.projects[0]?.id;
    const q =
      'query($id: String!) { project(id: $id) { environments { edges { node { name } } } } }';
    const scoped = await post(sim, projectHeader(devProject), q, { id });
    assert.equal(
      JSON.stringify(scoped.body.data),
      JSON.stringify({ project: { environments: { edges: [{ node: { name: 'kars-dev' } }] } } }),
    );
    const prod = sim.state.environmentByName('kars-prod');
    const refused = await post(
      sim,
      projectHeader(devProject),
      'query($id: String!) { environment(id: $id) { name } }',
      { id: prod.id },
    );
    assert.match(refused.body.errors?.[0]?.message ?? '', /Not Authorized/);
  });

  void it('serves the kars fixture: three environments, triggers per branch, Postgres from an image', async () => {
    const { state } = sim;
    const q = `query($id: String!) { project(id: $id) { environments { edges { node { name isEphemeral meta { prNumber branch baseBranch }
      serviceInstances { edges { node { serviceId serviceName source { repo image } activeDeployments { status } } } } } } } } }`;
    const a = await post(sim, bearer(account), q, { id: state.projects[0]?.id });
    type Env = {
      name: string;
      isEphemeral: boolean;
      meta: { prNumber: number } | null;
      serviceInstances: {
        edges: {
          node: {
            serviceName: string;
            source: { repo: string | null; image: string | null };
            activeDeployments: { status: string }[];
          };
        }[];
      };
    };
    const envs = (
      a.body.data?.project as { environments: { edges: { node: Env }[] } }
    ).environments.edges.map((e) => e.node);
    assert.deepEqual(
      envs.map((e) => e.name),
      ['kars-dev', 'kars-prod', 'kars-pr-42'],
    );
    assert.equal(envs[2]?.isEphemeral, true);
    assert.equal(envs[2]?.meta?.prNumber, 42);
    for (const env of envs) {
      const names = env.serviceInstances.edges.map((e) => e.node.serviceName);
      assert.deepEqual(names, ['kars-backend', 'kars-frontend', 'Postgres']);
      for (const { node } of env.serviceInstances.edges)
        assert.deepEqual(node.activeDeployments, [{ status: 'SUCCESS' }]);
      const pg = env.serviceInstances.edges.find((e) => e.node.serviceName === 'Postgres')?.node;
      assert.equal(pg?.source.repo, null);
      assert.ok(pg?.source.image);
    }
    for (const name of ['kars-dev', 'kars-prod']) {
      const env = state.environmentByName(name);
      const branches = state.triggers
        .filter((t) => t.environmentId === env.id)
        .map((t) => t.branch);
      assert.deepEqual(branches, [name, name]);
    }
  });

  void it('lists deployment triggers and filters deployments by status', async () => {
    const { state } = sim;
    const env = state.environmentByName('kars-prod');
    const backend = state.serviceByName('kars-backend');
    const vars = { projectId: env.projectId, environmentId: env.id, serviceId: backend.id };
    const t = await post(
      sim,
      bearer(account),
      `query($projectId: String!, $environmentId: String!, $serviceId: String!) {
      deploymentTriggers(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId) { edges { node { repository branch provider checkSuites } } } }`,
      vars,
    );
    assert.deepEqual(t.body.data?.deploymentTriggers, {
      edges: [
        {
          node: {
            repository: karsRepo,
            branch: 'kars-prod',
            provider: 'github',
            checkSuites: true,
          },
        },
      ],
    });
    const d = await post(
      sim,
      bearer(account),
      `query($input: DeploymentListInput!) { deployments(input: $input, first: 5) { edges { node { status canRollback } } } }`,
      {
        input: { environmentId: env.id, serviceId: backend.id, status: { in: ['REMOVED'] } },
      },
    );
    assert.deepEqual(d.body.data?.deployments, {
      edges: [{ node: { status: 'REMOVED', canRollback: true } }],
    });
  });

  void it('answers 400 with the validation error for a query Railway would reject', async () => {
    const a = await post(sim, bearer(account), '{ me { nickname } }');
    assert.equal(a.status, 400);
    assert.match(a.body.errors?.[0]?.message ?? '', /nickname/);
  });
});

void describe('Railway simulator deployment lifecycle', () => {
  let sim: RailwaySim;
  before(async () => {
    sim = await startRailwaySim({ tokens });
  });
  after(() => sim.close());

  void it('moves a pushed deployment QUEUED → BUILDING → DEPLOYING → SUCCESS only as its clock moves', () => {
    const { state } = sim;
    const commit = { hash: 'f'.repeat(40), message: 'Ship it', author: 'Ada Lovelace' };
    const created = state.push(karsRepo, 'kars-dev', commit);
    assert.equal(created.length, 2, 'backend and frontend watch kars-dev; Postgres has no trigger');
    const d = created[0]!;
    const seen = [d.status];
    for (let i = 0; i < 3; i++) {
      assert.ok(state.advance(d.id).includes(d));
      seen.push(d.status);
    }
    assert.deepEqual(seen, ['QUEUED', 'BUILDING', 'DEPLOYING', 'SUCCESS']);
    assert.equal(d.meta.commitHash, commit.hash);
    const previous = state.deploymentsOf(d.environmentId, d.serviceId)[1]!;
    assert.equal(previous.status, 'REMOVING', 'the old one drains while the new one serves');
    assert.deepEqual(
      state.activeDeployments(d.environmentId, d.serviceId).map((a) => a.id),
      [d.id, previous.id],
    );
    state.settle();
    assert.equal(previous.status, 'REMOVED');
    assert.equal(state.canRollback(previous), true);
    assert.deepEqual(state.advance(d.id), [], 'a finished deployment does not move');
  });

  void it('ends in FAILED with the previous one serving, or CRASHED after taking over with nothing serving', () => {
    const { state } = sim;
    const env = state.environmentByName('kars-prod');
    const serviceId = state.serviceByName('kars-backend').id;
    const serving = state.servingDeployment(env.id, serviceId)!;
    const failed = state.createDeployment({ environmentId: env.id, serviceId, outcome: 'FAILED' });
    state.settle(failed.id);
    assert.equal(failed.status, 'FAILED');
    assert.equal(state.servingDeployment(env.id, serviceId), serving);
    const crashed = state.createDeployment({
      environmentId: env.id,
      serviceId,
      outcome: 'CRASHED',
    });
    state.settle();
    assert.equal(crashed.status, 'CRASHED');
    assert.equal(serving.status, 'REMOVED', 'the previous one was removed when it took over');
    assert.equal(state.servingDeployment(env.id, serviceId), undefined);
    assert.deepEqual(state.activeDeployments(env.id, serviceId), [crashed]);
  });
});

void describe('Railway simulator limits and faults', () => {
  let sim: RailwaySim;
  before(async () => {
    sim = await startRailwaySim({ tokens, rateLimitPerHour: 3 });
  });
  after(() => sim.close());

  void it('injects a 500 once, then a 429 with Retry-After, then answers normally', async () => {
    sim.faults.next({ status: 500 });
    sim.faults.next({ status: 429, retryAfter: 2 });
    const first = await post(sim, bearer(workspace), '{ apiToken { workspaces { id } } }');
    const second = await post(sim, bearer(workspace), '{ apiToken { workspaces { id } } }');
    const third = await post(sim, bearer(workspace), '{ apiToken { workspaces { id } } }');
    assert.equal(first.status, 500);
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), '2');
    assert.equal(third.status, 200);
    assert.equal(sim.faults.pending(), 0);
  });

  void it('answers 429 with Retry-After past the hourly budget of one token, not of another', async () => {
    for (let i = 0; i < 3; i++)
      assert.equal((await post(sim, bearer(account), '{ me { id } }')).status, 200);
    const over = await post(sim, bearer(account), '{ me { id } }');
    assert.equal(over.status, 429);
    assert.equal(over.headers.get('x-ratelimit-remaining'), '0');
    assert.ok(Number(over.headers.get('retry-after')) > 0);
    assert.equal(
      (await post(sim, projectHeader(devProject), '{ projectToken { projectId } }')).status,
      200,
    );
    assert.equal(sim.requestCount({ token: account }), 4);
  });

  void it('holds a delayed answer until close() and close() is safe twice', async () => {
    const local = await startRailwaySim({ tokens });
    local.faults.next({ delayMs: 60_000 });
    const pending = post(local, bearer(account), '{ me { id } }').then(
      () => 'answered',
      () => 'cut',
    );
    await waitFor(() => local.requestCount() === 1);
    await Promise.all([local.close(), local.close()]);
    assert.equal(await pending, 'cut');
  });
});

void describe('Railway simulator subscriptions (graphql-transport-ws)', () => {
  let sim: RailwaySim;
  before(async () => {
    sim = await startRailwaySim({ tokens });
  });
  after(() => sim.close());

  void it('streams deployment(id) status changes to an authorised socket', async () => {
    const { state } = sim;
    const d = state.push(karsRepo, 'kars-prod', {
      hash: 'e'.repeat(40),
      message: 'Promote',
      author: 'Ada',
    })[0]!;
    const client = wsClient(sim, bearer(account));
    const statuses: string[] = [];
    try {
      for await (const result of client.iterate<{ deployment: { status: string } }>({
        query: 'subscription DeploymentUpdates($id: String!) { deployment(id: $id) { id status } }',
        variables: { id: d.id },
      })) {
        const status = result.data?.deployment.status;
        assert.ok(status, JSON.stringify(result));
        statuses.push(status);
        if (status === 'SUCCESS') break;
        state.advance(d.id);
      }
    } finally {
      await client.dispose();
    }
    assert.deepEqual(statuses, ['QUEUED', 'BUILDING', 'DEPLOYING', 'SUCCESS']);
    assert.equal(sim.requestCount('DeploymentUpdates'), 1);
  });

  void it('refuses the upgrade for an unknown token', async () => {
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(sim.wsUrl, 'graphql-transport-ws', {
        headers: bearer('nope-not-a-token-at-all'),
      });
      socket.on('error', () => undefined);
      socket.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        socket.terminate();
      });
    });
    assert.equal(refused, 401);
  });

  void it('drops open sockets on demand', async () => {
    const d = sim.state.deployments[0]!;
    const client = wsClient(sim, bearer(account));
    const closed = new Promise<number>((resolve) =>
      client.on('closed', (e) => resolve((e as { code: number }).code)),
    );
    const first = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: 'subscription { deployment(id: "' + d.id + '") { status } }' },
        { next: () => resolve(), error: reject, complete: () => undefined },
      );
    });
    await first;
    sim.faults.next({ dropSockets: true });
    assert.equal(await closed, 1006);
    await client.dispose();
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
