// The mirror's release tags and reverts against the real git server: tags listed peeled and pushed
// never moved, a promotion's merge reverted (the first parent's tree, the same sha on a redo, a
// conflict named by its path), a revert of the revert restoring the merge, and full messages.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { revertMessage } from '../../daemon/promotion/reverts';
import type { SimpleGitMirror } from '../../daemon/promotion/simpleGitMirror';
import { gitOut, identityEnv, runGit } from '../../sim/git/gitRun';
import { karsPeople } from '../../sim/git/karsRepo';
import { rejection, startGitGateWorld, type GitGateWorld } from './gitGateFixture';

const ada = { name: 'Ada Lovelace', email: 'ada@kars.example' };
const when = new Date('2025-01-21T10:00:00Z');
const mergeText =
  'Promote kars-dev → kars-prod (3 commits)\n\n- list\n\nPromoted with Railyard (promotion 1a2b3c4d).';

const treeOf = (m: SimpleGitMirror, sha: string) =>
  gitOut(['rev-parse', `${sha}^{tree}`], { cwd: m.dir });

void describe('SimpleGitMirror tags and reverts against the git server', () => {
  let w: GitGateWorld;
  let mirror: SimpleGitMirror;
  beforeEach(async () => {
    w = await startGitGateWorld();
    mirror = w.mirror();
    await mirror.sync();
  });
  afterEach(() => w.close());

  /** Railyard's merge of kars-dev into kars-prod, pushed; its sha. */
  async function promoted(): Promise<string> {
    const { 'kars-prod': prod, 'kars-dev': dev } = w.kars.branches;
    const input = { targetSha: prod, sourceSha: dev, message: mergeText, author: ada, date: when };
    const merge = await mirror.commitMerge(input);
    assert.deepEqual(await mirror.push(merge, 'kars-prod', prod), { kind: 'pushed' });
    return merge;
  }

  void describe('tags', () => {
    void it('pushes a new tag, then answers exists for the name at another commit and never moves it', async () => {
      const { 'kars-prod': prod, 'kars-dev': dev } = w.kars.branches;
      assert.deepEqual(await mirror.remoteTags(), new Map());
      assert.deepEqual(await mirror.pushTag('release-2026-11-30-1', prod), { kind: 'pushed' });
      assert.deepEqual(await mirror.remoteTags(), new Map([['release-2026-11-30-1', prod]]));
      assert.deepEqual(await mirror.pushTag('release-2026-11-30-1', dev), { kind: 'exists' });
      const served = w.server.repoPath('kars', 'kars-app');
      assert.equal(
        await gitOut(['rev-parse', 'refs/tags/release-2026-11-30-1'], { cwd: served }),
        prod,
      );
      assert.deepEqual(
        await mirror.pushTag('release-2026-11-30-1', prod),
        { kind: 'pushed' },
        'a redo at the same commit is no conflict',
      );
    });

    void it('lists an annotated tag peeled to its commit', async () => {
      const served = w.server.repoPath('kars', 'kars-app');
      const { release } = w.kars.commits;
      const tagger = { ...karsPeople.grace, date: '2025-01-13T10:00:00+00:00' };
      await runGit(['tag', '-a', 'v1.0', '-m', 'First release', release], {
        cwd: served,
        env: identityEnv(tagger),
      });
      const tagObject = await gitOut(['rev-parse', 'refs/tags/v1.0'], { cwd: served });
      assert.notEqual(tagObject, release);
      assert.deepEqual(await mirror.remoteTags(), new Map([['v1.0', release]]));
    });

    void it('refuses a name git would refuse without asking the server', async () => {
      const before = w.server.requestCount();
      const outcome = await mirror.pushTag('release 1', w.kars.branches['kars-prod']);
      assert.deepEqual(outcome, {
        kind: 'error',
        detail: 'Cannot tag "release 1": it contains " "',
      });
      assert.equal(w.server.requestCount(), before);
    });
  });

  void describe('revert', () => {
    void it("undoes a merge to its first parent's tree, with the message and date given, the same sha on a redo", async () => {
      const merge = await promoted();
      const input = {
        onto: merge,
        commit: merge,
        message: revertMessage('Promote kars-dev → kars-prod (3 commits)', merge),
        author: ada,
        date: when,
      };
      const revert = await mirror.revert(input);
      assert.equal(await mirror.revert(input), revert, 'a redo makes the identical commit');
      assert.notEqual(
        await mirror.revert({ ...input, date: new Date(when.getTime() + 1000) }),
        revert,
      );
      assert.equal(
        await treeOf(mirror, revert),
        await treeOf(mirror, w.kars.branches['kars-prod']),
      );
      const parents = await gitOut(['rev-list', '--parents', '-n', '1', revert], {
        cwd: mirror.dir,
      });
      assert.deepEqual(parents.split(' '), [revert, merge]);
      const who = await gitOut(['log', '-1', '--format=%an <%ae> %aI %cI', revert], {
        cwd: mirror.dir,
      });
      assert.equal(
        who,
        'Ada Lovelace <ada@kars.example> 2025-01-21T10:00:00+00:00 2025-01-21T10:00:00+00:00',
      );
      assert.equal(
        await mirror.message(revert),
        `Revert "Promote kars-dev → kars-prod (3 commits)"\n\nThis reverts commit ${merge}.`,
      );
      assert.deepEqual(await mirror.push(revert, 'kars-prod', merge), { kind: 'pushed' });
    });

    void it('keeps what came after the merge on the target', async () => {
      const merge = await promoted();
      const later = await w.push('kars-prod', { 'notes.txt': 'ops\n' }, 'Ops notes');
      await mirror.sync();
      const revert = await mirror.revert({
        onto: later,
        commit: merge,
        message: 'Revert',
        author: ada,
        date: when,
      });
      const files = await gitOut(['ls-tree', '-r', '--name-only', revert], { cwd: mirror.dir });
      assert.ok(files.split('\n').includes('notes.txt'));
      assert.ok(!files.split('\n').includes('backend/migrations/002_add_index.sql'));
      const shown = await gitOut(['show', `${revert}:backend/src/invoices.js`], {
        cwd: mirror.dir,
      });
      const before = await gitOut(
        ['show', `${w.kars.branches['kars-prod']}:backend/src/invoices.js`],
        { cwd: mirror.dir },
      );
      assert.equal(shown, before);
    });

    void it('throws a conflict naming the path when the target changed what the merge changed', async () => {
      const merge = await promoted();
      const hotfix = await w.push(
        'kars-prod',
        { 'frontend/invoices.js': '// hotfix\n' },
        'Hotfix the list',
      );
      await mirror.sync();
      const error = await rejection(
        mirror.revert({ onto: hotfix, commit: merge, message: 'Revert', author: ada, date: when }),
      );
      assert.equal(error.kind, 'conflict');
      assert.match(error.message, /conflicts in frontend\/invoices\.js:/);
      assert.equal(await w.server.branchHead('kars', 'kars-app', 'kars-prod'), hotfix);
    });

    void it("restores the merge's content when the revert is reverted", async () => {
      const merge = await promoted();
      const revert = await mirror.revert({
        onto: merge,
        commit: merge,
        message: 'Revert',
        author: ada,
        date: when,
      });
      const reapply = await mirror.revert({
        onto: revert,
        commit: revert,
        message: revertMessage('Revert', revert),
        author: ada,
        date: when,
      });
      assert.equal(await treeOf(mirror, reapply), await treeOf(mirror, merge));
      assert.deepEqual(await mirror.push(revert, 'kars-prod', merge), { kind: 'pushed' });
      assert.deepEqual(await mirror.push(reapply, 'kars-prod', revert), { kind: 'pushed' });
    });

    void it('refuses a commit without a parent', async () => {
      const error = await rejection(
        mirror.revert({
          onto: w.kars.branches['kars-prod'],
          commit: w.kars.commits.initial,
          message: 'x',
          author: ada,
          date: when,
        }),
      );
      assert.match(error.message, /has no parent/);
    });
  });

  void it("reads a commit's whole message: subject, body and trailer", async () => {
    const merge = await promoted();
    assert.equal(await mirror.message(merge), mergeText);
    assert.equal(await mirror.message(w.kars.commits.totalsFix), 'Fix invoice totals rounding');
  });
});
