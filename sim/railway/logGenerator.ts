// Makes a simulated deployment log at any rate: numbered lines stamped with their emit time, so a
// receiver can measure latency, loss and duplicates; a burst at once, or a steady rate on a timer.
import type { RailwayState } from './state';
import type { NewLog, SimLog, SimLogKind } from './logs';

export interface EmitOptions {
  kind?: SimLogKind;
  /** The message of line `seq`; `line <seq>` by default. */
  message?: (seq: number) => string;
  severity?: SimLog['severity'] | ((seq: number) => SimLog['severity']);
  /** More attributes (JSON-encoded on the way out); an `undefined` value leaves the key out. */
  attributes?: (seq: number) => Record<string, unknown>;
  /** How many consecutive lines share one timestamp (1, the default: each its own instant). */
  sameTimestamp?: number;
  /**
   * Skips Railway's limit of 500 deploy-log lines/s per replica. Bulk writers that measure the
   * daemon (bench:logs, throughput tests) set it; without it, lines past the limit are dropped
   * and Railway's dropped-lines notice follows, as on Railway.
   */
  uncapped?: boolean;
}

export interface EmitterOptions extends EmitOptions {
  /** Stop after this many lines. */
  total?: number;
  /** How often the emitter writes what is due, as one list; 10 ms by default. */
  tickMs?: number;
}

export interface Emitter {
  /** Lines the service wrote so far (Railway's limit may have dropped some unless `uncapped`). */
  readonly emitted: number;
  /** Resolves with the count when the emitter stops (by `stop()` or after `total` lines). */
  readonly finished: Promise<number>;
  stop(): void;
}

/** The attributes every generated line carries: `seq` (a number) and `emitNs` (hrtime, a string). */
export const SEQ = 'seq';
export const EMIT_NS = 'emitNs';

export class LogGenerator {
  private readonly seqs = new Map<string, number>();

  constructor(private readonly state: RailwayState) {}

  /**
   * Writes `count` lines at once (one list to live subscribers) and returns those Railway kept;
   * `seq` continues per deployment and kind, dropped lines included, so a gap in `seq` shows a drop.
   */
  emit(deploymentId: string, count: number, options: EmitOptions = {}): SimLog[] {
    const d = this.state.deployment(deploymentId);
    if (!d) throw new Error(`the simulator has no deployment ${deploymentId}`);
    const kind = options.kind ?? 'deploy';
    const key = `${deploymentId}/${kind}`;
    const from = this.seqs.get(key) ?? 0;
    this.seqs.set(key, from + count);
    const emitNs = String(process.hrtime.bigint());
    const logs: NewLog[] = [];
    for (let seq = from + 1; seq <= from + count; seq++) logs.push(newLog(seq, emitNs, options));
    const { sameTimestamp, uncapped } = options;
    return this.state.logs.appendMany(d, kind, logs, { sameTimestamp, uncapped });
  }

  /** The last `seq` written for a deployment (0 before any). */
  lastSeq(deploymentId: string, kind: SimLogKind = 'deploy'): number {
    return this.seqs.get(`${deploymentId}/${kind}`) ?? 0;
  }

  /** Writes `linesPerSecond` on a timer, what is due each tick as one list, until stopped. */
  startEmitter(
    deploymentId: string,
    linesPerSecond: number,
    options: EmitterOptions = {},
  ): Emitter {
    if (!(linesPerSecond > 0))
      throw new Error(`linesPerSecond must be positive: ${linesPerSecond}`);
    const total = options.total ?? Infinity;
    const started = performance.now();
    let emitted = 0;
    let finish: (n: number) => void = () => undefined;
    const finished = new Promise<number>((resolve) => (finish = resolve));
    const stop = () => {
      clearInterval(timer);
      finish(emitted);
    };
    const tick = () => {
      const due = Math.min(
        total,
        Math.floor(((performance.now() - started) * linesPerSecond) / 1000),
      );
      if (due > emitted) this.emit(deploymentId, due - emitted, options);
      emitted = Math.max(emitted, due);
      if (emitted >= total) stop();
    };
    const timer = setInterval(tick, options.tickMs ?? 10);
    return {
      get emitted() {
        return emitted;
      },
      finished,
      stop,
    };
  }
}

function newLog(seq: number, emitNs: string, o: EmitOptions): NewLog {
  const severity = typeof o.severity === 'function' ? o.severity(seq) : o.severity;
  return {
    message: o.message?.(seq) ?? `line ${seq}`,
    severity,
    attributes: { [SEQ]: seq, [EMIT_NS]: emitNs, ...o.attributes?.(seq) },
  };
}
