// Benchmark of live logs end to end (a Railway upstream → daemon in its own process → a client
// speaking the protocol): sustained lines/s beside bare ws on loopback, latency at 5,000 lines/s,
// the daemon's memory over a million lines, and loss and duplicates across forced upstream drops.
// The throughput figure uses a fast upstream (logsUpstreamWorker.ts: graphql-transport-ws on its own
// thread, pre-encoded frames) so that the daemon, not the simulator, is what it measures; the
// simulator as upstream is shown beside it.
// Run: npm run bench:logs            (everything)
//      npm run bench:logs -- --profile[=dir]   (throughput only, daemon under --cpu-prof, summarised)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { railwayOperations } from '../daemon/railway/operations';
import type { RailwayLog } from '../protocol/protocol';
import { karsFolder } from '../test/daemon/harness';
import { startSimulators, type Simulators } from '../sim/server';
import { formatSummary, readProfile, summarise } from './cpuProfile';
import { bareRun, withBareServer, type BareResult } from './logsBare';
import {
  BatchCounter,
  cpuSecondsOf,
  LeanClient,
  memoryOf,
  startDaemonProcess,
  StreamTracker,
  type DaemonProcess,
} from './logsClient';
import { FastUpstream } from './logsUpstream';

const TOTAL = 1_000_000;
/** Lines in flight at most (below the daemon's 20,000-line client queue, so none are dropped). */
const WINDOW = 30_000;
const CHUNK = 5_000;
const LATENCY_RATE = 5_000;
const LATENCY_SECONDS = 10;
const DROPS = 10;
const DROP_RATE = 1_000;

interface Row {
  figure: string;
  value: string;
  baseline: string;
  goal: string;
  met: boolean | undefined;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const deploymentOf = (sims: Simulators, env: string, service: string) => {
  const { state } = sims.railway;
  const e = state.environmentByName(env);
  return state.activeDeployments(e.id, state.serviceByName(service).id)[0]!.id;
};

/** Emits `total` lines keeping at most WINDOW unreceived; resolves with lines/s. */
async function pump(
  emit: (n: number) => void,
  received: () => number,
  onReceipt: (check: () => void) => void,
  total: number,
): Promise<number> {
  let emitted = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const check = () => {
      while (emitted < total && emitted - received() <= WINDOW - CHUNK) {
        const n = Math.min(CHUNK, total - emitted);
        emitted += n;
        emit(n);
      }
      if (received() >= total) resolve();
    };
    onReceipt(check);
    check();
  });
  return total / ((performance.now() - started) / 1000);
}

/** Where lines come from: the simulator, or the fast upstream in front of it. */
interface LogSource {
  /** graphql-transport-ws URL of the source itself. */
  wsUrl: string;
  emit(deploymentId: string, count: number): void;
  lastSeq(deploymentId: string): number;
  untilSubscriptions(ok: (open: number) => boolean, deploymentId: string): Promise<void>;
}

function simulatorSource(sims: Simulators): LogSource {
  return {
    wsUrl: sims.urls.railwayWs,
    // Millions of lines to measure the daemon, not Railway's 500 lines/s per replica: uncapped.
    emit: (id, n) => void sims.railway.logs.emit(id, n, { uncapped: true }),
    lastSeq: (id) => sims.railway.logs.lastSeq(id),
    untilSubscriptions: (ok, deploymentId) =>
      sims.railway.state.logs.untilSubscriptions(ok, { deploymentId }),
  };
}

function fastSource(up: FastUpstream): LogSource {
  return {
    wsUrl: up.url.replace(/^http/, 'ws'),
    emit: (id, n) => up.emit(id, n),
    lastSeq: (id) => up.lastSeq(id),
    untilSubscriptions: (ok, id) => up.untilSubscriptions(ok, id),
  };
}

/** A source alone (a graphql-ws client straight on it): what it can serve without the daemon. */
async function alone(sims: Simulators, source: LogSource, deploymentId: string): Promise<number> {
  const token = sims.tokens.railway.account;
  class AuthSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { authorization: `Bearer ${token}` } });
    }
  }
  const client = createClient({ url: source.wsUrl, webSocketImpl: AuthSocket });
  let received = 0;
  let wake = () => undefined as void;
  client.subscribe<{ deploymentLogs: unknown[] }>(
    { query: railwayOperations.DeploymentLogs, variables: { deploymentId, limit: 0 } },
    {
      next: (r) => ((received += r.data?.deploymentLogs.length ?? 0), wake()),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  await source.untilSubscriptions((n) => n === 1, deploymentId);
  const total = 300_000;
  const rate = await pump(
    (n) => source.emit(deploymentId, n),
    () => received,
    (check) => (wake = check),
    total,
  );
  await client.dispose();
  await source.untilSubscriptions((n) => n === 0, deploymentId);
  return rate;
}

interface Throughput {
  /** The measured million, counted by the client without decoding (as the bare baseline). */
  linesPerSecond: number;
  /** The warm-up million, each line decoded by the client as the extension does. */
  decodedLinesPerSecond: number;
  /** Batches of the measured million that did not follow on from the one before. */
  breaks: number;
  cold: { rssMb: number; peakMb: number };
  before: { rssMb: number; peakMb: number };
  after: { rssMb: number; peakMb: number };
  bytesPerBatch: number;
  linesPerBatch: number;
  lineFrame: string;
  lost: number;
  duplicated: number;
  /** CPU the daemon used over the measured run, in cores (1 = one core busy throughout). */
  daemonCores: number;
  /** CPU this process (simulator or fast upstream, and the client) used, in cores. */
  benchCores: number;
  /** The measured run on the monotonic clock, µs (to cut a CPU profile to it). */
  window: { fromUs: number; toUs: number };
}

async function subscribe(
  sims: Simulators,
  source: LogSource,
  client: LeanClient,
  env: string,
  service: string,
  backlog: number,
): Promise<{ tracker: StreamTracker; deploymentId: string }> {
  const deploymentId = deploymentOf(sims, env, service);
  const { streamId } = await client.request<{ streamId: string }>('logs.subscribe', {
    folder: karsFolder(sims),
    environment: env,
    service,
    backlog,
  });
  await source.untilSubscriptions((n) => n === 1, deploymentId);
  return { tracker: new StreamTracker(client, streamId), deploymentId };
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** A million lines through the daemon, as fast as it takes them; its memory before and after. */
async function throughput(
  sims: Simulators,
  source: LogSource,
  daemon: DaemonProcess,
): Promise<Throughput> {
  const client = await LeanClient.connect(daemon.port, daemon.secret);
  const { tracker, deploymentId } = await subscribe(
    sims,
    source,
    client,
    'kars-dev',
    'kars-backend',
    0,
  );
  const emit = (n: number) => source.emit(deploymentId, n);
  const onReceipt = (check: () => void) => void tracker.until(() => (check(), false));
  const cold = memoryOf(daemon.pid);
  // A first million lines, each decoded and checked for loss and repeats, lets the heap reach its
  // working size; growth after that is what a leak would show (cold-start growth is beside it).
  const first = source.lastSeq(deploymentId) + 1;
  const decodedLinesPerSecond = await pump(emit, () => tracker.lines, onReceipt, TOTAL);
  const checked = tracker.lossAndDuplicates(first, first + TOTAL - 1);
  const before = memoryOf(daemon.pid);
  client.decodeBatches = false;
  const start = { lines: tracker.lines, batches: tracker.batches, bytes: tracker.bytes };
  const cpu = { daemon: cpuSecondsOf(daemon.pid), bench: process.cpuUsage(), at: nowUs() };
  const linesPerSecond = await pump(emit, () => tracker.lines - start.lines, onReceipt, TOTAL);
  const window = { fromUs: cpu.at, toUs: nowUs() };
  const seconds = (window.toUs - window.fromUs) / 1e6;
  const benchCpu = process.cpuUsage(cpu.bench);
  const daemonCores = (cpuSecondsOf(daemon.pid) - cpu.daemon) / seconds;
  const benchCores = (benchCpu.user + benchCpu.system) / 1e6 / seconds;
  const after = memoryOf(daemon.pid);
  const batches = tracker.batches - start.batches;
  const frame = { jsonrpc: '2.0', method: 'logs.batch', params: { streamId: tracker.streamId } };
  const lineFrame = JSON.stringify({
    ...frame,
    params: { ...frame.params, items: [tracker.sample] },
  });
  client.close();
  await source.untilSubscriptions((n) => n === 0, deploymentId);
  return {
    linesPerSecond,
    decodedLinesPerSecond,
    breaks: tracker.breaks,
    cold,
    before,
    after,
    daemonCores,
    benchCores,
    window,
    bytesPerBatch: (tracker.bytes - start.bytes) / batches,
    linesPerBatch: (tracker.lines - start.lines) / batches,
    lineFrame,
    ...checked,
  };
}

/** Emit-to-receipt latency at a steady 5,000 lines/s (both ends in this process, one clock). */
async function latency(sims: Simulators, daemon: DaemonProcess): Promise<number[]> {
  const client = await LeanClient.connect(daemon.port, daemon.secret);
  const { tracker, deploymentId } = await subscribe(
    sims,
    simulatorSource(sims),
    client,
    'kars-dev',
    'kars-frontend',
    0,
  );
  tracker.measureLatency = true;
  const total = LATENCY_RATE * LATENCY_SECONDS;
  const emitter = sims.railway.logs.startEmitter(deploymentId, LATENCY_RATE, {
    total,
    uncapped: true,
  });
  await emitter.finished;
  await tracker.until(() => tracker.lines >= total);
  client.close();
  return [...tracker.latenciesMs].sort((a, b) => a - b);
}

/** Emits at a steady rate and drops every upstream socket DROPS times; counts lost and repeated lines. */
async function drops(
  sims: Simulators,
  daemon: DaemonProcess,
  backlog: number,
): Promise<{ lost: number; duplicated: number; gaps: number }> {
  const client = await LeanClient.connect(daemon.port, daemon.secret);
  const { tracker, deploymentId } = await subscribe(
    sims,
    simulatorSource(sims),
    client,
    'kars-prod',
    'kars-backend',
    backlog,
  );
  const first = sims.railway.logs.lastSeq(deploymentId) + 1;
  const emitter = sims.railway.logs.startEmitter(deploymentId, DROP_RATE, { uncapped: true });
  const reconnects = () => tracker.markers.filter((m) => m === 'reconnected').length;
  for (let i = 0; i <= DROPS; i++) {
    await tracker.until(() => reconnects() >= i);
    const seen = tracker.lines;
    await tracker.until(() => tracker.lines >= seen + DROP_RATE / 5);
    if (i < DROPS) sims.railway.faults.next({ dropSockets: true });
  }
  emitter.stop();
  const last = first + (await emitter.finished) - 1;
  await tracker.until(() => (tracker.counts.get(last) ?? 0) > 0);
  const gaps = tracker.markers.filter((m) => m === 'gap').length;
  client.close();
  await sims.railway.state.logs.untilSubscriptions((n) => n === 0, { deploymentId });
  return { ...tracker.lossAndDuplicates(first, last), gaps };
}

/** The same million through a relay that only re-frames (logsNullRelay.ts, its own process). */
async function nullRelay(
  sims: Simulators,
  source: LogSource,
  deploymentId: string,
): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'logsNullRelay.ts')],
    {
      env: {
        ...process.env,
        RELAY_UPSTREAM: source.wsUrl,
        RELAY_TOKEN: sims.tokens.railway.account,
        RELAY_DEPLOYMENT: deploymentId,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
      child.once('exit', () => reject(new Error('the null relay exited')));
    });
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { maxPayload: 64 * 1024 * 1024 });
    const counter = new BatchCounter();
    let wake = () => undefined as void;
    ws.on('message', (frame: Buffer) => (counter.take(frame), wake()));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await source.untilSubscriptions((n) => n === 1, deploymentId);
    const rate = await pump(
      (n) => source.emit(deploymentId, n),
      () => counter.lines,
      (check) => (wake = check),
      TOTAL,
    );
    if (counter.breaks)
      throw new Error(`the null relay broke the sequence ${counter.breaks} times`);
    ws.close();
    await source.untilSubscriptions((n) => n === 0, deploymentId);
    return rate;
  } finally {
    child.kill('SIGTERM');
  }
}

interface Baselines {
  /** The daemon's bytes in its message sizes, not even decoded: the physical ceiling. */
  bare: BareResult;
  /** The daemon's own frames (its batch size, real lines), each JSON.parsed as any client must. */
  parsed: BareResult;
  /** One message per line, parsed: a naive pipeline. */
  perLine: BareResult;
}

async function baselines(t: Throughput): Promise<Baselines> {
  return withBareServer(async (port) => {
    const payload = 'x'.repeat(Math.round(t.bytesPerBatch));
    const count = Math.ceil(TOTAL / t.linesPerBatch);
    const bare = await bareRun(port, payload, count, t.linesPerBatch, false);
    const parsed = await bareRun(port, batchFrame(t), count, Math.round(t.linesPerBatch), true);
    const perLine = await bareRun(port, t.lineFrame, 200_000, 1, true);
    return { bare, parsed, perLine };
  });
}

/** A logs.batch frame as the daemon sends it: its average number of lines, numbered in turn. */
function batchFrame(t: Throughput): string {
  const frame = JSON.parse(t.lineFrame) as { params: { items: RailwayLog[] } };
  const sample = frame.params.items[0]!;
  frame.params.items = Array.from({ length: Math.round(t.linesPerBatch) }, (_, i) => ({
    ...sample,
    attributes: sample.attributes?.map((a) => (a.key === 'seq' ? { ...a, value: `${i + 1}` } : a)),
  }));
  return JSON.stringify(frame);
}

function table(rows: Row[]): string {
  const head: Row = {
    figure: 'figure',
    value: 'Railyard',
    baseline: 'baseline',
    goal: 'goal',
    met: undefined,
  };
  const cells = [head, ...rows].map((r) => [
    r.figure,
    r.value,
    r.baseline,
    r.goal,
    r.met === undefined ? (r === head ? 'verdict' : '') : r.met ? 'goal met' : 'GOAL MISSED',
  ]);
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const cores = (n: number) => `${n.toFixed(2)} cores`;

async function main(): Promise<void> {
  const log = (s: string) => process.stderr.write(`… ${s}\n`);
  const profile = process.argv.find((a) => a.startsWith('--profile'));
  const sims = await startSimulators();
  const fastDeployment = deploymentOf(sims, 'kars-dev', 'kars-backend');
  const upstream = await FastUpstream.start(sims, [fastDeployment]);
  const fast = fastSource(upstream);
  const profileDir = profile
    ? path.resolve(profile.split('=')[1] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'daemon-prof-')))
    : undefined;
  const daemonFast = await startDaemonProcess(sims, {
    railwayUrl: upstream.url,
    nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : undefined,
  });
  const stops = [() => daemonFast.stop(), () => upstream.close(), () => sims.close()];
  try {
    if (profileDir) return await profileRun(sims, fast, daemonFast, profileDir, log);
    const daemon = await startDaemonProcess(sims);
    stops.unshift(() => daemon.stop());
    log('simulator alone');
    const simRate = await alone(
      sims,
      simulatorSource(sims),
      deploymentOf(sims, 'kars-prod', 'kars-frontend'),
    );
    log('fast upstream alone');
    const fastRate = await alone(sims, fast, fastDeployment);
    log(`${fmt(TOTAL)} lines through the daemon, fast upstream`);
    const t = await throughput(sims, fast, daemonFast);
    log(`${fmt(TOTAL)} lines through a relay that only re-frames them, fast upstream`);
    const nullRate = await nullRelay(sims, fast, fastDeployment);
    log(`${fmt(TOTAL)} lines through the daemon, simulator upstream`);
    const tSim = await throughput(sims, simulatorSource(sims), daemon);
    log('bare ws baselines');
    const { bare, parsed, perLine } = await baselines(t);
    log(`latency at ${fmt(LATENCY_RATE)} lines/s for ${LATENCY_SECONDS} s`);
    const lat = await latency(sims, daemon);
    log(`${DROPS} upstream drops at ${fmt(DROP_RATE)} lines/s, backlog 100`);
    const d100 = await drops(sims, daemon, 100);
    log(`${DROPS} upstream drops at ${fmt(DROP_RATE)} lines/s, backlog 5000`);
    const d5000 = await drops(sims, daemon, 5000);
    const p50 = percentile(lat, 50);
    const p99 = percentile(lat, 99);
    const growth = t.after.rssMb - t.before.rssMb;
    const rows: Row[] = [
      {
        figure: 'sustained lines/s, end to end (fast upstream)',
        value: fmt(t.linesPerSecond),
        baseline: `bare ws, same bytes in the same message sizes, nothing decoded: ${fmt(bare.linesPerSecond)} (${fmt(bare.mbPerSecond)} MB/s); ${((t.linesPerSecond / bare.linesPerSecond) * 100).toFixed(0)}% of it`,
        goal: `≥ 50,000 and ≥ ${fmt(bare.linesPerSecond / 2)}`,
        met:
          t.linesPerSecond >= 50_000 &&
          t.linesPerSecond >= bare.linesPerSecond / 2 &&
          t.breaks === 0,
      },
      {
        figure: '  … beside two hops that do nothing',
        value: `${((t.linesPerSecond / nullRate) * 100).toFixed(0)}% of it`,
        baseline: `a relay process that only re-frames each upstream list (no dedupe, queue or markers), same upstream and client: ${fmt(nullRate)} lines/s, ${((nullRate / bare.linesPerSecond) * 100).toFixed(0)}% of one bare hop`,
        goal: '',
        met: undefined,
      },
      {
        figure: '  … how it was counted',
        value: `${t.breaks} breaks`,
        baseline: `the client counts each batch from its first and last seq and checks it follows the one before; daemon CPU ${cores(t.daemonCores)}, bench process ${cores(t.benchCores)}; ${fmt(t.linesPerBatch)} lines, ${fmt(t.bytesPerBatch / 1024)} KiB per batch`,
        goal: '0 breaks',
        met: t.breaks === 0,
      },
      {
        figure: 'context: a client decoding every line (as the extension does)',
        value: fmt(t.decodedLinesPerSecond),
        baseline: `bare ws, same frames, client only JSON.parses: ${fmt(parsed.linesPerSecond)}; one message per line: ${fmt(perLine.linesPerSecond)}; lost ${t.lost}, repeated ${t.duplicated}`,
        goal: '0 lost, 0 repeated',
        met: t.lost === 0 && t.duplicated === 0,
      },
      {
        figure: `latency p50 / p99 at ${fmt(LATENCY_RATE)} lines/s`,
        value: `${p50.toFixed(1)} ms / ${p99.toFixed(1)} ms`,
        baseline: `max ${lat.at(-1)?.toFixed(1)} ms over ${fmt(lat.length)} lines`,
        goal: 'p99 < 100 ms',
        met: p99 < 100,
      },
      {
        figure: `daemon RSS over ${fmt(TOTAL)} lines (after ${fmt(TOTAL)} to warm up)`,
        value: `${t.before.rssMb.toFixed(1)} → ${t.after.rssMb.toFixed(1)} MB (+${growth.toFixed(1)})`,
        baseline: `from cold start: ${t.cold.rssMb.toFixed(1)} → ${t.after.rssMb.toFixed(1)} MB over ${fmt(2 * TOTAL)} lines; peak ${t.after.peakMb.toFixed(1)} MB`,
        goal: 'growth < 50 MB',
        met: growth < 50,
      },
      ...[
        ['100 (default)', d100],
        ['5000 (max)', d5000],
      ].map(([label, r]) => dropRow(label as string, r as Awaited<ReturnType<typeof drops>>)),
      {
        figure: 'context: end to end, simulator upstream',
        value: fmt(tSim.linesPerSecond),
        baseline: `daemon CPU ${cores(tSim.daemonCores)}, bench process ${cores(tSim.benchCores)}; lost ${tSim.lost}, repeated ${tSim.duplicated}`,
        goal: '',
        met: undefined,
      },
      {
        figure: 'context: simulator alone, lines/s',
        value: fmt(simRate),
        baseline: 'graphql-ws client straight on the simulator',
        goal: '',
        met: undefined,
      },
      {
        figure: 'context: fast upstream alone, lines/s',
        value: fmt(fastRate),
        baseline: 'graphql-ws client straight on the fast upstream (its own thread)',
        goal: '',
        met: undefined,
      },
    ];
    process.stdout.write(
      `\nLive logs (${new Date().toISOString()}, node ${process.version})\n${table(rows)}\n`,
    );
  } finally {
    for (const stop of stops) await stop();
  }
}

/** Throughput through a daemon under --cpu-prof; its profile summed over the measured run. */
async function profileRun(
  sims: Simulators,
  source: LogSource,
  daemon: DaemonProcess,
  dir: string,
  log: (s: string) => void,
): Promise<void> {
  log(`${fmt(TOTAL)} lines through the daemon (profiled into ${dir}), fast upstream`);
  const t = await throughput(sims, source, daemon);
  await daemon.stop();
  // One profile per thread (tsx's loader has its own): the main thread's is thread 0.
  const file = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort(
      (a, b) =>
        Number(/\.0\.\d+\.cpuprofile$/.test(b)) - Number(/\.0\.\d+\.cpuprofile$/.test(a)) ||
        fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs,
    )[0];
  if (!file) throw new Error(`the daemon left no .cpuprofile in ${dir}`);
  process.stdout.write(
    `\n${fmt(t.linesPerSecond)} lines/s under the profiler (daemon CPU ${cores(t.daemonCores)}, bench process ${cores(t.benchCores)})\n${file}\n\n${formatSummary(summarise(readProfile(file), 30, t.window))}\n`,
  );
}

function dropRow(label: string, r: { lost: number; duplicated: number; gaps: number }): Row {
  return {
    figure: `lost / repeated over ${DROPS} drops at ${fmt(DROP_RATE)} lines/s, backlog ${label}`,
    value: `${fmt(r.lost)} / ${fmt(r.duplicated)}`,
    baseline: `${r.gaps} gap markers`,
    goal: '0 / 0',
    met: r.lost === 0 && r.duplicated === 0,
  };
}

const watchdog = setTimeout(() => {
  process.stderr.write('logs bench: still running after 8 minutes; giving up\n');
  process.exit(2);
}, 8 * 60_000);
main().then(
  () => {
    clearTimeout(watchdog);
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(`logs bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
