// Credentials over the protocol against the Railway and GitHub simulators: validated before they
// are stored, never returned, never logged, stored 0600, removed on sign-out, found in the environment.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../protocol/protocol';
import type { RpcError } from '../../protocol/jsonrpc';
import { startSimulators, type Simulators } from '../../sim/server';
import { startInProcess, type InProcessDaemon } from './harness';

describe('credentials', () => {
  let sims: Simulators;
  let d: InProcessDaemon;
  const seen: string[] = [];
  before(async () => {
    sims = await startSimulators();
    d = await startInProcess(sims.env);
  });
  after(async () => {
    await d.stop();
    await sims.close();
  });

  /** Every answer the client got, as text, so no token can hide in it. */
  async function call<T>(p: Promise<T>): Promise<T> {
    const v = await p;
    seen.push(JSON.stringify(v));
    return v;
  }

  it('validates an account token with Railway, then stores it 0600 and reports the account', async () => {
    const c = await d.client();
    const status = await call(
      c.request('auth.setRailwayToken', { token: sims.tokens.railway.account }),
    );
    assert.equal(status.valid, true);
    assert.equal(status.tokenKind, 'account');
    assert.equal(status.account, 'Ada Lovelace (ada@kars.example)');
    assert.equal(status.source, 'stored');
    assert.equal(fs.statSync(d.paths.credentials).mode & 0o777, 0o600);
  });

  it('recognises a project token on its own', async () => {
    const c = await d.client();
    const status = await call(
      c.request('auth.setRailwayToken', { token: sims.tokens.railway.projectDev }),
    );
    assert.equal(status.tokenKind, 'project');
  });

  it('refuses a bad Railway token with a sentence saying what to do, and keeps the good one', async () => {
    const c = await d.client();
    await assert.rejects(
      c.request('auth.setRailwayToken', { token: 'not-a-real-token-123456' }),
      (e: RpcError) => {
        seen.push(e.message);
        return (
          e.code === ErrorCode.Auth &&
          /Not Authorized/.test(e.message) &&
          /railway\.com\/account\/tokens/.test(e.message)
        );
      },
    );
    const status = await call(c.request('auth.status', {}));
    assert.equal(status.railway.tokenKind, 'project', 'the previous token is still in effect');
  });

  it('validates a GitHub token with GET /user and reports login and scopes', async () => {
    const c = await d.client();
    const status = await call(
      c.request('auth.setGithubToken', { token: sims.tokens.github.token }),
    );
    assert.equal(status.account, sims.tokens.github.login);
    assert.ok(status.scopes?.includes('repo'), JSON.stringify(status));
    await assert.rejects(
      c.request('auth.setGithubToken', { token: 'ghp_bad0000000000000000000000000000000' }),
      (e: RpcError) => e.code === ErrorCode.Auth,
    );
  });

  it('tells every other client when credentials change', async () => {
    const watcher = await d.client('watcher');
    const changed = new Promise((resolve) => watcher.onNotification('auth.changed', resolve));
    const c = await d.client();
    await c.request('auth.signOut', { provider: 'github' });
    const status = (await changed) as { github: { set: boolean }; railway: { set: boolean } };
    assert.equal(status.github.set, false);
    assert.equal(status.railway.set, true);
  });

  it('never returned or logged a token', () => {
    const log = fs.readFileSync(d.paths.log, 'utf8');
    const tokens = [
      sims.tokens.railway.account,
      sims.tokens.railway.projectDev,
      sims.tokens.github.token,
      'not-a-real-token-123456',
    ];
    for (const token of tokens) {
      assert.ok(!seen.some((text) => text.includes(token)), 'an answer carried a token');
      assert.ok(!log.includes(token), 'the log carries a token');
    }
  });

  it('sign-out removes the stored tokens and the file', async () => {
    const c = await d.client();
    const status = await c.request('auth.signOut', {});
    assert.equal(status.railway.set, false);
    assert.equal(fs.existsSync(d.paths.credentials), false);
  });
});

describe('credentials from the environment', () => {
  it('uses RAILWAY_API_TOKEN and GH_TOKEN when nothing is stored, and says where they came from', async () => {
    const sims = await startSimulators();
    const d = await startInProcess({
      ...sims.env,
      RAILWAY_API_TOKEN: sims.tokens.railway.account,
      GH_TOKEN: sims.tokens.github.token,
    });
    try {
      const status = await (await d.client()).request('auth.status', {});
      assert.deepEqual(
        {
          source: status.railway.source,
          origin: status.railway.origin,
          valid: status.railway.valid,
        },
        { source: 'env', origin: 'RAILWAY_API_TOKEN', valid: true },
      );
      assert.equal(status.github.origin, 'GH_TOKEN');
      assert.equal(status.github.valid, true);
    } finally {
      await d.stop();
      await sims.close();
    }
  });
});
