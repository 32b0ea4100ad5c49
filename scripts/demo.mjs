// `npm run demo`: builds Railyard and serves a real VS Code (code-server) on 127.0.0.1 with it installed.
//
// Works on a fresh clone: installs dependencies if missing, builds, fetches Node 24 + code-server
// into .cache/vscode/, copies the built extension into a demo extensions dir (loaded like any
// installed extension, no test hooks), and keeps everything up until Ctrl-C, which stops all it
// started. Usage: npm run demo [-- --port 8080] [-- --no-build]
// RAILYARD_DEMO_DIR moves its state (clone, extensions, daemon home, log) out of .cache/ (tests).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVscode } from './ensure-vscode.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stateDir = process.env.RAILYARD_DEMO_DIR ? path.resolve(process.env.RAILYARD_DEMO_DIR) : null;
const demoDir = stateDir ?? path.join(repoRoot, '.cache', 'demo');
const railyardHome = stateDir
  ? path.join(stateDir, 'home')
  : path.join(repoRoot, '.cache', 'demo-home');
const extensionsDir = path.join(demoDir, 'extensions');
const log = (msg) => console.log(`[demo] ${msg}`);

function parseArgs(argv) {
  const options = { port: 8080, build: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg.includes('=') ? arg.split('=')[1] : argv[++i];
      options.port = Number(value);
      // 0 lets the system choose a free port (the printed URL has it).
      if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
        throw new Error(`--port needs a port number (0-65535), got ${JSON.stringify(value)}`);
      }
    } else if (arg === '--no-build') {
      options.build = false;
    } else if (arg === '--help' || arg === '-h') {
      console.log(
        'usage: npm run demo [-- --port N] [-- --no-build]\n' +
          '  --port N    port on 127.0.0.1 (default 8080; 0: any free one)\n' +
          '  --no-build  skip `npm run build` (you just built)',
      );
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${arg}; see --help`);
    }
  }
  return options;
}

function run(cmd, args, { env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? code})`)),
    );
  });
}

async function prepare({ build }) {
  if (!fs.existsSync(path.join(repoRoot, 'node_modules', 'tsx'))) {
    log('node_modules missing: npm ci');
    await run('npm', ['ci']);
  }
  if (build || !fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    log('building: npm run build');
    await run('npm', ['run', 'build']);
  }
  await ensureVscode();
}

/**
 * Installs the built extension the way a .vsix install lays it out: `<publisher>.<name>-<version>`
 * in the extensions dir, with only what ships (code-server scans the dir and registers it).
 */
async function installExtension() {
  // Imported here: it needs the `ignore` package, present only after prepare() ran npm ci.
  const { shippedFiles } = await import('./shippedFiles.mjs');
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const target = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.rmSync(extensionsDir, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  // What a .vsix holds, by .vscodeignore: the bundles, the log grammar (syntaxes/) that colours
  // the Output channels, the railyard.json schema (schemas/), the icons.
  for (const file of shippedFiles(repoRoot)) {
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, file), path.join(target, file));
  }
  log(
    `installed ${pkg.publisher}.${pkg.name} ${pkg.version} into ${path.relative(repoRoot, target)}`,
  );
}

// ───── SIMULATORS ─────────────────────────────────────────────────────────────────────────────
// The Railway, GitHub and git simulators (sim/server.ts) in demo mode: their clock follows the
// wall clock, so a push reaches Railway by webhook, waits for the simulated CI, builds and deploys
// a step (3 s) at a time by itself, and every running service talks (sim/demoTraffic.ts:
// requests, the odd warning or error, Postgres checkpoints), so Tail Logs has something to show.
// The workspace is a clone of kars/kars-app from the git server, so a push from the built-in
// terminal deploys kars-dev and the tree follows it. Teammates push to PR #42's branch every couple
// of minutes (sim/demoLife.ts), now and then a failing build or a crashing deploy; kars-dev and
// kars-prod move only when the user pushes, so a promotion's pinned commit stays valid.
const demoStepMs = 3000;

async function startSimulators(tsImport) {
  const { startSimulators: start, signedInDaemonEnv } = await tsImport(
    '../sim/server.ts',
    import.meta.url,
  );
  const { startDemoTraffic } = await tsImport('../sim/demoTraffic.ts', import.meta.url);
  const { startDemoLife } = await tsImport('../sim/demoLife.ts', import.meta.url);
  const sims = await start({ fixture: 'kars', stepMs: demoStepMs, realTime: true });
  const traffic = startDemoTraffic(sims.railway.state);
  const life = startDemoLife(sims, { onPush: announcePush, onError: (e) => log(`${e}`) });
  // The push in flight finishes first (no git process outlives the demo), then the servers close.
  const stop = async () => {
    await life.stop();
    traffic.stop();
    await sims.close();
  };
  try {
    const env = signedInDaemonEnv(sims);
    const workspace = await cloneDemoRepo(sims.urls.repo, sims.tokens.git);
    return { env, workspace, stop, projectId: env.RAILWAY_PROJECT_ID };
  } catch (e) {
    await stop();
    throw e;
  }
}

function announcePush(push) {
  const ending = {
    SUCCESS: '',
    FAILED: `; this one fails (${push.failure})`,
    CRASHED: '; this one crashes once deployed',
  }[push.outcome];
  log(`${push.author} pushed "${push.message}" to ${push.branch}: kars-pr-42 deploys it${ending}`);
}

/**
 * A fresh clone of kars/kars-app on kars-dev. The token never goes into argv or the remote URL:
 * the clone gets it through GIT_CONFIG_* variables, then an http.extraHeader written straight into
 * the clone's own (0600) .git/config, which is fine for this throwaway demo clone.
 */
async function cloneDemoRepo(url, token) {
  const dir = path.join(demoDir, 'kars-app');
  fs.rmSync(dir, { recursive: true, force: true });
  const header = `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  const auth = {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: header,
  };
  await run('git', ['clone', '--quiet', '--branch', 'kars-dev', url, dir], { env: auth });
  const config = path.join(dir, '.git', 'config');
  fs.appendFileSync(
    config,
    `[http]\n\textraHeader = ${header}\n[user]\n\tname = Ada Lovelace\n\temail = ada@kars.example\n`,
  );
  fs.chmodSync(config, 0o600);
  return dir;
}

/** `railyard daemon <action>` against the demo's state directory, with `env` added; resolves with its exit code. */
function daemonCli(action, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'dist', 'cli.js'), 'daemon', action],
      {
        env: { ...process.env, RAILYARD_HOME: railyardHome, ...env },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const stopDaemon = () => daemonCli('stop');

async function main() {
  const { port, build } = parseArgs(process.argv.slice(2));
  await prepare({ build });
  // tsx is a devDependency, present only after prepare(); it loads the TypeScript harness.
  const { tsImport } = await import('tsx/esm/api');
  const { startCodeServer } = await tsImport('./codeServer.ts', import.meta.url);
  await installExtension();
  fs.mkdirSync(railyardHome, { recursive: true });
  // A daemon left by an earlier demo would still point at that run's simulators.
  await stopDaemon();

  const run = new DemoRun();
  const sims = await run.starting(
    () => startSimulators(tsImport),
    (s) => s.stop,
  );
  // Last to stop: by then no window can start it again.
  run.stopLast(stopDaemon);
  await run.starting(
    () => startDaemon(sims.env),
    () => null,
  );
  const server = await run.starting(
    () => startCodeServer(codeServerOptions(sims, port)),
    (s) => () => s.stop(),
  );
  void server.exited.then((code) => {
    if (run.stopping()) return;
    log(`code-server exited unexpectedly (${code}); see ${path.join(demoDir, 'code-server.log')}`);
    void run.stopAll(1);
  });
  if (run.started()) printReady(server.url, sims.workspace, sims.projectId);
}

/**
 * Started before any window, signed in to the simulators and kept while the demo runs: the windows
 * and the CLI find it. (The extension wakes only when its view is opened, a window would start a
 * daemon of its own, and one the CLI started first would have the terminal's environment: real
 * Railway, no token.)
 */
async function startDaemon(simEnv) {
  const code = await daemonCli('start', { ...simEnv, RAILYARD_IDLE_TIMEOUT: '0' });
  if (code !== 0) throw new Error(`railyard daemon start failed (${code}); see its message above`);
}

function codeServerOptions(sims, port) {
  return {
    workspace: sims.workspace,
    port,
    extensionsDir,
    smokeTestDriver: false,
    env: { RAILYARD_HOME: railyardHome, ...sims.env },
    settings: { 'git.enabled': true, 'git.openRepositoryInParentFolders': 'never' },
    logFile: path.join(demoDir, 'code-server.log'),
  };
}

/**
 * What the demo started, and how to stop it: Ctrl-C (SIGINT) or SIGTERM stops it all, newest
 * first, then exits. A signal while something is still starting waits for it, so that it is
 * stopped too rather than left running.
 */
class DemoRun {
  #stops = [];
  #stopping;
  #signalled = false;
  #inFlight = 0;

  constructor() {
    const onSignal = () => {
      this.#signalled = true;
      if (this.#inFlight === 0) void this.stopAll(0);
      else log('stopping as soon as what is starting is up');
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  }

  stopping() {
    return this.#stopping !== undefined;
  }

  started() {
    return !this.#signalled;
  }

  stopLast(stop) {
    this.#stops.unshift(stop);
  }

  stopAll(code) {
    return this.#stopEverything().finally(() => process.exit(code));
  }

  /**
   * Starts something and registers how to stop it (a null stop: nothing to stop). After a signal
   * it starts nothing more: the process is about to exit.
   */
  async starting(start, stopOf) {
    if (this.#signalled) return new Promise(() => {});
    this.#inFlight += 1;
    try {
      const value = await start();
      const stop = stopOf(value);
      if (stop) this.#stops.push(stop);
      return value;
    } catch (e) {
      await this.#stopEverything();
      throw e;
    } finally {
      this.#inFlight -= 1;
      if (this.#signalled && this.#inFlight === 0) void this.stopAll(0);
    }
  }

  #stopEverything() {
    this.#stopping ??= (async () => {
      log('stopping code-server, the daemon and the simulators');
      for (const stop of [...this.#stops].reverse()) await stop().catch((e) => console.error(e));
    })();
    return this.#stopping;
  }
}

function printReady(url, folder, projectId) {
  const home = path.relative(process.cwd(), railyardHome) || '.';
  const cli = path.relative(process.cwd(), path.join(repoRoot, 'dist', 'cli.js'));
  console.log(`
  Railyard demo is running.

    open  ${url}/?folder=${encodeURIComponent(folder)}

  Open Railyard in the activity bar (it wakes when its view opens); the status bar then shows its
  daemon ("Railyard") and production ("kars-prod: healthy").
  The services talk: "Tail Logs" on a service row (or "Railyard: Tail Logs…") shows its live log.
  The folder is a clone of kars/kars-app on kars-dev, against simulated Railway, GitHub and git.
  Teammates push to PR #42's branch every couple of minutes (a line here says so): kars-pr-42,
  under "Pull request environments", redeploys, and now and then a build fails or a deploy crashes.
  kars-dev and kars-prod change only when you push.
  Deploy kars-dev from the terminal (Ctrl+\`): git commit --allow-empty -m "Try a deploy" && git push
  (the tree sees the push within about 10 seconds, from the branch heads; Railway hears of it by
  GitHub's webhook a step later, and it moves waiting for CI → queued → building → deploying →
  deployed on its own, a step every 3 s; a tailed log follows the new deployment).
  Promote: F1 → "Railyard: Promote…" (or the rocket on kars-dev's row) opens the checklist for
  kars-dev → kars-prod: tick QA's sign-off, type kars-prod, Promote, and watch production deploy in
  the panel; the Promotions view keeps the history, and Roll back / Revert wait there if it fails.
  Daemon state: ${path.relative(repoRoot, railyardHome)}  code-server log: ${path.relative(repoRoot, demoDir)}/code-server.log

  The CLI, against this demo's daemon (another terminal, from here):
    export RAILYARD_HOME=${home} RAILWAY_PROJECT_ID=${projectId}
    node ${cli} status --folder ${path.relative(process.cwd(), folder)}
    node ${cli} logs kars-backend --folder ${path.relative(process.cwd(), folder)}
    node ${cli} promote kars-dev kars-prod --sign-off --folder ${path.relative(process.cwd(), folder)}
  (the promotion: QA's sign-off recorded on GitHub, every gate as it resolves, a backup of kars-prod's
  Postgres volume since the change ships a migration, then it asks; type kars-prod to merge, push and
  watch production deploy and stay healthy for a minute. \`promote status\` and \`promote history\` after)
  (without RAILYARD_HOME the CLI uses your own daemon, which is not signed in to the simulators)
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
