// Proves the git server serves real git over smart HTTP the way GitHub does: token auth, clone/fetch/push, push events.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startGitServer, type GitServer, type PushEvent } from '../../sim/git/gitServer';
import { askpassEnv, commitAndPush, tokenEnv } from '../../sim/git/gitClient';
import { GitCommandError, gitOut, identityEnv, runGit } from '../../sim/git/gitRun';
import { karsPeople, seedKarsRepo, type KarsRepo } from '../../sim/git/karsRepo';
import { ZERO_SHA } from '../../sim/git/pushEvents';
import { runHttpBackend, type BackendOutcome } from '../../sim/git/httpBackend';

const token = 'ghs_simGitToken0123456789abcdefghijklmno';
const grace = { ...karsPeople.grace, date: '2025-01-20T09:30:00+00:00' };

/** Runs git expecting it to fail, and returns the failure so a test can say why it failed. */
async function gitFails(
  args: string[],
  options: Parameters<typeof runGit>[1],
): Promise<GitCommandError> {
  const error = await runGit(args, options).then(
    () => assert.fail(`git ${args.join(' ')} succeeded`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof GitCommandError, String(error));
  return error;
}

async function commitLocally(dir: string, file: string, content: string, message: string) {
  await fs.writeFile(path.join(dir, file), content);
  await runGit(['add', '--', file], { cwd: dir });
  await runGit(['commit', '--quiet', '-m', message], { cwd: dir, env: identityEnv(grace) });
  return gitOut(['rev-parse', 'HEAD'], { cwd: dir });
}

void describe('git server over smart HTTP', () => {
  let server: GitServer;
  let kars: KarsRepo;
  let tmp: string;
  beforeEach(async () => {
    server = await startGitServer({ tokens: [token] });
    kars = await seedKarsRepo(server);
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-git-test-'));
  });
  afterEach(async () => {
    await server.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  void it('clones, pushes and fetches with the token in the environment (http.extraHeader), never in the URL', async () => {
    const dir = path.join(tmp, 'clone');
    await runGit(['clone', '--quiet', kars.url, dir], { env: tokenEnv(token) });
    assert.equal(await gitOut(['rev-parse', 'HEAD'], { cwd: dir }), kars.branches['kars-dev']);
    assert.equal(await gitOut(['config', 'remote.origin.url'], { cwd: dir }), kars.url);

    await runGit(['checkout', '--quiet', 'kars-prod'], { cwd: dir });
    const hotfix = await commitLocally(dir, 'README.md', 'hotfix\n', 'Hotfix README');
    await runGit(['push', '--quiet', 'origin', 'kars-prod'], { cwd: dir, env: tokenEnv(token) });
    assert.equal(await server.branchHead('kars', 'kars-app', 'kars-prod'), hotfix);

    const pushed = await commitAndPush(server, {
      ...kars,
      branch: 'kars-dev',
      files: { 'notes.txt': 'from a teammate\n' },
      message: 'Add notes',
      author: grace,
    });
    await runGit(['fetch', '--quiet', 'origin'], { cwd: dir, env: tokenEnv(token) });
    assert.equal(await gitOut(['rev-parse', 'origin/kars-dev'], { cwd: dir }), pushed.sha);
    assert.equal(server.requestCount(401), 0, 'the header form authenticates on the first request');
  });

  void it('clones with a GIT_ASKPASS helper after the 401 challenge', async () => {
    const env = await askpassEnv(token, tmp);
    await runGit(['clone', '--quiet', kars.url, path.join(tmp, 'clone')], { env });
    assert.ok(server.requestCount(401) >= 1, 'git was challenged first');
    assert.equal(
      await gitOut(['rev-parse', 'HEAD'], { cwd: path.join(tmp, 'clone') }),
      kars.branches['kars-dev'],
    );
    const script = await fs.readFile(String(env.GIT_ASKPASS), 'utf8');
    assert.ok(!script.includes(token), 'the helper on disk holds no token');
  });

  void it('refuses a clone without a token and with a wrong one, answering 401 with a Basic challenge', async () => {
    const failure = await gitFails(['clone', kars.url, path.join(tmp, 'anon')], {});
    assert.match(failure.stderr, /could not read Username|Authentication failed/);
    await gitFails(['clone', kars.url, path.join(tmp, 'bad')], { env: tokenEnv('ghs_wrong') });
    assert.ok(server.requestCount(401) >= 2);
    const res = await fetch(`${kars.url}/info/refs?service=git-upload-pack`);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Basic realm="git"');
  });

  void it('refuses a push without auth and leaves the branch where it was', async () => {
    const dir = path.join(tmp, 'clone');
    await runGit(['clone', '--quiet', kars.url, dir], { env: tokenEnv(token) });
    await commitLocally(dir, 'README.md', 'sneaky\n', 'Unauthenticated change');
    const refusedBefore = server.requestCount(401);
    await gitFails(['push', 'origin', 'kars-dev'], { cwd: dir });
    assert.ok(server.requestCount(401) > refusedBefore);
    assert.equal(
      await server.branchHead('kars', 'kars-app', 'kars-dev'),
      kars.branches['kars-dev'],
    );
  });

  void it('accepts a Bearer token and the token as Basic username, as GitHub does', async () => {
    const refs = `${kars.url}/info/refs?service=git-upload-pack`;
    for (const authorization of [
      `Bearer ${token}`,
      `Basic ${Buffer.from(`${token}:x-oauth-basic`).toString('base64')}`,
    ]) {
      const res = await fetch(refs, { headers: { authorization } });
      assert.equal(res.status, 200, authorization.split(' ')[0]);
      assert.equal(res.headers.get('content-type'), 'application/x-git-upload-pack-advertisement');
      assert.match(await res.text(), /refs\/heads\/kars-prod/);
    }
  });

  void it('answers 404 for an unknown repository and for dumb-HTTP paths, and serves URLs without .git', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const missing = await fetch(
      `${server.repoUrl('kars', 'nope')}/info/refs?service=git-upload-pack`,
      {
        headers: auth,
      },
    );
    assert.equal(missing.status, 404);
    assert.equal((await fetch(`${kars.url}/HEAD`, { headers: auth })).status, 404);
    assert.equal((await fetch(`${kars.url}/info/refs`, { headers: auth })).status, 404);
    const bare = `${server.url}/kars/kars-app/info/refs?service=git-upload-pack`;
    assert.equal((await fetch(bare, { headers: auth })).status, 200);
  });

  void it('inflates gzip-encoded requests (git compresses a long fetch negotiation)', async () => {
    const dir = path.join(tmp, 'clone');
    await runGit(['clone', '--quiet', kars.url, dir], { env: tokenEnv(token) });
    // Enough local commits that the "have" lines pass git's 1 KiB threshold for compressing a request.
    for (let i = 0; i < 40; i++)
      await commitLocally(dir, 'README.md', `local ${i}\n`, `Local ${i}`);
    const pushed = await commitAndPush(server, {
      ...kars,
      branch: 'kars-dev',
      files: { 'b.txt': 'b\n' },
      message: 'B',
      author: grace,
    });
    await runGit(['fetch', '--quiet', 'origin'], { cwd: dir, env: tokenEnv(token) });
    assert.equal(await gitOut(['rev-parse', 'origin/kars-dev'], { cwd: dir }), pushed.sha);
    const gzipped = server.requests().filter((r) => r.gzip);
    assert.ok(gzipped.length > 0, 'git sent at least one gzip-encoded request');
    assert.ok(gzipped.every((r) => r.status === 200));
  });
});

void describe('git server repositories', () => {
  void it('creates a repository from a seed on its default branch, and leaves a caller-given root in place', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-git-root-'));
    const server = await startGitServer({ root, tokens: [token] });
    try {
      const repo = await server.createRepo('acme', 'shop', {
        defaultBranch: 'develop',
        seed: (dir) => writeFileSync(path.join(dir, 'README.md'), 'shop\n'),
      });
      assert.equal(repo.path, path.join(root, 'acme', 'shop.git'));
      const dir = path.join(root, 'clone');
      await runGit(['clone', '--quiet', repo.url, dir], { env: tokenEnv(token) });
      assert.equal(await gitOut(['branch', '--show-current'], { cwd: dir }), 'develop');
      assert.equal(await fs.readFile(path.join(dir, 'README.md'), 'utf8'), 'shop\n');
      assert.equal(
        await server.branchHead('acme', 'shop', 'develop'),
        await gitOut(['rev-parse', 'HEAD'], { cwd: dir }),
      );
      assert.equal(await server.branchHead('acme', 'shop', 'main'), null);
      await assert.rejects(server.createRepo('acme', 'shop'), /already exists/);
      await assert.rejects(server.createRepo('..', 'x'), /invalid repository name/);
    } finally {
      await server.close();
      await server.close();
      assert.ok((await fs.stat(path.join(root, 'acme', 'shop.git'))).isDirectory());
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});

void describe('git server push events', () => {
  let server: GitServer;
  let kars: KarsRepo;
  let events: PushEvent[];
  before(async () => {
    server = await startGitServer({ tokens: [token] });
    kars = await seedKarsRepo(server);
    server.onPush((event) => void events.push(event));
  });
  beforeEach(() => {
    events = [];
  });
  after(() => server.close());

  void it('announces a push to a branch with before, after and the new commits, before git push returns', async () => {
    const pushed = await commitAndPush(server, {
      ...kars,
      branch: 'kars-dev',
      files: { 'backend/src/invoices.js': 'exports.total = () => 0;\n' },
      message: 'Stub totals\n\nWhile the rounding is reworked.',
      author: grace,
    });
    assert.equal(events.length, 1);
    const [event] = events;
    assert.ok(event);
    const { commits, ...where } = event;
    assert.deepEqual(where, {
      owner: 'kars',
      repo: 'kars-app',
      branch: 'kars-dev',
      before: kars.branches['kars-dev'],
      after: pushed.sha,
      created: false,
      deleted: false,
      forced: false,
    });
    const author = { name: grace.name, email: grace.email, date: '2025-01-20T09:30:00Z' };
    const message = 'Stub totals\n\nWhile the rounding is reworked.';
    assert.deepEqual(
      commits.map((c) => ({ sha: c.sha, message: c.message, author: c.author })),
      [{ sha: pushed.sha, message, author }],
    );
  });

  void it('announces a new branch with only the commits no branch had, and one event per branch pushed', async () => {
    const pushed = await commitAndPush(server, {
      ...kars,
      branch: 'feature/export',
      from: 'kars-dev',
      files: { 'frontend/export.js': 'export {};\n' },
      message: 'Export invoices as CSV',
      author: grace,
    });
    assert.equal(events.length, 1);
    assert.equal(events[0]?.branch, 'feature/export');
    assert.equal(events[0]?.created, true);
    assert.equal(events[0]?.before, ZERO_SHA);
    assert.deepEqual(
      events[0]?.commits.map((c) => c.sha),
      [pushed.sha],
    );
  });

  void it('rejects a stale push that is not a fast-forward (a push race) and announces nothing for it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-git-test-'));
    try {
      await runGit(['clone', '--quiet', kars.url, dir], { env: tokenEnv(token) });
      await commitLocally(dir, 'race.txt', 'mine\n', 'Mine');
      const theirs = await commitAndPush(server, {
        ...kars,
        branch: 'kars-dev',
        files: { 'race.txt': 'theirs\n' },
        message: 'Theirs',
        author: grace,
      });
      const refused = await gitFails(['push', 'origin', 'kars-dev'], {
        cwd: dir,
        env: tokenEnv(token),
      });
      assert.match(refused.stderr, /rejected/);
      assert.deepEqual(
        events.map((e) => e.after),
        [theirs.sha],
      );
      assert.equal(await server.branchHead('kars', 'kars-app', 'kars-dev'), theirs.sha);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  void it('emits one event per updated branch for a multi-branch push, and stops after unsubscribe', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-git-test-'));
    try {
      await runGit(['clone', '--quiet', kars.url, dir], { env: tokenEnv(token) });
      const dev = await commitLocally(dir, 'a.txt', 'a\n', 'On dev');
      await runGit(['checkout', '--quiet', 'kars-prod'], { cwd: dir });
      const prod = await commitLocally(dir, 'b.txt', 'b\n', 'On prod');
      await runGit(['push', '--quiet', 'origin', 'kars-dev', 'kars-prod'], {
        cwd: dir,
        env: tokenEnv(token),
      });
      assert.deepEqual(
        events.map((e) => [e.branch, e.after, e.commits.length]),
        [
          ['kars-dev', dev, 1],
          ['kars-prod', prod, 1],
        ],
      );

      const seen: PushEvent[] = [];
      const stop = server.onPush((e) => void seen.push(e));
      stop();
      await commitAndPush(server, {
        ...kars,
        branch: 'kars-dev',
        files: { 'c.txt': 'c\n' },
        message: 'C',
        author: grace,
      });
      assert.equal(seen.length, 0);
      assert.equal(events.length, 3);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

void describe('git http-backend for a request whose connection is already gone', () => {
  void it('stops http-backend and settles, rather than waiting for a body that never ends', async () => {
    const repo = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-git-gone-'));
    await runGit(['init', '--quiet', '--bare', repo]);
    let started: (run: { outcome: Promise<BackendOutcome> }) => void = () => undefined;
    const backend = new Promise<{ outcome: Promise<BackendOutcome> }>((r) => (started = r));
    const server = http.createServer((req, res) => {
      // As when the server closes every connection while the handler awaits before the backend:
      // the response's 'close' has come and gone when the backend starts.
      res.once('close', () =>
        started({
          outcome: runHttpBackend(req, res, {
            projectRoot: path.dirname(repo),
            pathInfo: `/${path.basename(repo)}/git-upload-pack`,
            remoteUser: 'x-access-token',
          }),
        }),
      );
      req.socket.destroy();
    });
    try {
      const port = await new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      );
      // An upload-pack POST whose body has begun and not ended: http-backend would read on.
      const req = http.request({
        port,
        method: 'POST',
        path: '/repo.git/git-upload-pack',
        headers: { 'content-type': 'application/x-git-upload-pack-request' },
      });
      const closed = new Promise((resolve) => req.on('close', resolve));
      req.on('error', () => undefined); // the hang-up this test makes
      req.write('0032want 0000000000000000000000000000000000000000\n');
      await closed;
      const outcome = await (await backend).outcome;
      assert.notEqual(outcome.status, 200);
    } finally {
      server.close();
      await fs.rm(repo, { recursive: true, force: true });
    }
  });
});
