// A proxy's block page and Railway's "Two Factor Authentication Required" over the protocol: the
// user gets their own error code and a sentence saying what to do, and no credential is removed or
// marked invalid, whether at sign-in, at a refresh or when the daemon checks a token it found.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../protocol/protocol';
import type { RpcError } from '../../protocol/jsonrpc';
import type { RpcClient } from '../../client/rpcClient';
import type { SimFault } from '../../sim/faults';
import { startSimulators, type Simulators } from '../../sim/server';
import { startInProcess, type InProcessDaemon, karsFolder } from './harness';

interface Case {
  name: string;
  fault: SimFault;
  code: number;
  kind: string;
  text: RegExp;
}

const cases: Case[] = [
  {
    name: "Cloudflare's block page",
    fault: { blockPage: { status: 403 } },
    code: ErrorCode.Blocked,
    kind: 'blocked',
    text: /HTTP 403 with a web page \("Access denied \| backboard\.railway\.com used Cloudflare.*blocking the Railway API.*token was not changed/,
  },
  {
    name: "a proxy's page",
    fault: { blockPage: { status: 403, title: 'Blocked by IT policy', cloudflare: false } },
    code: ErrorCode.Blocked,
    kind: 'blocked',
    text: /\("Blocked by IT policy"\)\. The network, a proxy, VPN or firewall is blocking the Railway API/,
  },
  {
    name: "Railway's 2FA requirement",
    fault: { twoFactorRequired: { workspaceName: 'KARS' } },
    code: ErrorCode.TwoFactorRequired,
    kind: 'two-factor',
    text: /two-factor authentication for workspace "KARS".*railway\.com\/account\/security.*token was kept/,
  },
];

/** The Railway token in the daemon's credentials file, if any. */
function storedRailwayToken(d: InProcessDaemon): string | undefined {
  const stored = JSON.parse(fs.readFileSync(d.paths.credentials, 'utf8')) as {
    railway?: { token: string };
  };
  return stored.railway?.token;
}

describe('a proxy page or 2FA is not a bad token: signing in and refreshing', () => {
  let sims: Simulators;
  let d: InProcessDaemon;
  let client: RpcClient;
  let watchId: string;
  before(async () => {
    sims = await startSimulators();
    d = await startInProcess({
      ...sims.env,
      RAILWAY_PROJECT_ID: sims.railway.state.projects[0]!.id,
    });
    client = await d.client('faults-test');
    await client.request('auth.setRailwayToken', { token: sims.tokens.railway.account });
    const watched = await client.request('environments.watch', { folder: karsFolder(sims) });
    assert.equal(watched.view.state, 'ready', watched.view.message);
    watchId = watched.watchId;
  });
  after(async () => {
    await d.stop();
    await sims.close();
  });

  for (const c of cases) {
    it(`sign-in through ${c.name}: code ${c.code}, what to do, and the stored token stays`, async () => {
      sims.railway.faults.next(c.fault);
      await assert.rejects(
        client.request('auth.setRailwayToken', { token: sims.tokens.railway.workspace }),
        (e: RpcError) => {
          assert.equal(e.code, c.code);
          assert.match(e.message, c.text);
          assert.deepEqual(e.data, { kind: c.kind });
          return true;
        },
      );
      assert.equal(storedRailwayToken(d), sims.tokens.railway.account);
      const status = await client.request('auth.status', {});
      assert.equal(status.railway.valid, true);
      assert.equal(status.railway.tokenKind, 'account');
    });

    it(`refresh through ${c.name}: the view says what to do, and the next refresh works`, async () => {
      sims.railway.faults.next(c.fault);
      const failed = await client.request('environments.refresh', { watchId });
      assert.equal(failed.state, 'error');
      assert.match(failed.message ?? '', c.text);
      const recovered = await client.request('environments.refresh', { watchId });
      assert.equal(recovered.state, 'ready', recovered.message);
      assert.equal(storedRailwayToken(d), sims.tokens.railway.account);
    });
  }
});

describe('a proxy page or 2FA is not a bad token: checking a token found in the environment', () => {
  for (const c of cases) {
    it(`through ${c.name}, auth.status gives the problem without calling the token invalid`, async () => {
      const sims = await startSimulators();
      const d = await startInProcess({
        ...sims.env,
        RAILWAY_API_TOKEN: sims.tokens.railway.account,
      });
      try {
        const client = await d.client();
        sims.railway.faults.next(c.fault);
        const status = await client.request('auth.status', {});
        assert.equal(status.railway.set, true);
        assert.equal(status.railway.valid, undefined, 'not marked invalid');
        assert.match(status.railway.problem ?? '', c.text);
        const again = await client.request('auth.status', {});
        assert.equal(again.railway.valid, true, 'checked again once the fault is gone');
        assert.equal(again.railway.problem, undefined);
      } finally {
        await d.stop();
        await sims.close();
      }
    });
  }
});
