// Bench helpers: a daemon in its own process pointed at the simulators, and a lean client that speaks
// the protocol (initialize, logs.subscribe, logs.batch). It reads batches as the extension does
// (JSON.parse, then readLogItems), or, for the throughput figure, only counts them: the first and
// last `seq` of each batch, checked to follow on from the batch before, so no line is taken on trust
// and none is decoded (the bare-loopback baseline decodes nothing either).
import * as fs from 'node:fs';
import WebSocket from 'ws';
import {
  PROTOCOL_VERSION,
  SECRET_HEADER,
  secretHeaderValue,
  type WireLogItem,
} from '../protocol/protocol';
import { isMarker, toLogLine } from '../client/logLines';
import { readSecret, statePaths } from '../protocol/discovery';
import { discoveryOf, spawnDaemon, tempHome, type ChildDaemon } from '../test/daemon/harness';
import type { Simulators } from '../sim/server';

export interface DaemonProcess {
  pid: number;
  port: number;
  secret: string;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  /** Where the daemon finds Railway (the simulator's URL by default). */
  railwayUrl?: string;
  /** Extra node flags for the daemon's process, e.g. `--cpu-prof`, `--cpu-prof-dir=/tmp/p`. */
  nodeArgs?: string[];
}

/**
 * Starts the built daemon (dist/daemon.js, what users run; `npm run bench:logs` builds it first)
 * as a separate process against the simulators, signed in with the account token.
 */
export async function startDaemonProcess(
  sims: Simulators,
  options: DaemonOptions = {},
): Promise<DaemonProcess> {
  const home = tempHome();
  const env = {
    ...sims.env,
    ...(options.railwayUrl ? { RAILYARD_RAILWAY_URL: options.railwayUrl } : {}),
    HOME: tempHome(),
    RAILWAY_API_TOKEN: sims.tokens.railway.account,
    RAILWAY_PROJECT_ID: sims.railway.state.projects[0]!.id,
  };
  const child: ChildDaemon = spawnDaemon(home, [], env, options.nodeArgs, 'built');
  const out = await child.stdout;
  if (!/listening/.test(out)) throw new Error(`the daemon did not start: ${out}`);
  const { port } = discoveryOf(home);
  const secret = readSecret(statePaths(home));
  if (!secret || child.child.pid === undefined) throw new Error('no daemon secret or pid');
  return {
    pid: child.child.pid,
    port,
    secret,
    stop: async () => {
      child.child.kill('SIGTERM');
      await child.exit;
    },
  };
}

/** Resident and peak memory of a process, in MB, from /proc. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export type BatchListener = (streamId: string, items: WireLogItem[], bytes: number) => void;
export type FrameListener = (frame: Buffer) => void;

const BATCH_START = Buffer.from('{"jsonrpc":"2.0","method":"logs.batch"');

interface Frame {
  id?: number;
  method?: string;
  params?: { streamId: string; items: WireLogItem[] };
  result?: unknown;
  error?: { message: string };
}

export class LeanClient {
  private nextId = 1;
  private readonly pending = new Map<number, (f: Frame) => void>();
  private readonly listeners = new Set<BatchListener>();
  private readonly frameListeners = new Set<FrameListener>();
  bytes = 0;
  /** False: batches go to frame listeners undecoded. */
  decodeBatches = true;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.onFrame(data));
  }

  static async connect(port: number, secret: string): Promise<LeanClient> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/rpc`, {
      headers: { [SECRET_HEADER]: secretHeaderValue(secret) },
      maxPayload: 64 * 1024 * 1024,
    });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const client = new LeanClient(socket);
    await client.request('initialize', {
      protocolVersions: [PROTOCOL_VERSION],
      client: { name: 'logs bench', kind: 'test' },
    });
    return client;
  }

  async request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    const answer = new Promise<Frame>((resolve) => this.pending.set(id, resolve));
    this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    const frame = await answer;
    if (frame.error) throw new Error(`${method}: ${frame.error.message}`);
    return frame.result as T;
  }

  onBatch(listener: BatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onBatchFrame(listener: FrameListener): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  close(): void {
    this.socket.close();
  }

  private onFrame(data: Buffer): void {
    this.bytes += data.length;
    if (!this.decodeBatches && data.subarray(0, BATCH_START.length).equals(BATCH_START)) {
      for (const l of this.frameListeners) l(data);
      return;
    }
    const frame = JSON.parse(data.toString('utf8')) as Frame;
    if (frame.id !== undefined) return this.pending.get(frame.id)?.(frame);
    if (frame.method !== 'logs.batch' || !frame.params) return;
    for (const l of this.listeners) l(frame.params.streamId, frame.params.items, data.length);
  }
}

/** One stream as the bench sees it: which `seq` arrived how often, latencies, markers. */
export class StreamTracker {
  readonly counts = new Map<number, number>();
  readonly markers: string[] = [];
  readonly latenciesMs: number[] = [];
  lines = 0;
  batches = 0;
  bytes = 0;
  /** A line as it came over the wire (Railway's Log), for the baselines' frames. */
  sample: WireLogItem | undefined;
  measureLatency = false;
  private readonly counter = new BatchCounter();
  private decodedLines = 0;
  /** Batches counted without decoding that did not follow on from the one before. */
  get breaks(): number {
    return this.counter.breaks;
  }
  private readonly waiters = new Set<() => void>();
  private readonly idInHead: string;

  constructor(
    client: LeanClient,
    readonly streamId: string,
  ) {
    this.idInHead = `"streamId":${JSON.stringify(streamId)}`;
    client.onBatch((id, items, bytes) => id === streamId && this.take(items, bytes));
    client.onBatchFrame((frame) => this.count(frame));
  }

  /** Resolves once `ok()` holds, checked after each batch. */
  until(ok: () => boolean): Promise<void> {
    if (ok()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!ok()) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  /** Lines in [from, to] never received, and receipts beyond the first of each. */
  lossAndDuplicates(from: number, to: number): { lost: number; duplicated: number } {
    let lost = 0;
    let duplicated = 0;
    for (let seq = from; seq <= to; seq++) {
      const n = this.counts.get(seq) ?? 0;
      if (n === 0) lost++;
      else duplicated += n - 1;
    }
    return { lost, duplicated };
  }

  private take(items: WireLogItem[], bytes: number): void {
    const now = process.hrtime.bigint();
    this.batches++;
    this.bytes += bytes;
    for (const item of items) {
      if (isMarker(item)) {
        this.markers.push(item.kind);
        continue;
      }
      this.lines++;
      this.decodedLines++;
      this.sample ??= item;
      const line = toLogLine(item);
      const seq = Number(line.attributes?.seq);
      this.counts.set(seq, (this.counts.get(seq) ?? 0) + 1);
      this.counter.nextSeq = seq + 1;
      const emitNs = line.attributes?.emitNs;
      if (this.measureLatency && emitNs) this.latenciesMs.push(Number(now - BigInt(emitNs)) / 1e6);
    }
    this.wake();
  }

  /** Counts a batch without decoding it (see BatchCounter); decodes it when it holds a marker. */
  private count(frame: Buffer): void {
    if (!frame.toString('latin1', 0, 160).includes(this.idInHead)) return;
    if (!this.counter.take(frame)) {
      const parsed = JSON.parse(frame.toString('utf8')) as Frame;
      return this.take(parsed.params?.items ?? [], frame.length);
    }
    this.batches++;
    this.bytes += frame.length;
    this.lines = this.decodedLines + this.counter.lines;
    this.wake();
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }
}

/**
 * Counts batches without decoding them: each from its first and last `seq` (the lines between are
 * Railway's bytes passed on whole), checked to follow on from the batch before (else a break).
 */
export class BatchCounter {
  lines = 0;
  breaks = 0;
  nextSeq: number | undefined;

  /** False when the batch holds a marker or no line: decode it instead. */
  take(frame: Buffer): boolean {
    const first = seqAt(frame, frame.indexOf(SEQ_KEY));
    const last = seqAt(frame, frame.lastIndexOf(SEQ_KEY));
    if (first === undefined || last === undefined || frame.includes(MARKER)) return false;
    if (this.nextSeq !== undefined && first !== this.nextSeq) this.breaks++;
    this.lines += last - first + 1;
    this.nextSeq = last + 1;
    return true;
  }
}

const SEQ_KEY = Buffer.from('{"key":"seq","value":"');
const MARKER = Buffer.from('"type":"marker"');

function seqAt(frame: Buffer, at: number): number | undefined {
  if (at < 0) return undefined;
  const from = at + SEQ_KEY.length;
  return Number(frame.toString('latin1', from, frame.indexOf(0x22, from)));
}
