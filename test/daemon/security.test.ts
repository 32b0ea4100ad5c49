// The daemon's security model over a real socket: loopback only, the secret, browser Origins refused,
// file modes, and no secret in the log.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { secretHeaderValue } from '../../protocol/protocol';
import { readDiscovery } from '../../protocol/discovery';
import { startInProcess, upgradeOutcome, type InProcessDaemon } from './harness';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('daemon security', () => {
  let d: InProcessDaemon;
  before(async () => {
    d = await startInProcess();
  });
  after(() => d.stop());

  it('keeps its state private: directory 0700, secret and discovery file 0600', () => {
    assert.equal(mode(d.paths.dir), 0o700);
    assert.equal(mode(d.paths.secret), 0o600);
    assert.equal(mode(d.paths.discovery), 0o600);
    assert.equal(mode(d.paths.log), 0o600);
    const discovery = readDiscovery(d.paths);
    assert.equal(discovery?.port, d.port);
    assert.equal(discovery?.pid, process.pid);
  });

  it('listens on 127.0.0.1 only', async () => {
    const other = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.2', port: d.port });
      s.once('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    assert.equal(other, 'ECONNREFUSED');
  });

  it('refuses an upgrade without the secret (401)', async () => {
    assert.equal(await upgradeOutcome(d.port, {}), 401);
  });

  it('refuses a wrong secret of the same length (401)', async () => {
    const wrong = d.secret.slice(0, -1) + (d.secret.endsWith('A') ? 'B' : 'A');
    assert.equal(await upgradeOutcome(d.port, { authorization: secretHeaderValue(wrong) }), 401);
    assert.equal(
      await upgradeOutcome(d.port, { authorization: d.secret }),
      401,
      'the secret without the Bearer scheme',
    );
  });

  it('refuses any browser Origin even with the right secret (403)', async () => {
    for (const origin of [
      'https://evil.example',
      'http://127.0.0.1:8080',
      'null',
      'vscode-webview://abc',
    ]) {
      const headers = { authorization: secretHeaderValue(d.secret), origin };
      assert.equal(await upgradeOutcome(d.port, headers), 403, origin);
    }
  });

  it('accepts the right secret', async () => {
    assert.equal(
      await upgradeOutcome(d.port, { authorization: secretHeaderValue(d.secret) }),
      'open',
    );
  });

  it('never writes the secret to its log', async () => {
    const c = await d.client();
    await c.request('daemon.status', {});
    await upgradeOutcome(d.port, { authorization: secretHeaderValue(d.secret + 'x') });
    const log = fs.readFileSync(d.paths.log, 'utf8');
    assert.ok(log.includes('connection refused'), 'the refusal is logged');
    assert.ok(!log.includes(d.secret), 'the secret is not');
  });
});
