// A client that disconnects while `logs.subscribe` or `environments.watch` is still running leaves
// nothing behind: no Railway log subscription, no deployment subscription, no project watcher.
// The simulator holds the request the call waits on, so the client leaves mid-call every time.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { RpcClient } from '../../client/rpcClient';
import { startSimulators, type Simulators } from '../../sim/server';
import { karsFolder, startInProcess, type InProcessDaemon } from './harness';

/**
 * Asks the daemon until it no longer lists the client: it has then released what the client held.
 * Each turn waits for an answer; nothing waits on a timer.
 */
async function untilGone(observer: RpcClient, clientId: number): Promise<void> {
  for (;;) {
    const status = await observer.request('daemon.status', {});
    if (!status.clients.some((c) => c.id === clientId)) return;
  }
}

/** A leak shows as a count that never returns to zero: fail in a minute rather than three. */
const leakTimeout = { timeout: 60_000 };

describe('a client that leaves mid-call', () => {
  let sims: Simulators;
  let d: InProcessDaemon | undefined;
  const state = () => sims.railway.state;
  const start = async () => {
    d = await startInProcess({ ...sims.env, RAILWAY_API_TOKEN: sims.tokens.railway.account });
    return { observer: await d.client('observer'), victim: await d.client('leaving window') };
  };

  before(async () => {
    sims = await startSimulators();
    // Deployments in flight, which every project watcher follows with a subscription each (the
    // clock never moves, so they stay in flight).
    const trigger = state().triggers.find((t) => t.branch === 'kars-dev')!;
    state().push(trigger.repository, 'kars-dev', {
      hash: 'c0ffee0000000000000000000000000000000001',
      message: 'Deploy while a window closes',
      author: 'Ada Lovelace',
    });
  });
  afterEach(async () => {
    await d?.stop();
    d = undefined;
  });
  after(() => sims.close());

  it(
    'releases the log subscription of a logs.subscribe waiting for the project',
    leakTimeout,
    async () => {
      const { observer, victim } = await start();
      const folder = karsFolder(sims);
      const target = { folder, environment: 'kars-dev', service: 'kars-backend' };
      const env = state().environmentByName('kars-dev');
      const deploymentId = state().servingDeployment(
        env.id,
        state().serviceByName('kars-backend').id,
      )!.id;
      // Another window's watch starts the project's watcher, whose first tree request is held...
      const tree = sims.railway.faults.hold('EnvironmentTree');
      const watching = observer.request('environments.watch', { folder });
      await tree.reached;
      // ...and the leaving window's stream waits for that watcher's first view. The daemon reads one
      // connection in order, so once daemon.status is answered the subscribe is waiting there.
      const subscribing = victim.request('logs.subscribe', target).catch(() => 'gone');
      await victim.request('daemon.status', {});
      victim.close();
      await untilGone(observer, victim.clientId);
      tree.release();
      const { watchId } = await watching;
      assert.equal(await subscribing, 'gone');
      // The observer's stream of the same deployment shares whatever upstream is open for it...
      const { streamId } = await observer.request('logs.subscribe', target);
      await state().logs.untilSubscriptions((n) => n >= 1, { deploymentId, kind: 'deploy' });
      await state().untilDeploymentSubscriptions((n) => n >= 1); // the watcher follows them
      await observer.request('logs.unsubscribe', { streamId });
      await observer.request('environments.unwatch', { watchId });
      // ...so once the observer has left too, nothing may stay subscribed.
      await state().logs.untilSubscriptions((n) => n === 0);
      await state().untilDeploymentSubscriptions((n) => n === 0);
    },
  );

  for (const call of ['environments.watch', 'logs.subscribe'] as const) {
    it(
      `starts no watcher for a ${call} whose client left while its token was checked`,
      leakTimeout,
      async () => {
        // A new daemon has not checked the token yet: the call waits for Railway's answer to `Me`.
        const { observer, victim } = await start();
        const folder = karsFolder(sims);
        const me = sims.railway.faults.hold('Me');
        const checks = sims.railway.requestCount('Me');
        const params = { folder, environment: 'kars-dev', service: 'kars-backend' };
        const calling = (
          call === 'environments.watch'
            ? victim.request(call, { folder })
            : victim.request(call, params)
        ).catch(() => 'gone');
        await me.reached;
        victim.close();
        // The observer's status waits for the same check of the token...
        const status = observer.request('auth.status', {});
        await untilGone(observer, victim.clientId);
        const { requestsLastHour } = await observer.request('railway.usage', {});
        me.release();
        // ...so once it is answered, the leaving window's call has gone on as far as it could: had
        // it started a watcher, that watcher's first request to Railway would be counted by now.
        // (The simulator cannot show that nothing was sent; the daemon's own count can.)
        assert.equal((await status).railway.valid, true);
        assert.equal(sims.railway.requestCount('Me') - checks, 1, 'one check for both calls');
        assert.equal(await calling, 'gone');
        const after = await observer.request('railway.usage', {});
        assert.equal(after.requestsLastHour, requestsLastHour, 'nothing asked of Railway since');
        await state().logs.untilSubscriptions((n) => n === 0);
        await state().untilDeploymentSubscriptions((n) => n === 0);
      },
    );
  }
});
