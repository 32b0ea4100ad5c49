// Proves the Railway simulator's volumes: Postgres's volume in each environment, backups as workflows
// that run for timings.backupMs on the simulators' clock, and project-token scoping.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SimVolumeInstance } from '../../sim/railway/model';
import { karsPostgresMountPath } from '../../sim/railway/fixtures';
import { startRailwaySim, type RailwaySim } from '../../sim/railway/server';
import { bearer, data, errorOf, projectHeader } from './railwayTestClient';

const account = 'acct-token-volumes-0123456789';
const devProject = 'proj-token-volumes-dev-01234';

interface Backup {
  id: string;
  externalId: string;
  name: string | null;
  createdAt: string;
  creatorId: string | null;
  usedMB: number | null;
  volumeInstanceSizeMB: number | null;
}

const createBackup = `mutation Backup($id: String!, $name: String) {
  volumeInstanceBackupCreate(volumeInstanceId: $id, name: $name) { workflowId }
}`;
const workflowStatus = `query Workflow($id: String!) { workflowStatus(workflowId: $id) { status error } }`;
const backupList = `query Backups($id: String!) {
  volumeInstanceBackupList(volumeInstanceId: $id) {
    id externalId name createdAt creatorId usedMB volumeInstanceSizeMB
  }
}`;

void describe('Railway simulator volumes and backups', () => {
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

  /** Lets every backup started so far run its course on the clock. */
  const backupsRun = () => sim.state.clock.advance(sim.state.timings.backupMs);

  const volumeIn = (envName: string): SimVolumeInstance => {
    const env = sim.state.environmentByName(envName);
    const found = sim.state.volumes.instances.find((i) => i.environmentId === env.id);
    assert.ok(found, `a volume in ${envName}`);
    return found;
  };

  async function backup(headers: Record<string, string>, id: string, name?: string) {
    const d = await data<{ volumeInstanceBackupCreate: { workflowId: string } }>(
      sim,
      headers,
      createBackup,
      { id, name },
    );
    return d.volumeInstanceBackupCreate.workflowId;
  }

  async function status(headers: Record<string, string>, id: string) {
    const d = await data<{ workflowStatus: { status: string; error: string | null } }>(
      sim,
      headers,
      workflowStatus,
      { id },
    );
    return d.workflowStatus;
  }

  async function backups(headers: Record<string, string>, id: string): Promise<Backup[]> {
    const d = await data<{ volumeInstanceBackupList: Backup[] }>(sim, headers, backupList, { id });
    return d.volumeInstanceBackupList;
  }

  void it('mounts a volume for Postgres in every environment, listed by the environment', async () => {
    const envs = ['kars-dev', 'kars-prod', 'kars-pr-42'];
    for (const name of envs) {
      const env = sim.state.environmentByName(name);
      const d = await data<{
        environment: { volumeInstances: { edges: { node: Record<string, unknown> }[] } };
      }>(
        sim,
        bearer(account),
        `query($id: String!) { environment(id: $id) { volumeInstances { edges { node {
          id volumeId serviceId environmentId mountPath sizeMB currentSizeMB state
          isPendingDeletion deletedAt service { name } volume { id name projectId project { name } }
        } } } } }`,
        { id: env.id },
      );
      const nodes = d.environment.volumeInstances.edges.map((e) => e.node);
      assert.equal(nodes.length, 1, name);
      const [node] = nodes;
      assert.equal(node?.mountPath, karsPostgresMountPath);
      assert.equal(node?.environmentId, env.id);
      assert.deepEqual(node?.service, { name: 'Postgres' });
      assert.equal(node?.state, 'READY');
      assert.equal(node?.isPendingDeletion, false);
      assert.equal(node?.deletedAt, null);
      assert.ok(Number.isInteger(node?.sizeMB) && typeof node?.currentSizeMB === 'number');
      assert.equal((node?.volume as { id: string }).id, node?.volumeId);
      assert.deepEqual((node?.volume as { project: unknown }).project, { name: 'kars' });
    }
    const one = volumeIn('kars-dev');
    const byId = await data<{ volumeInstance: { id: string; mountPath: string } }>(
      sim,
      bearer(account),
      'query($id: String!) { volumeInstance(id: $id) { id mountPath } }',
      { id: one.id },
    );
    assert.deepEqual(byId.volumeInstance, { id: one.id, mountPath: karsPostgresMountPath });
  });

  void it('runs a backup as a workflow: Running until backupMs have passed on the clock, then Complete and listed', async () => {
    const volume = volumeIn('kars-prod');
    const workflowId = await backup(bearer(account), volume.id);
    assert.deepEqual(await status(bearer(account), workflowId), { status: 'Running', error: null });
    assert.deepEqual(await backups(bearer(account), volume.id), [], 'not listed while it runs');
    sim.state.clock.advance(sim.state.timings.backupMs - 1);
    assert.equal((await status(bearer(account), workflowId)).status, 'Running', 'not yet');
    sim.state.clock.advance(1);
    assert.deepEqual(await status(bearer(account), workflowId), {
      status: 'Complete',
      error: null,
    });
    const [made, ...rest] = await backups(bearer(account), volume.id);
    assert.deepEqual(rest, []);
    assert.equal(made?.name, 'Manual', "Railway's default name");
    assert.equal(made?.usedMB, Math.ceil(volume.currentSizeMB));
    assert.equal(made?.volumeInstanceSizeMB, volume.sizeMB);
    assert.equal(made?.creatorId, 'user-ada');
    assert.ok(made?.externalId && made.id !== made.externalId);
  });

  void it('keeps a backup`s name and lists the newest first', async () => {
    const volume = volumeIn('kars-pr-42');
    await backup(bearer(account), volume.id, 'first');
    backupsRun();
    const workflowId = await backup(bearer(account), volume.id, 'before-migration');
    backupsRun();
    assert.equal((await status(bearer(account), workflowId)).status, 'Complete');
    const names = (await backups(bearer(account), volume.id)).map((b) => b.name);
    assert.deepEqual(names, ['before-migration', 'first']);
  });

  void it('reports a failed backup as Error with its message, and lists nothing for it', async () => {
    const volume = volumeIn('kars-dev');
    const before = (await backups(bearer(account), volume.id)).length;
    sim.state.failNextBackup('disk quota exceeded while snapshotting');
    const failing = await backup(bearer(account), volume.id);
    const fine = await backup(bearer(account), volume.id, 'after');
    assert.equal((await status(bearer(account), failing)).status, 'Running');
    backupsRun();
    assert.deepEqual(await status(bearer(account), failing), {
      status: 'Error',
      error: 'disk quota exceeded while snapshotting',
    });
    assert.equal(
      (await status(bearer(account), fine)).status,
      'Complete',
      'only the next one fails',
    );
    const names = (await backups(bearer(account), volume.id)).map((b) => b.name);
    assert.equal(names.length, before + 1, 'the failed backup is not listed');
    assert.equal(names[0], 'after');
  });

  void it('answers NotFound for a workflow it never started', async () => {
    assert.deepEqual(await status(bearer(account), 'backup-no-such-workflow'), {
      status: 'NotFound',
      error: null,
    });
  });

  void it('lets a project token back up its own environment only', async () => {
    const mine = volumeIn('kars-dev');
    const prod = volumeIn('kars-prod');
    const own = await backup(projectHeader(devProject), mine.id, 'from-ci');
    backupsRun();
    assert.equal((await status(projectHeader(devProject), own)).status, 'Complete');
    const made = (await backups(projectHeader(devProject), mine.id)).find(
      (b) => b.name === 'from-ci',
    );
    assert.equal(made?.creatorId, null, 'a project token is nobody');
    const refusals = [
      errorOf(sim, projectHeader(devProject), createBackup, { id: prod.id }),
      errorOf(sim, projectHeader(devProject), backupList, { id: prod.id }),
      errorOf(
        sim,
        projectHeader(devProject),
        'query($id: String!) { volumeInstance(id: $id) { id } }',
        {
          id: prod.id,
        },
      ),
      errorOf(
        sim,
        projectHeader(devProject),
        'query($id: String!) { environment(id: $id) { volumeInstances { edges { node { id } } } } }',
        { id: prod.environmentId },
      ),
    ];
    for (const message of await Promise.all(refusals)) assert.match(message, /Not Authorized/);
    const others = await backup(bearer(account), prod.id);
    assert.deepEqual(await status(projectHeader(devProject), others), {
      status: 'NotFound',
      error: null,
    });
    assert.equal((await status(bearer(account), others)).status, 'Running');
    assert.match(await errorOf(sim, {}, workflowStatus, { id: others }), /Not Authorized/);
  });
});
