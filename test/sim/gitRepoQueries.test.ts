// Proves the repository queries answer with GitHub's semantics over the seeded kars repository: compare, refs, merges.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startGitServer, type GitServer } from '../../sim/git/gitServer';
import { commitAndPush } from '../../sim/git/gitClient';
import { karsPeople, seedKarsRepo, type KarsRepo } from '../../sim/git/karsRepo';
import {
  commitInfo,
  compare,
  listBranches,
  mergeBranches,
  resolveRef,
} from '../../sim/git/repoQueries';

const token = 'ghs_simGitToken0123456789abcdefghijklmno';
const ada = { ...karsPeople.ada, date: '2025-01-17T08:00:00+00:00' };

/** The seeded heads: a change to the seed changes these, and whatever fixtures were built from them. */
const seededDev = '321de2cc5a7afda78956f76dbde4f270f2aa3bc0';
const seededProd = 'f212c712b9e088856c66d64fe1757eab3eb74795';
const seededFeature = '86a0d65c8c853f4d9f04ece7c80d725cb82dbf2e';

void describe('repository queries on the seeded kars repository', () => {
  let server: GitServer;
  let kars: KarsRepo;
  beforeEach(async () => {
    server = await startGitServer({ tokens: [token] });
    kars = await seedKarsRepo(server);
  });
  afterEach(() => server.close());

  void it('seeds the same shas on every run', async () => {
    assert.deepEqual(kars.branches, {
      'kars-dev': seededDev,
      'kars-prod': seededProd,
      'feature/invoice-export': seededFeature,
    });
    assert.deepEqual(await listBranches(kars.path), [
      { name: 'feature/invoice-export', sha: seededFeature },
      { name: 'kars-dev', sha: seededDev },
      { name: 'kars-prod', sha: seededProd },
    ]);
    const feature = await compare(kars.path, 'kars-dev', 'feature/invoice-export');
    assert.deepEqual([feature?.status, feature?.aheadBy], ['ahead', 1]);
  });

  void it('compares prod...dev: dev ahead by three, oldest first, with the migration among the files', async () => {
    const c = await compare(kars.path, 'kars-prod', 'kars-dev');
    assert.ok(c);
    assert.deepEqual(
      [c.status, c.aheadBy, c.behindBy, c.mergeBaseSha],
      ['ahead', 3, 0, seededProd],
    );
    assert.deepEqual(
      c.commits.map((k) => [k.message, k.author.name, k.author.date]),
      [
        ['Fix invoice totals rounding', 'Ada Lovelace', '2025-01-14T11:15:00Z'],
        ['Add index on invoices.customer_id', 'Grace Hopper', '2025-01-15T16:40:00Z'],
        ['Show invoice totals in the list', 'Katherine Johnson', '2025-01-16T10:05:00Z'],
      ],
    );
    assert.deepEqual(c.files, [
      {
        filename: 'backend/migrations/002_add_index.sql',
        status: 'added',
        additions: 1,
        deletions: 0,
      },
      { filename: 'backend/src/invoices.js', status: 'modified', additions: 1, deletions: 1 },
      { filename: 'frontend/invoices.js', status: 'modified', additions: 1, deletions: 1 },
    ]);
  });

  void it('compares the other way round as behind, a ref with itself as identical, and unknown refs as null', async () => {
    const back = await compare(kars.path, 'kars-dev', 'kars-prod');
    assert.deepEqual(
      [back?.status, back?.aheadBy, back?.behindBy, back?.commits, back?.files],
      ['behind', 0, 3, [], []],
    );
    assert.equal((await compare(kars.path, 'kars-dev', seededDev))?.status, 'identical');
    assert.equal(await compare(kars.path, 'kars-prod', 'no-such-branch'), null);
  });

  void it('reports diverged once prod gets a hotfix that dev lacks', async () => {
    const hotfix = await commitAndPush(server, {
      ...kars,
      branch: 'kars-prod',
      files: { 'backend/src/server.js': 'hotfix\n' },
      message: 'Hotfix: health check',
      author: ada,
    });
    const c = await compare(kars.path, 'kars-prod', 'kars-dev');
    assert.deepEqual(
      [c?.status, c?.aheadBy, c?.behindBy, c?.baseSha],
      ['diverged', 3, 1, hotfix.sha],
    );
    assert.equal(c?.mergeBaseSha, seededProd);
    assert.equal(c?.files.length, 3, 'the three-dot diff ignores what only base changed');
  });

  void it('resolves branches, shas and short names; refuses option-like refs', async () => {
    assert.equal(await resolveRef(kars.path, 'kars-dev'), seededDev);
    assert.equal(await resolveRef(kars.path, 'refs/heads/kars-prod'), seededProd);
    assert.equal(await resolveRef(kars.path, seededDev.slice(0, 10)), seededDev);
    assert.equal(await resolveRef(kars.path, 'nope'), null);
    assert.equal(await resolveRef(kars.path, '--all'), null);
  });

  void it('describes a commit with message, author, committer and parents', async () => {
    const merge = await commitInfo(kars.path, seededProd);
    assert.equal(merge?.message, "Merge branch 'kars-dev' into kars-prod");
    assert.deepEqual(merge?.author, {
      name: 'Ada Lovelace',
      email: 'ada@kars.example',
      date: '2025-01-13T10:00:00Z',
    });
    assert.equal(merge?.parents.length, 2);
    assert.equal(await commitInfo(kars.path, 'nope'), null);
  });

  void it('merges dev into prod with a merge commit, then says up to date', async () => {
    const merged = await mergeBranches(
      kars.path,
      'kars-prod',
      'kars-dev',
      "Merge branch 'kars-dev' into kars-prod",
    );
    assert.ok('sha' in merged && !merged.upToDate);
    assert.equal(await server.branchHead('kars', 'kars-app', 'kars-prod'), merged.sha);
    const info = await commitInfo(kars.path, merged.sha);
    assert.deepEqual(info?.parents, [seededProd, seededDev]);
    assert.equal(info?.committer.name, 'GitHub');
    assert.deepEqual(await mergeBranches(kars.path, 'kars-prod', 'kars-dev', 'again'), {
      sha: merged.sha,
      upToDate: true,
    });
    assert.deepEqual(await mergeBranches(kars.path, 'kars-prod', 'nope', 'x'), { missing: 'nope' });
  });

  void it('reports a conflict with the file names when both sides edit the same line, and moves nothing', async () => {
    const line = (text: string) => ({ 'backend/src/invoices.js': `exports.total = ${text};\n` });
    await commitAndPush(server, {
      ...kars,
      branch: 'kars-prod',
      files: line('() => 1'),
      message: 'Prod',
      author: ada,
    });
    await commitAndPush(server, {
      ...kars,
      branch: 'kars-dev',
      files: line('() => 2'),
      message: 'Dev',
      author: ada,
    });
    const prodHead = await server.branchHead('kars', 'kars-app', 'kars-prod');
    const merged = await mergeBranches(kars.path, 'kars-prod', 'kars-dev', 'Promote');
    assert.deepEqual(merged, { conflict: ['backend/src/invoices.js'] });
    assert.equal(await server.branchHead('kars', 'kars-app', 'kars-prod'), prodHead);
  });
});
