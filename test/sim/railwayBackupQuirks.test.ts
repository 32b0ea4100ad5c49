// Proves the Railway simulator's backup quirks and restores on the simulators' clock: a null
// workflowId, a NotFound window after creation, the manual-backup size limit (refused by the
// mutation or by the workflow), and a restore that only stages the volume swap until committed.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SimVolumeInstance } from '../../sim/railway/model';
import { simOperations } from '../../sim/railway/simOperations';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import { bearer, data, errorOf, projectHeader } from './railwayTestClient';

const account = 'acct-token-backup-quirks-0123456';
const devProject = 'proj-token-backup-quirks-dev-01';
const ops = simOperations;

interface Backup {
  id: string;
  name: string | null;
  createdAt: string;
  usedMB: number | null;
}

interface StagedPatch {
  id: string;
  status: string;
  patch: {
    volumes?: Record<string, { isCreated?: boolean }>;
    services?: Record<string, { volumeMounts?: Record<string, { mountPath: string }> }>;
  };
  environmentId: string;
  appliedAt: string | null;
  environment: { name: string };
}

interface VolumeNode {
  id: string;
  volumeId: string;
  serviceId: string;
  mountPath: string;
  currentSizeMB: number;
  volume: { name: string };
}

void describe('Railway simulator backup quirks and restores', () => {
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
  beforeEach(() => {
    const { volumes } = sim.state;
    volumes.workflows.quirks.nullWorkflowId = false;
    volumes.workflows.quirks.notFoundMs = 0;
    volumes.sizeLimitRefusal = 'mutation';
  });

  const as = bearer(account);
  const backupMs = () => sim.state.timings.backupMs;
  const envId = (name: string) => sim.state.environmentByName(name).id;
  const volumeIn = (envName: string): SimVolumeInstance => {
    const found = sim.state.volumes.instances.find((i) => i.environmentId === envId(envName));
    assert.ok(found, `a volume in ${envName}`);
    return found;
  };

  async function backup(id: string, name?: string, headers = as): Promise<string | null> {
    const d = await data<{ volumeInstanceBackupCreate: { workflowId: string | null } }>(
      sim,
      headers,
      ops.BackupCreate,
      { id, name },
    );
    return d.volumeInstanceBackupCreate.workflowId;
  }

  async function status(id: string) {
    const d = await data<{ workflowStatus: { status: string; error: string | null } }>(
      sim,
      as,
      ops.WorkflowStatus,
      { id },
    );
    return d.workflowStatus;
  }

  async function backups(id: string): Promise<Backup[]> {
    return (await data<{ volumeInstanceBackupList: Backup[] }>(sim, as, ops.BackupList, { id }))
      .volumeInstanceBackupList;
  }

  async function staged(env: string): Promise<StagedPatch> {
    const d = await data<{ environmentStagedChanges: StagedPatch }>(sim, as, ops.StagedChanges, {
      environmentId: envId(env),
    });
    return d.environmentStagedChanges;
  }

  async function volumesOf(env: string): Promise<VolumeNode[]> {
    const d = await data<{ environment: { volumeInstances: { edges: { node: VolumeNode }[] } } }>(
      sim,
      as,
      ops.EnvironmentVolumes,
      { id: envId(env) },
    );
    return d.environment.volumeInstances.edges.map((e) => e.node);
  }

  async function restore(volumeInstanceId: string, backupId: string): Promise<string | null> {
    const d = await data<{ volumeInstanceBackupRestore: { workflowId: string | null } }>(
      sim,
      as,
      ops.BackupRestore,
      { volumeInstanceId, backupId },
    );
    return d.volumeInstanceBackupRestore.workflowId;
  }

  const postgresDeployments = (env: string) =>
    sim.state.deploymentsOf(envId(env), sim.state.serviceByName('Postgres').id).length;

  void it('can answer a null workflowId; the backup still runs and lands after backupMs', async () => {
    sim.state.volumes.workflows.quirks.nullWorkflowId = true;
    const volume = volumeIn('kars-dev');
    const before = (await backups(volume.id)).length;
    assert.equal(await backup(volume.id, 'no-workflow-id'), null);
    assert.equal((await backups(volume.id)).length, before, 'not there yet');
    sim.state.clock.advance(backupMs());
    const [newest] = await backups(volume.id);
    assert.equal(newest?.name, 'no-workflow-id');
  });

  void it('can answer NotFound for a moment after creation, then Running, then Complete', async () => {
    sim.state.volumes.workflows.quirks.notFoundMs = 500;
    const id = await backup(volumeIn('kars-dev').id, 'lagging');
    assert.ok(id);
    assert.deepEqual(await status(id), { status: 'NotFound', error: null });
    sim.state.clock.advance(499);
    assert.equal((await status(id)).status, 'NotFound');
    sim.state.clock.advance(1);
    assert.equal((await status(id)).status, 'Running');
    sim.state.clock.advance(backupMs());
    assert.equal((await status(id)).status, 'Complete');
  });

  void it('answers Running at once and at once an id, without the quirks', async () => {
    const id = await backup(volumeIn('kars-dev').id, 'plain');
    assert.ok(id);
    assert.equal((await status(id)).status, 'Running');
    sim.state.clock.advance(backupMs());
  });

  void it('refuses a manual backup of a volume fuller than half its size, with a clear error; half is fine', async () => {
    const volume = volumeIn('kars-prod');
    const was = volume.currentSizeMB;
    try {
      volume.currentSizeMB = volume.sizeMB / 2 + 0.5;
      const before = sim.state.clock.pendingLabels().length;
      const message = await errorOf(sim, as, ops.BackupCreate, { id: volume.id });
      assert.match(message, /Manual backups are limited to 50% of the volume's size/);
      assert.match(message, /2501 MB of 5000 MB \(limit 2500 MB\)/);
      assert.equal(sim.state.clock.pendingLabels().length, before, 'nothing started');
      volume.currentSizeMB = volume.sizeMB / 2;
      assert.ok(await backup(volume.id, 'exactly-half'));
      sim.state.clock.advance(backupMs());
      assert.equal((await backups(volume.id))[0]?.name, 'exactly-half');
    } finally {
      volume.currentSizeMB = was;
    }
  });

  void it('can refuse the oversized backup in its workflow instead: Error with the same message, nothing listed', async () => {
    sim.state.volumes.sizeLimitRefusal = 'workflow';
    const volume = volumeIn('kars-prod');
    const was = volume.currentSizeMB;
    try {
      volume.currentSizeMB = 4000;
      const before = (await backups(volume.id)).length;
      const id = await backup(volume.id, 'too-big');
      assert.ok(id);
      assert.equal((await status(id)).status, 'Running');
      sim.state.clock.advance(backupMs());
      const done = await status(id);
      assert.equal(done.status, 'Error');
      assert.match(done.error ?? '', /limited to 50% of the volume's size/);
      assert.equal((await backups(volume.id)).length, before);
    } finally {
      volume.currentSizeMB = was;
    }
  });

  void it('still finishes running backups at once on RailwayState.advance(), the old path', async () => {
    const id = await backup(volumeIn('kars-dev').id, 'advanced');
    assert.ok(id);
    sim.state.advance();
    assert.equal((await status(id)).status, 'Complete');
    assert.ok(!sim.state.clock.pendingLabels().some((l) => l.includes('advanced')), 'timer gone');
  });

  void it('restores only by staging the volume swap; the commit swaps the volume and redeploys Postgres', async () => {
    const volume = volumeIn('kars-prod');
    volume.currentSizeMB = 100;
    await backup(volume.id, 'before-migration');
    sim.state.clock.advance(backupMs());
    const [target] = await backups(volume.id);
    assert.equal(target?.name, 'before-migration');
    volume.currentSizeMB = 300;
    await backup(volume.id, 'after-migration');
    sim.state.clock.advance(backupMs());
    const deploymentsBefore = postgresDeployments('kars-prod');
    const empty = await staged('kars-prod');
    assert.deepEqual([empty.status, empty.patch], ['STAGED', {}], "Railway's empty placeholder");

    const workflowId = await restore(volume.id, target.id);
    assert.ok(workflowId);
    assert.equal((await status(workflowId)).status, 'Running');
    assert.deepEqual((await staged('kars-prod')).patch, {}, 'nothing staged while copying');
    sim.state.clock.advance(backupMs());
    assert.equal((await status(workflowId)).status, 'Complete');

    const pending = await staged('kars-prod');
    assert.equal(pending.status, 'STAGED');
    assert.equal(pending.environment.name, 'kars-prod');
    const [newVolumeId, ...more] = Object.keys(pending.patch.volumes ?? {});
    assert.ok(newVolumeId && more.length === 0, 'one new volume');
    assert.equal(pending.patch.volumes?.[newVolumeId]?.isCreated, true);
    assert.deepEqual(pending.patch.services?.[volume.serviceId]?.volumeMounts, {
      [newVolumeId]: { mountPath: volume.mountPath },
    });
    const [still] = await volumesOf('kars-prod');
    assert.deepEqual([still?.id, still?.currentSizeMB], [volume.id, 300], 'nothing swapped yet');
    assert.equal(postgresDeployments('kars-prod'), deploymentsBefore, 'nothing redeployed yet');

    const committed = await data<{ environmentPatchCommitStaged: string }>(
      sim,
      as,
      ops.CommitStaged,
      {
        environmentId: envId('kars-prod'),
        message: 'Restore before-migration',
      },
    );
    assert.equal(committed.environmentPatchCommitStaged, pending.id);
    const [swapped, ...others] = await volumesOf('kars-prod');
    assert.equal(others.length, 0, 'the old volume is unmounted');
    assert.notEqual(swapped?.id, volume.id);
    assert.equal(swapped?.volumeId, newVolumeId);
    assert.equal(swapped?.volume.name, target.createdAt, "named after the backup's date stamp");
    assert.deepEqual(
      [swapped?.mountPath, swapped?.serviceId],
      [volume.mountPath, volume.serviceId],
    );
    assert.equal(swapped?.currentSizeMB, target.usedMB, "the backup's data");
    const names = (await backups(swapped?.id ?? '')).map((b) => b.name);
    assert.ok(names.includes('before-migration'));
    assert.ok(!names.includes('after-migration'), 'newer backups are gone');
    assert.equal(postgresDeployments('kars-prod'), deploymentsBefore + 1, 'Postgres redeploys');
    assert.deepEqual((await staged('kars-prod')).patch, {}, 'nothing left staged');
    assert.match(
      await errorOf(sim, as, ops.CommitStaged, { environmentId: envId('kars-prod') }),
      /No staged changes/,
    );
  });

  void it('commits a staged restore without a redeploy when skipDeploys, and applies the quirks to it too', async () => {
    sim.state.volumes.workflows.quirks.nullWorkflowId = true;
    const volume = volumeIn('kars-pr-42');
    await backup(volume.id, 'pr-snapshot');
    sim.state.clock.advance(backupMs());
    const [target] = await backups(volume.id);
    assert.ok(target);
    assert.equal(await restore(volume.id, target.id), null, 'no workflow id to poll');
    sim.state.clock.advance(backupMs());
    assert.equal((await staged('kars-pr-42')).status, 'STAGED');
    const before = postgresDeployments('kars-pr-42');
    await data(sim, as, ops.CommitStaged, {
      environmentId: envId('kars-pr-42'),
      skipDeploys: true,
    });
    assert.equal(postgresDeployments('kars-pr-42'), before);
    assert.notEqual((await volumesOf('kars-pr-42'))[0]?.id, volume.id, 'swapped all the same');
  });

  void it('keeps restores and staged changes to environments the token may see', async () => {
    const prod = volumeIn('kars-prod');
    const [prodBackup] = await backups(prod.id);
    assert.ok(prodBackup);
    const refusals = [
      errorOf(sim, projectHeader(devProject), ops.BackupRestore, {
        volumeInstanceId: prod.id,
        backupId: prodBackup.id,
      }),
      errorOf(sim, projectHeader(devProject), ops.StagedChanges, {
        environmentId: prod.environmentId,
      }),
      errorOf(sim, projectHeader(devProject), ops.CommitStaged, {
        environmentId: prod.environmentId,
      }),
    ];
    for (const message of await Promise.all(refusals)) assert.match(message, /Not Authorized/);
    const dev = volumeIn('kars-dev');
    assert.match(
      await errorOf(sim, as, ops.BackupRestore, {
        volumeInstanceId: dev.id,
        backupId: prodBackup.id,
      }),
      /VolumeInstanceBackup not found/,
      "another volume's backup",
    );
  });
});
