// Runs `git http-backend` as a CGI for one HTTP request: request body in, CGI headers parsed, response body streamed out.
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { sealedEnv } from './gitRun';

export interface BackendRequest {
  projectRoot: string;
  /** `/<owner>/<name>.git/<service path>`, already checked against the repositories on disk. */
  pathInfo: string;
  remoteUser: string;
  /** Added to http-backend's environment, which receive-pack and its hooks inherit. */
  env?: NodeJS.ProcessEnv;
}

export interface BackendOutcome {
  status: number;
  /** What http-backend printed on stderr (its reasons for a 403/404, or receive-pack's complaints). */
  stderr: string;
}

/** CGI/1.1 meta-variables, plus every request header as HTTP_*, which is how http-backend learns
 * `Content-Encoding: gzip` (it inflates the body itself) and `Git-Protocol: version=2`. */
function cgiEnv(req: IncomingMessage, backend: BackendRequest): NodeJS.ProcessEnv {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const env: NodeJS.ProcessEnv = {
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    SERVER_SOFTWARE: 'railyard-git-sim',
    GIT_PROJECT_ROOT: backend.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: backend.pathInfo,
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REMOTE_USER: backend.remoteUser,
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    ...backend.env,
  };
  const type = req.headers['content-type'];
  if (type !== undefined) env.CONTENT_TYPE = type;
  // Without a length (git sends large pushes chunked) http-backend reads the body to EOF.
  const length = req.headers['content-length'];
  if (length !== undefined) env.CONTENT_LENGTH = length;
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization' || value === undefined) continue;
    env[`HTTP_${name.toUpperCase().replace(/-/g, '_')}`] = Array.isArray(value)
      ? value.join(', ')
      : value;
  }
  return env;
}

/** Splits a CGI header block into a status code and response headers. */
function parseCgiHeaders(block: string): { status: number; headers: Map<string, string> } {
  const headers = new Map<string, string>();
  let status = 200;
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.set(name, value);
  }
  return { status, headers };
}

/** Finds the blank line that ends the CGI headers; returns the header text and the body bytes after it. */
function splitHeaderBlock(buffered: Buffer): { block: string; rest: Buffer } | null {
  for (const sep of ['\r\n\r\n', '\n\n']) {
    const at = buffered.indexOf(sep);
    if (at >= 0) {
      return {
        block: buffered.subarray(0, at).toString('latin1'),
        rest: buffered.subarray(at + sep.length),
      };
    }
  }
  return null;
}

/** Writes with backpressure; gives up quietly when the client has gone. */
async function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  if (res.destroyed || res.write(chunk)) return;
  // The wait that loses the race is aborted: left waiting, each one would keep its listeners on
  // the response until it closes (a clone waits thousands of times).
  const lost = new AbortController();
  const { signal } = lost;
  const waits = [once(res, 'drain', { signal }), once(res, 'close', { signal })];
  await Promise.race(waits);
  lost.abort();
  await Promise.allSettled(waits);
}

/** Streams http-backend's stdout into the response; returns the status it asked for. */
async function relay(stdout: Readable, res: ServerResponse): Promise<number> {
  let buffered = Buffer.alloc(0);
  let status: number | null = null;
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    if (status !== null) {
      await write(res, chunk);
      continue;
    }
    buffered = Buffer.concat([buffered, chunk]);
    const split = splitHeaderBlock(buffered);
    if (split === null) continue;
    const parsed = parseCgiHeaders(split.block);
    status = parsed.status;
    res.writeHead(status, Object.fromEntries(parsed.headers));
    if (split.rest.length > 0) await write(res, split.rest);
  }
  return status ?? 502;
}

/**
 * Answers one smart-HTTP request through http-backend. The response is left open (not ended) so the
 * caller can finish bookkeeping, such as announcing a push, before git sees the request complete.
 */
export async function runHttpBackend(
  req: IncomingMessage,
  res: ServerResponse,
  backend: BackendRequest,
): Promise<BackendOutcome> {
  const child = spawn('git', ['http-backend'], {
    env: sealedEnv(cgiEnv(req, backend)),
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group: `git http-backend` runs git-http-backend, which runs upload-pack or
    // receive-pack, and a hang-up must stop them all (they hold the pipes this waits on).
    detached: true,
  });
  const exited = once(child, 'close');
  // Observed here so a spawn failure is not reported as unhandled while the relay still runs.
  exited.catch(() => undefined);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  // http-backend may answer (403/404) without reading the body; the broken pipe is expected then.
  child.stdin.on('error', () => undefined);
  req.pipe(child.stdin);
  // A client that hangs up (or a server closing) would leave http-backend waiting for the rest of a body.
  const hangUp = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone, the whole group.
    }
  };
  res.once('close', hangUp);
  // Gone already (the server closed its connections while the caller awaited a lock or a look at
  // the disk): 'close' came and went, and http-backend would wait for a body that never ends.
  if (req.socket.destroyed) hangUp();
  const status = await relay(child.stdout, res);
  await exited;
  res.off('close', hangUp);
  if (status === 502 && !res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
  return { status, stderr };
}
