// The daemon's git mirror against the real git server: clone and incremental fetch, the merge it
// makes (two parents, reproducible), conflicts, push races (rejected, never forced), GitHub's
// workflow-scope refusal, and a token that never reaches a URL, the mirror's config or an error.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startGitServer, type GitServer } from '../../sim/git/gitServer';
import { commitAndPush } from '../../sim/git/gitClient';
import { gitOut, runGit } from '../../sim/git/gitRun';
import { karsPeople, seedKarsRepo, type KarsRepo } from '../../sim/git/karsRepo';
import { defaultGithubTokens } from '../../sim/github/state';
import { Redactor } from '../../daemon/diagnostics/redact';
import type { MergeInput } from '../../daemon/promotion/gitMirror';
import { SimpleGitMirror } from '../../daemon/promotion/simpleGitMirror';
import { rejection } from './gitGateFixture';

/** ada's token: repo and read:org, no workflow scope (as in the simulators). */
const ada = defaultGithubTokens[0]!.token;
const maintainer = 'ghp_simMaintainer456789abcdefghijklmnopqr';
const grace = { ...karsPeople.grace, date: '2025-01-20T09:30:00+00:00' };
const when = new Date('2025-01-21T10:00:00Z');

interface World {
  server: GitServer;
  kars: KarsRepo;
  stateDir: string;
  mirror(token?: string, repo?: string): SimpleGitMirror;
  /** A teammate's push, with the maintainer's token (workflow scope). */
  push(branch: string, files: Record<string, string>, message: string): Promise<string>;
  remote(branch: string): Promise<string | null>;
}

async function startWorld(): Promise<World> {
  const server = await startGitServer({
    tokens: [ada, maintainer],
    tokenScopes: new Map([
      [ada, ['repo', 'read:org']],
      [maintainer, ['repo', 'workflow']],
    ]),
  });
  const kars = await seedKarsRepo(server);
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-mirror-'));
  return {
    server,
    kars,
    stateDir,
    mirror: (token = ada, repo = 'kars/kars-app') => {
      const redactor = new Redactor();
      return new SimpleGitMirror({
        stateDir,
        gitUrl: server.url,
        repo,
        token: () => token,
        redactor,
      });
    },
    push: async (branch, files, message) =>
      (
        await commitAndPush(server, {
          ...kars,
          branch,
          files,
          message,
          author: grace,
          token: maintainer,
        })
      ).sha,
    remote: (branch) => server.branchHead('kars', 'kars-app', branch),
  };
}

function mergeInput(w: World, target: string, source: string): MergeInput {
  return {
    targetSha: target,
    sourceSha: source,
    message: 'Promote kars-dev to kars-prod (railyard promotion p-1)',
    author: { name: 'Ada Lovelace', email: 'ada@kars.example' },
    date: when,
  };
}

void describe('SimpleGitMirror against the git server', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld();
  });
  afterEach(async () => {
    await w.server.close();
    await fs.rm(w.stateDir, { recursive: true, force: true });
  });

  void it('clones once, then fetches incrementally: a new push is seen after sync', async () => {
    const mirror = w.mirror();
    await mirror.sync();
    assert.equal(await mirror.head('kars-dev'), w.kars.branches['kars-dev']);
    assert.equal(await mirror.head('no-such-branch'), undefined);
    // A ref only this mirror has: a second clone would lose it, a fetch (prune is refs/heads/* only) keeps it.
    await runGit(['update-ref', 'refs/railyard/marker', w.kars.branches['kars-prod']], {
      cwd: mirror.dir,
    });
    const pushed = await w.push('kars-dev', { 'notes.txt': 'new\n' }, 'Add notes');
    assert.equal(await mirror.head('kars-dev'), w.kars.branches['kars-dev'], 'not before a sync');
    assert.equal(await mirror.remoteHead('kars-dev'), pushed);
    await mirror.sync();
    assert.equal(await mirror.head('kars-dev'), pushed);
    assert.equal(
      await gitOut(['rev-parse', 'refs/railyard/marker'], { cwd: mirror.dir }),
      w.kars.branches['kars-prod'],
    );
  });

  void it('keeps the token out of the remote URL and the mirror config', async () => {
    const mirror = w.mirror();
    await mirror.sync();
    const remotes = await gitOut(['remote', '-v'], { cwd: mirror.dir });
    assert.match(remotes, new RegExp(`origin\\t${w.kars.url.replace(/[.]/g, '\\.')} \\(fetch\\)`));
    const config = await fs.readFile(path.join(mirror.dir, 'config'), 'utf8');
    const basic = Buffer.from(`x-access-token:${ada}`).toString('base64');
    for (const text of [remotes, config]) {
      assert.ok(!text.includes(ada), 'the token');
      assert.ok(!text.includes(basic), 'the token as a Basic credential');
      assert.ok(!/extraheader/i.test(text), 'no header stored');
    }
  });

  void it('answers commits, files and ancestry between the branches', async () => {
    const mirror = w.mirror();
    await mirror.sync();
    const { branches, commits } = w.kars;
    const between = await mirror.commitsBetween(branches['kars-prod'], branches['kars-dev']);
    assert.deepEqual(
      between.map((c) => [c.sha, c.message, c.author]),
      [
        [commits.totalsInList, 'Show invoice totals in the list', 'Katherine Johnson'],
        [commits.customerIndex, 'Add index on invoices.customer_id', 'Grace Hopper'],
        [commits.totalsFix, 'Fix invoice totals rounding', 'Ada Lovelace'],
      ],
    );
    assert.equal(between[0]?.authorEmail, 'katherine@kars.example');
    assert.deepEqual(await mirror.commitsBetween(branches['kars-dev'], branches['kars-prod']), []);
    assert.deepEqual(
      (await mirror.filesChanged(branches['kars-prod'], branches['kars-dev'])).sort(),
      ['backend/migrations/002_add_index.sql', 'backend/src/invoices.js', 'frontend/invoices.js'],
    );
    assert.equal(await mirror.isAncestor(branches['kars-prod'], branches['kars-dev']), true);
    assert.equal(await mirror.isAncestor(branches['kars-dev'], branches['kars-prod']), false);
  });

  void it('makes a two-parent merge with the message, the same sha for the same inputs, and pushes it', async () => {
    const mirror = w.mirror();
    await mirror.sync();
    const { 'kars-prod': prod, 'kars-dev': dev } = w.kars.branches;
    const dry = await mirror.dryMerge(prod, dev);
    assert.equal(dry.clean, true);
    const input = mergeInput(w, prod, dev);
    const sha = await mirror.commitMerge(input);
    assert.equal(await mirror.commitMerge(input), sha, 'a redo makes the identical commit');
    const later = await mirror.commitMerge({ ...input, date: new Date(when.getTime() + 1000) });
    assert.notEqual(later, sha);
    const parents = await gitOut(['rev-list', '--parents', '-n', '1', sha], { cwd: mirror.dir });
    assert.deepEqual(parents.split(' '), [sha, prod, dev]);
    const message = await gitOut(['log', '-1', '--format=%B%an <%ae> %aI', sha], {
      cwd: mirror.dir,
    });
    assert.match(
      message,
      /^Promote kars-dev to kars-prod \(railyard promotion p-1\)\n+Ada Lovelace <ada@kars\.example> 2025-01-21T10:00:00\+00:00$/,
    );
    if (dry.clean)
      assert.equal(await gitOut(['rev-parse', `${sha}^{tree}`], { cwd: mirror.dir }), dry.tree);

    assert.deepEqual(await mirror.push(sha, 'kars-prod', prod), { kind: 'pushed' });
    assert.equal(await w.remote('kars-prod'), sha);
    assert.equal(await mirror.head('kars-prod'), sha, 'the mirror follows its push');
    assert.deepEqual(
      await mirror.push(sha, 'kars-prod', prod),
      { kind: 'pushed' },
      'a redo is a no-op',
    );
  });

  void it('names the conflicted files and leaves the target untouched on the server', async () => {
    await w.push('kars-prod', { 'README.md': 'hotfix on prod\n' }, 'Hotfix README');
    await w.push('kars-dev', { 'README.md': 'rewritten on dev\n' }, 'Rewrite README');
    const prodBefore = await w.remote('kars-prod');
    const mirror = w.mirror();
    await mirror.sync();
    const prod = (await mirror.head('kars-prod'))!;
    const dev = (await mirror.head('kars-dev'))!;
    assert.deepEqual(await mirror.dryMerge(prod, dev), { clean: false, conflicts: ['README.md'] });
    const error = await rejection(mirror.commitMerge(mergeInput(w, prod, dev)));
    assert.equal(error.kind, 'conflict');
    assert.match(error.message, /README\.md/);
    assert.equal(await w.remote('kars-prod'), prodBefore);
  });

  void it('is rejected, never forced, when the target moved after the merge was made', async () => {
    const mirror = w.mirror();
    await mirror.sync();
    const { 'kars-prod': prod, 'kars-dev': dev } = w.kars.branches;
    const sha = await mirror.commitMerge(mergeInput(w, prod, dev));
    const teammate = await w.push('kars-prod', { 'hotfix.txt': 'fix\n' }, 'Hotfix');
    const outcome = await mirror.push(sha, 'kars-prod', prod);
    assert.equal(outcome.kind, 'rejected', JSON.stringify(outcome));
    assert.match(
      outcome.kind === 'rejected' ? outcome.detail : '',
      /kars-prod moved .*fetch first/,
    );
    assert.equal(await w.remote('kars-prod'), teammate, "the teammate's commit stays");
  });

  void it('reports a workflow change pushed with a token without the workflow scope', async () => {
    await w.push(
      'kars-dev',
      { '.github/workflows/deploy.yml': 'on: push\n' },
      'Add deploy workflow',
    );
    const mirror = w.mirror(ada);
    await mirror.sync();
    const prod = (await mirror.head('kars-prod'))!;
    const dev = (await mirror.head('kars-dev'))!;
    assert.deepEqual(await mirror.changedWorkflowFiles(prod, dev), [
      '.github/workflows/deploy.yml',
    ]);
    const sha = await mirror.commitMerge(mergeInput(w, prod, dev));
    const outcome = await mirror.push(sha, 'kars-prod', prod);
    assert.equal(outcome.kind, 'workflow-scope', JSON.stringify(outcome));
    if (outcome.kind === 'workflow-scope') {
      assert.deepEqual(outcome.files, ['.github/workflows/deploy.yml']);
      assert.match(
        outcome.detail,
        /refusing to allow a Personal Access Token .* without `workflow` scope/,
      );
      assert.ok(!outcome.detail.includes(ada));
    }
    assert.equal(await w.remote('kars-prod'), prod);
    assert.deepEqual(await w.mirror(maintainer).push(sha, 'kars-prod', prod), { kind: 'pushed' });
  });

  void it('says to sign in again when the token is refused, without the token in the error', async () => {
    const bad = 'ghp_simWrongToken23456789abcdefghijklmnop';
    const error = await rejection(w.mirror(bad).sync());
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /railyard login github/);
    assert.ok(!error.message.includes(bad));
    assert.ok(!error.message.includes(Buffer.from(`x-access-token:${bad}`).toString('base64')));
    const unknown = await rejection(w.mirror(ada, 'kars/no-such-repo').sync());
    assert.equal(unknown.kind, 'not-found');
    assert.match(unknown.message, /kars\/no-such-repo was not found/);
  });

  void it('runs concurrent calls one after another on the same mirror', async () => {
    const mirror = w.mirror();
    // Every call queued at once: without the queue, the queries would find no mirror mid-clone.
    const [, dev, prod, ancestor] = await Promise.all([
      mirror.sync(),
      mirror.head('kars-dev'),
      mirror.head('kars-prod'),
      mirror.isAncestor(w.kars.branches['kars-prod'], w.kars.branches['kars-dev']),
    ]);
    assert.deepEqual(
      [dev, prod, ancestor],
      [w.kars.branches['kars-dev'], w.kars.branches['kars-prod'], true],
    );
  });
});
