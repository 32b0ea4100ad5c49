// The extension host's work per log line: what Railyard's extension does with each `logs.batch`
// frame the daemon sends (decodeFrame: JSON and the protocol's checks; readLogItems; the channel's
// dedupe; formatBatch), timed over frames captured from the real daemon relaying the simulated
// Railway at bench:editor's rate (one stream, 500 lines/s: Railway's per-replica limit), beside
// JSON.parse alone, which any client of the daemon pays. Prints µs per line and what that costs
// at bench:editor's 5,000 lines/s, in % of one core (issue 15's goal for the whole extension host
// under that load: < 20%). Usage: npm run bench:client-decode
import { decodeFrame } from '../client/rpcClient';
import { formatBatch } from '../client/logFormat';
import { readLogItems } from '../client/logLines';
import { LogDedupe } from '../protocol/logDedupe';
import { karsFolder } from '../test/daemon/harness';
import { startSimulators, type Simulators } from '../sim/server';
import { railwayLogLinesPerSecond } from '../sim/railway/logCap';
import { LeanClient, startDaemonProcess } from './logsClient';
import { message, severity } from './logLoadLines';

const CAPTURE_LINES = 2_000;
const ROUNDS = 30;
const LOAD_LINES_PER_SECOND = 5_000;

/** `logs.batch` frames as the daemon sends them, `lines` lines of one stream at Railway's limit. */
async function captureFrames(sims: Simulators, lines: number): Promise<string[]> {
  const daemon = await startDaemonProcess(sims);
  try {
    const client = await LeanClient.connect(daemon.port, daemon.secret);
    client.decodeBatches = false;
    const frames: string[] = [];
    let seen = 0;
    const enough = new Promise<void>((resolve) =>
      client.onBatchFrame((frame) => {
        frames.push(frame.toString('utf8'));
        seen += (frame.toString('latin1').match(/"message":/g) ?? []).length;
        if (seen >= lines) resolve();
      }),
    );
    const { state } = sims.railway;
    const env = state.environmentByName('kars-dev');
    const deployment = state.servingDeployment(env.id, state.serviceByName('kars-backend').id)!;
    await client.request('logs.subscribe', {
      folder: karsFolder(sims),
      environment: 'kars-dev',
      service: 'kars-backend',
      backlog: 0,
    });
    await state.logs.untilSubscriptions((n) => n > 0, { deploymentId: deployment.id });
    const emitter = sims.railway.logs.startEmitter(deployment.id, railwayLogLinesPerSecond, {
      message,
      severity,
    });
    await enough;
    emitter.stop();
    client.close();
    return frames;
  } finally {
    await daemon.stop();
  }
}

/** µs per line of `work` over every frame, ROUNDS times after one warm-up round. */
function perLine(frames: string[], lines: number, work: (frame: string) => void): number {
  for (const f of frames) work(f);
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < ROUNDS; r++) for (const f of frames) work(f);
  return Number(process.hrtime.bigint() - t0) / 1e3 / (lines * ROUNDS);
}

/** What the extension does with one frame (extension/logTailer.ts: onBatch), short of appending. */
function extensionPath(dedupe: LogDedupe): (frame: string) => void {
  return (text) => {
    const frame = decodeFrame(text);
    if (frame?.kind !== 'notification' || frame.method !== 'logs.batch')
      throw new Error('no batch');
    const items = readLogItems(frame.params.items);
    const shown = items.filter(
      (i) => i.type === 'marker' || dedupe.accept(i.timestamp, i.message) !== 'duplicate',
    );
    if (formatBatch(shown).length === 0) throw new Error('nothing formatted');
  };
}

async function main(): Promise<void> {
  const sims = await startSimulators({ fixture: 'kars', realTime: true });
  sims.clock.followWallClock(20);
  let frames: string[];
  try {
    frames = await captureFrames(sims, CAPTURE_LINES);
  } finally {
    await sims.close();
  }
  const lines = frames.reduce((n, f) => n + (f.match(/"message":/g) ?? []).length, 0);
  const core = (us: number) => `${((us * LOAD_LINES_PER_SECOND) / 1e4).toFixed(2)}%`;
  const row = (name: string, us: number) =>
    console.log(`  ${name}: ${us.toFixed(2)} µs/line, ${core(us)} of a core at 5,000 lines/s`);
  // Each frame is decoded anew in every round, so the dedupe sees the same lines again: one per
  // round keeps the work that of new lines.
  let dedupe = new LogDedupe();
  const railyard = perLine(frames, lines, (f) => {
    if (f === frames[0]) dedupe = new LogDedupe();
    extensionPath(dedupe)(f);
  });
  const parseOnly = perLine(frames, lines, (f) => void JSON.parse(f));
  console.log(
    `client decode: ${lines} lines in ${frames.length} logs.batch frames from the daemon (${(lines / frames.length).toFixed(0)} lines a frame), ${ROUNDS} rounds`,
  );
  row("Railyard's extension per line (decodeFrame, readLogItems, dedupe, formatBatch)", railyard);
  row('baseline, JSON.parse alone', parseOnly);
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
