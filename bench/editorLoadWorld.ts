// The editor-load bench's world: the simulators on the wall clock with the kars project plus one
// image service (kars-worker, in kars-dev only), so the project has the bench's ten service streams,
// and the log load on them: each stream's serving deployment writes 500 lines/s through the
// simulated Railway, under Railway's own 500 lines/s per-replica limit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { channelName } from '../client/logFormat';
import { karsUser } from '../sim/railway/fixtures';
import { railwayLogLinesPerSecond } from '../sim/railway/logCap';
import type { Emitter } from '../sim/railway/logGenerator';
import type { RailwayState } from '../sim/railway/state';
import { startSimulators, type Simulators } from '../sim/server';
import { message, severity } from './logLoadLines';

/** One service in one environment: a Railyard Output channel once tailed. */
export interface Stream {
  service: string;
  environment: string;
  channel: string;
}

/** The kars fixture has 3 services × 3 environments: the tenth stream is this service's. */
const extraService = {
  name: 'kars-worker',
  environment: 'kars-dev',
  image: 'ghcr.io/kars/worker:3',
};

/** Starts the simulators on the wall clock (log timestamps and Railway's per-second limit real). */
export async function startLoadWorld(): Promise<{ sims: Simulators; streams: Stream[] }> {
  const sims = await startSimulators({ fixture: 'kars', realTime: true });
  // Railway's limit counts lines per second of the simulator's clock: catching up with the wall
  // clock every 20 ms (not 250) keeps those seconds in step with the emitters' timers.
  sims.clock.followWallClock(20);
  const { state } = sims.railway;
  addImageService(state);
  const streams = state.serviceInstances.map((i) => {
    const service = state.services.find((s) => s.id === i.serviceId)!.name;
    const environment = state.environments.find((e) => e.id === i.environmentId)!.name;
    return { service, environment, channel: channelName(service, environment, 'deploy') };
  });
  if (streams.length !== 10) throw new Error(`expected 10 service streams, have ${streams.length}`);
  return { sims, streams };
}

/**
 * A service deployed from an image, as Postgres is in the fixture, with one SUCCESS deployment.
 * Added through the simulator's state before any daemon starts, so Railyard sees it from the start.
 */
function addImageService(state: RailwayState): void {
  const at = state.timestamp();
  const project = state.projects[0]!;
  const env = state.environmentByName(extraService.environment);
  const service = {
    id: state.nextId(),
    name: extraService.name,
    projectId: project.id,
    icon: null,
    createdAt: at,
    updatedAt: at,
  };
  state.services.push(service);
  state.serviceInstances.push({
    id: state.nextId(),
    serviceId: service.id,
    environmentId: env.id,
    source: { repo: null, image: extraService.image },
    healthcheckPath: null,
    numReplicas: 1,
    restartPolicyMaxRetries: 10,
    watchPatterns: [],
    autoDeploy: true,
    needsApproval: false,
    serviceDomains: [],
    customDomains: [],
    createdAt: at,
    updatedAt: at,
  });
  state.createDeployment({
    environmentId: env.id,
    serviceId: service.id,
    status: 'SUCCESS',
    meta: { image: extraService.image },
    creator: karsUser,
  });
}

/** The deployment each stream's service serves from now (the one the daemon follows). */
export function servingDeploymentIds(state: RailwayState, streams: Stream[]): string[] {
  return streams.map((s) => {
    const env = state.environmentByName(s.environment);
    const d = state.servingDeployment(env.id, state.serviceByName(s.service, env.projectId).id);
    if (!d) throw new Error(`${s.service} in ${s.environment} serves no deployment`);
    return d.id;
  });
}

export interface LogLoad {
  /** Lines the services wrote so far (Railway's limit may have dropped a few of them). */
  written(): number;
  stop(): void;
}

/** Each deployment writes Railway's per-replica maximum, 500 lines/s, what is due every 10 ms. */
export function startLogLoad(sims: Simulators, deploymentIds: string[]): LogLoad {
  const emitters: Emitter[] = deploymentIds.map((id) =>
    sims.railway.logs.startEmitter(id, railwayLogLinesPerSecond, { message, severity }),
  );
  return {
    written: () => emitters.reduce((n, e) => n + e.emitted, 0),
    stop: () => emitters.forEach((e) => e.stop()),
  };
}

/**
 * The files VS Code keeps each extension Output channel's text in (the extension host writes them
 * under the server's logs folder, one per channel, named after it), in the order of `channels`:
 * lines there have reached the channel, which is what the Output view shows.
 */
export function channelFiles(stateDir: string, channels: string[]): string[] {
  const all = (fs.readdirSync(stateDir, { recursive: true }) as string[]).map((f) =>
    path.join(stateDir, f),
  );
  return channels.map((channel) => {
    const file = all.find((f) => channelOfFile(f) === alnum(channel));
    if (!file)
      throw new Error(
        `no Output channel file for "${channel}" under ${stateDir}:\n${all.filter((f) => f.endsWith('.log')).join('\n')}`,
      );
    return file;
  });
}

const alnum = (s: string): string => s.replace(/[^A-Za-z0-9]/g, '');

/** `…/output_logging_<time>/<n>-<channel name, less characters a file name cannot hold>.log`. */
function channelOfFile(file: string): string | undefined {
  if (!path.basename(path.dirname(file)).startsWith('output_logging_')) return undefined;
  const name = /^\d+-(.*)\.log$/.exec(path.basename(file))?.[1];
  return name === undefined ? undefined : alnum(name);
}

/** Newlines in a file so far: the lines a channel has been given. */
export function lineCount(file: string): number {
  const data = fs.readFileSync(file);
  let n = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
  return n;
}
