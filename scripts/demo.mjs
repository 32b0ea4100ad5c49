// `npm run demo`: builds Railyard and serves a real VS Code (code-server) on 127.0.0.1 with it installed.
//
// Works on a fresh clone: installs dependencies if missing, builds, fetches Node 24 + code-server
// into .cache/vscode/, copies the built extension into a demo extensions dir (loaded like any
// installed extension, no test hooks), and keeps everything up until Ctrl-C.
// Usage: npm run demo [-- --port 8080]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVscode } from './ensure-vscode.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demoDir = path.join(repoRoot, '.cache', 'demo');
const railyardHome = path.join(repoRoot, '.cache', 'demo-home');
const workspace = path.join(demoDir, 'workspace');
const extensionsDir = path.join(demoDir, 'extensions');
const log = (msg) => console.log(`[demo] ${msg}`);

function parseArgs(argv) {
  const options = { port: 8080 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg.includes('=') ? arg.split('=')[1] : argv[++i];
      options.port = Number(value);
      if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
        throw new Error(`--port needs a port number, got ${JSON.stringify(value)}`);
      }
    } else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm run demo [-- --port N]   (default port 8080, 127.0.0.1 only)');
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${arg}; see --help`);
    }
  }
  return options;
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? code})`)),
    );
  });
}

async function prepare() {
  if (!fs.existsSync(path.join(repoRoot, 'node_modules', 'tsx'))) {
    log('node_modules missing: npm ci');
    await run('npm', ['ci']);
  }
  log('building: npm run build');
  await run('npm', ['run', 'build']);
  await ensureVscode();
}

/**
 * Installs the built extension the way a .vsix install lays it out: `<publisher>.<name>-<version>`
 * in the extensions dir, with only what ships (code-server scans the dir and registers it).
 */
function installExtension() {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const target = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.rmSync(extensionsDir, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  for (const entry of ['package.json', 'dist', 'media', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
    const from = path.join(repoRoot, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(target, entry), { recursive: true });
  }
  // The in-editor test bundle is not part of the product.
  fs.rmSync(path.join(target, 'dist', 'test'), { recursive: true, force: true });
  log(
    `installed ${pkg.publisher}.${pkg.name} ${pkg.version} into ${path.relative(repoRoot, target)}`,
  );
}

// ───── SIMULATORS ─────────────────────────────────────────────────────────────────────────────
// Place for the Railway/GitHub/git simulators (test/sim/server.ts, `startSimulators()`): start
// them here, return the environment the daemon needs to talk to them instead of the real APIs
// (API URLs, tokens, the demo repository) and how to stop them. Until then the demo runs against
// nothing: the extension connects to its daemon and shows the sign-in welcome.
async function startSimulators(_tsImport) {
  // const { startSimulators } = await _tsImport('../test/sim/server.ts', import.meta.url);
  // const sims = await startSimulators({ ... });
  // return { env: { ...sims.env }, stop: () => sims.stop(), workspace: sims.workspaceDir };
  return { env: {}, stop: async () => {} };
}
// ─────────────────────────────────────────────────────────────────────────────────────────────

async function stopDaemon() {
  await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'dist', 'cli.js'), 'daemon', 'stop'],
      {
        env: { ...process.env, RAILYARD_HOME: railyardHome },
        stdio: 'inherit',
      },
    );
    child.on('error', resolve);
    child.on('exit', resolve);
  });
}

async function main() {
  const { port } = parseArgs(process.argv.slice(2));
  await prepare();
  // tsx is a devDependency, present only after prepare(); it loads the TypeScript harness.
  const { tsImport } = await import('tsx/esm/api');
  const { startCodeServer } = await tsImport('../test/vscode/codeServer.ts', import.meta.url);
  installExtension();
  fs.mkdirSync(workspace, { recursive: true });
  fs.mkdirSync(railyardHome, { recursive: true });

  const stops = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => console.error(e));
  };
  let stopping;
  const onSignal = () => {
    if (stopping) return;
    log('stopping code-server, the daemon and the simulators');
    stopping = stopAll().finally(() => process.exit(0));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);

  try {
    const sims = await startSimulators(tsImport);
    stops.push(sims.stop);
    // Last to stop: by then no window can start it again.
    stops.unshift(stopDaemon);
    const server = await startCodeServer({
      workspace: sims.workspace ?? workspace,
      port,
      extensionsDir,
      smokeTestDriver: false,
      env: { RAILYARD_HOME: railyardHome, ...sims.env },
      settings: { 'git.enabled': true, 'git.openRepositoryInParentFolders': 'never' },
      logFile: path.join(demoDir, 'code-server.log'),
    });
    stops.push(() => server.stop());
    void server.exited.then((code) => {
      if (stopping) return;
      log(
        `code-server exited unexpectedly (${code}); see ${path.join(demoDir, 'code-server.log')}`,
      );
      stopping = stopAll().finally(() => process.exit(1));
    });
    printReady(server.url, sims.workspace ?? workspace);
  } catch (e) {
    await stopAll();
    throw e;
  }
}

function printReady(url, folder) {
  console.log(`
  Railyard demo is running.

    open  ${url}/?folder=${encodeURIComponent(folder)}

  Railyard is in the activity bar; its daemon state is in the status bar ("Railyard").
  Daemon state: ${path.relative(repoRoot, railyardHome)}  code-server log: ${path.relative(repoRoot, demoDir)}/code-server.log
  Ctrl-C stops everything.
`);
}

main().catch((e) => {
  console.error(`[demo] ${e instanceof Error ? e.message : e}`);
  if (/EADDRINUSE|address already in use/i.test(String(e?.message))) {
    console.error('[demo] that port is taken; pick another with: npm run demo -- --port 8081');
  }
  process.exit(1);
});
