// The logs bench's fast upstream (bench/logsUpstreamWorker.ts) writes Railway's frames from
// templates, without JSON.stringify. The daemon forwards Railway's bytes by searching them, so the
// bench only measures the daemon honestly if those bytes are laid out exactly as the simulator's
// graphql-ws frames are: same keys, same order, same value types, compact. This checks it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { FastUpstream } from '../../bench/logsUpstream';
import { railwayOperations } from '../../daemon/railway/operations';
import { startSimulators, type Simulators } from '../../sim/server';

/** The first `next` frame with at least one line, as the raw text that came over the socket. */
function firstLineFrame(url: string, token: string, deploymentId: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
      headers: { authorization: `Bearer ${token}` },
    });
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    ws.on('message', (raw: Buffer) => {
      const text = raw.toString('utf8');
      const m = JSON.parse(text) as {
        type: string;
        payload?: { data?: { deploymentLogs?: unknown[] } };
      };
      if (m.type === 'connection_ack')
        ws.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: {
              query: railwayOperations.DeploymentLogs,
              variables: { deploymentId, limit: 0 },
            },
          }),
        );
      if (m.type === 'next' && (m.payload?.data?.deploymentLogs?.length ?? 0) > 0) {
        ws.close();
        resolve(text);
      }
    });
  });
}

/** The frame with every leaf replaced by its type, keys in the order they came. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, 1).map(shape);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return value === null ? 'null' : typeof value;
}

describe("the logs bench's fast upstream", () => {
  let sims: Simulators;
  let fast: FastUpstream;
  let fastId: string;
  let simId: string;

  before(async () => {
    sims = await startSimulators();
    const { state } = sims.railway;
    const serving = (env: string, service: string) =>
      state.servingDeployment(state.environmentByName(env).id, state.serviceByName(service).id)!.id;
    fastId = serving('kars-dev', 'kars-backend');
    simId = serving('kars-prod', 'kars-backend');
    fast = await FastUpstream.start(sims, [fastId]);
  });
  after(async () => {
    await fast.close();
    await sims.close();
  });

  it('writes lines laid out byte for byte as the simulator does', async () => {
    const token = sims.tokens.railway.account;
    const fromSim = firstLineFrame(sims.railway.url, token, simId);
    const fromFast = firstLineFrame(fast.url, token, fastId);
    await sims.railway.state.logs.untilSubscriptions((n) => n >= 1, {
      deploymentId: simId,
      kind: 'deploy',
    });
    await fast.untilSubscriptions((n) => n >= 1, fastId);
    sims.railway.logs.emit(simId, 1);
    fast.emit(fastId, 1);
    const [simFrame, fastFrame] = await Promise.all([fromSim, fromFast]);
    assert.deepEqual(
      JSON.stringify(shape(JSON.parse(fastFrame))),
      JSON.stringify(shape(JSON.parse(simFrame))),
      `fast:\n${fastFrame.slice(0, 600)}\nsimulator:\n${simFrame.slice(0, 600)}`,
    );
    for (const frame of [simFrame, fastFrame])
      assert.equal(JSON.stringify(JSON.parse(frame)), frame, 'compact, as JSON.stringify writes');
    const attributeKeys = (frame: string) =>
      (
        JSON.parse(frame) as {
          payload: { data: { deploymentLogs: { attributes: { key: string }[] }[] } };
        }
      ).payload.data.deploymentLogs[0]!.attributes.map((a) => a.key);
    assert.deepEqual(attributeKeys(fastFrame), attributeKeys(simFrame), 'the same attributes');
  });
});
