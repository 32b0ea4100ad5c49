// The git server refuses workflow changes from a token without GitHub's `workflow` scope, in GitHub's words.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startGitServer, type GitServer } from '../../sim/git/gitServer';
import { commitAndPush, tokenEnv } from '../../sim/git/gitClient';
import { GitCommandError, gitOut, identityEnv, runGit } from '../../sim/git/gitRun';
import { karsPeople, seedKarsRepo, type KarsRepo } from '../../sim/git/karsRepo';

const withWorkflow = 'ghp_simWorkflow0123456789abcdefghijklmnop';
const withoutWorkflow = 'ghp_simNoWorkflow123456789abcdefghijklmn';
const oauthWithout = 'gho_simOauthNoWorkflow6789abcdefghijklmno';
const grace = { ...karsPeople.grace, date: '2025-01-20T09:30:00+00:00' };
const workflow = '.github/workflows/ci.yml';

void describe('git server: the workflow scope', () => {
  let server: GitServer;
  let kars: KarsRepo;
  before(async () => {
    server = await startGitServer({
      tokens: [withWorkflow, withoutWorkflow, oauthWithout],
      tokenScopes: new Map([
        [withWorkflow, ['repo', 'workflow']],
        [withoutWorkflow, ['repo', 'read:org']],
        [oauthWithout, ['repo']],
      ]),
    });
    kars = await seedKarsRepo(server);
  });
  after(() => server.close());

  const push = (branch: string, files: Record<string, string>, token: string) =>
    commitAndPush(server, { ...kars, branch, files, message: 'Change', author: grace, token });

  void it('refuses a workflow change from a token without the scope, naming the file, and leaves the branch', async () => {
    const before = await server.branchHead('kars', 'kars-app', 'kars-dev');
    const error = await push('kars-dev', { [workflow]: 'on: push\n' }, withoutWorkflow).then(
      () => assert.fail('the push went through'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GitCommandError, String(error));
    assert.match(
      error.stderr,
      /! \[remote rejected\] HEAD -> kars-dev \(refusing to allow a Personal Access Token to create or update workflow `\.github\/workflows\/ci\.yml` without `workflow` scope\)/,
    );
    assert.equal(await server.branchHead('kars', 'kars-app', 'kars-dev'), before);
  });

  void it('says "an OAuth App" for an OAuth token', async () => {
    const error = await push('kars-dev', { [workflow]: 'on: push\n' }, oauthWithout).then(
      () => assert.fail('the push went through'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GitCommandError);
    assert.match(error.stderr, /refusing to allow an OAuth App to create or update workflow/);
  });

  void it('lets the same token push other changes, and a token with the scope push workflow changes', async () => {
    const plain = await push('kars-dev', { 'notes.txt': 'notes\n' }, withoutWorkflow);
    assert.equal(await server.branchHead('kars', 'kars-app', 'kars-dev'), plain.sha);
    const flow = await push('kars-dev', { [workflow]: 'on: push\n' }, withWorkflow);
    assert.equal(await server.branchHead('kars', 'kars-app', 'kars-dev'), flow.sha);
  });

  void it('refuses a merge bringing workflow changes another branch already has (as GitHub does)', async () => {
    // Needs the previous test's workflow commit on kars-dev.
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-wf-'));
    try {
      await runGit(['clone', '--quiet', kars.url, work], { env: tokenEnv(withoutWorkflow) });
      await runGit(['checkout', '--quiet', 'kars-prod'], { cwd: work });
      await runGit(['merge', '--quiet', '--no-ff', '-m', 'Promote', 'origin/kars-dev'], {
        cwd: work,
        env: identityEnv(grace),
      });
      assert.ok((await gitOut(['ls-files', workflow], { cwd: work })) !== '');
      const before = await server.branchHead('kars', 'kars-app', 'kars-prod');
      const refused = await runGit(['push', 'origin', 'kars-prod'], {
        cwd: work,
        env: tokenEnv(withoutWorkflow),
      }).then(
        () => assert.fail('the merge was pushed'),
        (e: unknown) => e,
      );
      assert.ok(refused instanceof GitCommandError);
      assert.match(refused.stderr, /without `workflow` scope/);
      assert.equal(await server.branchHead('kars', 'kars-app', 'kars-prod'), before);
      await runGit(['push', '--quiet', 'origin', 'kars-prod'], {
        cwd: work,
        env: tokenEnv(withWorkflow),
      });
      assert.notEqual(await server.branchHead('kars', 'kars-app', 'kars-prod'), before);
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  });
});
