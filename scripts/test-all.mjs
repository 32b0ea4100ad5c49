// `npm test`: sets up what a fresh clone lacks, then runs every suite (static checks, unit, daemon,
// simulators, real VS Code) and ends with one line summing them: `N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureDebianPackages } from './debianPackages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2); // e.g. `npm test -- unit daemon` runs just those suites
const results = [];

function say(text) {
  process.stdout.write(`\n=== ${text}\n`);
}

/** Runs a command with output shown live; resolves with its exit code and the text it printed. */
function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let text = '';
    const relay = (stream) => (d) => {
      text += d;
      stream.write(d);
    };
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, text }));
  });
}

function ensureInstalled() {
  if (fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) return;
  say('installing dependencies (npm ci)');
  const r = spawnSync('npm', ['ci'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm ci failed');
}

/** Debian's Chromium (with fonts) and what code-server's native modules build with. */
function ensureSystemPackages() {
  const wanted = ['chromium', 'fonts-dejavu-core', 'libkrb5-dev', 'make', 'g++', 'python3'];
  ensureDebianPackages(wanted, 'The VS Code tests', (text) => say(text));
}

/** `*.test.ts` files below a folder (Node 20 has no fs.globSync). */
function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath ?? e.path, e.name)));
}

/** A check counts as one test: passed when the command exits 0. */
async function check(name, cmd, args) {
  say(name);
  const { code } = await run(cmd, args);
  results.push({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 });
}

/** node:test suites: counts from the TAP summary; a crash with no summary counts as one failure. */
async function nodeTests(name, dirs) {
  say(name);
  const files = dirs.flatMap((d) => testFiles(path.join(root, d))).sort();
  // A suite folder renamed or emptied by mistake must not pass by running nothing.
  if (!files.length) {
    process.stdout.write(`no *.test.ts files under ${dirs.join(', ')}: that suite is missing\n`);
    results.push({ name, passed: 0, failed: 1 });
    return;
  }
  const { code, text } = await run(process.execPath, [
    '--import',
    'tsx',
    // Every verdict reaches the report before a forced exit (see the file).
    '--import',
    pathToFileURL(path.join(root, 'scripts', 'blockingStdout.mjs')).href,
    '--test',
    '--test-reporter=tap',
    // A file whose tests have all finished ends even if a stray handle would keep it alive (seen
    // once in 15 runs: a child the test process had long seen exit still counted by libuv).
    '--test-force-exit',
    // A file that waits forever fails with its name instead of hanging CI. Node applies this to
    // each file as a whole (its tests together), not to each test: the heaviest file, the team's
    // promotions against real git, takes 80 s on one free core and once took over 180 s on a
    // machine loaded three times over, all its tests passing. Ten minutes leaves it room and still ends a hang.
    '--test-timeout=600000',
    ...files,
  ]);
  const count = (label) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled') + (code !== 0 && count('fail') === 0 ? 1 : 0);
  const failures = failedTests(text, /^\s*not ok \d+ - (.*)$/, /^error:/);
  results.push({ name, passed, failed, skipped: count('skipped'), failures });
}

/**
 * The names of the tests that failed, each with the first line of what it said, so the summary
 * (the part of a long CI log that is read) names them rather than only counting them.
 */
function failedTests(text, pattern, saying) {
  const lines = text.split('\n');
  const found = [];
  lines.forEach((line, i) => {
    const m = pattern.exec(line);
    if (!m) return;
    const near = lines.slice(i + 1, i + 12).map((l) => l.trim());
    const at = near.findIndex((l) => saying.test(l));
    let said = at < 0 ? undefined : near[at];
    // TAP's YAML puts a long message on the lines after `error: |-`.
    if (said && /^error: [|>]-?$/.test(said)) said = near.slice(at + 1).find((l) => l !== '');
    // A suite fails with its failed subtest, already listed.
    if (said && /^error: '\d+ subtests? failed'$/.test(said)) return;
    found.push(said ? `${m[1]}: ${said.slice(0, 200)}` : m[1]);
  });
  return found;
}

/** The real VS Code suite prints its own `N passed, N failed` as its last line. */
async function vscodeTests() {
  say('vscode (code-server + Chromium)');
  try {
    ensureSystemPackages();
  } catch (e) {
    process.stdout.write(`${e.message}\n`);
    results.push({ name: 'vscode', passed: 0, failed: 1 });
    return;
  }
  const { code, text } = await run(process.execPath, ['--import', 'tsx', 'test/vscode/run.ts']);
  const m = /(\d+) passed, (\d+) failed\s*$/.exec(text.trim());
  const passed = m ? Number(m[1]) : 0;
  const failed = m ? Number(m[2]) : 0;
  const failures = failedTests(text, /^\s*✗ (\[\w+\] .*?)(?: \(\d+ ms\))?$/, /\S/);
  results.push({
    name: 'vscode',
    passed,
    failed: failed + (code !== 0 && failed === 0 ? 1 : 0),
    failures,
  });
}

const suites = {
  static: async () => {
    await check('build', 'npm', ['run', '--silent', 'build']);
    await check('typecheck (tsc --noEmit)', 'npx', ['tsc', '--noEmit', '-p', '.']);
    await check('lint (eslint)', 'npx', ['eslint', '.']);
    await check('format (prettier --check)', 'npx', ['prettier', '--check', '.']);
  },
  unit: () => nodeTests('unit', ['test/unit']),
  daemon: () => nodeTests('daemon', ['test/daemon']),
  sim: () => nodeTests('simulators', ['test/sim']),
  // The demo runs code-server too: `npm run demo` started, opened, then stopped with Ctrl-C.
  vscode: async () => {
    await vscodeTests();
    await nodeTests('demo (npm run demo, Ctrl-C)', ['test/demo']);
  },
};

const unknown = only.filter((name) => !(name in suites));
if (unknown.length) {
  process.stdout.write(
    `unknown suite ${unknown.join(', ')}: use ${Object.keys(suites).join(', ')}\n`,
  );
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}
ensureInstalled();
for (const [name, runSuite] of Object.entries(suites)) {
  if (only.length && !only.includes(name)) continue;
  if (
    name === 'vscode' &&
    !only.includes('vscode') &&
    !fs.existsSync(path.join(root, 'dist', 'extension.js'))
  ) {
    await check('build', 'npm', ['run', '--silent', 'build']);
  }
  await runSuite();
}

say('summary');
for (const r of results) {
  process.stdout.write(
    `  ${r.failed ? 'FAIL' : 'ok  '} ${r.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}\n`,
  );
  for (const f of (r.failures ?? []).slice(0, 20)) process.stdout.write(`       ✗ ${f}\n`);
}
const total = (k) => results.reduce((n, r) => n + (r[k] ?? 0), 0);
process.stdout.write(`${total('passed')} passed, ${total('failed')} failed\n`);
process.exit(total('failed') ? 1 : 0);
