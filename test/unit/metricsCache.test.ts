// The metrics cache and window: one fetch per key and step shared by concurrent callers, failures
// not kept, windows ending on a step boundary, deployment marks from the watcher's deployments.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsCache } from '../../daemon/metrics/metricsCache';
import { deploymentMarks, rangeWindow } from '../../daemon/metrics/metricsService';
import type { ServiceView } from '../../protocol/protocol';

const now = () => new Date(0);

void describe('metrics cache', () => {
  void it('shares one fetch between concurrent callers of a key and step', async () => {
    const cache = new MetricsCache<number>();
    let fetches = 0;
    const fetch = () => Promise.resolve(++fetches);
    const [a, b] = await Promise.all([
      cache.get('k', 1, fetch, now),
      cache.get('k', 1, fetch, now),
    ]);
    assert.equal(fetches, 1);
    assert.equal(a, b);
    assert.equal((await cache.get('k', 2, fetch, now)).value, 2, 'the next step fetches again');
    assert.equal(cache.size, 1, 'one entry per key');
  });

  void it('keeps no failure: the next caller asks again', async () => {
    const cache = new MetricsCache<number>();
    await assert.rejects(cache.get('k', 1, () => Promise.reject(new Error('HTTP 500')), now));
    assert.equal((await cache.get('k', 1, () => Promise.resolve(7), now)).value, 7);
  });
});

void describe('metrics window', () => {
  void it('ends on the last step boundary and starts the range before it', () => {
    const at = new Date(Date.UTC(2026, 11, 1, 10, 0, 47));
    const w = rangeWindow('1h', at);
    assert.equal(w.to, Date.UTC(2026, 11, 1, 10, 0, 30) / 1000);
    assert.equal(w.to - w.from, 3600);
    assert.equal(rangeWindow('7d', at).step, 3600);
    assert.equal(rangeWindow('24h', at).to % 240, 0);
  });

  void it("marks the service's deployments made in the window, oldest first", () => {
    const d = (id: string, createdAt: string) => ({
      id,
      status: 'SUCCESS' as const,
      createdAt,
      commitHash: `${id}-sha`,
      canRollback: false,
      canRedeploy: true,
    });
    const service = {
      recent: [
        d('new', '2026-12-01T10:00:00Z'),
        d('mid', '2026-12-01T09:30:00Z'),
        d('old', '2026-11-30T00:00:00Z'),
      ],
    } as unknown as ServiceView;
    const marks = deploymentMarks(service, Date.parse('2026-12-01T09:00:00Z') / 1000);
    assert.deepEqual(
      marks.map((m) => [m.id, m.commit]),
      [
        ['mid', 'mid-sha'],
        ['new', 'new-sha'],
      ],
    );
  });
});
