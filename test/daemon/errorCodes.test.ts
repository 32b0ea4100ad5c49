// Every condition a user can meet and act on, over the real protocol against the simulators: each
// has its own error code and a sentence saying what to do, and none is an internal error (the code
// that tells the user to read the daemon's log, kept for the daemon's own bugs).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, type FolderContext, type ProjectView } from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';
import type { RpcClient } from '../../client/rpcClient';
import { signedInDaemonEnv, startSimulators, type Simulators } from '../../sim/server';
import { folderOf, karsFolder, startInProcess, type InProcessDaemon } from './harness';

interface Expected {
  code: number;
  text: RegExp;
  data?: object;
}

/** The request fails with `code`, a sentence matching `text` (and `data` when given), never InternalError. */
async function fails(call: Promise<unknown>, expected: Expected): Promise<void> {
  const e = await call.then(
    () => assert.fail(`expected code ${expected.code}, got an answer`),
    (err: unknown) => err,
  );
  assert.ok(e instanceof RpcError, String(e));
  assert.notEqual(e.code, ErrorCode.InternalError, e.message);
  assert.doesNotMatch(
    e.message,
    /daemon log/,
    'an expected condition never sends the user to the log',
  );
  assert.equal(e.code, expected.code, e.message);
  assert.match(e.message, expected.text);
  if (expected.data) assert.deepEqual(e.data, expected.data);
}

const env = (v: ProjectView, name: string) => v.environments.find((e) => e.name === name)!;
const backendOf = (v: ProjectView, name: string) =>
  env(v, name).services.find((s) => s.name === 'kars-backend')!;

const signedOut: Expected = {
  code: ErrorCode.SignedOut,
  text: /^Not signed in to Railway\. Sign in with "Railyard: Sign in to Railway".*`railway login`/,
};
const noProject: Expected = {
  code: ErrorCode.NoProject,
  text: /^No Railway project is linked to .+\. Run `railway link` there, set RAILWAY_PROJECT_ID, or add "projectId" to railyard\.json\.$/,
};

/** One request of each kind about `folder`: the tree, logs, and every action. */
function folderRequests(client: RpcClient, folder: FolderContext) {
  return {
    'logs.subscribe': client.request('logs.subscribe', { folder, environment: 'kars-dev' }),
    'deployments.redeploy': client.request('deployments.redeploy', { folder, deploymentId: 'd1' }),
    'deployments.restart': client.request('deployments.restart', { folder, deploymentId: 'd1' }),
    'deployments.rollback': client.request('deployments.rollback', { folder, deploymentId: 'd1' }),
    'deployments.deployCommit': client.request('deployments.deployCommit', {
      folder,
      environmentId: 'e1',
      serviceId: 's1',
      commitSha: 'abcdef1',
    }),
  };
}

describe('expected errors, each with its code and sentence', () => {
  let sims: Simulators;
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  describe('signed out, then without a project', () => {
    let d: InProcessDaemon;
    let client: RpcClient;
    before(async () => {
      d = await startInProcess(sims.env);
      client = await d.client('errors-signed-out');
    });
    after(() => d.stop());

    it('signed out: the view and every request about a folder say to sign in (SignedOut)', async () => {
      const folder = karsFolder(sims);
      const { view } = await client.request('environments.watch', { folder });
      assert.equal(view.state, 'signed-out');
      assert.equal(view.errorCode, ErrorCode.SignedOut);
      assert.match(view.message ?? '', signedOut.text);
      for (const [method, call] of Object.entries(folderRequests(client, folder)))
        await fails(call, signedOut).catch((e: Error) => assert.fail(`${method}: ${e.message}`));
    });

    it('no project linked: the view and every request say how to link one (NoProject)', async () => {
      await client.request('auth.setRailwayToken', { token: sims.tokens.railway.account });
      const folder = folderOf(); // no railyard.json, no RAILWAY_PROJECT_ID, no `railway link`
      const { view } = await client.request('environments.watch', { folder });
      assert.equal(view.state, 'no-project');
      assert.equal(view.errorCode, ErrorCode.NoProject);
      assert.match(view.message ?? '', noProject.text);
      for (const [method, call] of Object.entries(folderRequests(client, folder)))
        await fails(call, noProject).catch((e: Error) => assert.fail(`${method}: ${e.message}`));
    });
  });

  describe('signed in, with the kars project', () => {
    let d: InProcessDaemon;
    let client: RpcClient;
    let folder: FolderContext;
    let view: ProjectView;
    before(async () => {
      d = await startInProcess(signedInDaemonEnv(sims));
      client = await d.client('errors-kars');
      folder = karsFolder(sims);
      view = (await client.request('environments.watch', { folder })).view;
      assert.equal(view.state, 'ready', view.message);
    });
    after(() => d.stop());

    it('logs of an environment or service the project lacks: NotFound, naming those it has', async () => {
      await fails(client.request('logs.subscribe', { folder, environment: 'kars-staging' }), {
        code: ErrorCode.NotFound,
        text: /^No environment "kars-staging" in kars: .*kars-dev.*kars-prod/,
      });
      await fails(
        client.request('logs.subscribe', { folder, environment: 'kars-dev', service: 'worker' }),
        {
          code: ErrorCode.NotFound,
          text: /^No service "worker" in kars-dev: .*kars-backend.*kars-frontend/,
        },
      );
    });

    it('refreshing a watch that ended, or never was: NotFound, saying to watch again', async () => {
      await fails(client.request('environments.refresh', { watchId: 'no-such-watch' }), {
        code: ErrorCode.NotFound,
        text: /^No watch no-such-watch: .*Call environments\.watch again\.$/,
      });
      const { watchId } = await client.request('environments.watch', { folder });
      await client.request('environments.unwatch', { watchId });
      await fails(client.request('environments.refresh', { watchId }), {
        code: ErrorCode.NotFound,
        text: /ended .*Call environments\.watch again/,
      });
    });

    it('an action on a deployment or service the project lacks: NotFound, saying to refresh', async () => {
      await fails(client.request('deployments.redeploy', { folder, deploymentId: 'gone-1' }), {
        code: ErrorCode.NotFound,
        text: /^Deployment gone-1 is not among the services and recent deployments of kars \(environments .*kars-dev.*\); refresh the tree/,
      });
      await fails(
        client.request('deployments.deployCommit', {
          folder,
          environmentId: env(view, 'kars-dev').id,
          serviceId: 'gone-2',
          commitSha: 'abcdef1',
        }),
        { code: ErrorCode.NotFound, text: /^Service gone-2 of environment .+ is not among/ },
      );
    });

    it('an action from an untrusted folder: Forbidden with data.untrusted, saying to trust it', async () => {
      const untrusted = karsFolder(sims, { trusted: false });
      await fails(
        client.request('deployments.restart', {
          folder: untrusted,
          deploymentId: backendOf(view, 'kars-dev').active!.id,
        }),
        {
          code: ErrorCode.Forbidden,
          text: /not trusted.*Trust the workspace \(Workspaces: Manage Workspace Trust\)/,
          data: { untrusted: true },
        },
      );
    });

    it('an action on a protected environment without its typed name: Forbidden, needsConfirmation', async () => {
      await fails(
        client.request('deployments.restart', {
          folder,
          deploymentId: backendOf(view, 'kars-prod').active!.id,
          confirm: 'kars-dev',
        }),
        {
          code: ErrorCode.Forbidden,
          text: /^kars-prod is protected: type its name, "kars-prod", to confirm\.$/,
          data: { environment: 'kars-prod', needsConfirmation: true },
        },
      );
    });

    it('Railway refusing an action: its code, and the sentence says Railway refused', async () => {
      sims.railway.faults.next({ status: 503 });
      await fails(
        client.request('deployments.restart', {
          folder,
          deploymentId: backendOf(view, 'kars-dev').active!.id,
        }),
        {
          code: ErrorCode.Upstream,
          text: /^Railway refused the restart: /,
          data: { kind: 'server' },
        },
      );
    });

    it('Railway failing while the daemon reads the project: its code, not NotFound', async () => {
      // A folder nobody watches: the action reads the project first, and that read is refused.
      const fresh = karsFolder(sims);
      sims.railway.faults.next({ blockPage: { status: 403 } });
      await fails(client.request('deployments.redeploy', { folder: fresh, deploymentId: 'd1' }), {
        code: ErrorCode.Blocked,
        text: /blocking the Railway API/,
        data: { kind: 'blocked' },
      });
      sims.railway.faults.next({ twoFactorRequired: { workspaceName: 'KARS' } });
      await fails(
        client.request('logs.subscribe', { folder: karsFolder(sims), environment: 'kars-dev' }),
        {
          code: ErrorCode.TwoFactorRequired,
          text: /two-factor authentication for workspace "KARS"/,
          data: { kind: 'two-factor' },
        },
      );
    });
  });

  describe('a token Railway refuses, and a rate limit', () => {
    it('a refused token: the view carries Auth, and an action fails with Auth', async () => {
      const d = await startInProcess({ ...signedInDaemonEnv(sims), RAILWAY_API_TOKEN: 'revoked' });
      try {
        const client = await d.client('errors-refused-token');
        const watched = await client.request('environments.watch', { folder: karsFolder(sims) });
        assert.equal(watched.view.state, 'error');
        assert.equal(watched.view.errorCode, ErrorCode.Auth);
        await fails(
          client.request('deployments.rollback', { folder: karsFolder(sims), deploymentId: 'd1' }),
          {
            code: ErrorCode.Auth,
            text: /^Railway refused .*Not Authorized/,
            data: { kind: 'auth' },
          },
        );
      } finally {
        await d.stop();
      }
    });

    it('a 429 past what the daemon waits, while reading the project for logs: RateLimited', async () => {
      const d = await startInProcess(signedInDaemonEnv(sims));
      try {
        const client = await d.client('errors-rate-limited');
        // The token is checked first; the next request is the one that reads the project.
        await client.request('auth.status', {});
        sims.railway.faults.next({ status: 429, retryAfter: 3600 });
        await fails(
          client.request('logs.subscribe', { folder: karsFolder(sims), environment: 'kars-dev' }),
          {
            code: ErrorCode.RateLimited,
            text: /^Railway.*(per-second limit|request budget|rate limit)/,
            data: { kind: 'rate-limited', retryAfterSeconds: 3600 },
          },
        );
      } finally {
        await d.stop();
      }
    });
  });
});
