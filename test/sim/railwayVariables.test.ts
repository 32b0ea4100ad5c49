// Proves the Railway simulator's variables: Environment.variables lists names (never values), the
// `variables` query renders references or answers raw templates, sealed values are never answered,
// a project token reads only its own environment, and the kars fixture's names match dev to prod.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { karsSealedVariables } from '../../sim/railway/karsVariables';
import { simOperations } from '../../sim/railway/simOperations';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import { deleteVariable, setVariable } from '../../sim/railway/variables';
import { bearer, data, errorOf, post, projectHeader } from './railwayTestClient';

const account = 'acct-token-variables-0123456789';
const devProject = 'proj-token-variables-dev-0123';

interface VariableNode {
  id: string;
  name: string;
  serviceId: string | null;
  environmentId: string | null;
  isSealed: boolean;
  references: string[];
  environment: { name: string };
}

type VariableMap = Record<string, string | null>;

const devBackend = 'kars-backend-kars-dev.up.railway.app';
const prodBackend = 'kars-backend-kars-prod.up.railway.app';

void describe('Railway simulator variables', () => {
  let sim: RailwaySim;
  before(async () => {
    sim = await startRailwaySim({
      tokens: [
        { token: account, kind: 'account' },
        { token: devProject, kind: 'project', environment: 'kars-dev' },
      ],
      // Sends as fast as it can from one token; Hobby's 10 requests/s is tested in railwayRateLimits.test.ts.
      rateLimitPerSecond: null,
    });
  });
  after(() => sim.close());

  const envId = (name: string) => sim.state.environmentByName(name).id;
  const serviceId = (name: string) => sim.state.serviceByName(name).id;
  const projectId = () => sim.state.projects[0]!.id;

  async function names(
    env: string,
    headers: Record<string, string> = bearer(account),
  ): Promise<VariableNode[]> {
    const d = await data<{ environment: { variables: { edges: { node: VariableNode }[] } } }>(
      sim,
      headers,
      simOperations.EnvironmentVariableNames,
      { id: envId(env) },
    );
    return d.environment.variables.edges.map((e) => e.node);
  }

  async function variables(
    env: string,
    service: string | null,
    options: { unrendered?: boolean; headers?: Record<string, string> } = {},
  ): Promise<VariableMap> {
    const d = await data<{ variables: VariableMap }>(
      sim,
      options.headers ?? bearer(account),
      simOperations.Variables,
      {
        environmentId: envId(env),
        projectId: projectId(),
        serviceId: service === null ? null : serviceId(service),
        unrendered: options.unrendered,
      },
    );
    return d.variables;
  }

  /** Variable names per service name, for comparing environments. */
  async function namesByService(env: string): Promise<Record<string, string[]>> {
    const byService: Record<string, string[]> = {};
    for (const v of await names(env)) {
      const service = sim.state.services.find((s) => s.id === v.serviceId)?.name ?? 'shared';
      (byService[service] ??= []).push(v.name);
    }
    for (const list of Object.values(byService)) list.sort();
    return byService;
  }

  void it('lists an environment`s variables as names with their service, sealing and references, and no value field', async () => {
    const nodes = await names('kars-dev');
    const backend = nodes.filter((n) => n.serviceId === serviceId('kars-backend'));
    assert.deepEqual(backend.map((n) => n.name).sort(), [
      'BASE_URL',
      'DATABASE_URL',
      'DB_CLIENT',
      'FRONTEND_URL',
      'JWT_SECRET',
      'NODE_ENV',
      'PASSKEY_ORIGIN',
      'PASSKEY_RP_ID',
      'PASSKEY_RP_NAME',
      'RUN_ATTESTATION_SCHEDULER',
    ]);
    const byName = new Map(backend.map((n) => [n.name, n]));
    assert.equal(byName.get('JWT_SECRET')?.isSealed, true);
    assert.equal(byName.get('NODE_ENV')?.isSealed, false);
    assert.deepEqual(byName.get('DATABASE_URL')?.references, ['Postgres.DATABASE_URL']);
    assert.deepEqual(byName.get('JWT_SECRET')?.references, [], 'a sealed value shows nothing');
    assert.ok(nodes.every((n) => n.environmentId === envId('kars-dev')));
    assert.ok(nodes.every((n) => n.environment.name === 'kars-dev'));
    const frontend = nodes.filter((n) => n.serviceId === serviceId('kars-frontend'));
    assert.deepEqual(frontend.map((n) => n.name).sort(), ['NODE_ENV', 'VITE_API_URL']);
    const res = await fetch(sim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(account) },
      body: JSON.stringify({
        query: '{ environment(id: "x") { variables { edges { node { name value } } } } }',
      }),
    });
    assert.equal(res.status, 400, 'asking for a value is not even valid GraphQL');
    assert.match(await res.text(), /Cannot query field \\"value\\" on type \\"Variable\\"/);
  });

  void it('answers a Variable`s service, and pages the list as a connection', async () => {
    const d = await data<{
      environment: { variables: { edges: { node: { name: string; service: { id: string } } }[] } };
    }>(sim, bearer(account), simOperations.VariableService, { id: envId('kars-prod') });
    const [first, ...rest] = d.environment.variables.edges;
    assert.equal(rest.length, 0, 'first: 1');
    assert.ok(sim.state.services.some((s) => s.id === first?.node.service.id));
  });

  void it('renders references from the referenced service; unrendered answers the raw templates', async () => {
    const rendered = await variables('kars-dev', 'kars-backend');
    const postgres = await variables('kars-dev', 'Postgres');
    const password = postgres.POSTGRES_PASSWORD;
    assert.ok(password, 'Postgres has a password');
    assert.equal(
      rendered.DATABASE_URL,
      `postgresql://postgres:${password}@postgres.railway.internal:5432/railway`,
    );
    assert.equal(rendered.DATABASE_URL, postgres.DATABASE_URL, 'the same URL Postgres renders');
    assert.equal(postgres.PGPASSWORD, password);
    assert.equal(postgres.PGHOST, 'postgres.railway.internal');
    assert.equal(rendered.BASE_URL, `https://${devBackend}`);
    const raw = await variables('kars-dev', 'kars-backend', { unrendered: true });
    assert.equal(raw.DATABASE_URL, '${{Postgres.DATABASE_URL}}');
    assert.equal(raw.BASE_URL, rendered.BASE_URL, 'plain values are the same either way');
    const rawPostgres = await variables('kars-dev', 'Postgres', { unrendered: true });
    assert.equal(rawPostgres.PGHOST, '${{RAILWAY_PRIVATE_DOMAIN}}');
  });

  void it('renders each environment from its own services: prod`s DATABASE_URL is prod`s Postgres', async () => {
    const dev = await variables('kars-dev', 'kars-backend');
    const prod = await variables('kars-prod', 'kars-backend');
    const prodPostgres = await variables('kars-prod', 'Postgres');
    assert.equal(prod.DATABASE_URL, prodPostgres.DATABASE_URL);
    assert.notEqual(prod.DATABASE_URL, dev.DATABASE_URL);
  });

  void it('renders shared variables, and answers them without a serviceId', async () => {
    setVariable(sim.state, 'kars-dev', null, 'SUPPORT_EMAIL', 'support@kars.example');
    setVariable(
      sim.state,
      'kars-dev',
      'kars-frontend',
      'VITE_SUPPORT',
      'mailto:${{ shared.SUPPORT_EMAIL }}',
    );
    try {
      assert.deepEqual(await variables('kars-dev', null), {
        SUPPORT_EMAIL: 'support@kars.example',
      });
      const frontend = await variables('kars-dev', 'kars-frontend');
      assert.equal(frontend.VITE_SUPPORT, 'mailto:support@kars.example');
      const shared = (await names('kars-dev')).find((n) => n.name === 'SUPPORT_EMAIL');
      assert.equal(shared?.serviceId, null);
    } finally {
      deleteVariable(sim.state, 'kars-dev', null, 'SUPPORT_EMAIL');
      deleteVariable(sim.state, 'kars-dev', 'kars-frontend', 'VITE_SUPPORT');
    }
  });

  void it('never answers a sealed value: null by default, rendered or raw, and not through a reference', async () => {
    setVariable(sim.state, 'kars-dev', 'kars-backend', 'JWT_COPY', 'k=${{JWT_SECRET}}');
    try {
      const secret = sim.state.variables.find(
        envId('kars-dev'),
        serviceId('kars-backend'),
        'JWT_SECRET',
      );
      assert.ok(secret?.isSealed && secret.value.length > 0, 'the value is there, for deployments');
      for (const unrendered of [false, true]) {
        const map = await variables('kars-dev', 'kars-backend', { unrendered });
        assert.ok('JWT_SECRET' in map, 'the name is there');
        assert.equal(map.JWT_SECRET, null);
      }
      assert.equal((await variables('kars-dev', 'kars-backend')).JWT_COPY, 'k=');
      const everything = await Promise.all([
        post(sim, bearer(account), simOperations.EnvironmentVariableNames, {
          id: envId('kars-dev'),
        }),
        ...['kars-backend', 'kars-frontend', 'Postgres'].flatMap((s) =>
          [false, true].map((unrendered) =>
            post(sim, bearer(account), simOperations.Variables, {
              environmentId: envId('kars-dev'),
              projectId: projectId(),
              serviceId: serviceId(s),
              unrendered,
            }),
          ),
        ),
      ]);
      assert.ok(!JSON.stringify(everything).includes(secret.value), 'nowhere in any answer');
    } finally {
      deleteVariable(sim.state, 'kars-dev', 'kars-backend', 'JWT_COPY');
    }
  });

  void it('can leave a sealed name out of the map instead (the other reading of Railway`s behaviour)', async () => {
    sim.state.variables.sealedValues = 'omitted';
    try {
      for (const unrendered of [false, true]) {
        const map = await variables('kars-prod', 'kars-backend', { unrendered });
        assert.equal('JWT_SECRET' in map, false);
        assert.equal(map.NODE_ENV, 'production', 'the rest is still there');
      }
      const listed = (await names('kars-prod')).find((n) => n.name === 'JWT_SECRET');
      assert.equal(listed?.isSealed, true, 'Environment.variables still names it');
    } finally {
      sim.state.variables.sealedValues = 'null';
    }
  });

  void it('lets a project token read its own environment`s variables and nothing else', async () => {
    const own = await variables('kars-dev', 'kars-backend', { headers: projectHeader(devProject) });
    assert.equal(own.BASE_URL, `https://${devBackend}`);
    assert.ok((await names('kars-dev', projectHeader(devProject))).length > 0);
    const refusals = [
      errorOf(sim, projectHeader(devProject), simOperations.Variables, {
        environmentId: envId('kars-prod'),
        projectId: projectId(),
        serviceId: serviceId('kars-backend'),
      }),
      errorOf(sim, projectHeader(devProject), simOperations.EnvironmentVariableNames, {
        id: envId('kars-prod'),
      }),
      errorOf(sim, projectHeader(devProject), simOperations.Variables, {
        environmentId: envId('kars-pr-42'),
        projectId: projectId(),
      }),
    ];
    for (const message of await Promise.all(refusals)) assert.match(message, /Not Authorized/);
    assert.match(
      await errorOf(sim, {}, simOperations.Variables, {
        environmentId: envId('kars-dev'),
        projectId: projectId(),
      }),
      /Not Authorized/,
    );
    assert.match(
      await errorOf(sim, bearer(account), simOperations.Variables, {
        environmentId: envId('kars-dev'),
        projectId: 'not-the-project',
      }),
      /not found/,
    );
  });

  void it('gives kars-dev and kars-prod the same names, with each environment`s own values', async () => {
    assert.deepEqual(await namesByService('kars-dev'), await namesByService('kars-prod'));
    const dev = await variables('kars-dev', 'kars-backend');
    const prod = await variables('kars-prod', 'kars-backend');
    assert.equal(dev.RUN_ATTESTATION_SCHEDULER, 'false');
    assert.equal(prod.RUN_ATTESTATION_SCHEDULER, 'true');
    assert.equal(prod.FRONTEND_URL, 'https://kars.example');
    assert.equal(prod.PASSKEY_RP_ID, 'kars.example');
    assert.equal(prod.BASE_URL, `https://${prodBackend}`);
    const prodValues = JSON.stringify([prod, await variables('kars-prod', 'kars-frontend')]);
    assert.ok(!prodValues.includes('kars-dev'), 'no prod value names a dev domain');
    assert.equal(
      (await variables('kars-prod', 'kars-frontend')).VITE_API_URL,
      `https://${prodBackend}`,
    );
  });

  void it('copies kars-dev into the PR environment as Railway does: values as they were, sealed ones left out', async () => {
    const pr = await namesByService('kars-pr-42');
    const dev = await namesByService('kars-dev');
    for (const [service, list] of Object.entries(dev)) {
      const expected = list.filter(
        (n) => service !== 'kars-backend' || !karsSealedVariables.has(n),
      );
      assert.deepEqual(pr[service], expected, service);
    }
    assert.equal((await variables('kars-pr-42', 'kars-backend')).BASE_URL, `https://${devBackend}`);
  });

  void it('adds drift through the state API: a name only dev has, a prod value that points at dev', async () => {
    setVariable(sim.state, 'kars-dev', 'kars-backend', 'INVOICE_EXPORT_BUCKET', 'kars-exports-dev');
    setVariable(sim.state, 'kars-prod', 'kars-frontend', 'VITE_API_URL', `https://${devBackend}`);
    try {
      const dev = await namesByService('kars-dev');
      const prod = await namesByService('kars-prod');
      assert.ok(dev['kars-backend']?.includes('INVOICE_EXPORT_BUCKET'));
      assert.equal(prod['kars-backend']?.includes('INVOICE_EXPORT_BUCKET'), false);
      const frontend = await variables('kars-prod', 'kars-frontend');
      assert.equal(frontend.VITE_API_URL, `https://${devBackend}`);
    } finally {
      deleteVariable(sim.state, 'kars-dev', 'kars-backend', 'INVOICE_EXPORT_BUCKET');
      setVariable(
        sim.state,
        'kars-prod',
        'kars-frontend',
        'VITE_API_URL',
        `https://${prodBackend}`,
      );
    }
    assert.deepEqual(await namesByService('kars-dev'), await namesByService('kars-prod'));
  });

  void it('keeps a sealed variable sealed when it is set again', () => {
    const again = setVariable(
      sim.state,
      'kars-prod',
      'kars-backend',
      'JWT_SECRET',
      'rotated-secret',
    );
    assert.equal(again.isSealed, true);
  });
});
