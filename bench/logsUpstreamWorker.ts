// The logs bench's fast Railway, on its own thread: a real graphql-transport-ws endpoint (Railway's
// auth on the upgrade, connection_init/ack, subscribe/next/complete) that serves DeploymentLogs of
// the deployments it is told about from pre-encoded frames (no graphql-js, no JSON.stringify), so
// the daemon behind it, not the upstream, is what limits the pipeline. Everything else (HTTP queries,
// other subscriptions, other deployments' logs) is relayed to the Railway simulator unchanged.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket, { WebSocketServer } from 'ws';

export interface UpstreamWorkerData {
  /** The simulator's HTTP GraphQL URL (its ws endpoint is the same path). */
  simUrl: string;
  /** Deployments whose deploy logs this thread serves itself, with the service for the tags. */
  fast: { deploymentId: string; serviceId: string }[];
}

/** Main thread → worker. */
export type UpstreamCommand =
  { type: 'emit'; deploymentId: string; count: number } | { type: 'close' };

/** Worker → main thread. */
export type UpstreamEvent =
  | { type: 'listening'; port: number }
  | { type: 'subscriptions'; deploymentId: string; open: number };

const PROTOCOL = 'graphql-transport-ws';
/** Most lines in one `next` event, as the simulator (and Railway) send. */
const MAX_LIST = 5000;

const data = workerData as UpstreamWorkerData;
const sim = new URL(data.simUrl);
const serviceOf = new Map(data.fast.map((f) => [f.deploymentId, f.serviceId]));

interface Subscriber {
  ws: WebSocket;
  /** `{"id":"<id>","type":"next","payload":{"data":{"<field>":[` */
  head: string;
}

const subscribers = new Map<string, Set<Subscriber>>();
const seqs = new Map<string, number>();
const post = (e: UpstreamEvent) => parentPort?.postMessage(e);

// ---- timestamps: RFC 3339 with nanoseconds, never going backwards (as the simulator's NanoClock)
let clockMs = -1;
let clockSub = 0;
let clockPrefix = '';
function timestamp(): string {
  const now = Date.now();
  if (now > clockMs) {
    clockMs = now;
    clockSub = 0;
    clockPrefix = new Date(now).toISOString().slice(0, -1);
  } else if (++clockSub > 999_999) {
    clockMs += 1;
    clockSub = 0;
    clockPrefix = new Date(clockMs).toISOString().slice(0, -1);
  }
  return `${clockPrefix}${String(clockSub).padStart(6, '0')}Z`;
}

/** Fixed widths, so that a line is a template with its fields written in place. */
const SEQ_DIGITS = 10;
const NS_DIGITS = 20;

/**
 * One line as the JSON the daemon's LogFields selection gets from Railway: timestamp, message,
 * severity, attributes (level, seq, emitNs; values JSON-encoded), tags (deploymentId, serviceId),
 * with the offsets of the fields that change from line to line.
 */
function lineTemplate(deploymentId: string, emitNs: string) {
  const tags = JSON.stringify({ deploymentId, serviceId: serviceOf.get(deploymentId) ?? null });
  const seq = '0'.repeat(SEQ_DIGITS);
  const ts = '0'.repeat(30);
  const parts = [
    '{"timestamp":"',
    ts,
    '","message":"line ',
    seq,
    '","severity":"info","attributes":[{"key":"level","value":"\\"info\\""},{"key":"seq","value":"',
    seq,
    `"},{"key":"emitNs","value":${JSON.stringify(JSON.stringify(emitNs))}}],"tags":${tags}}`,
  ];
  const at = (k: number) => parts.slice(0, k).join('').length;
  return { bytes: Buffer.from(parts.join('')), ts: at(1), seqs: [at(3), at(5)] };
}

function writeDigits(buf: Buffer, at: number, n: number, width: number): void {
  for (let i = at + width - 1; i >= at; i--, n = Math.floor(n / 10)) buf[i] = 48 + (n % 10);
}

/**
 * `count` lines in lists of at most MAX_LIST (comma-separated, no brackets), each a copy of the
 * template with its timestamp and seq written in: no JSON.stringify and no string building per line.
 */
function encodeLines(deploymentId: string, count: number): Buffer[] {
  const from = seqs.get(deploymentId) ?? 0;
  seqs.set(deploymentId, from + count);
  const t = lineTemplate(deploymentId, String(process.hrtime.bigint()).padStart(NS_DIGITS, '0'));
  const size = t.bytes.length + 1;
  const lists: Buffer[] = [];
  for (let start = 0; start < count; start += MAX_LIST) {
    const n = Math.min(MAX_LIST, count - start);
    const list = Buffer.allocUnsafe(n * size - 1);
    for (let i = 0; i < n; i++) {
      const at = i * size;
      t.bytes.copy(list, at);
      if (i < n - 1) list[at + size - 1] = 0x2c; // ','
      list.write(timestamp(), at + t.ts, 'latin1');
      const seq = from + start + i + 1;
      for (const s of t.seqs) writeDigits(list, at + s, seq, SEQ_DIGITS);
    }
    lists.push(list);
  }
  return lists;
}

const FRAME_END = Buffer.from(']}}}');

function emit(deploymentId: string, count: number): void {
  const subs = subscribers.get(deploymentId);
  const lists = encodeLines(deploymentId, count);
  if (!subs) return;
  for (const s of subs)
    for (const list of lists)
      s.ws.send(Buffer.concat([Buffer.from(s.head), list, FRAME_END]), { binary: false });
}

function setOpen(deploymentId: string, sub: Subscriber, open: boolean): void {
  let subs = subscribers.get(deploymentId);
  if (!subs) subscribers.set(deploymentId, (subs = new Set()));
  if (open === subs.has(sub)) return;
  if (open) subs.add(sub);
  else subs.delete(sub);
  post({ type: 'subscriptions', deploymentId, open: subs.size });
}

interface SubscribeMessage {
  id: string;
  type: 'subscribe';
  payload: { query: string; variables?: Record<string, unknown> | null };
}

/** A DeploymentLogs subscription of a fast deployment, with limit 0 or any backlog (served empty). */
function fastDeployment(m: SubscribeMessage): string | undefined {
  const id = m.payload.variables?.deploymentId;
  const isDeploymentLogs = /^\s*subscription\b[^{]*\{\s*deploymentLogs\s*\(/.test(m.payload.query);
  return isDeploymentLogs && typeof id === 'string' && serviceOf.has(id) ? id : undefined;
}

/**
 * One daemon socket. Opened toward the simulator first (so its auth decides the upgrade); relayed
 * frame for frame until a subscribe for a fast deployment arrives, which this thread then serves.
 */
function connection(down: WebSocket, up: WebSocket): void {
  let served: { sub: Subscriber; deploymentId: string; id: string } | undefined;
  const endUp = () => up.readyState === WebSocket.OPEN && up.close(1000, 'served locally');
  up.on('message', (raw: Buffer, isBinary) => {
    if (!served && down.readyState === WebSocket.OPEN) down.send(raw, { binary: isBinary });
  });
  up.on('close', (code, reason) => {
    if (served || down.readyState !== WebSocket.OPEN) return;
    if (code === 1005 || code === 1006) down.terminate();
    else down.close(code, reason);
  });
  up.on('error', () => undefined);
  down.on('message', (raw: Buffer, isBinary) => {
    if (served) return onServedMessage(raw);
    const text = raw.toString('utf8');
    const m = parse(text);
    const deploymentId =
      m?.type === 'subscribe' ? fastDeployment(m as SubscribeMessage) : undefined;
    if (!deploymentId || !m)
      return void (up.readyState === WebSocket.OPEN && up.send(raw, { binary: isBinary }));
    const id = String(m.id);
    const head = `{"id":${JSON.stringify(id)},"type":"next","payload":{"data":{"deploymentLogs":[`;
    served = { sub: { ws: down, head }, deploymentId, id };
    endUp();
    down.send(`${head}]}}}`); // the backlog: this deployment has none
    setOpen(deploymentId, served.sub, true);
  });
  const onServedMessage = (raw: Buffer) => {
    const m = parse(raw.toString('utf8'));
    if (!served) return;
    if (m?.type === 'complete' && m.id === served.id)
      setOpen(served.deploymentId, served.sub, false);
    else if (m?.type === 'ping') down.send('{"type":"pong"}');
  };
  down.on('close', () => {
    if (served) setOpen(served.deploymentId, served.sub, false);
    if (up.readyState === WebSocket.OPEN || up.readyState === WebSocket.CONNECTING) up.terminate();
  });
  down.on('error', () => undefined);
}

function parse(text: string): { type?: string; id?: unknown } | undefined {
  try {
    return JSON.parse(text) as { type?: string; id?: unknown };
  } catch {
    return undefined;
  }
}

const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });

/** Opens the simulator side with the daemon's headers; a refused upgrade is answered the same way. */
function upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'project-access-token', 'user-agent'])
    if (typeof req.headers[name] === 'string') headers[name] = req.headers[name];
  const up = new WebSocket(`ws://${sim.host}${sim.pathname}`, PROTOCOL, {
    headers,
    maxPayload: 64 * 1024 * 1024,
  });
  up.once('unexpected-response', (_r, res) => {
    let body = '';
    res.on('data', (d: Buffer) => (body += String(d)));
    res.on('end', () =>
      socket.end(
        `HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      ),
    );
  });
  up.once('error', () => socket.destroy());
  up.once('open', () =>
    wss.handleUpgrade(req, socket, head, (down) => {
      down.binaryType = 'nodebuffer';
      connection(down, up);
    }),
  );
}

/** Plain HTTP (queries and mutations) goes to the simulator as it came. */
function relayHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
  const out = http.request(
    { host: sim.hostname, port: sim.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', () => res.destroy());
  req.pipe(out);
}

const server = http.createServer(relayHttp);
server.on('upgrade', upgrade);
server.listen(0, '127.0.0.1', () => {
  post({ type: 'listening', port: (server.address() as AddressInfo).port });
});

parentPort?.on('message', (c: UpstreamCommand) => {
  if (c.type === 'emit') emit(c.deploymentId, c.count);
  else {
    for (const ws of wss.clients) ws.terminate();
    server.closeAllConnections();
    server.close();
  }
});
