// GitHub's classic branch protection across the simulators: the REST routes, GET branch's summary, and a real `git push` to a protected branch refused with GitHub's GH006 lines.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { commitAndPush, tokenEnv } from '../../sim/git/gitClient';
import { GitCommandError, identityEnv, runGit } from '../../sim/git/gitRun';
import { karsPeople } from '../../sim/git/karsRepo';
import type { PushEvent } from '../../sim/git/pushEvents';
import { startSimulators, type Simulators } from '../../sim/server';

const repository = 'kars/kars-app';
const grace = { ...karsPeople.grace, date: '2025-01-20T09:30:00+00:00' };

interface BranchJson {
  protected: boolean;
  protection: {
    enabled: boolean;
    required_status_checks: { enforcement_level: string; contexts: string[] };
  };
}

void describe('GitHub simulator: branch protection', () => {
  let sims: Simulators;
  let work: string;
  const pushes: PushEvent[] = [];
  const call = async <T>(method: string, route: string, body?: unknown) => {
    const res = await fetch(`${sims.urls.github}/repos/${repository}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${sims.tokens.github.token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const git = (args: string[]) => runGit(args, { cwd: work, env: tokenEnv(sims.tokens.git) });
  /** A developer's commit on kars-prod, pushed as `git push origin kars-prod`. */
  const commitOnProd = async (file: string) => {
    await git(['fetch', '--quiet', 'origin']);
    await git(['checkout', '--quiet', '-B', 'kars-prod', 'origin/kars-prod']);
    await fs.writeFile(path.join(work, file), `${file}\n`);
    await git(['add', file]);
    await runGit(['commit', '--quiet', '-m', `Add ${file}`], {
      cwd: work,
      env: identityEnv(grace),
    });
    return (await git(['rev-parse', 'HEAD'])).stdout.trim();
  };
  const refusedPush = async (args: string[]) => {
    const error = await git(args).then(
      () => assert.fail('the push went through'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GitCommandError, String(error));
    return error.stderr;
  };
  const prodHead = () => sims.git.branchHead('kars', 'kars-app', 'kars-prod');

  before(async () => {
    sims = await startSimulators();
    sims.git.onPush((event) => void pushes.push(event));
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-protect-'));
    await runGit(['clone', '--quiet', sims.urls.repo!, work], { env: tokenEnv(sims.tokens.git) });
  });
  afterEach(() => sims.github.state.protections.remove(repository, 'kars-prod'));
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
    await sims.close();
  });

  void it("PUT protection answers GitHub's JSON, GET branch then says protected, DELETE lifts it", async () => {
    const unprotected = await call<BranchJson>('GET', '/branches/kars-prod');
    assert.equal(unprotected.body.protected, false);
    assert.equal(unprotected.body.protection.required_status_checks.enforcement_level, 'off');
    const put = await call<
      Record<
        string,
        { contexts?: string[]; required_approving_review_count?: number; enabled?: boolean }
      >
    >('PUT', '/branches/kars-prod/protection', {
      required_status_checks: { strict: true, contexts: ['ci'] },
      enforce_admins: null,
      required_pull_request_reviews: {
        required_approving_review_count: 1,
        dismiss_stale_reviews: true,
      },
      restrictions: null,
    });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body.required_status_checks?.contexts, ['ci']);
    assert.equal(put.body.required_pull_request_reviews?.required_approving_review_count, 1);
    assert.equal(put.body.enforce_admins?.enabled, false);
    const branch = await call<BranchJson>('GET', '/branches/kars-prod');
    assert.equal(branch.body.protected, true);
    assert.deepEqual(branch.body.protection, {
      enabled: true,
      required_status_checks: {
        enforcement_level: 'non_admins',
        contexts: ['ci'],
        checks: [{ context: 'ci', app_id: null }],
      },
    });
    assert.equal((await call('DELETE', '/branches/kars-prod/protection')).status, 204);
    const gone = await call<{ message: string }>('GET', '/branches/kars-prod/protection');
    assert.deepEqual([gone.status, gone.body.message], [404, 'Branch not protected']);
  });

  void it("refuses a PUT missing one of the four keys, in GitHub's words", async () => {
    const res = await call<{ message: string }>('PUT', '/branches/kars-prod/protection', {
      required_status_checks: null,
      required_pull_request_reviews: null,
      restrictions: null,
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.message, 'Invalid request.\n\n"enforce_admins" wasn\'t supplied.');
  });

  void it('refuses a direct push when a pull request is required: GH006 on remote lines, the ref declined', async () => {
    sims.github.state.protections.set(repository, 'kars-prod', {
      requirePullRequest: true,
      requiredApprovingReviews: 1,
    });
    const before = await prodHead();
    const announced = pushes.length;
    await commitOnProd('direct.txt');
    const stderr = await refusedPush(['push', 'origin', 'kars-prod']);
    assert.match(
      stderr,
      /^remote: error: GH006: Protected branch update failed for refs\/heads\/kars-prod\.\s*$/m,
    );
    assert.match(stderr, /^remote: error: Changes must be made through a pull request\.\s*$/m);
    assert.match(
      stderr,
      /! \[remote rejected\] kars-prod -> kars-prod \(protected branch hook declined\)/,
    );
    assert.equal(await prodHead(), before);
    assert.equal(pushes.length, announced, 'a refused push is no push event');
  });

  void it('with required checks only, refuses a commit not yet green and takes one that is', async () => {
    sims.github.state.protections.set(repository, 'kars-prod', { requiredChecks: ['ci'] });
    const sha = await commitOnProd('checked.txt');
    const stderr = await refusedPush(['push', 'origin', 'kars-prod']);
    assert.match(stderr, /^remote: error: Required status check "ci" is expected\.\s*$/m);
    const ada = sims.github.state.users.get('ada')!;
    sims.github.state.statuses.add({
      repository,
      sha,
      state: 'success',
      context: 'ci',
      creator: ada,
    });
    await git(['push', '--quiet', 'origin', 'kars-prod']);
    assert.equal(await prodHead(), sha);
  });

  void it('refuses deleting a protected branch', async () => {
    sims.github.state.protections.set(repository, 'kars-prod', { requiredChecks: ['ci'] });
    const stderr = await refusedPush(['push', 'origin', ':kars-prod']);
    assert.match(stderr, /^remote: error: Cannot delete this protected branch\s*$/m);
    assert.notEqual(await prodHead(), null);
  });

  void it('leaves other branches on the ordinary path: a push to kars-dev goes through', async () => {
    sims.github.state.protections.set(repository, 'kars-prod', { requirePullRequest: true });
    const pushed = await commitAndPush(sims.git, {
      owner: 'kars',
      repo: 'kars-app',
      branch: 'kars-dev',
      files: { 'dev.txt': 'dev\n' },
      message: 'Dev change',
      author: grace,
      token: sims.tokens.git,
    });
    assert.equal(await sims.git.branchHead('kars', 'kars-app', 'kars-dev'), pushed.sha);
  });
});
