// The git gates (divergence, merge, changes) against the real git server through a real
// SimpleGitMirror: the seeded kars promotion, a hotfix on production, a conflicting hotfix, a
// workflow change judged against the token's scopes (and the server's own answer to the push),
// migrations, risky files and PR numbers in the change summary.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { GateOutcome } from '../../daemon/promotion/gateContext';
import {
  buildChangeSummary,
  changesGate,
  DEFAULT_MIGRATION_PATTERNS,
  judgeChanges,
} from '../../daemon/promotion/gates/changes';
import { divergenceGate } from '../../daemon/promotion/gates/divergence';
import { mergeGate } from '../../daemon/promotion/gates/mergeGate';
import { karsPeople } from '../../sim/git/karsRepo';
import { recordOf } from '../fixtures/promotionGates';
import { gitTokens, startGitGateWorld, type GitGateWorld } from './gitGateFixture';

const short = (sha: string) => sha.slice(0, 7);
const katherine = { ...karsPeople.katherine, date: '2025-01-20T08:00:00+00:00' };
const workflow = '.github/workflows/deploy.yml';

/** The promotion's merge and push, as the steps make them, with `token`. */
async function promote(w: GitGateWorld, token: string) {
  const ctx = await w.context();
  const mirror = w.mirror(token);
  const sha = await mirror.commitMerge({
    targetSha: ctx.record.targetCommit!,
    sourceSha: ctx.record.sourceCommit!,
    message: 'Promote kars-dev to kars-prod (railyard promotion p-1)',
    author: { name: 'Ada Lovelace', email: 'ada@kars.example' },
    date: new Date('2025-01-21T10:00:00Z'),
  });
  return mirror.push(sha, 'kars-prod', ctx.record.targetCommit!);
}

/** Railyard's merge with its trailer (as mergeMessage writes it), pushed; its sha. */
async function promoteWithTrailer(w: GitGateWorld, id: string): Promise<string> {
  const ctx = await w.context();
  const sha = await ctx.mirror.commitMerge({
    targetSha: ctx.record.targetCommit!,
    sourceSha: ctx.record.sourceCommit!,
    message: `Promote kars-dev → kars-prod (3 commits)\n\nPromoted with Railyard (promotion ${id}).`,
    author: { name: 'Ada Lovelace', email: 'ada@kars.example' },
    date: new Date('2025-01-21T10:00:00Z'),
  });
  assert.deepEqual(await ctx.mirror.push(sha, 'kars-prod', ctx.record.targetCommit!), {
    kind: 'pushed',
  });
  return sha;
}

void describe('the git gates against the git server', () => {
  let w: GitGateWorld;
  beforeEach(async () => {
    w = await startGitGateWorld();
  });
  afterEach(() => w.close());

  void describe('divergence', () => {
    void it('passes on the seeded repository: kars-prod has nothing kars-dev lacks', async () => {
      const outcome = await divergenceGate.evaluate(await w.context());
      assert.deepEqual(outcome, {
        state: 'pass',
        detail: 'kars-prod has no commits kars-dev lacks',
      });
    });

    void it('fails on a hotfix pushed to kars-prod, listing it with its author and offering the back-merge', async () => {
      const hotfix = await w.push(
        'kars-prod',
        { 'backend/src/server.js': '// hotfix\n' },
        'Hotfix: health answers 503 while migrating',
        katherine,
      );
      const outcome = await divergenceGate.evaluate(await w.context());
      assert.equal(outcome.state, 'fail');
      assert.equal(
        outcome.detail,
        'kars-prod has 1 commit kars-dev lacks (a hotfix?): back-merge kars-prod into kars-dev first',
      );
      assert.deepEqual(outcome.evidence, [
        {
          label: short(hotfix),
          text: 'Hotfix: health answers 503 while migrating (Katherine Johnson)',
          flag: 'fail',
        },
      ]);
      assert.deepEqual(outcome.actions, ['back-merge']);
    });

    void it('passes again once kars-prod is merged back into kars-dev', async () => {
      await w.push('kars-prod', { 'hotfix.txt': 'fix\n' }, 'Hotfix');
      assert.equal((await divergenceGate.evaluate(await w.context())).state, 'fail');
      await w.mergeAndPush('kars-prod', 'kars-dev', "Merge branch 'kars-prod' into kars-dev");
      assert.equal((await divergenceGate.evaluate(await w.context())).state, 'pass');
    });

    void it("passes the next promotion over the last one's merge, not merged back, and still fails a hotfix after it", async () => {
      assert.deepEqual(await promote(w, gitTokens.maintainer), { kind: 'pushed' });
      await w.push('kars-dev', { 'notes.txt': 'next week\n' }, 'Next week');
      const ctx = await w.context();
      const outcome = await divergenceGate.evaluate(ctx);
      assert.equal(outcome.state, 'pass', outcome.detail);
      assert.equal(
        outcome.detail,
        "kars-prod has 1 commit kars-dev lacks, with no change kars-dev lacks (a promotion's merge, not merged back yet)",
      );
      assert.deepEqual(outcome.evidence, [
        {
          label: short(ctx.record.targetCommit!),
          text: 'Promote kars-dev to kars-prod (railyard promotion p-1) (Ada Lovelace)',
        },
      ]);
      await w.push('kars-prod', { 'hotfix.txt': 'fix\n' }, 'Hotfix');
      const hotfix = await divergenceGate.evaluate(await w.context());
      assert.equal(hotfix.state, 'fail');
      assert.match(hotfix.detail, /^kars-prod has 2 commits kars-dev lacks \(a hotfix\?\)/);
    });

    void describe('after a revert on kars-prod', () => {
      const subject = 'Revert "Promote kars-dev → kars-prod (3 commits)" (Grace Hopper)';

      void it("needs you when kars-prod reverted a promotion's merge: reverting the revert, or a back-merge that drops the changes", async () => {
        const merge = await promoteWithTrailer(w, '1a2b3c4d');
        const revert = await w.revertAndPush('kars-prod', merge);
        const outcome = await divergenceGate.evaluate(await w.context());
        assert.equal(outcome.state, 'needs-you', outcome.detail);
        assert.equal(
          outcome.detail,
          `kars-prod reverted promotion 1a2b3c4d (merge ${short(merge)}): promoting kars-dev again brings none of its changes back until the revert is reverted`,
        );
        assert.deepEqual(outcome.actions, ['revert-revert', 'back-merge']);
        assert.deepEqual(outcome.evidence, [
          { label: short(revert), text: subject, flag: 'warn' },
          {
            label: 'back-merge',
            text: 'Merging kars-prod into kars-dev brings the revert along: the reverted changes leave kars-dev too',
          },
        ]);
      });

      void it('passes once this promotion reverts the revert (reapplies), and once kars-prod reverted it itself', async () => {
        const merge = await promoteWithTrailer(w, '1a2b3c4d');
        const revert = await w.revertAndPush('kars-prod', merge);
        const ctx = await w.context();
        const record = { ...ctx.record, reapplies: [{ revert, reverted: merge }] };
        const folded = await divergenceGate.evaluate({ ...ctx, record });
        assert.equal(folded.state, 'pass', folded.detail);
        assert.match(
          folded.detail,
          /^This promotion reverts kars-prod's 1 revert of promotion 1a2b3c4d/,
        );
        await w.revertAndPush('kars-prod', revert);
        const outcome = await divergenceGate.evaluate(await w.context());
        assert.equal(outcome.state, 'pass', outcome.detail);
        assert.match(
          outcome.detail,
          /^kars-prod has 3 commits kars-dev lacks, with no change kars-dev lacks/,
        );
      });

      void it('needs you again when the reapply is reverted in turn, naming the promotion', async () => {
        const merge = await promoteWithTrailer(w, '1a2b3c4d');
        const revert = await w.revertAndPush('kars-prod', merge);
        const reapply = await w.revertAndPush('kars-prod', revert);
        const again = await w.revertAndPush('kars-prod', reapply);
        const outcome = await divergenceGate.evaluate(await w.context());
        assert.equal(outcome.state, 'needs-you', outcome.detail);
        assert.match(
          outcome.detail,
          new RegExp(`^kars-prod reverted promotion 1a2b3c4d \\(merge ${short(merge)}\\)`),
        );
        assert.equal(outcome.evidence?.[0]?.label, short(again));
      });

      void it('fails on a hotfix beside the revert, keeping both in the evidence', async () => {
        const merge = await promoteWithTrailer(w, '1a2b3c4d');
        const revert = await w.revertAndPush('kars-prod', merge);
        const hotfix = await w.push('kars-prod', { 'hotfix.txt': 'fix\n' }, 'Hotfix', katherine);
        const outcome = await divergenceGate.evaluate(await w.context());
        assert.equal(outcome.state, 'fail', outcome.detail);
        assert.equal(
          outcome.detail,
          `kars-prod has 1 commit kars-dev lacks (a hotfix?), and it reverted promotion 1a2b3c4d (merge ${short(merge)}): back-merge kars-prod into kars-dev first`,
        );
        assert.deepEqual(
          outcome.evidence?.map((e) => [e.label, e.flag]),
          [
            [short(hotfix), 'fail'],
            [short(revert), 'warn'],
            ['back-merge', undefined],
          ],
        );
        assert.deepEqual(outcome.actions, ['back-merge', 'revert-revert']);
      });

      void it('is no open revert when kars-prod undid its own hotfix: nothing of kars-dev is held out', async () => {
        const hotfix = await w.push('kars-prod', { 'hotfix.txt': 'fix\n' }, 'Hotfix', katherine);
        await w.revertAndPush('kars-prod', hotfix);
        const outcome = await divergenceGate.evaluate(await w.context());
        assert.equal(outcome.state, 'pass', outcome.detail);
        assert.match(outcome.detail, /with no change kars-dev lacks/);
      });
    });

    void it('is unknown with a retry, never a pass, when the pinned target is not in the mirror', async () => {
      const ctx = await w.context();
      const moved = await w.push('kars-prod', { 'hotfix.txt': 'fix\n' }, 'Hotfix');
      const record = recordOf({ sourceCommit: ctx.record.sourceCommit, targetCommit: moved });
      const outcome = await divergenceGate.evaluate({ ...ctx, record });
      assert.equal(outcome.state, 'unknown', outcome.detail);
      assert.match(outcome.detail, /^Could not compare kars-prod with kars-dev: /);
      assert.deepEqual(outcome.actions, ['retry']);
    });
  });

  void describe('merge', () => {
    void it('passes the seeded promotion, naming the tree the merge commit will have', async () => {
      const ctx = await w.context();
      const outcome = await mergeGate.evaluate(ctx);
      assert.equal(outcome.state, 'pass');
      const dry = await ctx.mirror.dryMerge(ctx.record.targetCommit!, ctx.record.sourceCommit!);
      assert.ok(dry.clean);
      assert.equal(outcome.detail, `Merges cleanly (tree ${short(dry.tree)})`);
    });

    void it('fails on a hotfix that conflicts, naming the file, and passes one that does not', async () => {
      await w.push('kars-prod', { 'notes.txt': 'ops notes\n' }, 'Ops notes');
      assert.equal((await mergeGate.evaluate(await w.context())).state, 'pass');
      await w.push('kars-prod', { 'frontend/invoices.js': '// hotfix\n' }, 'Hotfix the list');
      const outcome = await mergeGate.evaluate(await w.context());
      assert.equal(outcome.state, 'fail');
      assert.equal(
        outcome.detail,
        'Merging kars-dev into kars-prod conflicts in 1 file: frontend/invoices.js. Merge kars-prod into kars-dev and resolve them there, then check again',
      );
      assert.deepEqual(outcome.evidence, [
        { label: 'conflict', text: 'frontend/invoices.js', flag: 'fail' },
      ]);
    });

    void describe('a workflow change, against the token', () => {
      beforeEach(async () => {
        await w.push('kars-dev', { [workflow]: 'on: push\n' }, 'Deploy from Actions');
      });
      const judged = async (githubScopes?: string[] | null): Promise<GateOutcome> =>
        mergeGate.evaluate(await w.context({ githubScopes }));

      void it("fails with scopes ['repo'], as GitHub refuses that token's push", async () => {
        const outcome = await judged(['repo']);
        assert.equal(outcome.state, 'fail');
        assert.match(outcome.detail, /^GitHub would refuse the push: /);
        assert.match(outcome.detail, /changes \.github\/workflows\/deploy\.yml/);
        assert.match(outcome.detail, /needs a token with the workflow scope/);
        assert.deepEqual(outcome.evidence, [{ label: 'workflow', text: workflow, flag: 'fail' }]);
        const pushed = await promote(w, gitTokens.repoOnly);
        assert.equal(pushed.kind, 'workflow-scope', 'the server agrees');
      });

      void it('warns for a fine-grained token (null scopes), whose permissions GitHub does not say', async () => {
        const outcome = await judged(null);
        assert.equal(outcome.state, 'warn');
        assert.match(outcome.detail, /^Merges cleanly \(tree [0-9a-f]{7}\), but it changes /);
        assert.match(outcome.detail, /fine-grained token has Workflows read and write/);
        assert.deepEqual(outcome.evidence, [{ label: 'workflow', text: workflow, flag: 'warn' }]);
      });

      void it('warns when no GitHub token is signed in', async () => {
        const outcome = await judged(undefined);
        assert.equal(outcome.state, 'warn');
        assert.match(outcome.detail, /needs a GitHub token with the workflow scope, and none is/);
      });

      void it("passes with scopes ['repo', 'workflow'], as GitHub takes that token's push", async () => {
        const outcome = await judged(['repo', 'workflow']);
        assert.equal(outcome.state, 'pass');
        assert.match(outcome.detail, /the token has the workflow scope/);
        assert.deepEqual(outcome.evidence, [{ label: 'workflow', text: workflow, flag: 'warn' }]);
        assert.deepEqual(await promote(w, gitTokens.maintainer), { kind: 'pushed' });
      });
    });

    void it('passes a workflow change only kars-prod has, which the merge does not change: GitHub takes the push', async () => {
      await w.push('kars-prod', { [workflow]: 'on: push\n' }, 'Deploy from Actions (prod)');
      const outcome = await mergeGate.evaluate(await w.context({ githubScopes: ['repo'] }));
      assert.equal(outcome.state, 'pass', outcome.detail);
      assert.deepEqual(await promote(w, gitTokens.repoOnly), { kind: 'pushed' });
    });
  });

  void describe('changes', () => {
    void it('summarizes the seeded change: 3 commits by 3 authors, the migration flagged', async () => {
      const ctx = await w.context();
      const { targetCommit, sourceCommit } = ctx.record;
      const changes = await buildChangeSummary(
        ctx.mirror,
        targetCommit!,
        sourceCommit!,
        DEFAULT_MIGRATION_PATTERNS,
        { repo: 'acme/kars', githubApiUrl: 'https://ghe.example.com/api/v3' },
      );
      const { commits } = w.kars;
      assert.equal(
        changes.compareUrl,
        `https://ghe.example.com/acme/kars/compare/${targetCommit}...${sourceCommit}`,
      );
      assert.equal(
        changes.commits[0]?.url,
        `https://ghe.example.com/acme/kars/commit/${commits.totalsInList}`,
      );
      assert.match(changes.commits[0]?.date ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.equal(changes.commitCount, 3);
      assert.deepEqual(
        changes.commits.map((c) => c.sha),
        [commits.totalsInList, commits.customerIndex, commits.totalsFix],
      );
      assert.deepEqual(changes.authors, ['Katherine Johnson', 'Grace Hopper', 'Ada Lovelace']);
      assert.deepEqual(changes.migrations, ['backend/migrations/002_add_index.sql']);
      assert.deepEqual([changes.risky, changes.prs], [[], []]);
      const outcome = await changesGate.evaluate(ctx);
      assert.equal(outcome.state, 'warn');
      assert.equal(
        outcome.detail,
        '3 commits by 3 authors, 3 files; 1 migration: look at them before production',
      );
      assert.deepEqual(outcome.evidence?.[0], {
        label: 'migration',
        text: 'backend/migrations/002_add_index.sql',
        flag: 'warn',
      });
    });

    void it('follows railyard.json migration patterns: none matching, no migration and a pass', async () => {
      const ctx = await w.context({ migrations: ['db/changes/'] });
      assert.deepEqual(ctx.changes.migrations, []);
      const outcome = await changesGate.evaluate(ctx);
      assert.deepEqual(
        [outcome.state, outcome.detail],
        ['pass', '3 commits by 3 authors, 3 files; no migrations or risky files'],
      );
    });

    void it('flags a Dockerfile and a package.json, saying why', async () => {
      await w.push(
        'kars-dev',
        { 'backend/Dockerfile': 'FROM node:22\n', 'backend/package.json': '{}\n' },
        'Build the backend image',
      );
      const ctx = await w.context();
      assert.deepEqual(
        [...ctx.changes.risky].sort((a, b) => a.path.localeCompare(b.path)),
        [
          { path: 'backend/Dockerfile', why: 'changes how the image is built' },
          { path: 'backend/package.json', why: 'changes dependencies' },
        ],
      );
      const outcome = await changesGate.evaluate(ctx);
      assert.equal(outcome.state, 'warn');
      assert.match(
        outcome.detail,
        /^4 commits by 3 authors, 5 files; 1 migration and 2 risky files/,
      );
      assert.ok(
        outcome.evidence?.some(
          (e) => e.label === 'backend/Dockerfile' && e.text === 'changes how the image is built',
        ),
      );
    });

    void it('reads PR numbers from merge-button and squash subjects, never from the body', async () => {
      const merged = await w.mergeAndPush(
        'feature/invoice-export',
        'kars-dev',
        'Merge pull request #12 from kars/feature/invoice-export\n\nMentions (#99) in the body',
      );
      const squashed = await w.push('kars-dev', { 'README.md': '# kars\n' }, 'Tidy README (#13)');
      const { changes } = await w.context();
      assert.deepEqual(changes.prs, [13, 12]);
      const byId = new Map(changes.commits.map((c) => [c.sha, c]));
      const { date, ...commit } = byId.get(merged) ?? {};
      assert.match(date ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.deepEqual(commit, {
        sha: merged,
        message: 'Merge pull request #12 from kars/feature/invoice-export',
        author: 'Grace Hopper',
        pr: 12,
        url: `https://github.com/acme/kars/commit/${merged}`,
        prUrl: 'https://github.com/acme/kars/pull/12',
      });
      assert.equal(byId.get(squashed)?.pr, 13);
      assert.equal(byId.get(w.kars.commits.invoiceExport)?.pr, undefined);
      const evidence = judgeChanges(changes).evidence ?? [];
      assert.ok(
        evidence.some((e) => e.text === `${byId.get(merged)?.message} (Grace Hopper, #12)`),
      );
    });

    void it('says there is nothing to promote once kars-prod has every commit of kars-dev', async () => {
      assert.deepEqual(await promote(w, gitTokens.maintainer), { kind: 'pushed' });
      const ctx = await w.context();
      assert.deepEqual([ctx.changes.commitCount, ctx.changes.authors], [0, []]);
      const outcome = await changesGate.evaluate(ctx);
      assert.equal(outcome.state, 'warn');
      assert.match(outcome.detail, /^Nothing to promote/);
    });
  });
});
