// The panel's log tail: which deployments it follows for a record, build then deploy; a new
// deployment replaces the old stream; lines reach the page in batches as text; a reconnect does
// not show a line twice; a reloaded page gets the lines so far; closing the panel ends every stream.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToPanel } from '../../protocol/panel';
import type { PromotionRecord, WireLogItem } from '../../protocol/protocol';
import { PanelLogs } from '../../extension/panelLogs';
import { logTargets } from '../../extension/panelHostModel';
import { record } from './promotionRecords';

type LogsMessage = Extract<ToPanel, { type: 'logs' }>;

/** A daemon's log streams: each subscribe gets an id and keeps its consumer to feed by hand. */
function fakeStreams() {
  let next = 0;
  const open = new Map<
    string,
    { params: Record<string, unknown>; feed: (b: WireLogItem[]) => void }
  >();
  const ended: string[] = [];
  return {
    open,
    ended,
    subscribe(params: Record<string, unknown>, consumer: (b: WireLogItem[]) => void) {
      const streamId = `st-${++next}`;
      open.set(streamId, { params, feed: consumer });
      return Promise.resolve({ streamId, environment: String(params.environment) });
    },
    unsubscribe(streamId: string) {
      open.delete(streamId);
      ended.push(streamId);
      return Promise.resolve();
    },
    /** The stream following `deploymentId`'s `kind` log. */
    of(deploymentId: string, kind: string) {
      return [...open.values()].find(
        (s) => s.params.deploymentId === deploymentId && s.params.kind === kind,
      );
    },
  };
}

function tail() {
  const streams = fakeStreams();
  const posts: LogsMessage[] = [];
  let waiting: ((m: LogsMessage) => void) | undefined;
  const logs = new PanelLogs({
    streams: () => streams,
    folder: () => ({ path: '/work/kars', trusted: true }),
    post: (m) => {
      posts.push(m);
      waiting?.(m);
    },
    warn: () => undefined,
  });
  /** The next message posted to the page (batches are flushed on a timer). */
  const nextPost = () => new Promise<LogsMessage>((resolve) => (waiting = resolve));
  return { logs, streams, posts, nextPost };
}

const deploying = (services: PromotionRecord['services']) =>
  record({ state: 'deploying', mergeCommit: 'abc', services });
const line = (message: string, timestamp: string): WireLogItem => ({
  timestamp,
  message,
  severity: 'info',
});

describe('panel log tail', () => {
  it('follows nothing before the push, each deployment’s build and deploy log after', () => {
    assert.deepEqual(logTargets(record({ state: 'gated' })), []);
    const r = deploying([
      { id: 's1', name: 'kars-backend', deploymentId: 'd1' },
      { id: 's2', name: 'kars-frontend' },
    ]);
    assert.deepEqual(logTargets(r), [
      { serviceId: 's1', kind: 'build', deploymentId: 'd1' },
      { serviceId: 's1', kind: 'deploy', deploymentId: 'd1' },
    ]);
    const rolling = record({
      state: 'rolling-back',
      services: [
        { id: 's1', name: 'kars-backend', deploymentId: 'd1', rollbackDeploymentId: 'd0' },
      ],
    });
    assert.deepEqual(logTargets(rolling).at(-1), {
      serviceId: 's1',
      kind: 'deploy',
      deploymentId: 'd0',
    });
  });

  it('subscribes in the target environment with a small backlog, and forwards lines as text', async () => {
    const t = tail();
    await t.logs.follow(deploying([{ id: 's1', name: 'kars-backend', deploymentId: 'd1' }]));
    const build = t.streams.of('d1', 'build');
    assert.ok(build && t.streams.of('d1', 'deploy'), 'not both logs followed');
    assert.equal(build.params.environment, 'env-prod');
    assert.equal(build.params.service, 's1');
    assert.equal(build.params.backlog, 50);
    const posted = t.nextPost();
    build.feed([
      line('<b>npm run build</b>', '2026-12-01T10:00:00.000000001Z'),
      line('done', '2026-12-01T10:00:01Z'),
    ]);
    const m = await posted;
    assert.equal(m.reset, false);
    assert.deepEqual(
      m.lines.map((l) => [l.serviceId, l.kind, l.text]),
      [
        ['s1', 'build', '<b>npm run build</b>'],
        ['s1', 'build', 'done'],
      ],
    );
  });

  it('stops the old deployment’s streams when the service deploys anew', async () => {
    const t = tail();
    await t.logs.follow(deploying([{ id: 's1', name: 'kars-backend', deploymentId: 'd1' }]));
    await t.logs.follow(deploying([{ id: 's1', name: 'kars-backend', deploymentId: 'd2' }]));
    assert.equal(t.streams.of('d1', 'deploy'), undefined);
    assert.ok(t.streams.of('d2', 'deploy'));
    assert.equal(t.streams.ended.length, 2);
  });

  it('ends up following only the latest record when records arrive while it still unsubscribes', async () => {
    const t = tail();
    await t.logs.follow(deploying([{ id: 's1', name: 'kars-backend', deploymentId: 'd1' }]));
    // As showRecord calls it: not awaited, each record while the previous one is still applied.
    const d2 = t.logs.follow(deploying([{ id: 's1', name: 'kars-backend', deploymentId: 'd2' }]));
    const done = t.logs.follow(
      record({
        state: 'rolled-back',
        services: [{ id: 's1', name: 'kars-backend', deploymentId: 'd2' }],
      }),
    );
    await Promise.all([d2, done]);
    assert.deepEqual([...t.streams.open.keys()], [], 'a stream of an older record stayed open');
  });

  it('follows a newer deployment that arrives while the older one is still being left', async () => {
    const t = tail();
    await t.logs.follow(deploying([{ id: 's1', name: 'kars-backend', deploymentId: 'd1' }]));
    const d2 = t.logs.follow(deploying([{ id: 's1', name: 'kars-backend', deploymentId: 'd2' }]));
    const d3 = t.logs.follow(deploying([{ id: 's1', name: 'kars-backend', deploymentId: 'd3' }]));
    await Promise.all([d2, d3]);
    assert.deepEqual(
      [...t.streams.open.values()]
        .map((s) => `${String(s.params.deploymentId)} ${String(s.params.kind)}`)
        .sort(),
      ['d3 build', 'd3 deploy'],
    );
  });

  it('after a reconnect, subscribes again and replays nothing the page already has', async () => {
    const t = tail();
    await t.logs.follow(deploying([{ id: 's1', name: 'kars-backend', deploymentId: 'd1' }]));
    const before = new Set(t.streams.open.keys());
    const first = t.nextPost();
    t.streams.of('d1', 'deploy')!.feed([line('listening on :8080', '2026-12-01T10:00:00Z')]);
    await first;
    await t.logs.reattach();
    // The new daemon's stream, not the old connection's (which the fake keeps open).
    const renewed = [...t.streams.open.entries()].filter(
      ([id, s]) => !before.has(id) && s.params.deploymentId === 'd1' && s.params.kind === 'deploy',
    );
    assert.equal(
      renewed.length,
      1,
      'the deploy log was not subscribed again on the new connection',
    );
    const again = t.nextPost();
    renewed[0]![1].feed([
      line('listening on :8080', '2026-12-01T10:00:00Z'),
      line('GET /api/health 200', '2026-12-01T10:00:05Z'),
    ]);
    assert.deepEqual(
      (await again).lines.map((l) => l.text),
      ['GET /api/health 200'],
    );
  });

  it('gives a reloaded page every line so far, from the start', async () => {
    const t = tail();
    await t.logs.follow(deploying([{ id: 's1', name: 'kars-backend', deploymentId: 'd1' }]));
    const posted = t.nextPost();
    t.streams.of('d1', 'build')!.feed([line('step 1', '2026-12-01T10:00:00Z')]);
    await posted;
    t.logs.replay();
    const last = t.posts.at(-1)!;
    assert.equal(last.reset, true);
    assert.deepEqual(
      last.lines.map((l) => l.text),
      ['step 1'],
    );
  });

  it('ends every stream when the panel closes', async () => {
    const t = tail();
    await t.logs.follow(deploying([{ id: 's1', name: 'kars-backend', deploymentId: 'd1' }]));
    await t.logs.dispose();
    assert.equal(t.streams.open.size, 0);
  });
});
