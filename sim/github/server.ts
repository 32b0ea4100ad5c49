// Starts the GitHub REST simulator on loopback: token auth, rate-limit headers, faults, then the route table.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimClock } from '../clock';
import { Faults, type SimFault } from '../faults';
import type { SimTimings } from '../timings';
import { Traffic, type RateDecision, type RequestFilter } from '../traffic';
import type { CiMode, CiStore } from './ci';
import { githubError, matchRoute, type GithubResponse } from './routes';
import {
  defaultGithubTokens,
  GithubState,
  type GithubRepoSource,
  type GithubTokenSpec,
} from './state';

export interface GithubSimOptions {
  port?: number;
  tokens?: GithubTokenSpec[];
  /** The repositories the repo routes answer from; none when omitted. */
  repos?: GithubRepoSource;
  /** GitHub allows 5,000 requests an hour per user token. */
  rateLimitPerHour?: number;
  /** The simulators' shared clock (CI runs on it); a new one when omitted. */
  clock?: SimClock;
  /** How long a check run stays queued, then runs; the default timings when omitted. */
  timings?: Pick<SimTimings, 'ciQueuedMs' | 'ciRunMs'>;
  /** How every push's CI ends unless `ci.setMode` says otherwise; `pass` when omitted. */
  ci?: CiMode;
}

export interface GithubSim {
  url: string;
  clock: SimClock;
  state: GithubState;
  /** GitHub Actions' check suites (the same as `state.ci`). */
  ci: CiStore;
  faults: Faults;
  tokens: GithubTokenSpec[];
  /** All requests, those to one `METHOD /route/pattern` (a string), or those of one token. */
  requestCount(filter?: string | RequestFilter): number;
  close(): Promise<void>;
}

interface Runtime {
  state: GithubState;
  traffic: Traffic;
  faults: Faults;
  wait(ms: number): Promise<void>;
}

export async function startGithubSim(options: GithubSimOptions = {}): Promise<GithubSim> {
  const clock = options.clock ?? new SimClock();
  const now = () => clock.now();
  const tokens = options.tokens ?? defaultGithubTokens;
  const timers = new Set<NodeJS.Timeout>();
  const rt: Runtime = {
    state: new GithubState(tokens, options.repos ?? null, {
      clock,
      timings: options.timings,
      mode: options.ci,
    }),
    traffic: new Traffic(options.rateLimitPerHour ?? 5000, () => now().getTime()),
    faults: new Faults(),
    wait: (ms) => new Promise((resolve) => timers.add(setTimeout(resolve, ms))),
  };
  const server = http.createServer((req, res) => {
    handle(rt, req)
      .then((answer) => reply(res, answer, now()))
      .catch(() => reply(res, githubError(500, 'Server Error'), now()));
  });
  const port = await listen(server, options.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    clock,
    state: rt.state,
    ci: rt.state.ci,
    faults: rt.faults,
    tokens,
    requestCount: (filter) => rt.traffic.count(filter),
    close: () => {
      for (const t of timers) clearTimeout(t);
      rt.faults.releaseHolds();
      server.closeAllConnections();
      closing ??= new Promise((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
}

async function handle(rt: Runtime, req: http.IncomingMessage): Promise<GithubResponse> {
  const body = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://x');
  const method = req.method ?? 'GET';
  const match = matchRoute(method, url.pathname);
  const token = tokenFrom(req.headers.authorization);
  const routeKey = match ? `${method} ${match.route.pattern}` : `${method} ${url.pathname}`;
  const decision = rt.traffic.hit(token ?? 'anonymous', routeKey);
  const rate = rateHeaders(decision);
  if (!decision.allowed) return withHeaders(githubError(403, 'API rate limit exceeded.'), rate);
  const held = rt.faults.heldFor(routeKey);
  if (held) await held;
  const fault = rt.faults.takeHttp(routeKey);
  if (fault?.delayMs) await rt.wait(fault.delayMs);
  if (fault?.status) return withHeaders(faultAnswer(fault), rate);
  const credential = token === undefined ? undefined : rt.state.credential(token);
  if (!credential)
    return withHeaders(
      githubError(401, token ? 'Bad credentials' : 'Requires authentication'),
      rate,
    );
  if (!match) return withHeaders(githubError(404, 'Not Found'), rate);
  const answer = await match.route.handle({
    method,
    path: url.pathname,
    params: match.params,
    query: url.searchParams,
    body,
    credential,
    state: rt.state,
  });
  if (method !== 'GET' || answer.status !== 200) return withHeaders(answer, rate);
  return withHeaders(conditional(rt, req, token ?? 'anonymous', routeKey, answer), rate);
}

/**
 * GitHub's conditional requests: every 200 to a GET carries an ETag of its body, and a request
 * whose If-None-Match still matches is answered 304 with no body, which does not count against the
 * primary rate limit: the cheap way to poll a pull request or a deployment.
 */
function conditional(
  rt: Runtime,
  req: http.IncomingMessage,
  token: string,
  routeKey: string,
  answer: GithubResponse,
): GithubResponse {
  const hash = crypto.createHash('sha1').update(JSON.stringify(answer.body ?? null));
  const etag = `W/"${hash.digest('hex')}"`;
  const headers = { ...answer.headers, ETag: etag };
  const asked = req.headers['if-none-match'];
  if (asked === undefined || !asked.split(',').some((t) => t.trim() === etag))
    return { ...answer, headers };
  rt.traffic.forgive(token, routeKey);
  return { status: 304, body: undefined, headers };
}

const secondaryLimitDocs =
  'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';

/**
 * An injected failure in GitHub's words: a 429 (or a 403 with Retry-After) is its secondary rate
 * limit, a 5xx its bare "Server Error"; Retry-After is sent when the fault sets one.
 */
function faultAnswer(fault: SimFault): GithubResponse {
  const status = fault.status ?? 500;
  const retry: Record<string, string> =
    fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
  const secondary = status === 429 || (status === 403 && fault.retryAfter !== undefined);
  if (secondary) {
    const message =
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
    return { status, headers: retry, body: { message, documentation_url: secondaryLimitDocs } };
  }
  const message = status >= 500 ? 'Server Error' : 'Simulated upstream failure';
  return { ...githubError(status, message), headers: retry };
}

/** GitHub takes both `Bearer <t>` and the older `token <t>`. */
function tokenFrom(header: string | undefined): string | undefined {
  return header === undefined ? undefined : /^(?:Bearer|token)\s+(\S+)$/i.exec(header)?.[1];
}

function rateHeaders(d: RateDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(d.limit),
    'X-RateLimit-Remaining': String(d.remaining),
    'X-RateLimit-Reset': String(d.resetEpochSeconds),
    'X-RateLimit-Used': String(d.limit - d.remaining),
    'X-RateLimit-Resource': 'core',
  };
}

function withHeaders(answer: GithubResponse, headers: Record<string, string>): GithubResponse {
  return { ...answer, headers: { ...headers, ...answer.headers } };
}

/** GitHub's Date header is its own clock: the simulators' clock here, so staleness runs on it. */
function reply(res: http.ServerResponse, answer: GithubResponse, now: Date): void {
  if (res.destroyed || res.writableEnded) return;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Date', now.toUTCString());
  res.statusCode = answer.status;
  if (answer.status === 304) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
