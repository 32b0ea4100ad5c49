// Proves the GitHub simulator answers repository, branch and compare requests in GitHub's shapes from the git server's repositories.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulators, type Simulators } from '../../sim/server';
import { commitAndPush } from '../../sim/git/gitClient';
import { karsPeople } from '../../sim/git/karsRepo';
import { defaultGithubTokens } from '../../sim/github/state';

interface CompareBody {
  status: string;
  ahead_by: number;
  behind_by: number;
  total_commits: number;
  merge_base_commit: { sha: string };
  base_commit: { sha: string };
  commits: {
    sha: string;
    commit: { message: string; author: { name: string; email: string; date: string } };
    author: { login: string } | null;
  }[];
  files: {
    filename: string;
    status: string;
    additions: number;
    deletions: number;
    changes: number;
  }[];
}

void describe('GitHub simulator: repositories and compare', () => {
  let sims: Simulators;
  const get = async (path: string, token = sims.tokens.github.token) => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const res = await fetch(`${sims.urls.github}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  void it('describes kars/kars-app: private, default branch kars-dev, cloned from the git server', async () => {
    const repo = await get('/repos/kars/kars-app');
    assert.equal(repo.status, 200);
    assert.deepEqual(
      [repo.body.full_name, repo.body.default_branch, repo.body.private, repo.body.clone_url],
      ['kars/kars-app', 'kars-dev', true, sims.urls.repo],
    );
  });

  void it('answers a branch with its head, slashes in the name included', async () => {
    const heads = sims.repo!.branches;
    for (const name of ['kars-prod', 'feature/invoice-export'] as const) {
      const branch = await get(`/repos/kars/kars-app/branches/${name}`);
      assert.equal(branch.status, 200);
      assert.equal(branch.body.name, name);
      assert.equal((branch.body.commit as { sha: string }).sha, heads[name]);
    }
  });

  void it("lists a branch's commits newest first, a page at a time, and refuses an unknown ref", async () => {
    const page = await fetch(
      `${sims.urls.github}/repos/kars/kars-app/commits?sha=kars-dev&per_page=2`,
      {
        headers: { authorization: `Bearer ${sims.tokens.github.token}` },
      },
    );
    assert.equal(page.status, 200);
    const commits = (await page.json()) as CompareBody['commits'];
    assert.equal(commits.length, 2);
    assert.equal(commits[0]?.sha, sims.repo!.branches['kars-dev']);
    assert.equal(commits[0]?.commit.message, 'Show invoice totals in the list');
    const next = await fetch(
      `${sims.urls.github}/repos/kars/kars-app/commits?sha=kars-dev&per_page=2&page=2`,
      { headers: { authorization: `Bearer ${sims.tokens.github.token}` } },
    );
    const second = (await next.json()) as CompareBody['commits'];
    assert.equal(second[0]?.commit.message, 'Fix invoice totals rounding');
    const unknown = await get('/repos/kars/kars-app/commits?sha=no-such-branch');
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.message, 'No commit found for SHA: no-such-branch');
  });

  void it('compares kars-prod...kars-dev: ahead by 3, oldest first, authors linked, the migration listed', async () => {
    const res = await get('/repos/kars/kars-app/compare/kars-prod...kars-dev');
    assert.equal(res.status, 200);
    const c = res.body as unknown as CompareBody;
    assert.deepEqual([c.status, c.ahead_by, c.behind_by, c.total_commits], ['ahead', 3, 0, 3]);
    assert.equal(c.merge_base_commit.sha, sims.repo!.branches['kars-prod']);
    assert.equal(c.base_commit.sha, sims.repo!.branches['kars-prod']);
    assert.deepEqual(
      c.commits.map((k) => [k.commit.message, k.commit.author.name, k.author?.login ?? null]),
      [
        ['Fix invoice totals rounding', 'Ada Lovelace', 'ada'],
        ['Add index on invoices.customer_id', 'Grace Hopper', 'grace'],
        ['Show invoice totals in the list', 'Katherine Johnson', null],
      ],
    );
    assert.equal(c.commits[2]?.sha, sims.repo!.branches['kars-dev']);
    assert.equal(c.commits[0]?.commit.author.date, '2025-01-14T11:15:00Z');
    assert.deepEqual(c.files[0], {
      filename: 'backend/migrations/002_add_index.sql',
      status: 'added',
      additions: 1,
      deletions: 0,
      changes: 1,
    });
    assert.equal(c.files.length, 3);
  });

  void it('compares the other way as behind, and sees a new push at once', async () => {
    const behind = (await get('/repos/kars/kars-app/compare/kars-dev...kars-prod')).body;
    assert.deepEqual([behind.status, behind.ahead_by, behind.behind_by], ['behind', 0, 3]);
    const pushed = await commitAndPush(sims.git, {
      ...sims.repo!,
      branch: 'kars-prod',
      files: { 'HOTFIX.md': 'hotfix\n' },
      message: 'Hotfix on prod',
      author: karsPeople.ada,
    });
    const diverged = (await get('/repos/kars/kars-app/compare/kars:kars-prod...kars-dev')).body;
    const c = diverged as unknown as CompareBody;
    assert.deepEqual([c.status, c.ahead_by, c.behind_by], ['diverged', 3, 1]);
    const back = (await get('/repos/kars/kars-app/compare/kars-dev...kars-prod')).body;
    assert.equal((back as unknown as CompareBody).commits.at(-1)?.sha, pushed.sha);
  });

  void it('answers 404 Not Found for unknown repositories and refs, and to a token without the repo scope', async () => {
    const grace = defaultGithubTokens.find((t) => t.login === 'grace')!.token;
    for (const [path, token] of [
      ['/repos/kars/nope', undefined],
      ['/repos/nobody/kars-app', undefined],
      ['/repos/kars/kars-app/compare/kars-prod...no-such-branch', undefined],
      ['/repos/kars/kars-app/compare/kars-prod..kars-dev', undefined],
      ['/repos/kars/kars-app', grace],
    ] as const) {
      const res = await get(path, token);
      assert.equal(res.status, 404, path);
      assert.equal(res.body.message, 'Not Found');
    }
    const branch = await get('/repos/kars/kars-app/branches/no-such-branch');
    assert.deepEqual([branch.status, branch.body.message], [404, 'Branch not found']);
  });

  void it('asks for authentication like the other routes', async () => {
    const res = await get('/repos/kars/kars-app/compare/kars-prod...kars-dev', '');
    assert.deepEqual([res.status, res.body.message], [401, 'Requires authentication']);
  });
});
