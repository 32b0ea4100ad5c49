// Seeds `kars/kars-app`, the team's repository, with a small history whose shas are the same on every run.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitOut, identityEnv, runGit, type GitIdentity } from './gitRun';
import type { GitServer } from './gitServer';

export const karsOwner = 'kars';
export const karsRepoName = 'kars-app';

export const karsPeople = {
  ada: { name: 'Ada Lovelace', email: 'ada@kars.example' },
  grace: { name: 'Grace Hopper', email: 'grace@kars.example' },
  katherine: { name: 'Katherine Johnson', email: 'katherine@kars.example' },
} as const;

export interface KarsRepo {
  owner: string;
  repo: string;
  path: string;
  url: string;
  branches: { 'kars-dev': string; 'kars-prod': string; 'feature/invoice-export': string };
  /** Every seeded commit by role, oldest first. */
  commits: {
    initial: string;
    invoiceList: string;
    release: string;
    totalsFix: string;
    customerIndex: string;
    totalsInList: string;
    invoiceExport: string;
  };
}

const files = {
  readme:
    '# kars-app\n\nInvoices for KARS. `kars-dev` deploys to development, `kars-prod` to production.\n',
  backendPackage:
    '{\n  "name": "kars-backend",\n  "private": true,\n  "scripts": { "start": "node src/server.js" }\n}\n',
  server: [
    "const http = require('node:http');",
    'http',
    '  .createServer((req, res) => {',
    '    if (req.url === \'/api/health\') return res.end(\'{"status":"ok","database":"connected"}\');',
    '    res.statusCode = 404;',
    '    res.end();',
    '  })',
    '  .listen(process.env.PORT ?? 3000);',
    '',
  ].join('\n'),
  initSql:
    'CREATE TABLE invoices (\n  id serial PRIMARY KEY,\n  customer_id integer NOT NULL,\n  total_cents integer NOT NULL\n);\n',
  frontendIndex:
    '<!doctype html>\n<title>KARS invoices</title>\n<main id="app"></main>\n<script src="invoices.js"></script>\n',
  invoicesApi: 'exports.total = (lines) => lines.reduce((sum, l) => sum + l.cents, 0) / 100;\n',
  invoicesApiFixed: 'exports.total = (lines) => lines.reduce((sum, l) => sum + l.cents, 0);\n',
  invoicesList: "document.getElementById('app').textContent = 'Invoices';\n",
  invoicesListTotals: "document.getElementById('app').textContent = 'Invoices (totals in EUR)';\n",
  indexSql: 'CREATE INDEX invoices_customer_id_idx ON invoices (customer_id);\n',
  exportApi:
    "exports.csv = (invoices) => invoices.map((i) => `${i.id},${i.total_cents}`).join('\\n');\n",
};

function at(who: GitIdentity, date: string): GitIdentity {
  return { ...who, date: `${date}+00:00` };
}

async function commit(
  work: string,
  changes: Record<string, string>,
  message: string,
  who: GitIdentity,
) {
  for (const [relative, content] of Object.entries(changes)) {
    await fs.mkdir(path.dirname(path.join(work, relative)), { recursive: true });
    await fs.writeFile(path.join(work, relative), content);
  }
  await runGit(['add', '--all'], { cwd: work });
  await runGit(['commit', '--quiet', '-m', message], { cwd: work, env: identityEnv(who) });
  return gitOut(['rev-parse', 'HEAD'], { cwd: work });
}

async function checkout(work: string, branch: string): Promise<void> {
  await runGit(['checkout', '--quiet', branch], { cwd: work });
}

/** The first release: two commits on dev, merged into prod with --no-ff, then prod merged back into dev. */
async function firstRelease(work: string) {
  const initial = await commit(
    work,
    {
      'README.md': files.readme,
      'backend/package.json': files.backendPackage,
      'backend/src/server.js': files.server,
      'backend/migrations/001_init.sql': files.initSql,
      'frontend/index.html': files.frontendIndex,
    },
    'Initial backend, frontend and database schema',
    at(karsPeople.ada, '2025-01-06T09:00:00'),
  );
  await runGit(['branch', 'kars-prod'], { cwd: work });
  const invoiceList = await commit(
    work,
    { 'backend/src/invoices.js': files.invoicesApi, 'frontend/invoices.js': files.invoicesList },
    'Add invoice list',
    at(karsPeople.grace, '2025-01-07T14:30:00'),
  );
  await checkout(work, 'kars-prod');
  const message = "Merge branch 'kars-dev' into kars-prod";
  const release = at(karsPeople.ada, '2025-01-13T10:00:00');
  await runGit(['merge', '--quiet', '--no-ff', '-m', message, 'kars-dev'], {
    cwd: work,
    env: identityEnv(release),
  });
  await checkout(work, 'kars-dev');
  await runGit(['merge', '--quiet', '--ff-only', 'kars-prod'], { cwd: work });
  return { initial, invoiceList, release: await gitOut(['rev-parse', 'HEAD'], { cwd: work }) };
}

/** The week after: three commits on dev that prod has not got yet, one of them a migration. */
async function nextWeek(work: string) {
  const totalsFix = await commit(
    work,
    { 'backend/src/invoices.js': files.invoicesApiFixed },
    'Fix invoice totals rounding',
    at(karsPeople.ada, '2025-01-14T11:15:00'),
  );
  const customerIndex = await commit(
    work,
    { 'backend/migrations/002_add_index.sql': files.indexSql },
    'Add index on invoices.customer_id',
    at(karsPeople.grace, '2025-01-15T16:40:00'),
  );
  const totalsInList = await commit(
    work,
    { 'frontend/invoices.js': files.invoicesListTotals },
    'Show invoice totals in the list',
    at(karsPeople.katherine, '2025-01-16T10:05:00'),
  );
  return { totalsFix, customerIndex, totalsInList };
}

/** The branch of PR #42 (Railway's ephemeral environment kars-pr-42): one commit on top of dev. */
async function featureBranch(work: string) {
  await runGit(['checkout', '--quiet', '-b', 'feature/invoice-export'], { cwd: work });
  const invoiceExport = await commit(
    work,
    { 'backend/src/export.js': files.exportApi },
    'Export invoices as CSV',
    at(karsPeople.grace, '2025-01-17T13:20:00'),
  );
  await checkout(work, 'kars-dev');
  return { invoiceExport };
}

/**
 * Creates `kars/kars-app` on the server: `kars-dev` three commits ahead of `kars-prod` (one adds
 * `backend/migrations/002_add_index.sql`), prod behind by none since the last release was merged back,
 * and `feature/invoice-export` one commit ahead of dev.
 * Written straight into the bare repository, so no push events fire: this is the world before the test.
 */
export async function seedKarsRepo(server: GitServer): Promise<KarsRepo> {
  const created = await server.createRepo(karsOwner, karsRepoName, { defaultBranch: 'kars-dev' });
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'railyard-git-kars-'));
  try {
    await runGit(['init', '--quiet', '--initial-branch=kars-dev'], { cwd: work });
    const first = await firstRelease(work);
    const next = await nextWeek(work);
    const feature = await featureBranch(work);
    const heads = ['kars-dev', 'kars-prod', 'feature/invoice-export'];
    await runGit(['push', '--quiet', created.path, ...heads], { cwd: work });
    const branches = {
      'kars-dev': next.totalsInList,
      'kars-prod': first.release,
      'feature/invoice-export': feature.invoiceExport,
    };
    return {
      owner: karsOwner,
      repo: karsRepoName,
      ...created,
      branches,
      commits: { ...first, ...next, ...feature },
    };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
