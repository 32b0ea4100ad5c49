// Live logs over the real protocol against the Railway simulator: one upstream subscription shared by
// clients and closed with the last, following a service across redeploys, reconnecting without
// repeating a line, build logs of a failed deployment, levels and attributes, Railway's notice of
// lines it dropped over its limit, and bad input.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, type LogItem, type LogLine, type LogMarker } from '../../protocol/protocol';
import type { RpcError } from '../../protocol/jsonrpc';
import { readLogItems, shownItem } from '../../client/logLines';
import { formatItem } from '../../client/logFormat';
import type { RpcClient } from '../../client/rpcClient';
import { karsRepo } from '../../sim/railway/fixtures';
import { SimClock } from '../../sim/clock';
import { startSimulators, type Simulators } from '../../sim/server';
import { startInProcess, type InProcessDaemon, karsFolder, type FolderContext } from './harness';

/** A client's `logs.batch` items by stream; `until` is woken by each batch (no polling, no timers). */
class LogTail {
  private readonly streams = new Map<string, LogItem[]>();
  private readonly arrivals = new EventEmitter();

  constructor(client: RpcClient) {
    this.arrivals.setMaxListeners(0);
    client.onNotification('logs.batch', ({ streamId, items }) => {
      const all = this.streams.get(streamId) ?? [];
      for (const item of readLogItems(items)) all.push(item);
      this.streams.set(streamId, all);
      this.arrivals.emit('batch');
    });
  }

  items(streamId: string): LogItem[] {
    return this.streams.get(streamId) ?? [];
  }

  lines(streamId: string): LogLine[] {
    return this.items(streamId).filter((i): i is LogLine => i.type === 'line');
  }

  markers(streamId: string, kind?: LogMarker['kind']): LogMarker[] {
    return this.items(streamId).filter(
      (i): i is LogMarker => i.type === 'marker' && (kind === undefined || i.kind === kind),
    );
  }

  /** The simulator's `seq` of each generated line, in arrival order. */
  seqs(streamId: string, deploymentId?: string): number[] {
    return this.lines(streamId)
      .filter((l) => deploymentId === undefined || l.deploymentId === deploymentId)
      .filter((l) => l.attributes?.seq !== undefined)
      .map((l) => Number(l.attributes?.seq));
  }

  until(streamId: string, ok: (items: LogItem[]) => boolean): Promise<LogItem[]> {
    return new Promise((resolve) => {
      const check = () => {
        if (!ok(this.items(streamId))) return;
        this.arrivals.off('batch', check);
        resolve(this.items(streamId));
      };
      this.arrivals.on('batch', check);
      check();
    });
  }

  untilSeq(streamId: string, seq: number, deploymentId?: string): Promise<LogItem[]> {
    return this.until(streamId, () => this.seqs(streamId, deploymentId).includes(seq));
  }

  untilMarker(streamId: string, kind: LogMarker['kind']): Promise<LogItem[]> {
    return this.until(streamId, () => this.markers(streamId, kind).length > 0);
  }
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('live logs', () => {
  let sims: Simulators;
  let d: InProcessDaemon;
  let folder: FolderContext;
  const state = () => sims.railway.state;
  const open = (deploymentId: string) =>
    state().logs.openSubscriptions({ deploymentId, kind: 'deploy' });
  const untilOpen = (deploymentId: string, n: number, kind: 'deploy' | 'build' = 'deploy') =>
    state().logs.untilSubscriptions((count) => count === n, { deploymentId, kind });
  const activeOf = (env: string, service: string) => {
    const e = state().environmentByName(env);
    return state().servingDeployment(e.id, state().serviceByName(service).id)!.id;
  };
  const connect = async (name: string) => {
    const client = await d.client(name);
    return { client, tail: new LogTail(client) };
  };

  before(async () => {
    // Settling deployments moves Railway's clock ahead; starting it in the past keeps it behind the
    // daemon's, as Railway's clock is in practice, so backlog lines read as older than a subscription.
    sims = await startSimulators({ clock: new SimClock(Date.now() - 3_600_000) });
    folder = karsFolder(sims);
    d = await startInProcess({
      ...sims.env,
      RAILWAY_API_TOKEN: sims.tokens.railway.account,
      RAILWAY_PROJECT_ID: state().projects[0]!.id,
    });
  });
  after(async () => {
    await d.stop();
    await sims.close();
  });

  it('fans one upstream subscription out to two clients, who get the same lines', async () => {
    const deploymentId = activeOf('kars-dev', 'kars-backend');
    const opened = state().logs.subscriptionsOpened({ deploymentId });
    const a = await connect('window A');
    const b = await connect('window B');
    const target = { folder, environment: 'kars-dev', service: 'kars-backend' };
    const sa = await a.client.request('logs.subscribe', target);
    assert.equal(sa.deploymentId, deploymentId);
    await untilOpen(deploymentId, 1);
    const first = sims.railway.logs.lastSeq(deploymentId);
    sims.railway.logs.emit(deploymentId, 50);
    await a.tail.untilSeq(sa.streamId, first + 50);
    const sb = await b.client.request('logs.subscribe', target);
    sims.railway.logs.emit(deploymentId, 50);
    await a.tail.untilSeq(sa.streamId, first + 100);
    await b.tail.untilSeq(sb.streamId, first + 100);
    assert.deepEqual(a.tail.seqs(sa.streamId), range(first + 1, first + 100));
    assert.deepEqual(b.tail.seqs(sb.streamId), range(first + 1, first + 100), 'history, then live');
    const key = (l: LogLine) => `${l.timestamp} ${l.message}`;
    assert.deepEqual(b.tail.lines(sb.streamId).map(key), a.tail.lines(sa.streamId).map(key));
    assert.equal(open(deploymentId), 1);
    assert.equal(state().logs.subscriptionsOpened({ deploymentId }) - opened, 1, 'ONE upstream');
    assert.equal(a.tail.markers(sa.streamId)[0]?.kind, 'started');

    // One leaves: the other still gets live lines through the same upstream.
    await a.client.request('logs.unsubscribe', { streamId: sa.streamId });
    sims.railway.logs.emit(deploymentId, 1);
    await b.tail.untilSeq(sb.streamId, first + 101);
    assert.equal(open(deploymentId), 1);
    assert.ok(!a.tail.seqs(sa.streamId).includes(first + 101), 'nothing after unsubscribe');

    // The last one disconnects: the daemon closes the upstream.
    b.client.close();
    await untilOpen(deploymentId, 0);
    a.client.close();
  });

  it('closes the upstream when the last client unsubscribes', async () => {
    const deploymentId = activeOf('kars-dev', 'kars-frontend');
    const { client } = await connect('alone');
    const target = { folder, environment: 'kars-dev', service: 'kars-frontend' };
    const { streamId } = await client.request('logs.subscribe', target);
    await untilOpen(deploymentId, 1);
    await client.request('logs.unsubscribe', { streamId });
    await untilOpen(deploymentId, 0);
    client.close();
  });

  it('follows the service to its new deployment after a push, with a marker', async () => {
    const { client, tail } = await connect('follower');
    const old = activeOf('kars-dev', 'kars-backend');
    const { watchId } = await client.request('environments.watch', { folder });
    const target = { folder, environment: 'kars-dev', service: 'kars-backend' };
    const { streamId } = await client.request('logs.subscribe', target);
    await untilOpen(old, 1);
    const commit = { hash: 'c'.repeat(40), message: 'Faster invoices', author: 'Ada Lovelace' };
    const pushed = state().push(karsRepo, 'kars-dev', commit);
    const next = pushed.find((p) => p.serviceId === state().serviceByName('kars-backend').id)!;
    state().settle();
    await client.request('environments.refresh', { watchId });
    await tail.untilMarker(streamId, 'follow');
    const follow = tail.markers(streamId, 'follow')[0]!;
    assert.equal(follow.deploymentId, next.id);
    assert.match(follow.text, /cccccc/, 'the marker names the commit');
    await untilOpen(next.id, 1);
    await untilOpen(old, 0);
    sims.railway.logs.emit(next.id, 20);
    await tail.untilSeq(streamId, 20, next.id);
    const afterFollow = tail.items(streamId).slice(tail.items(streamId).indexOf(follow) + 1);
    assert.ok(afterFollow.every((i) => i.type === 'marker' || i.deploymentId === next.id));
    assert.ok(
      afterFollow.some((i) => i.type === 'line' && i.message === 'Listening on port 3000'),
      "the new deployment's backlog",
    );
    assert.deepEqual(tail.seqs(streamId, next.id), range(1, 20));
    client.close();
  });

  it('reconnects after the upstream drops without repeating or losing a line', async () => {
    const deploymentId = activeOf('kars-prod', 'kars-backend');
    const { client, tail } = await connect('reconnect');
    const target = { folder, environment: 'kars-prod', service: 'kars-backend' };
    const { streamId } = await client.request('logs.subscribe', target);
    await untilOpen(deploymentId, 1);
    const first = sims.railway.logs.lastSeq(deploymentId);
    // Lines sharing timestamps and messages: only counting tells a repeat from a new line.
    const same = { sameTimestamp: 4, message: () => 'GET /api/health 200' };
    sims.railway.logs.emit(deploymentId, 40, same);
    await tail.untilSeq(streamId, first + 40);
    const reopened = state().logs.subscriptionsOpened({ deploymentId });
    sims.railway.faults.next({ dropSockets: true });
    sims.railway.logs.emit(deploymentId, 30, same);
    await tail.untilMarker(streamId, 'reconnected');
    await untilOpen(deploymentId, 1);
    sims.railway.logs.emit(deploymentId, 1);
    await tail.untilSeq(streamId, first + 71);
    assert.deepEqual(tail.seqs(streamId), range(first + 1, first + 71), 'each line exactly once');
    assert.equal(state().logs.subscriptionsOpened({ deploymentId }) - reopened, 1);
    const kinds = tail.markers(streamId).map((m) => m.kind);
    assert.deepEqual(kinds, ['started', 'reconnecting', 'reconnected']);
    client.close();
  });

  it('says when a deployment fails, and serves its build logs', async () => {
    const { client, tail } = await connect('failure');
    const { watchId } = await client.request('environments.watch', { folder });
    const target = { folder, environment: 'kars-prod', service: 'kars-frontend' };
    const { streamId } = await client.request('logs.subscribe', target);
    const commit = { hash: 'f'.repeat(40), message: 'Break the build', author: 'Ada Lovelace' };
    const pushed = state().push(karsRepo, 'kars-prod', commit, { outcome: 'FAILED' });
    const failed = pushed.find((p) => p.serviceId === state().serviceByName('kars-frontend').id)!;
    state().settle();
    await client.request('environments.refresh', { watchId });
    await tail.untilMarker(streamId, 'build-failed');
    assert.equal(tail.markers(streamId, 'build-failed')[0]?.deploymentId, failed.id);
    assert.equal(tail.markers(streamId, 'follow').length, 0, 'a failed build is not followed');

    const build = await client.request('logs.subscribe', {
      ...target,
      kind: 'build',
      deploymentId: failed.id,
    });
    assert.equal(build.deploymentId, failed.id);
    const items = await tail.until(build.streamId, (all) =>
      all.some((i) => i.type === 'line' && /failed to build/.test(i.message)),
    );
    const lines = items.filter((i): i is LogLine => i.type === 'line');
    assert.deepEqual(
      lines.map((l) => [l.message, l.level]),
      [
        ['Building kars-frontend from fffffff', 'info'],
        ['ERROR: failed to build: exit code: 1', 'error'],
      ],
    );
    await untilOpen(failed.id, 1, 'build');
    client.close();
  });

  it('delivers levels and decoded attributes as the protocol says', async () => {
    const deploymentId = activeOf('kars-dev', 'kars-frontend');
    const { client, tail } = await connect('levels');
    const target = { folder, environment: 'kars-dev', service: 'kars-frontend', backlog: 0 };
    const { streamId } = await client.request('logs.subscribe', target);
    await untilOpen(deploymentId, 1);
    const first = sims.railway.logs.lastSeq(deploymentId);
    const cases: [severity: 'info' | 'warn' | 'error', attrs: Record<string, unknown>][] = [
      ['warn', {}],
      ['info', { level: 'WARNING' }],
      ['info', { level: undefined, lvl: 'fatal' }],
      ['info', { level: undefined, severity: 'trace' }],
      ['error', { level: undefined }],
      ['info', { user: { id: 7 }, ms: 42, ok: true, path: '/api/invoices', note: 'say "hi"' }],
    ];
    sims.railway.logs.emit(deploymentId, cases.length, {
      severity: (seq) => cases[seq - first - 1]![0],
      attributes: (seq) => cases[seq - first - 1]![1],
    });
    await tail.untilSeq(streamId, first + cases.length);
    const lines = tail.lines(streamId);
    assert.deepEqual(
      lines.map((l) => l.level),
      ['warn', 'warn', 'error', 'debug', 'error', 'info'],
    );
    for (const l of lines) {
      assert.match(l.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      assert.equal(l.deploymentId, deploymentId);
      assert.equal(l.attributes?.level, undefined, 'the level is a field, not an attribute');
      assert.equal(l.attributes?.lvl, undefined);
    }
    const { seq: _seq, emitNs: _emitNs, ...decoded } = lines.at(-1)?.attributes ?? {};
    assert.deepEqual(decoded, {
      user: '{"id":7}',
      ms: '42',
      ok: 'true',
      path: '/api/invoices',
      note: 'say "hi"',
    });
    client.close();
  });

  it('names the filter in the header of a filtered stream, and delivers only what matches', async () => {
    const deploymentId = activeOf('kars-dev', 'kars-frontend');
    const { client, tail } = await connect('filtered');
    const target = {
      folder,
      environment: 'kars-dev',
      service: 'kars-frontend',
      backlog: 0,
      filter: '@level:error',
    };
    const { streamId } = await client.request('logs.subscribe', target);
    await untilOpen(deploymentId, 1);
    await tail.untilMarker(streamId, 'started');
    const [started] = tail.markers(streamId, 'started');
    assert.match(
      started!.text,
      /^tailing deploy logs of kars-frontend in kars-dev, only lines matching @level:error: /,
    );
    const first = sims.railway.logs.lastSeq(deploymentId);
    sims.railway.logs.emit(deploymentId, 4, { severity: (seq) => (seq % 2 ? 'error' : 'info') });
    const errors = [1, 2, 3, 4].map((i) => first + i).filter((seq) => seq % 2);
    await tail.untilSeq(streamId, errors.at(-1)!);
    assert.deepEqual([...new Set(tail.lines(streamId).map((l) => l.level))], ['error']);
    client.close();
  });

  it("passes on Railway's notice of lines dropped over 500 lines/s, shown as a marker", async () => {
    const deploymentId = activeOf('kars-dev', 'Postgres');
    const { client, tail } = await connect('rate limited');
    const target = { folder, environment: 'kars-dev', service: 'Postgres', backlog: 0 };
    const { streamId } = await client.request('logs.subscribe', target);
    await untilOpen(deploymentId, 1);
    // A second of the simulator's clock that nothing has logged in yet: Railway counts per second.
    sims.clock.advanceTo(Math.floor(sims.clock.nowMs() / 1000) * 1000 + 1000);
    const first = sims.railway.logs.lastSeq(deploymentId);
    sims.railway.logs.emit(deploymentId, 600);
    await tail.untilSeq(streamId, first + 500);
    sims.clock.advance(1000);
    const items = await tail.until(streamId, (all) =>
      all.some((i) => i.type === 'line' && i.rateLimited !== undefined),
    );
    assert.deepEqual(tail.seqs(streamId), range(first + 1, first + 500), 'Railway kept 500');
    const notice = items.at(-1)!;
    assert.equal(notice.type === 'line' && notice.rateLimited?.dropped, 100);
    const shown = shownItem(notice);
    assert.equal(shown.type === 'marker' && shown.kind, 'rate-limited');
    assert.match(formatItem(notice), /^── Railway dropped 100 log lines here: .*500 lines\/s ──$/);
    client.close();
  });

  it('refuses an unknown environment or service, naming the choices', async () => {
    const { client } = await connect('bad input');
    await assert.rejects(
      client.request('logs.subscribe', { folder, environment: 'kars-staging' }),
      (e: RpcError) =>
        e.code === ErrorCode.NotFound &&
        /kars-staging/.test(e.message) &&
        /kars-dev/.test(e.message) &&
        /kars-prod/.test(e.message),
    );
    await assert.rejects(
      client.request('logs.subscribe', { folder, environment: 'kars-dev', service: 'worker' }),
      (e: RpcError) =>
        e.code === ErrorCode.NotFound &&
        /"worker"/.test(e.message) &&
        ['kars-backend', 'kars-frontend', 'Postgres'].every((s) => e.message.includes(s)),
    );
    await assert.rejects(
      client.request('logs.subscribe', {
        folder,
        environment: 'kars-dev',
        // @ts-expect-error: a kind the protocol does not have
        kind: 'runtime',
      }),
      (e: RpcError) => e.code === ErrorCode.InvalidParams && /kind/.test(e.message),
    );
    client.close();
    await state().logs.untilSubscriptions((n) => n === 0);
  });
});
