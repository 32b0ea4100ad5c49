// The release tag a successful promotion pushes on its merge commit: the next free name of
// railyard.json's pattern ("release-{date}-{n}"), and the rules git has for a tag's name, checked
// here so a bad pattern is a clear sentence before anything is pushed, not git's refusal after.

const DATE = '{date}';
const N = '{n}';
// Control characters, space, and the characters git reserves for revision syntax and globs.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\x00-\x20\x7f~^:?*[\\]/;

/**
 * Why git would refuse `refs/tags/<name>` (the rules of `git check-ref-format`), or undefined
 * when it would take it.
 */
export function tagNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  const bad = FORBIDDEN.exec(name);
  if (bad) return `it contains ${JSON.stringify(bad[0])}`;
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('@{')) return 'it contains "@{"';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//'))
    return 'it has an empty path component ("/" at an end, or "//")';
  if (name.endsWith('.')) return 'it ends with "."';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return `its component "${part}" starts with "."`;
    if (part.endsWith('.lock')) return `its component "${part}" ends with ".lock"`;
  }
  return undefined;
}

/** The UTC calendar day, as {date} is written: YYYY-MM-DD. */
function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function checkPattern(pattern: string, now: Date): void {
  if (typeof pattern !== 'string' || pattern === '')
    throw new Error('The release tag pattern is empty');
  if (pattern.split(N).length !== 2)
    throw new Error(
      `The release tag pattern "${pattern}" needs {n} exactly once, so two releases a day get two tags`,
    );
  const unknown = /\{(?!date\}|n\})[^}]*\}/.exec(pattern);
  if (unknown)
    throw new Error(
      `The release tag pattern "${pattern}" has ${unknown[0]}: only {date} and {n} are known`,
    );
  if (!(now instanceof Date) || Number.isNaN(now.getTime()))
    throw new Error('The release tag needs a valid date');
}

/**
 * The next tag of `pattern` for the UTC day of `now`: {n} is one more than the highest n already
 * taken (in `existing`) for that exact expansion, so release-2026-11-30-1, then -2. A pattern
 * without {date} counts across days. Throws an Error saying why when the pattern is not usable or
 * makes a name git refuses.
 */
export function nextTagName(pattern: string, now: Date, existing: Iterable<string>): string {
  checkPattern(pattern, now);
  const [before = '', after = ''] = pattern.split(DATE).join(utcDay(now)).split(N);
  const taken = new RegExp(`^${escapeRegExp(before)}(\\d+)${escapeRegExp(after)}$`);
  let highest = 0;
  for (const name of existing) {
    const m = taken.exec(name);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  const name = `${before}${highest + 1}${after}`;
  const problem = tagNameProblem(name);
  if (problem)
    throw new Error(
      `The release tag pattern "${pattern}" makes "${name}", which git refuses as a tag name: ${problem}`,
    );
  return name;
}
