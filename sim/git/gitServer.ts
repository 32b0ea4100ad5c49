// A git server for tests and the demo: bare repositories served over smart HTTP by `git http-backend`, token-checked like GitHub.
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { identityEnv, runGit } from './gitRun';
import { runHttpBackend } from './httpBackend';
import { authenticate } from './httpAuth';
import {
  answerGuard,
  GUARD_PATH,
  GuardCallbacks,
  receiveGuardEnv,
  type PushGuard,
} from './receiveGuard';
import type { TokenScopes } from './workflowScope';
import { branchHeads } from './pushEvents';
import { announce, eventsSince, updateBranch, withLock, type PushListener } from './branchMoves';

export type { PushEvent } from './pushEvents';
export type { GuardedPush, PushGuard } from './receiveGuard';

export interface GitServerOptions {
  /** Where the bare repositories live; a temporary directory (removed on close) when omitted. */
  root?: string;
  port?: number;
  /** Tokens accepted as Basic password (any username), Basic username, or Bearer. */
  tokens: string[];
  /**
   * GitHub's OAuth scopes per token (null: fine-grained). A token listed without `workflow` cannot
   * push changes to `.github/workflows/`, and git hears GitHub's refusal; unlisted tokens can.
   */
  tokenScopes?: TokenScopes;
}

export interface CreateRepoOptions {
  defaultBranch?: string;
  /** Writes the first commit's files into an empty work tree; the server commits and stores them. */
  seed?: (workdir: string) => void | Promise<void>;
}

/** One HTTP request as the server saw it. */
export interface GitRequestRecord {
  method: string;
  path: string;
  service: 'git-upload-pack' | 'git-receive-pack' | null;
  status: number;
  /** The request body arrived gzip-encoded (git compresses large fetch negotiations). */
  gzip: boolean;
}

export type { PushListener } from './branchMoves';

export interface GitServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  root: string;
  tokens: readonly string[];
  repoUrl(owner: string, name: string): string;
  /** The bare repository's directory, for repoQueries. */
  repoPath(owner: string, name: string): string;
  createRepo(
    owner: string,
    name: string,
    options?: CreateRepoOptions,
  ): Promise<{ path: string; url: string }>;
  onPush(listener: PushListener): () => void;
  /** GitHub's branch protection for direct pushes (the GitHub simulator's rules); null lifts it. */
  setPushGuard(guard: PushGuard | null): void;
  /** Accepts one more token (a teammate's), with its GitHub scopes (null: fine-grained). */
  addToken(token: string, scopes: readonly string[] | null): void;
  /**
   * Moves a branch as GitHub itself does (the merge button): no hooks, no protection, under the
   * same per-repository lock as pushes, and announced to onPush listeners exactly like a push.
   * False, and nothing moved, when the branch is no longer at `expectedOldSha`.
   */
  updateBranch(
    owner: string,
    name: string,
    branch: string,
    newSha: string,
    expectedOldSha: string,
  ): Promise<boolean>;
  branchHead(owner: string, name: string, branch: string): Promise<string | null>;
  /** All requests, or those answered with one status code. */
  requestCount(status?: number): number;
  requests(): readonly GitRequestRecord[];
  /** Safe to call twice. */
  close(): Promise<void>;
}

interface Target {
  owner: string;
  repo: string;
  /** The bare repository on disk. */
  dir: string;
  /** PATH_INFO for http-backend. */
  pathInfo: string;
  service: GitRequestRecord['service'];
}

interface Runtime {
  root: string;
  /** The server's own URL, for the hook's callbacks; set once listening. */
  url: string;
  guard: PushGuard | null;
  callbacks: GuardCallbacks;
  tokens: Set<string>;
  scopes: Map<string, readonly string[] | null>;
  listeners: Set<PushListener>;
  locks: Map<string, Promise<unknown>>;
  log: GitRequestRecord[];
}

const NAME = /^[A-Za-z0-9_.-]+$/;
const SMART_PATH =
  /^\/([^/]+)\/([^/]+?)(?:\.git)?(\/info\/refs|\/git-upload-pack|\/git-receive-pack)$/;
/** The date of commits the server makes itself, so seeded repositories have the same shas every run. */
const SEED_DATE = '2025-01-06T09:00:00+00:00';

function validName(name: string): boolean {
  return NAME.test(name) && name !== '.' && name !== '..';
}

function repoDir(root: string, owner: string, name: string): string {
  if (!validName(owner) || !validName(name))
    throw new Error(`invalid repository name ${owner}/${name}`);
  return path.join(root, owner, `${name}.git`);
}

/** Maps a URL to a repository and a smart-HTTP service; GitHub accepts the path with or without `.git`. */
function targetOf(root: string, url: URL, method: string): Target | null {
  const m = SMART_PATH.exec(url.pathname);
  if (!m) return null;
  const [, owner = '', repo = '', tail = ''] = m;
  if (!validName(owner) || !validName(repo)) return null;
  const wanted = tail === '/info/refs' ? url.searchParams.get('service') : tail.slice(1);
  if (wanted !== 'git-upload-pack' && wanted !== 'git-receive-pack') return null;
  if ((tail === '/info/refs') !== (method === 'GET')) return null;
  const dir = repoDir(root, owner, repo);
  return { owner, repo, dir, pathInfo: `/${owner}/${repo}.git${tail}`, service: wanted };
}

async function exists(dir: string): Promise<boolean> {
  return fs.stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

function plain(
  res: http.ServerResponse,
  status: number,
  text: string,
  headers: http.OutgoingHttpHeaders = {},
) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${text}\n`);
}

/** A receive-pack POST: snapshot the branches, let git update them, announce what moved, then finish the response. */
async function receivePack(
  rt: Runtime,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  t: Target,
  auth: { user: string; token: string },
) {
  const callback = rt.callbacks.issue(t.owner, t.repo);
  const env = receiveGuardEnv({
    scopes: rt.scopes,
    token: auth.token,
    protectedBranches: rt.guard?.protectedBranches(t.owner, t.repo) ?? [],
    callbackUrl: `${rt.url}${callback.path}`,
  });
  try {
    const { outcome, events } = await withLock(rt, t.dir, async () => {
      const before = await branchHeads(t.dir);
      const outcome = await runHttpBackend(req, res, {
        projectRoot: rt.root,
        pathInfo: t.pathInfo,
        remoteUser: auth.user,
        env,
      });
      return { outcome, events: await eventsSince(t, before) };
    });
    await announce(rt, events);
    return outcome.status;
  } finally {
    callback.done();
  }
}

async function serve(
  rt: Runtime,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<number> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname.startsWith(GUARD_PATH)) {
    await answerGuard(req, res, rt.callbacks, rt.guard);
    return res.statusCode;
  }
  const auth = authenticate(req.headers.authorization, rt.tokens);
  if (auth.kind !== 'ok') {
    // GitHub's realm; the header is what makes git ask its askpass helper or credential helpers.
    plain(res, 401, 'Authentication required', { 'www-authenticate': 'Basic realm="git"' });
    return 401;
  }
  const target = targetOf(rt.root, url, req.method ?? 'GET');
  if (target === null) {
    plain(res, 404, 'Not found: this server speaks smart HTTP only');
    return 404;
  }
  if (!(await exists(target.dir))) {
    plain(res, 404, 'Repository not found.');
    return 404;
  }
  if (target.service === 'git-receive-pack' && req.method === 'POST') {
    return receivePack(rt, req, res, target, auth);
  }
  const outcome = await runHttpBackend(req, res, {
    projectRoot: rt.root,
    pathInfo: target.pathInfo,
    remoteUser: auth.user,
  });
  return outcome.status;
}

/** Git's requests only: the hook's callbacks are the server talking to itself. */
function record(rt: Runtime, req: http.IncomingMessage, status: number): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname.startsWith(GUARD_PATH)) return;
  const service = url.searchParams.get('service') ?? url.pathname.split('/').pop() ?? '';
  rt.log.push({
    method: req.method ?? 'GET',
    path: url.pathname,
    service: service === 'git-upload-pack' || service === 'git-receive-pack' ? service : null,
    status,
    gzip: /gzip/i.test(req.headers['content-encoding'] ?? ''),
  });
}

function handler(rt: Runtime, inFlight: Set<Promise<void>>): http.RequestListener {
  return (req, res) => {
    const done = serve(rt, req, res)
      .catch((error: unknown) => {
        if (!res.headersSent) plain(res, 500, `git server error: ${String(error)}`);
        return 500;
      })
      .then((status) => {
        record(rt, req, status);
        res.end();
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
}

async function createBareRepo(
  rt: Runtime,
  owner: string,
  name: string,
  options: CreateRepoOptions,
) {
  const dir = repoDir(rt.root, owner, name);
  if (await exists(dir)) throw new Error(`repository ${owner}/${name} already exists`);
  const branch = options.defaultBranch ?? 'main';
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await runGit(['init', '--quiet', '--bare', `--initial-branch=${branch}`, dir]);
  await runGit(['config', 'http.receivepack', 'true'], { cwd: dir });
  if (options.seed) await seedFirstCommit(dir, branch, options.seed);
  return dir;
}

/** Lets the caller write files into a fresh work tree, commits them at a fixed date, and stores the commit. */
async function seedFirstCommit(
  dir: string,
  branch: string,
  seed: NonNullable<CreateRepoOptions['seed']>,
) {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-git-seed-'));
  try {
    await runGit(['init', '--quiet', `--initial-branch=${branch}`], { cwd: work });
    await seed(work);
    await runGit(['add', '--all'], { cwd: work });
    const who = { name: 'Railyard Sim', email: 'sim@railyard.invalid', date: SEED_DATE };
    await runGit(['commit', '--quiet', '--allow-empty', '-m', 'Initial commit'], {
      cwd: work,
      env: identityEnv(who),
    });
    await runGit(['push', '--quiet', dir, `HEAD:refs/heads/${branch}`], { cwd: work });
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** The server's public face over its runtime; `close` is passed in so it can be memoized there. */
function serverApi(rt: Runtime, url: string, close: () => Promise<void>): GitServer {
  const repoUrl = (owner: string, name: string) => `${url}/${owner}/${name}.git`;
  return {
    url,
    root: rt.root,
    tokens: [...rt.tokens],
    repoUrl,
    repoPath: (owner, name) => repoDir(rt.root, owner, name),
    createRepo: async (owner, name, opts = {}) => ({
      path: await createBareRepo(rt, owner, name, opts),
      url: repoUrl(owner, name),
    }),
    onPush: (listener) => {
      rt.listeners.add(listener);
      return () => rt.listeners.delete(listener);
    },
    setPushGuard: (guard) => {
      rt.guard = guard;
    },
    addToken: (token, scopes) => {
      rt.tokens.add(token);
      rt.scopes.set(token, scopes);
    },
    updateBranch: (owner, name, branch, newSha, expectedOldSha) => {
      const dir = repoDir(rt.root, owner, name);
      return updateBranch(rt, { owner, repo: name, dir }, branch, { newSha, expectedOldSha });
    },
    branchHead: async (owner, name, branch) =>
      (await branchHeads(repoDir(rt.root, owner, name))).get(branch) ?? null,
    requestCount: (status) =>
      rt.log.filter((r) => status === undefined || r.status === status).length,
    requests: () => [...rt.log],
    close,
  };
}

export async function startGitServer(options: GitServerOptions): Promise<GitServer> {
  const owned = options.root === undefined;
  const root = options.root ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-git-')));
  await fs.mkdir(root, { recursive: true });
  const tokens = new Set(options.tokens);
  const scopes = new Map(options.tokenScopes ?? []);
  const rt: Runtime = {
    root,
    url: '',
    guard: null,
    callbacks: new GuardCallbacks(),
    tokens,
    scopes,
    listeners: new Set(),
    locks: new Map(),
    log: [],
  };
  const inFlight = new Set<Promise<void>>();
  const server = http.createServer(handler(rt, inFlight));
  const url = `http://127.0.0.1:${await listen(server, options.port ?? 0)}`;
  rt.url = url;
  let closing: Promise<void> | undefined;
  const close = async () => {
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await Promise.all([stopped, ...inFlight]);
    if (owned) await fs.rm(root, { recursive: true, force: true });
  };
  return serverApi(rt, url, () => (closing ??= close()));
}
