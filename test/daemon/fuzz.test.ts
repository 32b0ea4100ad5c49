// Fuzzing the daemon's socket: 10,000+ random and mutated frames, after which it must still answer,
// and every reply it sent must be a well-formed JSON-RPC response.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import WebSocket from 'ws';
import { notificationEnvelope, responseEnvelope } from '../../protocol/jsonrpc';
import {
  isNotificationName,
  methods,
  PROTOCOL_VERSION,
  secretHeaderValue,
} from '../../protocol/protocol';
import { frameText } from '../../protocol/frameText';
import { startInProcess, type InProcessDaemon } from './harness';

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const INIT = {
  jsonrpc: '2.0',
  id: 'init',
  method: 'initialize',
  params: { protocolVersions: [PROTOCOL_VERSION], client: { name: 'fuzz', kind: 'test' } },
};
// Everything but shutdown, which would legitimately stop the daemon under test.
const methodNames = [
  ...Object.keys(methods).filter((m) => m !== 'daemon.shutdown'),
  'nope',
  '',
  'constructor',
  '__proto__',
  'toString',
];

const validish = fc.record({
  jsonrpc: fc.constantFrom('2.0', '2.0', '1.0', 2, null),
  id: fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constant(null), fc.object()),
  method: fc.constantFrom(...methodNames),
  params: fc.oneof(
    fc.constant(undefined),
    fc.object(),
    fc.anything(),
    fc.record({ token: fc.string(), provider: fc.string(), kind: fc.string() }),
  ),
});

const mutate = (text: string, edits: [number, number, string][]) =>
  edits.reduce((s, [pos, kind, ch]) => {
    const i = pos % (s.length + 1);
    if (kind % 3 === 0) return s.slice(0, i) + s.slice(i + 1);
    if (kind % 3 === 1) return s.slice(0, i) + ch + s.slice(i);
    return s.slice(0, i) + ch + s.slice(i + 1);
  }, text);

const frames = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 6 }),
  validish.map((v) => JSON.stringify(v)),
  fc
    .tuple(
      validish,
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ minLength: 1, maxLength: 1 })), {
        maxLength: 6,
      }),
    )
    .map(([v, e]) => mutate(JSON.stringify(v), e)),
  fc.nat({ max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n % 7 === 0 ? 0 : n)),
  fc.constant(
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersions: [PROTOCOL_VERSION],
        client: { name: 'x'.repeat(100_000), kind: 'test' },
      },
    }),
  ),
);

async function open(port: number, secret: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, {
    headers: { authorization: secretHeaderValue(secret) },
    maxPayload: 64 * 1024 * 1024,
  });
  const replies: unknown[] = [];
  ws.on('message', (data) => replies.push(JSON.parse(frameText(data))));
  await new Promise((resolve) => ws.once('open', resolve));
  return { ws, replies };
}

/** Resolves when a reply with this id arrives: the daemon processed everything sent before it. */
function replyTo(ws: WebSocket, id: string): Promise<{ result?: unknown }> {
  return new Promise((resolve) =>
    ws.on('message', (data) => {
      const msg = JSON.parse(frameText(data)) as { id?: unknown; result?: unknown };
      if (msg.id === id) resolve(msg);
    }),
  );
}

/** A JSON-RPC response, or one of the protocol's own notifications (sign-out broadcasts auth.changed). */
function wellFormed(frame: unknown): boolean {
  if (responseEnvelope.safeParse(frame).success) return true;
  const note = notificationEnvelope.safeParse(frame);
  return note.success && isNotificationName(note.data.method);
}

describe('daemon fuzz', () => {
  let d: InProcessDaemon;
  before(async () => {
    // Upstreams point at a closed port so no fuzzed call leaves this machine.
    d = await startInProcess({
      RAILYARD_RAILWAY_URL: 'http://127.0.0.1:9/graphql/v2',
      RAILYARD_GITHUB_API_URL: 'http://127.0.0.1:9',
    });
  });
  after(() => d.stop());

  for (const initialized of [false, true]) {
    it(`survives 6,000 random and mutated frames on a${initialized ? 'n initialized' : ' fresh'} connection`, async () => {
      const { ws, replies } = await open(d.port, d.secret);
      if (initialized) {
        const ready = replyTo(ws, 'init');
        ws.send(JSON.stringify(INIT));
        await ready;
      }
      const sample = fc.sample(frames, { numRuns: 6000, seed: SEED + (initialized ? 1 : 0) });
      for (const frame of sample) ws.send(frame);
      const probe = replyTo(ws, 'probe');
      ws.send(JSON.stringify({ ...INIT, id: 'probe' }));
      assert.ok((await probe).result, 'the daemon still answers after the fuzz');
      for (const reply of replies)
        assert.ok(wellFormed(reply), JSON.stringify(reply).slice(0, 300));
      assert.ok(
        replies.length > sample.length / 2,
        `most frames get an answer (${replies.length} of ${sample.length})`,
      );
      ws.close();
    });
  }

  it('still serves a new client afterwards', async () => {
    const c = await d.client('after-fuzz');
    const status = await c.request('daemon.status', {});
    assert.equal(status.pid, process.pid);
  });
});
