// The project watcher's scheduling with a scripted upstream and manual timers: adaptive polling,
// subscriptions only for in-flight deployments, a refresh when git shows a push, no message when
// nothing but times changed, and revisions that grow with every change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HealthView, ProjectView } from '../../protocol/protocol';
import { ProjectWatcher, type Timers } from '../../daemon/environments/projectWatcher';
import type { PromotingSource } from '../../daemon/environments/promotingWatch';
import type { EnvironmentTreeResult } from '../../daemon/environments/treeQuery';
import type { RailwayDeployment } from '../../daemon/railway/types';
import { success } from '../../daemon/upstreamError';

class ManualTimers implements Timers {
  readonly pending = new Map<number, { ms: number; fn: () => void }>();
  private seq = 0;
  setTimeout(fn: () => void, ms: number): unknown {
    this.pending.set(++this.seq, { ms, fn });
    return this.seq;
  }
  clearTimeout(h: unknown): void {
    this.pending.delete(h as number);
  }
  delays(): number[] {
    return [...this.pending.values()].map((p) => p.ms).sort((a, b) => a - b);
  }
  fire(ms: number): void {
    for (const [id, p] of [...this.pending]) {
      if (p.ms !== ms) continue;
      this.pending.delete(id);
      p.fn();
    }
  }
}

const deployment = (id: string, status: RailwayDeployment['status']): RailwayDeployment => ({
  id,
  status,
  createdAt: '2026-11-24T10:00:00Z',
  statusUpdatedAt: null,
  canRedeploy: true,
  canRollback: false,
  url: null,
  staticUrl: null,
  meta: { commitHash: `${id}-sha` },
  serviceId: 's1',
  environmentId: 'e1',
  projectId: 'p',
  creator: null,
});
const tree = (status: RailwayDeployment['status']): EnvironmentTreeResult => ({
  project: {
    id: 'p',
    name: 'kars',
    services: { edges: [] },
    environments: {
      edges: [
        {
          node: {
            id: 'e1',
            name: 'kars-dev',
            isEphemeral: false,
            meta: null,
            deploymentTriggers: {
              edges: [
                {
                  node: {
                    id: 't',
                    repository: 'kars/app',
                    branch: 'kars-dev',
                    provider: 'github',
                    checkSuites: false,
                    serviceId: 's1',
                    environmentId: 'e1',
                  },
                },
              ],
            },
            serviceInstances: {
              edges: [
                {
                  node: {
                    id: 'si',
                    serviceId: 's1',
                    serviceName: 'api',
                    environmentId: 'e1',
                    healthcheckPath: '/h',
                    numReplicas: 1,
                    source: null,
                    domains: {
                      serviceDomains: [{ domain: 'api.up.railway.app' }],
                      customDomains: [],
                    },
                    latestDeployment: deployment('d1', status),
                    activeDeployments: [],
                  },
                },
              ],
            },
            deployments: { edges: [] },
          },
        },
      ],
    },
  },
});

function setup(initial: RailwayDeployment['status'], promoting?: PromotingSource) {
  const timers = new ManualTimers();
  let current = tree(initial);
  let fetches = 0;
  let heads = new Map([['kars/app#kars-dev', 'aaa']]);
  const subscribed: string[] = [];
  const views: ProjectView[] = [];
  let health: HealthView = { state: 'healthy', checkedAt: '1' };
  const watcher = new ProjectWatcher({
    projectId: 'p',
    link: { source: 'env' },
    config: () => ({}),
    timers,
    fetchTree: () => (fetches++, Promise.resolve(success(structuredClone(current)))),
    subscribeDeployment: (id) => (subscribed.push(id), () => undefined),
    checkHealth: () => Promise.resolve(health),
    branchHeads: () => Promise.resolve(heads),
    onView: (v) => views.push(v),
    ...(promoting && { promoting }),
  });
  return {
    timers,
    watcher,
    views,
    subscribed,
    fetches: () => fetches,
    set: (s: RailwayDeployment['status']) => (current = tree(s)),
    setTree: (t: EnvironmentTreeResult) => (current = t),
    push: (sha: string) => (heads = new Map([['kars/app#kars-dev', sha]])),
    setHealth: (h: HealthView) => (health = h),
  };
}
const settle = () => new Promise((r) => setImmediate(r));

describe('project watcher', () => {
  it('polls fast while a deployment is in flight and subscribes to it; slow when idle', async () => {
    const w = setup('BUILDING');
    await w.watcher.start();
    await settle();
    assert.deepEqual(w.subscribed, ['d1']);
    assert.ok(w.timers.delays().includes(10_000), `busy poll: ${w.timers.delays().join(',')}`);
    w.set('SUCCESS');
    w.timers.fire(10_000);
    await settle();
    assert.ok(w.timers.delays().includes(75_000), `idle poll: ${w.timers.delays().join(',')}`);
    w.watcher.stop();
    assert.equal(w.timers.pending.size, 0, 'stopping clears every timer');
  });
  it('refreshes at once when git shows a new head on a trigger branch', async () => {
    const w = setup('SUCCESS');
    await w.watcher.start();
    await settle();
    const before = w.fetches();
    w.timers.fire(10_000); // heads unchanged
    await settle();
    assert.equal(w.fetches(), before);
    w.push('bbb');
    w.timers.fire(10_000);
    await settle();
    assert.equal(w.fetches(), before + 1);
    w.watcher.stop();
  });
  it('sends a view only when something but times changed, with a growing revision', async () => {
    const w = setup('SUCCESS');
    await w.watcher.start();
    await settle();
    const count = w.views.length;
    const revision = w.views.at(-1)?.revision ?? 0;
    w.setHealth({ state: 'healthy', checkedAt: '2' });
    w.timers.fire(30_000);
    await settle();
    assert.equal(w.views.length, count, 'a new checkedAt alone sends nothing');
    w.setHealth({ state: 'unhealthy', detail: 'HTTP 503', checkedAt: '3' });
    w.timers.fire(30_000);
    await settle();
    assert.equal(w.views.length, count + 1);
    assert.ok((w.views.at(-1)?.revision ?? 0) > revision);
    w.watcher.stop();
  });
  it('numbers a new watcher on from the last one, so a client keeping the newest view takes its views', async () => {
    const first = setup('SUCCESS');
    await first.watcher.start();
    await settle();
    first.watcher.stop();
    const second = setup('SUCCESS');
    await second.watcher.start();
    await settle();
    assert.ok((second.views[0]?.revision ?? 0) > (first.views.at(-1)?.revision ?? 0));
    second.watcher.stop();
  });
});

describe("project watcher and teammates' promotions", () => {
  it("looks at GitHub on the user's Refresh (refreshAll), not on every Railway poll", async () => {
    let looks = 0;
    const promoting: PromotingSource = {
      local: () => new Map(),
      team: () => (looks++, Promise.resolve([])),
      onChange: () => () => undefined,
    };
    const w = setup('SUCCESS', promoting);
    await w.watcher.start();
    await settle();
    assert.equal(looks, 1, 'one look when the project is first watched');
    const fetches = w.fetches();
    w.timers.fire(75_000);
    await settle();
    await w.watcher.refresh();
    assert.equal(w.fetches(), fetches + 2);
    assert.equal(looks, 1, 'timed polls and internal refreshes leave GitHub to its own timer');
    await w.watcher.refreshAll();
    assert.equal(w.fetches(), fetches + 3);
    assert.equal(looks, 2, 'the Refresh looked at once');
    w.watcher.stop();
    assert.equal(w.timers.pending.size, 0, 'stopping ends the team poll too');
  });
});

describe('project watcher start', () => {
  it('gives every caller the first real view, even one that asks while Railway has not answered', async () => {
    const w = setup('SUCCESS');
    const [first, second] = await Promise.all([w.watcher.start(), w.watcher.start()]);
    assert.equal(first.environments.length, 1);
    assert.equal(second.environments.length, 1, 'the second caller must not get the empty view');
    assert.equal(w.fetches(), 1, 'one request for both');
    w.watcher.stop();
  });
});

describe('project watcher after a push', () => {
  /** The tree once Railway lists a deployment of `sha` from kars-dev. */
  const listing = (sha: string): EnvironmentTreeResult => {
    const t = tree('QUEUED');
    const d = { ...deployment('d2', 'QUEUED'), meta: { commitHash: sha, branch: 'kars-dev' } };
    t.project.environments.edges[0]!.node.deployments.edges.push({ node: d });
    return t;
  };
  const fastPolls = (w: ReturnType<typeof setup>) => w.timers.delays().filter((ms) => ms === 3_000);

  it('polls every 3 s until Railway lists the pushed commit, then no faster than its work needs', async () => {
    const w = setup('SUCCESS');
    await w.watcher.start();
    await settle();
    w.push('bbb');
    w.timers.fire(10_000);
    await settle();
    assert.equal(fastPolls(w).length, 1, 'the webhook has not landed: look again soon');
    w.timers.fire(3_000);
    await settle();
    assert.equal(fastPolls(w).length, 1);
    w.setTree(listing('bbb'));
    w.timers.fire(3_000);
    await settle();
    assert.deepEqual(fastPolls(w), [], 'listed: the busy poll takes over');
    assert.ok(w.timers.delays().includes(10_000));
    w.watcher.stop();
  });

  it('says so on the environment when Railway never starts a deployment for a push', async () => {
    const w = setup('SUCCESS');
    await w.watcher.start();
    await settle();
    w.push('ccc');
    w.timers.fire(10_000);
    await settle();
    for (let i = 0; i < 40 && fastPolls(w).length; i++) {
      assert.equal(w.views.at(-1)?.environments[0]?.unstartedPush, undefined);
      w.timers.fire(3_000);
      await settle();
    }
    assert.deepEqual(fastPolls(w), [], 'two minutes of looking, then back to the idle poll');
    const env = w.views.at(-1)?.environments[0];
    assert.equal(env?.unstartedPush?.sha, 'ccc');
    assert.equal(env?.unstartedPush?.branch, 'kars-dev');
    w.setTree(listing('ccc')); // e.g. the user deployed it with Deploy Commit…
    await w.watcher.refresh();
    assert.equal(w.views.at(-1)?.environments[0]?.unstartedPush, undefined);
    w.watcher.stop();
  });
});
