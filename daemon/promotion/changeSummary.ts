// What a promotion brings, as the checklist shows it: commits, authors, PRs, files, migrations and
// the files worth a second look. Pure: the mirror's answers in, a protocol ChangeSummary out.
import type { ChangeSummary } from '../../protocol/protocol';
import type { MirrorCommit } from './gitMirror';

/** Where migrations usually live; railyard.json's `migrations` replaces this list. */
export const DEFAULT_MIGRATION_PATTERNS: readonly string[] = [
  'migrations/',
  'migrate/',
  'prisma/migrations/',
  'db/migrate/',
  'alembic/',
  '*.sql',
];

/** The list the checklist shows is capped; commitCount keeps the total. */
export const MAX_LISTED_COMMITS = 50;

const WORKFLOWS = '.github/workflows/';

const MANIFESTS = new Set([
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'requirements.txt',
  'Pipfile',
  'Pipfile.lock',
  'poetry.lock',
  'pyproject.toml',
  'go.mod',
  'go.sum',
  'Gemfile',
  'Gemfile.lock',
  'Cargo.toml',
  'Cargo.lock',
  'composer.json',
  'composer.lock',
]);

function basename(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function globRegex(glob: string): RegExp {
  const body = glob
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('.*');
  return new RegExp(`^${body}$`);
}

/**
 * A directory ending in "/" matches at any depth (`migrations/` matches
 * `backend/migrations/001.sql`); a pattern without "/" matches the file name at any depth
 * (`*.sql`); any other pattern matches the whole path, `*` within a segment and `**` across them.
 */
export function matchesPattern(file: string, pattern: string): boolean {
  if (pattern.endsWith('/')) return file.startsWith(pattern) || file.includes(`/${pattern}`);
  if (!pattern.includes('/')) return globRegex(pattern).test(basename(file));
  return globRegex(pattern.replace(/^\//, '')).test(file);
}

export function isMigration(file: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesPattern(file, p));
}

export function workflowFiles(files: readonly string[]): string[] {
  return files.filter((f) => f.startsWith(WORKFLOWS));
}

/** Why a file deserves a second look before production, or undefined. */
export function riskOf(file: string): string | undefined {
  const name = basename(file);
  if (file.startsWith(WORKFLOWS))
    return 'GitHub Actions workflow: runs with the repository secrets, and pushing it needs the workflow scope';
  if (/^Dockerfile(\..+)?$|\.dockerfile$/i.test(name)) return 'changes how the image is built';
  if (name === 'railway.json' || name === 'railway.toml')
    return 'changes how Railway builds and deploys the service';
  if (name === 'nixpacks.toml' || name === 'Procfile')
    return 'changes how the service is built or started';
  if (MANIFESTS.has(name)) return 'changes dependencies';
  return undefined;
}

/** `Merge pull request #12 from …` or a squash merge's `… (#12)`. */
export function prNumber(subject: string): number | undefined {
  const m = /^Merge pull request #(\d+) from /.exec(subject) ?? /\(#(\d+)\)\s*$/.exec(subject);
  return m ? Number(m[1]) : undefined;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/**
 * GitHub's web address for an API address: api.github.com → github.com, Enterprise's
 * https://host/api/v3 → https://host. Any other (the simulator) is taken as github.com, whose
 * links its answers carry too.
 */
export function githubWebBase(apiUrl: string | undefined): string {
  const m = apiUrl ? /^(https?:\/\/[^/]+)\/api\/v3\/?$/.exec(apiUrl) : null;
  return m?.[1] ?? 'https://github.com';
}

/** Where a change's commits, pull requests and whole diff are on GitHub's web. */
export interface ChangeLinks {
  /** e.g. https://github.com/acme/app */
  repoUrl: string;
  targetSha: string;
  sourceSha: string;
}

function commitOf(c: MirrorCommit, links: ChangeLinks | undefined) {
  const pr = prNumber(c.message);
  return {
    sha: c.sha,
    message: c.message,
    author: c.author,
    date: c.authoredAt,
    ...(pr === undefined ? {} : { pr }),
    ...(links ? { url: `${links.repoUrl}/commit/${c.sha}` } : {}),
    ...(links && pr !== undefined ? { prUrl: `${links.repoUrl}/pull/${pr}` } : {}),
  };
}

/** Commits newest first, as the mirror lists them; files as they change from the merge base. */
export function summarizeChanges(
  commits: readonly MirrorCommit[],
  files: readonly string[],
  migrationPatterns: readonly string[],
  links?: ChangeLinks,
): ChangeSummary {
  const listed = commits.slice(0, MAX_LISTED_COMMITS).map((c) => commitOf(c, links));
  const risky = files.flatMap((path) => {
    const why = riskOf(path);
    return why === undefined ? [] : [{ path, why }];
  });
  return {
    commits: listed,
    commitCount: commits.length,
    authors: unique(commits.map((c) => c.author)),
    files: [...files],
    migrations: files.filter((f) => isMigration(f, migrationPatterns)),
    risky,
    prs: unique(commits.flatMap((c) => prNumber(c.message) ?? [])),
    ...(links
      ? { compareUrl: `${links.repoUrl}/compare/${links.targetSha}...${links.sourceSha}` }
      : {}),
  };
}
