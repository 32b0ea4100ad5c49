// The daemon's pure view building: order, branches from triggers, protection, promotion pairs,
// recent deployments per service, health aggregation, and the health verdict on an answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregateHealth,
  buildEnvironmentViews,
  orderEnvironments,
  promotionPairs,
  servingDeployment,
} from '../../daemon/environments/environmentViews';
import {
  judgeHealth,
  parseResolveRules,
  resolveTarget,
} from '../../daemon/environments/healthChecker';
import type { EnvironmentTreeResult, TreeEnvironment } from '../../daemon/environments/treeQuery';
import type { RailwayDeployment, RailwayServiceInstance } from '../../daemon/railway/types';

const deployment = (
  id: string,
  serviceId: string,
  createdAt: string,
  status: RailwayDeployment['status'] = 'SUCCESS',
): RailwayDeployment => ({
  id,
  status,
  createdAt,
  statusUpdatedAt: null,
  canRedeploy: true,
  canRollback: true,
  url: null,
  staticUrl: `${id}.up.railway.app`,
  meta: { commitHash: `${id}-sha`, commitMessage: `msg ${id}`, branch: 'kars-dev' },
  serviceId,
  environmentId: 'env',
  projectId: 'p',
  creator: { name: 'Ana', email: 'ana@example.com' },
});
const instance = (serviceId: string, latest: RailwayDeployment): RailwayServiceInstance => ({
  id: `si-${serviceId}`,
  serviceId,
  serviceName: serviceId,
  environmentId: 'env',
  healthcheckPath: '/api/health',
  numReplicas: 1,
  source: { repo: 'kars/kars-app', image: null },
  domains: { serviceDomains: [{ domain: `${serviceId}.up.railway.app` }], customDomains: [] },
  latestDeployment: latest,
  activeDeployments: [latest],
});
const environment = (
  id: string,
  name: string,
  branch: string | undefined,
  deployments: RailwayDeployment[],
  isEphemeral = false,
): TreeEnvironment => ({
  id,
  name,
  isEphemeral,
  meta: isEphemeral
    ? { prNumber: 42, prTitle: 'Dark mode', branch: 'feature/dark', baseBranch: 'kars-dev' }
    : null,
  deploymentTriggers: {
    edges: branch
      ? [
          {
            node: {
              id: 't',
              repository: 'kars/kars-app',
              branch,
              provider: 'github',
              checkSuites: false,
              serviceId: 'backend',
              environmentId: id,
            },
          },
        ]
      : [],
  },
  serviceInstances: { edges: [{ node: instance('backend', deployments[0]!) }] },
  deployments: { edges: deployments.map((node) => ({ node })) },
});
const project = (envs: TreeEnvironment[]): EnvironmentTreeResult['project'] => ({
  id: 'p',
  name: 'kars',
  services: { edges: [{ node: { id: 'backend', name: 'backend', icon: null } }] },
  environments: { edges: envs.map((node) => ({ node })) },
});

describe('environment views', () => {
  const prodDeps = [
    deployment('p2', 'backend', '2026-11-20T10:00:00Z'),
    deployment('p1', 'backend', '2026-11-13T10:00:00Z'),
  ];
  const devDeps = [
    deployment('d3', 'backend', '2026-11-24T10:00:00Z', 'BUILDING'),
    deployment('d2', 'backend', '2026-11-23T10:00:00Z'),
  ];
  const tree = project([
    environment(
      'e-pr',
      'kars-pr-42',
      undefined,
      [deployment('x1', 'backend', '2026-11-24T09:00:00Z')],
      true,
    ),
    environment('e-prod', 'kars-prod', 'kars-prod', prodDeps),
    environment('e-dev', 'kars-dev', 'kars-dev', devDeps),
  ]);

  it('orders dev before prod and PR environments last, and derives branch, protection and promotion', () => {
    const views = buildEnvironmentViews(
      tree,
      undefined,
      () => undefined,
      new Map([['kars-dev', { ahead: 3, behind: 0 }]]),
    );
    assert.deepEqual(
      views.map((v) => v.name),
      ['kars-dev', 'kars-prod', 'kars-pr-42'],
    );
    const [dev, prod, pr] = views;
    assert.equal(dev?.branch, 'kars-dev');
    assert.equal(dev?.protected, false);
    assert.equal(prod?.protected, true);
    assert.deepEqual(dev?.promotion, { to: 'kars-prod', ahead: 3, behind: 0 });
    assert.equal(prod?.promotion, undefined);
    assert.deepEqual(pr?.pr, {
      number: 42,
      title: 'Dark mode',
      branch: 'feature/dark',
      baseBranch: 'kars-dev',
    });
    assert.equal(pr?.branch, 'feature/dark');
  });
  it('lets railyard.json override order, protection, branch and promotion pairs', () => {
    const views = buildEnvironmentViews(
      tree,
      {
        order: ['kars-prod', 'kars-dev'],
        environments: { 'kars-prod': { protected: false, branch: 'main' } },
        promotions: [{ from: 'kars-prod', to: 'kars-dev', strategy: 'merge' }],
      },
      () => undefined,
    );
    assert.deepEqual(views.map((v) => v.name).slice(0, 2), ['kars-prod', 'kars-dev']);
    assert.equal(views[0]?.protected, false);
    assert.equal(views[0]?.branch, 'main');
    assert.equal(views[0]?.promotion?.to, 'kars-dev');
  });
  it('gives each service its latest, active and recent deployments with commit and creator', () => {
    const dev = buildEnvironmentViews(tree, undefined, () => undefined).find(
      (v) => v.name === 'kars-dev',
    )!;
    const s = dev.services[0]!;
    assert.equal(s.latest?.status, 'BUILDING');
    assert.deepEqual(
      s.recent.map((d) => d.id),
      ['d3', 'd2'],
    );
    assert.equal(s.latest?.commitHash, 'd3-sha');
    assert.equal(s.latest?.creator, 'Ana');
    assert.equal(s.url, 'https://backend.up.railway.app');
    assert.equal(s.latest?.url, 'https://d3.up.railway.app');
  });
  it('aggregates health: any unhealthy service makes the environment unhealthy', () => {
    assert.equal(
      aggregateHealth([{ state: 'healthy' }, { state: 'unhealthy' }]).state,
      'unhealthy',
    );
    assert.equal(aggregateHealth([{ state: 'healthy' }, { state: 'unknown' }]).state, 'healthy');
    assert.equal(aggregateHealth([{ state: 'unknown' }]).state, 'unknown');
  });
  it('orders by stage keywords and infers promotion pairs along that order', () => {
    const envs = ['production', 'staging', 'develop'].map((name) => ({ name, isEphemeral: false }));
    const ordered = orderEnvironments(envs);
    assert.deepEqual(
      ordered.map((e) => e.name),
      ['develop', 'staging', 'production'],
    );
    assert.deepEqual(promotionPairs(ordered), [
      { from: 'develop', to: 'staging' },
      { from: 'staging', to: 'production' },
    ]);
  });
});

describe('health verdicts', () => {
  it('needs 2xx, and a body that says ok where it says anything', () => {
    assert.equal(judgeHealth(200, '{"status":"ok","database":"connected"}').state, 'healthy');
    assert.deepEqual(judgeHealth(200, '{"status":"ok","database":"disconnected"}'), {
      state: 'unhealthy',
      detail: 'database: disconnected',
    });
    assert.deepEqual(judgeHealth(503, 'down'), { state: 'unhealthy', detail: 'HTTP 503' });
    assert.equal(judgeHealth(204, '').state, 'healthy');
  });
  it('maps public domains to a local address, keeping the Host', () => {
    const rules = parseResolveRules('up.railway.app=http://127.0.0.1:4545, bad, x=notaurl');
    assert.equal(rules.length, 1);
    const t = resolveTarget(new URL('https://kars-backend.up.railway.app/api/health?x=1'), rules);
    assert.equal(t.request.href, 'http://127.0.0.1:4545/api/health?x=1');
    assert.equal(t.host, 'kars-backend.up.railway.app');
    assert.equal(resolveTarget(new URL('https://example.com/'), rules).host, undefined);
  });
});

describe('the serving deployment and rollbacks', () => {
  const at = (n: number) => `2026-11-2${n}T10:00:00Z`;
  const withCommit = (d: RailwayDeployment, sha: string): RailwayDeployment => ({
    ...d,
    meta: { ...d.meta, commitHash: sha },
  });

  it('picks SUCCESS over a newer in-flight or crashed one, in any order, and CRASHED only alone', () => {
    const serving = deployment('s', 'backend', at(1));
    const deploying = deployment('n', 'backend', at(2), 'DEPLOYING');
    const crashed = deployment('c', 'backend', at(3), 'CRASHED');
    for (const order of [
      [deploying, serving, crashed],
      [serving, crashed, deploying],
    ])
      assert.equal(servingDeployment(order)?.id, 's');
    assert.equal(servingDeployment([deploying, crashed])?.id, 'c');
    assert.equal(servingDeployment([deploying]), undefined);
  });

  it('says a crashed serving service is down whatever its last health check said', () => {
    const crashed = deployment('c', 'backend', at(3), 'CRASHED');
    const env = environment('e', 'kars-prod', 'kars-prod', [crashed]);
    const [view] = buildEnvironmentViews(project([env]), undefined, () => ({ state: 'healthy' }));
    assert.equal(view?.services[0]?.health.state, 'unhealthy');
  });

  it('marks rollbacks: remembered ones as known, a same-commit return as inferred, a redeploy as neither', () => {
    const a = withCommit(deployment('a', 'backend', at(1), 'REMOVED'), 'c1');
    const b = withCommit(deployment('b', 'backend', at(2), 'REMOVED'), 'c2');
    const c = withCommit(deployment('c', 'backend', at(3), 'REMOVED'), 'c1');
    const r = withCommit(deployment('r', 'backend', at(4), 'REMOVED'), 'c1');
    const e = withCommit(deployment('e', 'backend', at(5)), 'c2');
    const env = environment('e1', 'kars-dev', 'kars-dev', [e, r, c, b, a]);
    const [view] = buildEnvironmentViews(
      project([env]),
      undefined,
      () => undefined,
      new Map(),
      (id) => (id === 'e' ? 'b' : undefined),
    );
    const restores = new Map(view!.services[0]!.recent.map((d) => [d.id, d.restores]));
    assert.deepEqual(restores.get('e'), { deploymentId: 'b', inferred: false });
    assert.equal(restores.get('r'), undefined, 'the same commit again right after is a redeploy');
    assert.deepEqual(restores.get('c'), { deploymentId: 'a', inferred: true });
    assert.equal(restores.get('b'), undefined);
    assert.equal(restores.get('a'), undefined);
  });
});
