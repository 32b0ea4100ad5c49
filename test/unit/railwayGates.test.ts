// The Railway gates' pure judgements: which service serves what, health verdicts per side, config
// drift by names and reasons, and the backup's answer from each volume's result.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  DeploymentView,
  EnvironmentView,
  HealthView,
  ServiceView,
} from '../../protocol/protocol';
import { evaluateSourceDeployed, needsAncestry } from '../../daemon/promotion/gates/sourceDeployed';
import {
  healthProbes,
  judgeEnvironmentHealth,
} from '../../daemon/promotion/gates/environmentHealth';
import {
  evaluateConfigDrift,
  pointsAtSource,
  sourceMarks,
  type SourceMarks,
} from '../../daemon/promotion/gates/configDrift';
import { judgeBackups, noVolume, wouldBackUp } from '../../daemon/promotion/gates/backup';
import type { RailwayVolumeInstance } from '../../daemon/railway/types';

const pinned = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';
const older = '1a2b3c4d5e6f708192a3b4c5d6e7f80912345678';

let seq = 0;
function deployment(
  commitHash: string,
  status: DeploymentView['status'],
  more: Partial<DeploymentView> = {},
): DeploymentView {
  seq += 1;
  return {
    id: `d${seq}`,
    status,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(),
    commitHash,
    canRollback: true,
    canRedeploy: true,
    ...more,
  };
}

/** A git service: `recent` newest first; `active` the serving one. */
function service(name: string, recent: DeploymentView[], active?: DeploymentView): ServiceView {
  return {
    id: `svc-${name}`,
    name,
    repo: 'kars/kars-app',
    url: `https://${name}-kars-dev.up.railway.app`,
    healthcheckPath: '/api/health',
    healthUrl: `https://${name}-kars-dev.up.railway.app/api/health`,
    health: { state: 'unknown' },
    latest: recent[0],
    active,
    recent,
  };
}

const postgres: ServiceView = {
  id: 'svc-Postgres',
  name: 'Postgres',
  image: 'ghcr.io/railwayapp-templates/postgres-ssl:16',
  health: { state: 'unknown' },
  recent: [],
};

function env(name: string, services: ServiceView[]): EnvironmentView {
  return {
    id: `env-${name}`,
    name,
    isEphemeral: false,
    protected: false,
    health: { state: 'unknown' },
    services,
  };
}

const serving = (name: string, sha = pinned) => {
  const d = deployment(sha, 'SUCCESS');
  return service(name, [d], d);
};

describe('source-deployed, judged', () => {
  it('passes when every git service serves the pinned commit; the image service is not judged', () => {
    const o = evaluateSourceDeployed(env('kars-dev', [serving('backend'), postgres]), pinned);
    assert.equal(o.state, 'pass');
    assert.deepEqual(
      o.evidence?.map((e) => e.text),
      [
        'SUCCESS at 9f8e7d6',
        'image ghcr.io/railwayapp-templates/postgres-ssl:16: not judged (no commit to compare)',
      ],
    );
  });

  it('fails a service building the pinned commit, saying what it serves meanwhile', () => {
    const old = deployment(older, 'SUCCESS');
    const building = service('backend', [deployment(pinned, 'BUILDING'), old], old);
    const o = evaluateSourceDeployed(env('kars-dev', [building, serving('frontend')]), pinned);
    assert.equal(o.state, 'fail');
    assert.equal(o.detail, 'backend in kars-dev does not serve 9f8e7d6');
    assert.deepEqual(o.evidence?.[0], {
      label: 'backend',
      text: 'is BUILDING 9f8e7d6 (serves 1a2b3c4 meanwhile)',
      flag: 'fail',
    });
  });

  it('fails a service on another commit, and one whose pinned deployment crashed', () => {
    const crashed = deployment(pinned, 'CRASHED');
    const o = evaluateSourceDeployed(
      env('kars-dev', [serving('backend', older), service('frontend', [crashed], crashed)]),
      pinned,
    );
    assert.deepEqual(
      o.evidence?.map((e) => e.text),
      ['runs 1a2b3c4, not the pinned 9f8e7d6', 'CRASHED at 9f8e7d6'],
    );
  });

  it('passes a watch-path skip only when git puts the served commit in the pinned history', () => {
    const old = deployment(older, 'SUCCESS');
    const skipped = deployment(pinned, 'SKIPPED', { skipReason: 'no watched files changed' });
    const frontend = service('frontend', [skipped, old], old);
    const e = env('kars-dev', [serving('backend'), frontend]);
    assert.deepEqual(needsAncestry(e, pinned), [older]);
    const yes = evaluateSourceDeployed(e, pinned, new Set([older]));
    assert.equal(yes.state, 'pass');
    assert.equal(yes.evidence?.[1]?.text, 'unchanged by these commits (watch paths): runs 1a2b3c4');
    const no = evaluateSourceDeployed(e, pinned, new Set());
    assert.equal(no.state, 'fail');
  });

  it('fails a deployment skipped because CI failed, without asking git', () => {
    const old = deployment(older, 'SUCCESS');
    const skipped = deployment(pinned, 'SKIPPED', { skipReason: 'CI did not pass' });
    const e = env('kars-dev', [service('backend', [skipped, old], old)]);
    assert.deepEqual(needsAncestry(e, pinned), []);
    const o = evaluateSourceDeployed(e, pinned, new Set([older]));
    assert.equal(o.evidence?.[0]?.text, 'skipped 9f8e7d6: CI did not pass');
  });

  it('warns when there is no git service to judge', () => {
    assert.equal(evaluateSourceDeployed(env('db-only', [postgres]), pinned).state, 'warn');
  });
});

describe('health, judged', () => {
  const healthy: HealthView = { state: 'healthy', detail: 'HTTP 200' };
  const down: HealthView = { state: 'unhealthy', detail: 'database: disconnected' };

  it('probes the tree health URL of each service, and the environment URL from railyard.json', () => {
    const e = env('kars-dev', [serving('backend'), postgres]);
    const { probes, unchecked } = healthProbes(e, 'https://status.kars.example/health');
    assert.deepEqual(
      probes.map((p) => p.url),
      ['https://status.kars.example/health', 'https://backend-kars-dev.up.railway.app/api/health'],
    );
    assert.deepEqual(unchecked, [{ label: 'Postgres', text: 'no public URL: not checked' }]);
  });

  it('fails the source but only warns of the target for the same sick service', () => {
    const e = env('kars-dev', [serving('backend')]);
    const answers = [{ probe: { label: 'backend', url: 'u' }, health: down }];
    assert.equal(judgeEnvironmentHealth(e, answers, [], 'fail').state, 'fail');
    const target = judgeEnvironmentHealth(e, answers, [], 'warn');
    assert.equal(target.state, 'warn');
    assert.equal(target.evidence?.[0]?.text, 'unhealthy: database: disconnected');
  });

  it('passes when every check answers ok, and warns when nothing could be checked', () => {
    const e = env('kars-dev', [serving('backend')]);
    const ok = judgeEnvironmentHealth(
      e,
      [{ probe: { label: 'backend', url: 'u' }, health: healthy }],
      [],
      'fail',
    );
    assert.equal(ok.state, 'pass');
    assert.equal(judgeEnvironmentHealth(env('x', [postgres]), [], [], 'fail').state, 'warn');
  });
});

describe('config drift, judged', () => {
  const marks: SourceMarks = {
    environmentName: 'kars-dev',
    domains: ['kars-backend-kars-dev.up.railway.app'],
    sourceOnlyServices: ['kars-db-dev'],
    sourceWords: ['dev'],
    sharedWords: ['kars'],
  };

  it('recognises references to source-only services, source domains and the source name', () => {
    assert.equal(
      pointsAtSource('${{ kars-db-dev.DATABASE_URL }}', marks),
      'refers to kars-db-dev, a service only kars-dev has',
    );
    assert.equal(pointsAtSource('${{Postgres.DATABASE_URL}}', marks), undefined);
    assert.equal(
      pointsAtSource('https://KARS-BACKEND-kars-dev.up.railway.app', marks),
      'names a domain of kars-dev',
    );
    assert.equal(
      pointsAtSource('redis://cache.kars-dev.internal', marks),
      'names the environment kars-dev',
    );
    assert.equal(pointsAtSource('kars-devices', marks), undefined, 'a whole word only');
    assert.equal(
      pointsAtSource('postgres://kars-db-dev:5432/x', marks),
      'names something of kars-dev',
    );
    assert.equal(pointsAtSource('/dev/shm', marks), undefined, 'a path is not a kars resource');
    assert.equal(pointsAtSource('kars-db-prod', marks), undefined);
  });

  it('lists missing names (not Railway-provided ones) and pointing values, with no value in the outcome', () => {
    const secret = 'postgresql://u:s3cr3t-Pa55@kars-db-dev:5432/railway';
    const o = evaluateConfigDrift(
      [
        {
          name: 'kars-backend',
          source: {
            NEW_FLAG: 'on',
            RAILWAY_DEPLOYMENT_DRAINING_SECONDS: '60',
            SEALED: null,
            DB: 'x',
          },
          target: { DB: secret, OLD: '${{kars-db-dev.DATABASE_URL}}', SEALED: null },
        },
      ],
      marks,
      'kars-prod',
    );
    assert.equal(o.state, 'warn');
    assert.deepEqual(
      o.evidence?.map((e) => e.text),
      [
        'missing in kars-prod: NEW_FLAG',
        'DB names something of kars-dev',
        'OLD refers to kars-db-dev, a service only kars-dev has',
      ],
    );
    assert.ok(!JSON.stringify(o).includes('s3cr3t'));
  });

  it('passes with no findings, and takes its marks from the source view', () => {
    assert.equal(
      evaluateConfigDrift(
        [{ name: 's', source: { A: '1' }, target: { A: '2' } }],
        marks,
        'kars-prod',
      ).state,
      'pass',
    );
    const source = env('kars-dev', [serving('kars-backend'), serving('kars-db-dev')]);
    const target = env('kars-prod', [{ ...serving('kars-backend'), url: undefined }]);
    assert.deepEqual(sourceMarks(source, target), {
      environmentName: 'kars-dev',
      domains: ['kars-backend-kars-dev.up.railway.app', 'kars-db-dev-kars-dev.up.railway.app'],
      sourceOnlyServices: ['kars-db-dev'],
      sourceWords: ['dev'],
      sharedWords: ['kars'],
    });
  });
});

describe('backup, judged', () => {
  const volume: RailwayVolumeInstance = {
    id: 'vi1',
    serviceId: 'svc-Postgres',
    mountPath: '/var/lib/postgresql/data',
    state: 'READY',
    volume: { id: 'v1', name: 'postgres-volume-kars-prod' },
  };
  const done = {
    kind: 'done' as const,
    backup: { id: 'b1', name: 'n', createdAt: '2026-01-01T00:00:00.000Z' },
  };

  it('passes with each backup id and time', () => {
    const o = judgeBackups([{ volume, service: 'Postgres', result: done }], 'kars-prod', 10);
    assert.equal(o.state, 'pass');
    assert.equal(
      o.evidence?.[0]?.text,
      'backup b1 at 2026-01-01T00:00:00.000Z (Postgres at /var/lib/postgresql/data)',
    );
  });

  it('fails a failed or late backup with an acknowledgement offered; an upstream error is unknown', () => {
    const late = judgeBackups([{ volume, result: { kind: 'timeout' } }], 'kars-prod', 10);
    assert.deepEqual([late.state, late.actions], ['fail', ['ack-backup', 'retry']]);
    const lost = judgeBackups(
      [{ volume, result: { kind: 'upstream', message: 'HTTP 503' } }],
      'kars-prod',
      10,
    );
    assert.deepEqual([lost.state, lost.actions], ['unknown', ['retry']]);
    const both = judgeBackups(
      [
        { volume, result: { kind: 'failed', message: 'too full' } },
        { volume, result: { kind: 'upstream', message: 'HTTP 503' } },
      ],
      'kars-prod',
      10,
    );
    assert.equal(both.state, 'fail', 'a failure is not hidden behind an unknown');
  });

  it('asks for an acknowledgement without a volume, and takes nothing when only checking', () => {
    assert.deepEqual(noVolume('kars-prod').actions, ['ack-backup']);
    assert.equal(
      wouldBackUp([volume]).detail,
      'Would back up postgres-volume-kars-prod before merging (nothing taken: check only)',
    );
  });
});
