// Starts the Railway simulator: GraphQL over HTTP and graphql-ws on one loopback port, path /graphql/v2, plus the services' domains by Host.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { buildSchema } from 'graphql';
import { defaultTokensFor, resolveViewers, type SimTokenSpec, type Viewer } from './access';
import { appHostOf, handleAppRequest } from './appDomains';
import { SimClock } from '../clock';
import { Faults } from '../faults';
import type { SimPlan, SimTimings } from '../timings';
import { createState, type FixtureName, type KarsHistory } from './fixtures';
import { handleGraphqlPost, send, type SimRuntime } from './httpGraphql';
import { LogGenerator } from './logGenerator';
import { rateLimitsByToken, type PlanOptions } from './plans';
import { railwaySimSdl } from './schema';
import type { RailwayState } from './state';
import {
  simOrWallClock,
  Traffic,
  type RateHeaderWindow,
  type RequestFilter,
  type WindowKind,
} from '../traffic';
import { createWsEndpoint, type WsEndpoint } from './wsGraphql';

export const railwayPath = '/graphql/v2';

/**
 * Rate limits: each token gets its plan's hourly budget and per-second limit (Hobby unless a token
 * spec, `workspacePlans` or `plan` says otherwise); `rateLimitPerHour` / `rateLimitPerSecond`
 * override every plan's.
 */
export interface RailwaySimOptions extends PlanOptions {
  port?: number;
  fixture?: FixtureName;
  /** The commits the kars fixture's deployments were built from; the seeded repository's by default. */
  history?: KarsHistory;
  tokens?: SimTokenSpec[];
  /** How the rate windows count (Railway does not say): `fixed` (default) or `sliding`. */
  rateWindows?: WindowKind;
  /** Which window the X-RateLimit-* headers describe: `hour` (default) or `tightest`. */
  rateHeaders?: RateHeaderWindow;
  /**
   * The clock the rate windows run on: by default the SimClock, and the wall clock while it stands
   * still (a real-time daemon against a paused world); tests of the windows pass the SimClock alone.
   */
  rateClock?: () => number;
  /** The simulators' shared clock; a new one (standing still until advanced) when omitted. */
  clock?: SimClock;
  timings?: SimTimings;
}

export interface RailwaySim {
  url: string;
  wsUrl: string;
  /** Where the services' domains answer: send the domain as the Host header (RAILYARD_RESOLVE's target). */
  appUrl: string;
  state: RailwayState;
  /** Makes deployments log in bulk or at a steady rate, numbered lines for loss and latency checks. */
  logs: LogGenerator;
  faults: Faults;
  tokens: SimTokenSpec[];
  requestCount(filter?: string | RequestFilter): number;
  /** Requests to the services' domains (health checks), all or for one domain; they are not API traffic. */
  appRequestCount(domain?: string): number;
  close(): Promise<void>;
}

export async function startRailwaySim(options: RailwaySimOptions = {}): Promise<RailwaySim> {
  const clock = options.clock ?? new SimClock();
  const state = createState(options.fixture ?? 'kars', clock, options.history, options.timings);
  const tokens = options.tokens ?? defaultTokensFor(state);
  const viewers = resolveViewers(state, tokens);
  const waits = new Set<() => void>();
  let closed = false;
  const rt: SimRuntime = {
    schema: buildSchema(railwaySimSdl),
    state,
    viewers,
    traffic: createTraffic(state, viewers, tokens, clock, options),
    faults: new Faults(() => ws.dropAll()),
    wait: (ms) => wait(waits, ms),
    isClosed: () => closed,
  };
  const ws = createWsEndpoint(rt);
  const appHosts: string[] = [];
  const server = createHttpServer(rt, ws, appHosts);
  const port = await listen(server, options.port ?? 0);
  let closing: Promise<void> | undefined;
  const close = () => {
    closed = true;
    for (const release of waits) release();
    rt.faults.releaseHolds();
    closing ??= ws.close().then(() => closeServer(server));
    return closing;
  };
  return {
    url: `http://127.0.0.1:${port}${railwayPath}`,
    wsUrl: `ws://127.0.0.1:${port}${railwayPath}`,
    appUrl: `http://127.0.0.1:${port}`,
    state,
    logs: new LogGenerator(state),
    faults: rt.faults,
    tokens,
    requestCount: (filter) => rt.traffic.count(filter),
    appRequestCount: (domain) =>
      appHosts.filter((h) => domain === undefined || h === domain).length,
    close,
  };
}

function createTraffic(
  state: RailwayState,
  viewers: Map<string, Viewer>,
  tokens: SimTokenSpec[],
  clock: SimClock,
  options: RailwaySimOptions,
): Traffic {
  const tokenPlans = new Map<string, SimPlan>();
  for (const spec of tokens) if (spec.plan) tokenPlans.set(spec.token, spec.plan);
  return new Traffic(
    rateLimitsByToken(state, viewers, tokenPlans, options),
    options.rateClock ?? simOrWallClock(() => clock.nowMs()),
    { windows: options.rateWindows, headers: options.rateHeaders },
  );
}

/** One port: the services' domains by Host; else one path, POST for queries and mutations, the upgrade for graphql-transport-ws. */
function createHttpServer(rt: SimRuntime, ws: WsEndpoint, appHosts: string[]): http.Server {
  const server = http.createServer((req, res) => {
    const appHost = appHostOf(rt.state, req);
    if (appHost !== null) {
      appHosts.push(appHost);
      return void handleAppRequest(rt, req, res, appHost).catch(() => res.destroy());
    }
    if (pathOf(req) !== railwayPath) return send(res, 404, { error: 'Not Found' });
    if (req.method !== 'POST') return send(res, 405, { error: 'Method Not Allowed' });
    handleGraphqlPost(rt, req, res).catch(() =>
      send(res, 500, { errors: [{ message: 'Internal Server Error' }] }),
    );
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (pathOf(req) !== railwayPath) return socket.destroy();
    ws.handleUpgrade(req, socket, head);
  });
  return server;
}

function pathOf(req: http.IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
}

function wait(waits: Set<() => void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const release = () => {
      clearTimeout(timer);
      waits.delete(release);
      resolve();
    };
    const timer = setTimeout(release, ms);
    waits.add(release);
  });
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
