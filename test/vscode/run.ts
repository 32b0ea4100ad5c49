// The VS Code test runner: real code-server + Chromium against the Railway/GitHub/git simulators;
// runs the in-extension-host suite, then the UI suite, prints every result and, as its last line,
// exactly `N passed, N failed`.
// Usage: npm run build && node --import tsx test/vscode/run.ts [--grep <text>] [--integration]
// (--grep: only the UI tests whose full title contains the text; the integration suite is skipped.
// --integration: only the integration suite, with --grep choosing among its tests)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureVscode, startCodeServer, type CodeServer } from '../../scripts/codeServer';
import { integrationBundle, runIntegrationSuite } from './integrationSuite';
import { runMochaSuite } from './mochaSuite';
import { disposeHome, makeHome } from './railyardHome';
import { formatResult, summaryLine, type TestResult } from './results';
import { startSimWorld, type SimWorld } from './simWorld';
import { defineEnvironmentTests } from './ui/environments.uitest';
import { defineLogTests } from './ui/logs.uitest';
import { defineMetricsPanelTests } from './ui/metricsPanel.uitest';
import { definePackagedExtensionTests } from './ui/packagedExtension.uitest';
import { definePromotionPanelTests } from './ui/promotionPanel.uitest';
import { defineRestrictedTests } from './ui/restricted.uitest';
import { defineTeamPromotionTests } from './ui/teamPromotion.uitest';
import { defineUiTests } from './ui/workbench.uitest';
import { defineWalkthroughTests } from './ui/walkthrough.uitest';
import { launchBrowser, repoRoot, screenshotDir } from './workbench';

const logDir = path.join(repoRoot, 'test-results', 'vscode');
const built = [
  'dist/extension.js',
  'dist/extensionMain.js',
  'dist/daemon.js',
  'dist/cli.js',
  integrationBundle,
];
const grep = grepArgument(process.argv.slice(2));
const integrationOnly = process.argv.includes('--integration');

/** `--grep <text>` or `--grep=<text>`; undefined runs everything. */
function grepArgument(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--grep' || a.startsWith('--grep='));
  if (i < 0) return undefined;
  const arg = argv[i]!;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  if (!value) throw new Error('--grep needs the text a test title contains');
  return value;
}

/** Cleanups run in reverse order, once, whether the run ends normally or by a signal. */
class Cleanup {
  private readonly steps: (() => Promise<void> | void)[] = [];
  private running: Promise<void> | undefined;
  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        await Promise.resolve(step()).catch((e: unknown) => console.error('cleanup failed:', e));
      }
    })();
    return this.running;
  }
}

async function main(): Promise<number> {
  const results: TestResult[] = [];
  const missing = built.filter((f) => !fs.existsSync(path.resolve(repoRoot, f)));
  if (missing.length > 0) {
    const error = `missing ${missing.join(', ')}: run npm run build`;
    console.log(formatResult({ suite: 'integration', title: 'build', status: 'fail', error }));
    console.log(summaryLine([{ suite: 'integration', title: 'build', status: 'fail' }]));
    return 1;
  }
  const cleanup = new Cleanup();
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`${signal}: stopping code-server, browser and daemons`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    await runSuites(cleanup, (r) => {
      results.push(r);
      console.log(formatResult(r));
    });
  } catch (e) {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    results.push({ suite: 'ui', title: 'test harness', status: 'fail', error });
    console.log(formatResult(results[results.length - 1]!));
  } finally {
    await cleanup.run();
  }
  console.log(`logs: ${path.relative(repoRoot, logDir)}/, screenshots: test-results/screenshots/`);
  console.log(summaryLine(results));
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}

async function runSuites(cleanup: Cleanup, onResult: (r: TestResult) => void): Promise<void> {
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  await ensureVscode();
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  removeOldFailureScreenshots();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-test-workspace-'));
  cleanup.add(() => fs.rmSync(workspace, { recursive: true, force: true }));
  const homes = {
    integration: makeHome('integration'),
    ui: makeHome('ui'),
    restricted: makeHome('restricted'),
  };
  // Registered first, so they run last: no extension host is left to restart a daemon by then.
  for (const home of Object.values(homes)) cleanup.add(() => disposeHome(home));
  const world = await startSimWorld();
  cleanup.add(() => world.sims.close());
  // Two servers: the suites that deploy need their folder trusted (trust off, as before); the
  // restricted-mode suite needs VS Code's workspace trust on, so its folder opens untrusted.
  const [server, restrictedServer] = await Promise.all([
    startServer(cleanup, { workspace, home: homes.ui, world, name: 'code-server' }),
    startServer(cleanup, {
      workspace,
      home: homes.restricted,
      world,
      name: 'code-server-restricted',
      workspaceTrust: true,
    }),
  ]);
  const browser = await launchBrowser();
  cleanup.add(() => browser.close());
  console.log(
    `code-server ${server.url} (and, trust on, ${restrictedServer.url}) and Chromium up after ${elapsed()}`,
  );

  if (grep === undefined || integrationOnly) {
    console.log('integration suite (inside the extension host):');
    const logFile = path.join(logDir, 'integration-window.log');
    const home = homes.integration;
    // The promotion panel's plan backs kars-prod up (the change ships a migration), a workflow on
    // the simulated clock: it follows the wall clock while this suite runs, which drives no other
    // simulated time; the UI suite moves it by hand again.
    world.sims.clock.followWallClock(250);
    try {
      await runIntegrationSuite({ server, browser, workspace, home, logFile, onResult, grep });
    } finally {
      world.sims.clock.stopFollowing();
    }
  }
  if (integrationOnly) return;
  console.log(`ui suite (driving the workbench), after ${elapsed()}:`);
  const restricted = { server: restrictedServer, home: homes.restricted };
  await runUiSuite(
    { server, browser, workspace, home: homes.ui, logDir, world, restricted },
    onResult,
  );
  console.log(`done after ${elapsed()}`);
}

/** Failure screenshots of an earlier run would read as this run's. */
function removeOldFailureScreenshots(): void {
  if (!fs.existsSync(screenshotDir)) return;
  for (const file of fs.readdirSync(screenshotDir)) {
    if (file.startsWith('failed-')) fs.rmSync(path.join(screenshotDir, file));
  }
}

interface ServerPlan {
  workspace: string;
  home: string;
  world: SimWorld;
  /** Names its log file. */
  name: string;
  workspaceTrust?: boolean;
}

/** The simulators' environment reaches every extension host, hence every daemon, through code-server. */
async function startServer(cleanup: Cleanup, plan: ServerPlan): Promise<CodeServer> {
  const logFile = path.join(logDir, `${plan.name}.log`);
  const env = { ...plan.world.daemonEnv, RAILYARD_HOME: plan.home };
  const { workspace, workspaceTrust } = plan;
  const server = await startCodeServer({ workspace, env, logFile, workspaceTrust });
  cleanup.add(() => server.stop());
  return server;
}

async function runUiSuite(
  ctx: Parameters<typeof defineUiTests>[0],
  onResult: (r: TestResult) => void,
): Promise<void> {
  await runMochaSuite({
    suite: 'ui',
    timeoutMs: 120_000,
    grep,
    define: () => {
      defineUiTests(ctx);
      // Before the suites that change the kars project: its tree waits for the fixture as it is.
      definePackagedExtensionTests(ctx);
      defineEnvironmentTests(ctx);
      defineTeamPromotionTests(ctx);
      defineLogTests(ctx);
      defineRestrictedTests(ctx);
      defineMetricsPanelTests(ctx);
      defineWalkthroughTests(ctx);
      // Last: its promotions and rollback leave kars-prod with new deployments the others do not expect.
      definePromotionPanelTests(ctx);
    },
    onResult,
  });
}

void main().then((code) => process.exit(code));
