// The daemon as users run it, a separate process: one per user, stale discovery replaced,
// clean stop on SIGTERM and on request, idle shutdown.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { readSecret, statePaths } from '../../protocol/discovery';
import { RpcClient } from '../../client/rpcClient';
import { discoveryOf, spawnDaemon, tempHome } from './harness';

async function connect(home: string): Promise<RpcClient> {
  const paths = statePaths(home);
  return RpcClient.connect({
    port: discoveryOf(home).port,
    secret: readSecret(paths)!,
    client: { name: 'lifecycle', kind: 'test' },
  });
}

describe('daemon lifecycle', () => {
  it('a second start finds the first alive, prints its address and exits 0', async () => {
    const home = tempHome();
    const first = spawnDaemon(home);
    assert.match(await first.stdout, /listening: ws:\/\/127\.0\.0\.1:\d+/);
    const second = spawnDaemon(home);
    assert.equal(await second.exit, 0);
    const out = await second.stdout;
    assert.match(
      out,
      new RegExp(
        `already running: ws://127\\.0\\.0\\.1:${discoveryOf(home).port} \\(pid ${first.child.pid}`,
      ),
    );
    first.child.kill('SIGTERM');
    assert.equal(await first.exit, 0);
  });

  it('two starts at the same moment make one daemon', async () => {
    const home = tempHome();
    const a = spawnDaemon(home);
    const b = spawnDaemon(home);
    const outs = await Promise.all([a.stdout, b.stdout]);
    assert.equal(outs.filter((o) => o.includes('listening')).length, 1, outs.join('|'));
    assert.equal(outs.filter((o) => o.includes('already running')).length, 1, outs.join('|'));
    const winner = outs[0].includes('listening') ? a : b;
    winner.child.kill('SIGTERM');
    await Promise.all([a.exit, b.exit]);
  });

  it('replaces a stale discovery file whose pid is dead', async () => {
    const home = tempHome();
    const first = spawnDaemon(home);
    await first.stdout;
    const stale = discoveryOf(home);
    first.child.kill('SIGKILL');
    await first.exit;
    assert.equal(discoveryOf(home).pid, stale.pid, 'SIGKILL leaves the file behind');
    const next = spawnDaemon(home);
    assert.match(await next.stdout, /listening/);
    assert.notEqual(discoveryOf(home).pid, stale.pid);
    const c = await connect(home);
    assert.equal((await c.request('daemon.status', {})).pid, next.child.pid);
    c.close();
    next.child.kill('SIGTERM');
    await next.exit;
  });

  it('SIGTERM tells clients, removes the discovery file and exits 0', async () => {
    const home = tempHome();
    const d = spawnDaemon(home);
    await d.stdout;
    const c = await connect(home);
    const told = new Promise((resolve) => c.onNotification('daemon.stopping', resolve));
    const closed = new Promise((resolve) => c.onClosed(resolve));
    d.child.kill('SIGTERM');
    assert.deepEqual(await told, { reason: 'signal' });
    await closed;
    assert.equal(await d.exit, 0);
    assert.equal(fs.existsSync(statePaths(home).discovery), false);
  });

  it('daemon.shutdown answers, then stops', async () => {
    const home = tempHome();
    const d = spawnDaemon(home);
    await d.stdout;
    const c = await connect(home);
    assert.deepEqual(await c.request('daemon.shutdown', {}), { ok: true });
    assert.equal(await d.exit, 0);
  });

  it('stops by itself after the idle timeout once the last client leaves', async () => {
    const home = tempHome();
    const d = spawnDaemon(home, ['--idle-timeout', '300ms']);
    await d.stdout;
    const c = await connect(home);
    assert.equal((await c.request('daemon.status', {})).idleShutdownSeconds, 0);
    c.close();
    assert.equal(await d.exit, 0);
    assert.match(fs.readFileSync(statePaths(home).log, 'utf8'), /"msg":"stopping","reason":"idle"/);
  });
});
