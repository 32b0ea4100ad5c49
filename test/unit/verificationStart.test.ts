// The verification a promotion enters success with: its window from when the release began
// serving on Railway's clock, the services it changed, and none when there is nothing to judge.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_VERIFICATION } from '../../protocol/metrics';
import type { DeploymentView, EnvironmentView } from '../../protocol/protocol';
import { pendingVerification } from '../../daemon/promotion/verification';
import { record } from './promotionRecords';

const now = new Date('2026-12-01T10:40:00.000Z');

function deployment(id: string, statusUpdatedAt: string): DeploymentView {
  return {
    id,
    status: 'SUCCESS',
    createdAt: '2026-12-01T10:30:00.000Z',
    statusUpdatedAt,
    canRollback: true,
    canRedeploy: true,
  };
}

const target: EnvironmentView = {
  id: 'env-prod',
  name: 'kars-prod',
  isEphemeral: false,
  protected: true,
  health: { state: 'healthy' },
  services: [
    {
      id: 's-api',
      name: 'kars-api',
      health: { state: 'healthy' },
      recent: [deployment('d-api', '2026-12-01T10:33:00.000Z')],
    },
    {
      id: 's-web',
      name: 'kars-web',
      health: { state: 'healthy' },
      recent: [deployment('d-web', '2026-12-01T10:35:30.000Z')],
    },
  ],
};

const promoted = record({
  state: 'succeeded',
  services: [
    { id: 's-api', name: 'kars-api', deploymentId: 'd-api', status: 'SUCCESS' },
    { id: 's-web', name: 'kars-web', deploymentId: 'd-web', status: 'SUCCESS' },
    { id: 's-job', name: 'kars-job', status: 'SKIPPED' },
  ],
});

describe('verification: pending at success', () => {
  it('starts the window when the last of its deployments began serving, on Railway’s clock', () => {
    const v = pendingVerification(promoted, target, DEFAULT_VERIFICATION, now)!;
    assert.equal(v.state, 'pending');
    assert.equal(v.releasedAt, '2026-12-01T10:35:30.000Z');
    assert.equal(v.endsAt, '2026-12-01T10:45:30.000Z');
    assert.deepEqual(
      v.services.map((s) => [s.name, s.state]),
      [
        ['kars-api', 'pending'],
        ['kars-web', 'pending'],
      ],
      'a skipped service was not changed by the release: not judged',
    );
    assert.equal(v.summary, 'Watching kars-prod for 10 min after the release…');
  });

  it('falls back on when the deploy step saw them serve, then on now', () => {
    const stepped = record({
      ...promoted,
      steps: [{ id: 'deploy', state: 'done', endedAt: '2026-12-01T10:36:00.000Z' }],
    });
    const windowed = { ...DEFAULT_VERIFICATION, windowMinutes: 5 };
    assert.equal(
      pendingVerification(stepped, undefined, windowed, now)?.endsAt,
      '2026-12-01T10:41:00.000Z',
    );
    assert.equal(
      pendingVerification(promoted, undefined, windowed, now)?.releasedAt,
      now.toISOString(),
    );
  });

  it('is none when turned off, for a back-merge or a revert, or when no service changed', () => {
    assert.equal(pendingVerification(promoted, target, false, now), undefined);
    for (const kind of ['back-merge', 'revert'] as const)
      assert.equal(
        pendingVerification({ ...promoted, kind }, target, DEFAULT_VERIFICATION, now),
        undefined,
      );
    const unchanged = { ...promoted, services: [{ id: 's-job', name: 'kars-job' }] };
    assert.equal(pendingVerification(unchanged, target, DEFAULT_VERIFICATION, now), undefined);
  });
});
