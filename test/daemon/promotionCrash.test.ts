// The daemon killed (SIGKILL, by a test-only hook) at every step boundary of a promotion, then
// started again: the journal shows the exact state, the promotion goes on to succeed, and nothing
// is done twice (one merge commit on kars-prod, one deployment of it per service, one backup).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RpcError } from '../../protocol/jsonrpc';
import { ErrorCode } from '../../protocol/protocol';
import { runGit } from '../../sim/git/gitRun';
import { signedInDaemonEnv, type Simulators } from '../../sim/server';
import { connectTo, spawnDaemon, tempHome, type FolderContext } from './harness';
import {
  final,
  gate,
  gated,
  liveSimulators,
  promotionFolder,
  recordUntil,
  serverHead,
} from './promotionWorld';

/** Where the hook kills the daemon: right after journaling these states, or between git's answer and the journal. */
const CRASH_POINTS = ['planned', 'confirmed', 'merged', 'push-acknowledged', 'pushed', 'deploying'];

async function startDaemonIn(home: string, env: NodeJS.ProcessEnv) {
  const child = spawnDaemon(home, [], { RAILYARD_IDLE_TIMEOUT: '0', ...env });
  await child.stdout;
  return { child, client: await connectTo(home, 'crash-test') };
}

/** Drives the promotion with a daemon that dies at `point`; resolves once it has died. */
async function runUntilKilled(
  sims: Simulators,
  home: string,
  folder: FolderContext,
  point: string,
) {
  const { child, client } = await startDaemonIn(home, {
    ...signedInDaemonEnv(sims),
    RAILYARD_TEST_CRASH_AT: point,
  });
  const died = child.exit;
  const drive = (async () => {
    const r = await client.request('promotion.plan', { folder, from: 'kars-dev', to: 'kars-prod' });
    await recordUntil(client, r.id, gated);
    await client.request('promotion.signOff', { folder, id: r.id });
    await recordUntil(client, r.id, (x) => gated(x) && gate(x, 'qa-signoff').state === 'pass');
    await client.request('promotion.start', { folder, id: r.id, confirm: 'kars-prod' });
    await recordUntil(client, r.id, final);
  })().then(
    () => 'survived' as const,
    // The daemon went away mid-request: its exit tells whether it was the hook. An answer from a
    // daemon still alive (a gate that did not pass, say) is the test's failure, said as such.
    (e: unknown) =>
      e instanceof RpcError && e.code !== ErrorCode.Network ? Promise.reject(e) : died,
  );
  const exit = await Promise.race([died, drive]);
  client.close();
  assert.notEqual(exit, 'survived', `the daemon was to die at ${point}`);
}

function journaledState(home: string): { id: string; state: string } {
  const dir = path.join(home, 'promotions');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 1);
  const { record } = JSON.parse(fs.readFileSync(path.join(dir, files[0]!), 'utf8')) as {
    record: { id: string; state: string };
  };
  return { id: record.id, state: record.state };
}

describe('a daemon killed during a promotion', { concurrency: 1 }, () => {
  for (const point of CRASH_POINTS) {
    it(`killed at ${point}: resumes from the journal and does nothing twice`, async () => {
      const sims = await liveSimulators();
      const home = tempHome();
      try {
        const folder = promotionFolder(sims);
        const prodHead = await serverHead(sims, 'kars-prod');
        await runUntilKilled(sims, home, folder, point);
        const journaled = journaledState(home);
        const expected = point === 'push-acknowledged' ? 'merged' : point;
        assert.equal(journaled.state, expected, 'the journal holds the state at the kill');

        const { child, client } = await startDaemonIn(home, signedInDaemonEnv(sims));
        // Should it ever stall, say where: the last record the restarted daemon announced.
        let last = 'no notification yet';
        client.onNotification('promotion.changed', ({ promotion }) => {
          last = `${promotion.state}: ${promotion.summary} ${JSON.stringify(promotion.steps)}`;
        });
        const stall = setTimeout(() => {
          process.stderr.write(`crash test at ${point} still waiting after 60 s; last: ${last}\n`);
        }, 60_000);
        try {
          let r = await recordUntil(client, journaled.id, (x) => x.state !== 'planned');
          if (r.state === 'gated') {
            // Killed while planning: nothing had been signed off or confirmed yet.
            await client.request('promotion.signOff', { folder, id: r.id });
            await recordUntil(
              client,
              r.id,
              (x) => gated(x) && gate(x, 'qa-signoff').state === 'pass',
            );
            await client.request('promotion.start', { folder, id: r.id, confirm: 'kars-prod' });
          }
          r = await recordUntil(client, journaled.id, final);
          assert.equal(r.state, 'succeeded', r.summary);
          await assertDoneOnce(sims, prodHead, r.mergeCommit!);
        } finally {
          clearTimeout(stall);
          client.close();
          child.child.kill('SIGTERM');
          await child.exit;
        }
      } finally {
        // Not awaited, as in cliPromote.test.ts: a request left open must not hold the next case.
        void sims.close();
      }
    });
  }
});

async function assertDoneOnce(sims: Simulators, prodHead: string, merge: string): Promise<void> {
  assert.equal(await serverHead(sims, 'kars-prod'), merge);
  const cwd = sims.repo!.path;
  const added = (
    await runGit(['rev-list', '--first-parent', `${prodHead}..${merge}`], { cwd })
  ).stdout
    .trim()
    .split('\n');
  assert.deepEqual(added, [merge], 'one merge commit on kars-prod');
  const prod = sims.railway.state.environments.find((e) => e.name === 'kars-prod')!;
  const ofMerge = sims.railway.state.deployments.filter(
    (d) => d.environmentId === prod.id && d.meta?.commitHash === merge,
  );
  const perService = new Map<string, number>();
  for (const d of ofMerge) perService.set(d.serviceId, (perService.get(d.serviceId) ?? 0) + 1);
  for (const [service, count] of perService)
    assert.equal(count, 1, `one deployment of the merge on ${service}`);
  const volumes = sims.railway.state.volumes.instances.filter((v) => v.environmentId === prod.id);
  for (const v of volumes)
    assert.equal(sims.railway.state.volumes.backupsOf(v.id).length, 1, 'one backup');
}
