// The change summary and the changes gate's verdict: migration patterns, risky files, PR numbers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_MIGRATION_PATTERNS,
  MAX_LISTED_COMMITS,
  isMigration,
  matchesPattern,
  prNumber,
  riskOf,
  summarizeChanges,
  githubWebBase,
} from '../../daemon/promotion/changeSummary';
import { judgeChanges } from '../../daemon/promotion/gates/changes';
import type { MirrorCommit } from '../../daemon/promotion/gitMirror';

function commit(n: number, message: string, author = 'Ada Lovelace'): MirrorCommit {
  const sha = n.toString(16).padStart(40, '0');
  return { sha, message, author, authorEmail: 'a@x', authoredAt: '2025-01-01T00:00:00Z' };
}

void describe('migration patterns', () => {
  void it('matches a directory ending in "/" at any depth, and only as a whole segment', () => {
    assert.equal(matchesPattern('migrations/001.sql', 'migrations/'), true);
    assert.equal(matchesPattern('backend/migrations/001_init.js', 'migrations/'), true);
    assert.equal(matchesPattern('backend/data-migrations/001.js', 'migrations/'), false);
    assert.equal(matchesPattern('backend/migrations.md', 'migrations/'), false);
    assert.equal(
      matchesPattern('api/prisma/migrations/2025/migration.sql', 'prisma/migrations/'),
      true,
    );
    assert.equal(matchesPattern('db/migrate/20250101_add.rb', 'db/migrate/'), true);
  });

  void it('matches a glob without "/" against the file name, and one with "/" against the path', () => {
    assert.equal(matchesPattern('deep/down/schema.sql', '*.sql'), true);
    assert.equal(matchesPattern('deep/down/schema.sql.bak', '*.sql'), false);
    assert.equal(matchesPattern('db/schema.sql', 'db/*.sql'), true);
    assert.equal(matchesPattern('db/sub/schema.sql', 'db/*.sql'), false);
    assert.equal(matchesPattern('db/sub/schema.sql', 'db/**/*.sql'), true);
    assert.equal(matchesPattern('dbXschema.sql', 'db.schema.sql'), false, 'dots are literal');
  });

  void it('has the default patterns find the usual places, and not ordinary code', () => {
    const hits = [
      'backend/migrations/002_add_index.sql',
      'alembic/versions/abc_add.py',
      'server/migrate/0001.go',
      'seed.sql',
    ];
    for (const file of hits)
      assert.equal(isMigration(file, DEFAULT_MIGRATION_PATTERNS), true, file);
    for (const file of ['backend/src/invoices.js', 'README.md', 'src/migrator.ts'])
      assert.equal(isMigration(file, DEFAULT_MIGRATION_PATTERNS), false, file);
  });
});

void describe('risky files and PR numbers', () => {
  void it('says why a file is risky, and nothing for ordinary files', () => {
    assert.match(riskOf('.github/workflows/ci.yml') ?? '', /workflow/);
    assert.match(riskOf('backend/Dockerfile') ?? '', /image/);
    assert.match(riskOf('Dockerfile.prod') ?? '', /image/);
    assert.match(riskOf('backend/railway.toml') ?? '', /Railway/);
    for (const f of [
      'package.json',
      'web/yarn.lock',
      'pnpm-lock.yaml',
      'requirements.txt',
      'go.mod',
      'Gemfile',
    ])
      assert.match(riskOf(f) ?? '', /dependencies/, f);
    assert.equal(riskOf('backend/src/package.js'), undefined);
    assert.equal(riskOf('docs/github/workflows.md'), undefined);
  });

  void it('reads PR numbers from merge and squash subjects only', () => {
    assert.equal(prNumber('Merge pull request #12 from kars/feature'), 12);
    assert.equal(prNumber('Export invoices as CSV (#42)'), 42);
    assert.equal(prNumber('Fix #7 in totals'), undefined);
    assert.equal(prNumber('Mention (#7) mid-sentence then more'), undefined);
  });
});

void describe('summarizeChanges', () => {
  void it('lists commits with PRs, authors once, migrations and risky files', () => {
    const commits = [
      commit(3, 'Merge pull request #12 from kars/export', 'Grace Hopper'),
      commit(2, 'Add index (#11)'),
      commit(1, 'Fix rounding', 'Grace Hopper'),
    ];
    const files = ['backend/migrations/002.sql', 'backend/package.json', 'backend/src/a.js'];
    const summary = summarizeChanges(commits, files, DEFAULT_MIGRATION_PATTERNS);
    assert.deepEqual(
      summary.commits.map((c) => c.pr),
      [12, 11, undefined],
    );
    assert.equal(summary.commitCount, 3);
    assert.deepEqual(summary.authors, ['Grace Hopper', 'Ada Lovelace']);
    assert.deepEqual(summary.prs, [12, 11]);
    assert.deepEqual(summary.migrations, ['backend/migrations/002.sql']);
    assert.deepEqual(summary.risky, [
      { path: 'backend/package.json', why: 'changes dependencies' },
    ]);
    assert.deepEqual(summary.files, files);
  });

  void it('caps the listed commits but keeps the count', () => {
    const many = Array.from({ length: 120 }, (_, i) => commit(i + 1, `Change ${i}`));
    const summary = summarizeChanges(many, [], []);
    assert.equal(summary.commits.length, MAX_LISTED_COMMITS);
    assert.equal(summary.commitCount, 120);
    assert.equal(summary.commits[0]?.message, 'Change 0', 'newest first, as given');
  });

  void it('uses the patterns it is given, not the defaults', () => {
    const summary = summarizeChanges(
      [commit(1, 'x')],
      ['schema/v2.sql', 'db/changes/1.py'],
      ['db/changes/'],
    );
    assert.deepEqual(summary.migrations, ['db/changes/1.py']);
  });
});

void describe('the changes gate', () => {
  void it('passes when nothing is risky, warns naming migrations and risky files', () => {
    const plain = summarizeChanges(
      [commit(1, 'Fix typo')],
      ['README.md'],
      DEFAULT_MIGRATION_PATTERNS,
    );
    const calm = judgeChanges(plain);
    assert.equal(calm.state, 'pass');
    assert.deepEqual(
      calm.evidence?.map((e) => e.label),
      ['0000000'],
    );

    const files = ['backend/migrations/002.sql', '.github/workflows/ci.yml'];
    const loud = judgeChanges(
      summarizeChanges([commit(1, 'Add index')], files, DEFAULT_MIGRATION_PATTERNS),
    );
    assert.equal(loud.state, 'warn');
    assert.match(loud.detail, /1 migration and 1 risky file/);
    const flagged = loud.evidence?.filter((e) => e.flag === 'warn').map((e) => e.text);
    assert.equal(flagged?.length, 2);
    assert.ok(flagged?.includes('backend/migrations/002.sql'));
  });

  void it('warns that there is nothing to promote when the source brings no commits', () => {
    assert.equal(judgeChanges(summarizeChanges([], [], [])).state, 'warn');
  });
});

void describe('githubWebBase', () => {
  void it('maps api.github.com and Enterprise API addresses to their web addresses', () => {
    assert.equal(githubWebBase('https://api.github.com'), 'https://github.com');
    assert.equal(githubWebBase('https://ghe.acme.io/api/v3'), 'https://ghe.acme.io');
    assert.equal(githubWebBase('http://127.0.0.1:4567'), 'https://github.com');
    assert.equal(githubWebBase(undefined), 'https://github.com');
  });

  void it('links a PR-numbered commit to its pull request', () => {
    const links = { repoUrl: 'https://github.com/acme/kars', targetSha: 'aaa', sourceSha: 'bbb' };
    const c = {
      sha: 'c1',
      message: 'Fix totals (#12)',
      author: 'Ada',
      authorEmail: 'ada@example.com',
      authoredAt: '2026-11-30T10:00:00Z',
    };
    const s = summarizeChanges([c], [], [], links);
    assert.equal(s.commits[0]?.prUrl, 'https://github.com/acme/kars/pull/12');
    assert.equal(s.compareUrl, 'https://github.com/acme/kars/compare/aaa...bbb');
  });
});
