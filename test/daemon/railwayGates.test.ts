// The promotion's Railway gates against the simulators: source deployed (building, another commit,
// watch-path skips, image services), health now (db down, unreachable), config drift (names only,
// never values), the backup (taken and awaited, Railway's quirks, no volume, check only, failure,
// timeout) and Railway failing (5xx, 429) answered as unknown, never as a pass.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configDriftGate } from '../../daemon/promotion/gates/configDrift';
import { createBackupGate } from '../../daemon/promotion/gates/backup';
import { sourceDeployedGate } from '../../daemon/promotion/gates/sourceDeployed';
import { sourceHealthyGate } from '../../daemon/promotion/gates/sourceHealthy';
import { targetHealthGate } from '../../daemon/promotion/gates/targetHealth';
import type { GateOutcome } from '../../daemon/promotion/gateContext';
import { commitAndPush } from '../../sim/git/gitClient';
import { karsPeople } from '../../sim/git/karsRepo';
import { deleteVariable, setVariable } from '../../sim/railway/variables';
import { startSimulators, type Simulators } from '../../sim/server';
import { gateContext, simDelay, type GateFixtureOptions } from './gateContextFixture';

const line = (o: GateOutcome, label: string) => o.evidence?.find((e) => e.label === label);
const short = (sha: string) => sha.slice(0, 7);

describe('the Railway gates against the simulators', () => {
  let sims: Simulators;
  const state = () => sims.railway.state;
  const ctx = (o: GateFixtureOptions = {}) => gateContext(sims, o);

  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  /** A commit to kars-dev touching `file`; Railway hears of it through the webhook. */
  async function pushToDev(file: string): Promise<string> {
    const { owner, repo } = sims.repo!;
    const pushed = await commitAndPush(sims.git, {
      owner,
      repo,
      branch: 'kars-dev',
      files: { [file]: `// ${file} at ${sims.clock.nowMs()}\n` },
      message: `Change ${file}`,
      author: karsPeople.grace,
    });
    return pushed.sha;
  }

  /** Steps the clock until the service's newest deployment of `sha` in kars-dev has `status`. */
  function stepUntil(service: string, sha: string, status: string): void {
    const env = state().environmentByName('kars-dev').id;
    const id = state().serviceByName(service).id;
    const reached = () =>
      state()
        .deploymentsOf(env, id)
        .some((d) => d.meta.commitHash === sha && d.status === status);
    for (let i = 0; i < 64 && !reached(); i++) sims.clock.step();
    assert.ok(reached(), `${service} reached ${status}`);
  }

  describe('source-deployed', () => {
    it('passes when every git service serves the pinned head, and says the image service is not judged', async () => {
      const outcome = await sourceDeployedGate.evaluate(await ctx());
      assert.equal(outcome.state, 'pass', JSON.stringify(outcome));
      const head = sims.repo!.branches['kars-dev'];
      assert.equal(line(outcome, 'kars-backend')?.text, `SUCCESS at ${short(head)}`);
      assert.match(line(outcome, 'Postgres')?.text ?? '', /^image .*postgres.*: not judged/);
    });

    it('fails naming what each service runs instead of another pinned commit', async () => {
      const prodHead = sims.repo!.branches['kars-prod'];
      const outcome = await sourceDeployedGate.evaluate(await ctx({ sourceCommit: prodHead }));
      assert.equal(outcome.state, 'fail');
      const runs = short(sims.repo!.branches['kars-dev']);
      assert.equal(
        line(outcome, 'kars-frontend')?.text,
        `runs ${runs}, not the pinned ${short(prodHead)}`,
      );
      assert.equal(line(outcome, 'kars-frontend')?.flag, 'fail');
    });

    it('fails while the pinned commit is still building, then passes once it serves', async () => {
      const sha = await pushToDev('backend/src/building.js');
      stepUntil('kars-backend', sha, 'BUILDING');
      const building = await sourceDeployedGate.evaluate(await ctx({ sourceCommit: sha }));
      assert.equal(building.state, 'fail');
      assert.match(
        line(building, 'kars-backend')?.text ?? '',
        new RegExp(`^is BUILDING ${short(sha)} \\(serves [0-9a-f]{7} meanwhile\\)$`),
      );
      assert.match(building.detail, /kars-backend/);
      sims.settle();
      const served = await sourceDeployedGate.evaluate(await ctx({ sourceCommit: sha }));
      assert.equal(served.state, 'pass', JSON.stringify(served));
    });

    it("passes a service Railway skipped for its watch paths, which still serves the pinned commit's ancestor", async () => {
      const devId = state().environmentByName('kars-dev').id;
      const frontendId = state().serviceByName('kars-frontend').id;
      const frontend = state().serviceInstances.find(
        (i) => i.environmentId === devId && i.serviceId === frontendId,
      )!;
      frontend.watchPatterns = ['/frontend/**'];
      try {
        const sha = await pushToDev('backend/src/watched.js');
        sims.settle();
        const outcome = await sourceDeployedGate.evaluate(await ctx({ sourceCommit: sha }));
        assert.equal(outcome.state, 'pass', JSON.stringify(outcome));
        assert.match(
          line(outcome, 'kars-frontend')?.text ?? '',
          /^unchanged by these commits \(watch paths\): runs [0-9a-f]{7}$/,
        );
        assert.equal(line(outcome, 'kars-backend')?.text, `SUCCESS at ${short(sha)}`);
      } finally {
        frontend.watchPatterns = [];
      }
    });
  });

  describe('health', () => {
    it('passes a healthy source, checking each service with a URL now and naming the one without', async () => {
      const before = sims.railway.appRequestCount();
      const outcome = await sourceHealthyGate.evaluate(await ctx());
      assert.equal(outcome.state, 'pass', JSON.stringify(outcome));
      assert.equal(sims.railway.appRequestCount() - before, 2, 'backend and frontend, asked now');
      assert.equal(line(outcome, 'Postgres')?.text, 'no public URL: not checked');
      assert.equal(
        line(outcome, 'kars-backend')?.url,
        'https://kars-backend-kars-dev.up.railway.app/api/health',
      );
    });

    it('fails a source whose database is down, and warns of a target that is not healthy', async () => {
      state().setHealth('kars-dev', 'kars-backend', 'db-down');
      state().setHealth('kars-prod', 'kars-frontend', 'unhealthy');
      try {
        const c = await ctx();
        const source = await sourceHealthyGate.evaluate(c);
        assert.equal(source.state, 'fail');
        assert.equal(line(source, 'kars-backend')?.text, 'unhealthy: database: disconnected');
        assert.equal(line(source, 'kars-backend')?.flag, 'fail');
        const target = await targetHealthGate.evaluate(c);
        assert.equal(target.state, 'warn');
        assert.equal(line(target, 'kars-frontend')?.text, 'unhealthy: HTTP 503');
        assert.equal(line(target, 'kars-backend')?.flag, undefined);
      } finally {
        state().setHealth('kars-dev', 'kars-backend', 'healthy');
        state().setHealth('kars-prod', 'kars-frontend', 'healthy');
      }
    });

    it('fails a source that cannot be reached at all', async () => {
      const c = await ctx();
      const backend = c.source.services.find((s) => s.name === 'kars-backend')!;
      // A port nothing listens on: unreachable, as a service whose domain is gone.
      backend.healthUrl = 'http://127.0.0.1:9/api/health';
      const outcome = await sourceHealthyGate.evaluate(c);
      assert.equal(outcome.state, 'fail');
      assert.match(line(outcome, 'kars-backend')?.text ?? '', /^unhealthy: unreachable/);
    });
  });

  describe('config-drift', () => {
    it('finds no drift in the kars fixture', async () => {
      const outcome = await configDriftGate.evaluate(await ctx());
      assert.equal(outcome.state, 'pass', JSON.stringify(outcome));
    });

    it('warns of a name only the source has and a target value naming the source, never quoting a value', async () => {
      const devUrl = 'https://kars-backend-kars-dev.up.railway.app/v2';
      setVariable(state(), 'kars-dev', 'kars-backend', 'INVOICE_EXPORT_TOKEN', 'exp-0f9e8d7c6b5a');
      setVariable(state(), 'kars-prod', 'kars-frontend', 'VITE_API_URL', devUrl);
      try {
        const outcome = await configDriftGate.evaluate(await ctx());
        assert.equal(outcome.state, 'warn');
        assert.deepEqual(
          outcome.evidence?.map((e) => `${e.label}: ${e.text}`),
          [
            'kars-backend: missing in kars-prod: INVOICE_EXPORT_TOKEN',
            'kars-frontend: VITE_API_URL names a domain of kars-dev',
          ],
        );
        const json = JSON.stringify(outcome);
        const values = ['kars-dev', 'kars-prod'].flatMap((env) =>
          state()
            .variables.inEnvironment(state().environmentByName(env).id)
            .map((v) => v.value)
            .filter((v) => v.length >= 12),
        );
        assert.ok(values.includes(devUrl) && values.length > 10, 'the values looked for');
        for (const value of values) assert.ok(!json.includes(value), `a value leaked: ${value}`);
        assert.ok(!json.includes('kars-backend-kars-dev.up.railway.app'), 'not even the domain');
      } finally {
        deleteVariable(state(), 'kars-dev', 'kars-backend', 'INVOICE_EXPORT_TOKEN');
        setVariable(
          state(),
          'kars-prod',
          'kars-frontend',
          'VITE_API_URL',
          'https://kars-backend-kars-prod.up.railway.app',
        );
      }
    });
  });

  describe('backup', () => {
    const waits = () => ({ delay: simDelay(sims), pollMs: 1_000, timeoutMs: 10 * 60_000 });
    const gate = () => createBackupGate(waits());
    const migrations = { migrations: ['backend/migrations/0004_invoice_export.sql'] };
    const prodVolume = () =>
      state().volumes.instances.find(
        (i) => i.environmentId === state().environmentByName('kars-prod').id,
      )!;
    const prodBackups = () => state().volumes.backupsOf(prodVolume().id);
    const creates = () => sims.railway.requestCount('VolumeBackupCreate');

    it('passes without asking Railway anything when no migration ships', async () => {
      const c = await ctx();
      const asked = sims.railway.requestCount();
      const outcome = await gate().evaluate(c);
      assert.deepEqual(
        [outcome.state, outcome.detail],
        ['pass', 'No migrations in this change: no backup needed'],
      );
      assert.equal(sims.railway.requestCount(), asked);
    });

    it('takes nothing when only checking, and says what it would back up', async () => {
      const [before, made] = [creates(), prodBackups().length];
      const outcome = await gate().evaluate(await ctx({ checkOnly: true, changes: migrations }));
      assert.equal(outcome.state, 'pass');
      assert.match(outcome.detail, /^Would back up postgres-volume-kars-prod before merging/);
      assert.deepEqual([creates(), prodBackups().length], [before, made]);
    });

    it('takes a backup of the volume and waits until Railway lists it', async () => {
      const outcome = await gate().evaluate(await ctx({ changes: migrations, id: 'promo-7' }));
      assert.equal(outcome.state, 'pass', JSON.stringify(outcome));
      const [newest] = prodBackups();
      assert.equal(newest?.name, 'railyard promotion promo-7');
      assert.equal(
        line(outcome, 'postgres-volume-kars-prod')?.text,
        `backup ${newest.id} at ${newest.createdAt} (Postgres at /var/lib/postgresql/data)`,
      );
    });

    it('waits through a null workflowId and a NotFound workflow', async () => {
      const { quirks } = state().volumes.workflows;
      quirks.nullWorkflowId = true;
      try {
        const a = await gate().evaluate(await ctx({ changes: migrations, id: 'promo-null' }));
        assert.equal(a.state, 'pass', JSON.stringify(a));
        quirks.nullWorkflowId = false;
        quirks.notFoundMs = 3_000;
        const b = await gate().evaluate(await ctx({ changes: migrations, id: 'promo-lag' }));
        assert.equal(b.state, 'pass', JSON.stringify(b));
        assert.deepEqual(
          prodBackups()
            .slice(0, 2)
            .map((x) => x.name),
          ['railyard promotion promo-lag', 'railyard promotion promo-null'],
        );
      } finally {
        quirks.nullWorkflowId = false;
        quirks.notFoundMs = 0;
      }
    });

    it('fails with an acknowledgement offered when the backup fails or does not finish in time', async () => {
      state().volumes.failNextBackup('snapshot storage unavailable');
      const failed = await gate().evaluate(await ctx({ changes: migrations, id: 'promo-fail' }));
      assert.equal(failed.state, 'fail');
      assert.deepEqual(failed.actions, ['ack-backup', 'retry']);
      assert.equal(
        line(failed, 'postgres-volume-kars-prod')?.text,
        'backup failed: snapshot storage unavailable',
      );
      const { timings } = state();
      const was = timings.backupMs;
      timings.backupMs = 20 * 60_000;
      try {
        const late = await gate().evaluate(await ctx({ changes: migrations, id: 'promo-late' }));
        assert.equal(late.state, 'fail');
        assert.match(late.detail, /did not finish within 10 minutes/);
      } finally {
        timings.backupMs = was;
        sims.settle();
      }
    });

    it('asks a person to back up and acknowledge when the target has no volume', async () => {
      const volume = prodVolume();
      const { instances } = state().volumes;
      instances.splice(instances.indexOf(volume), 1);
      try {
        const outcome = await gate().evaluate(await ctx({ changes: migrations }));
        assert.equal(outcome.state, 'needs-you');
        assert.equal(
          outcome.detail,
          'kars-prod has no Railway volume: back up its database yourself, then acknowledge with a reason',
        );
        assert.deepEqual(outcome.actions, ['ack-backup']);
      } finally {
        instances.push(volume);
      }
    });
  });

  describe('Railway failing', () => {
    it('answers unknown with a retry, never a pass, on 5xx and on 429 past the retries', async () => {
      for (const fault of [{ status: 503 }, { status: 429, retryAfter: 1 }]) {
        const c = await ctx({ changes: { migrations: ['db/migrate/1.sql'] } });
        sims.railway.faults.next(fault, 1000);
        try {
          const drift = await configDriftGate.evaluate(c);
          const backup = await createBackupGate({
            delay: simDelay(sims),
            pollMs: 1_000,
            timeoutMs: 60_000,
          }).evaluate(c);
          for (const outcome of [drift, backup]) {
            assert.equal(outcome.state, 'unknown', JSON.stringify(outcome));
            assert.deepEqual(outcome.actions, ['retry']);
            assert.match(outcome.detail, /^Could not /);
          }
        } finally {
          sims.railway.faults.clear();
        }
      }
    });
  });
});
