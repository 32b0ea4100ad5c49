// CPU, memory and network of a simulated service, derived from its traffic and its kind: CPU
// follows requests, memory grows from each start (a restart or a new deployment resets it) up to
// a plateau, network is bytes per request. Magnitudes are those of a small Railway service.
import type { AppProfile } from './appChatter';
import { hash, seeded, SYNTHETIC_RESTART_MS } from './metricsHistory';
import type { MetricsStore } from './metricsStore';

interface Shape {
  /** vCPU at rest, and vCPU-seconds per request. */
  cpuBase: number;
  cpuPerRequest: number;
  /** GB right after a start, GB more per hour running, and the most it grows by. */
  memoryBase: number;
  memoryPerHour: number;
  memoryGrowthCap: number;
  /** Bytes in and out per request, and per second at rest (health checks, replication, DNS). */
  rxPerRequest: number;
  txPerRequest: number;
  idleBytesPerSecond: number;
}

const shapes: Record<AppProfile, Shape> = {
  api: {
    cpuBase: 0.02,
    cpuPerRequest: 0.015,
    memoryBase: 0.16,
    memoryPerHour: 0.012,
    memoryGrowthCap: 0.1,
    rxPerRequest: 1_500,
    txPerRequest: 8_000,
    idleBytesPerSecond: 400,
  },
  web: {
    cpuBase: 0.005,
    cpuPerRequest: 0.004,
    memoryBase: 0.07,
    memoryPerHour: 0.004,
    memoryGrowthCap: 0.03,
    rxPerRequest: 900,
    txPerRequest: 45_000,
    idleBytesPerSecond: 200,
  },
  postgres: {
    cpuBase: 0.03,
    cpuPerRequest: 0,
    memoryBase: 0.22,
    memoryPerHour: 0.02,
    memoryGrowthCap: 0.15,
    rxPerRequest: 0,
    txPerRequest: 0,
    idleBytesPerSecond: 3_000,
  },
};

export interface ResourceSample {
  cpu: number;
  memoryGb: number;
  networkRxGb: number;
  networkTxGb: number;
}

export interface ResourceStep {
  environmentId: string;
  serviceId: string;
  profile: AppProfile;
  startMs: number;
  lengthMs: number;
  /** Requests the service answered in the step. */
  requests: number;
}

/** One step's CPU (average vCPU), memory (GB at the step's middle) and network (GB moved in it). */
export function resourceSample(store: MetricsStore, step: ResourceStep): ResourceSample {
  const shape = shapes[step.profile];
  const seconds = step.lengthMs / 1000;
  const jitter = 0.9 + 0.2 * seeded(hash(`${step.serviceId}/${step.startMs}`))();
  const middle = step.startMs + step.lengthMs / 2;
  const hours = Math.max(0, middle - lastStart(store, step, middle)) / 3_600_000;
  const idleBytes = shape.idleBytesPerSecond * seconds;
  return {
    cpu: round((shape.cpuBase + (shape.cpuPerRequest * step.requests) / seconds) * jitter, 4),
    memoryGb: round(
      shape.memoryBase + Math.min(shape.memoryGrowthCap, shape.memoryPerHour * hours),
      4,
    ),
    networkRxGb: round((shape.rxPerRequest * step.requests + idleBytes) / 1e9, 9),
    networkTxGb: round((shape.txPerRequest * step.requests + idleBytes) / 1e9, 9),
  };
}

/** The last start at or before `atMs`: recorded, or before the simulator began a made-up one. */
function lastStart(store: MetricsStore, step: ResourceStep, atMs: number): number {
  const recorded = store.starts(step.environmentId, step.serviceId).filter((s) => s <= atMs);
  if (recorded.length > 0) return recorded[recorded.length - 1]!;
  const began = store.startedAtMs;
  if (atMs >= began) return began;
  return began - Math.ceil((began - atMs) / SYNTHETIC_RESTART_MS) * SYNTHETIC_RESTART_MS;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
