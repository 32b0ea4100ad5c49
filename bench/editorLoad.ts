// The editor under log load, in the real VS Code (code-server + Chromium): the extension host's CPU
// and keystroke-to-paint in a text editor while ten Railyard Output channels each receive 500
// lines/s, beside the same measures with no channel tailing, idle first then loaded, in one run;
// then a baseline with no Railyard: a trivial extension giving ten plain channels the same load.
//
// The load takes the product path: the simulated Railway writes each service's deploy log (500
// lines/s is Railway's per-replica limit, which the simulator applies), the daemon relays it, the
// extension appends it to its Output channels, opened as a user does: "Railyard: Tail Logs…" from
// the command palette, ten times. The kars fixture has nine service streams (3 services × 3
// environments); the bench adds a tenth, an image service in kars-dev (editorLoadWorld.ts). The
// lines that reached the channels are counted in the files VS Code keeps each channel's text in.
// The baseline (editorBaseline.ts) runs in a second window of the same code-server, Railyard's
// closed, so what VS Code's own Output view costs at that load is measured in the same run.
// Goals (issue 15): extension host under 20% of one core; keystroke p95 within 20 ms of idle's.
// Usage: npm run bench:editor [-- --seconds 20 --keys 120 --hide-output --baseline-plain
//   --baseline-without-relay]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { ensureVscode, startCodeServer, type CodeServer } from '../scripts/codeServer';
import { signedInDaemonEnv } from '../sim/server';
import { disposeHome, makeHome, runningDaemon } from '../test/vscode/railyardHome';
import {
  launchBrowser,
  openCommandPalette,
  openViewContainer,
  openWorkbench,
  outputChannelSelect,
  pickOption,
  repoRoot,
  timeouts,
  waitForWorkbench,
  type Browser,
} from '../test/vscode/workbench';
import { baselineChannelName, measureBaseline } from './editorBaseline';
import { report, type Figures } from './editorLoadReport';
import {
  channelFiles,
  servingDeploymentIds,
  startLoadWorld,
  startLogLoad,
  type LogLoad,
  type Stream,
} from './editorLoadWorld';
import {
  editorSettings,
  hidePanel,
  measure,
  newExtensionHostPid,
  openTypingEditor,
  typingFile,
} from './editorPhase';
import { saveFailureShot } from './failureShot';
import { startRelay, type Relay } from './editorRelay';

const arg = (name: string, fallback: number): number =>
  Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const windowSeconds = arg('--seconds', 20);
const keys = arg('--keys', 120);
/** Closes the panel before the loaded windows: the channels still fill, no Output view draws them. */
const hideOutput = process.argv.includes('--hide-output');
/**
 * The baseline's channels are plain text, not coloured by a copy of Railyard's grammar as they are
 * by default (Railyard's are coloured by it).
 */
const baselineGrammar = !process.argv.includes('--baseline-plain');
/**
 * The baseline's phase without the simulated Railway's load and the daemon's relay, which it keeps
 * by default so that only the editor's side differs between the two loaded phases.
 */
const baselineWithoutRelay = process.argv.includes('--baseline-without-relay');

type World = Awaited<ReturnType<typeof startLoadWorld>>;

/**
 * "Railyard: Tail Logs…", then the service in its environment from the picker, as a user does;
 * done once the Output view shows the stream's channel. A palette that lost the typing is redone.
 */
async function tail(page: Page, s: Stream): Promise<void> {
  await pickOption(await openCommandPalette(page, '>Railyard: Tail Logs'), 'Railyard: Tail Logs…');
  const widget = page.locator('.quick-input-widget');
  await widget
    .locator('.quick-input-title', { hasText: 'Tail logs of' })
    .waitFor({ timeout: timeouts.ui });
  await widget.locator('input.input').fill(s.service);
  const label = new RegExp(`^\\s*${s.service}\\s*$`);
  await widget
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: label }) })
    .filter({ has: page.locator('.label-description', { hasText: s.environment }) })
    .first()
    .click({ timeout: timeouts.ui });
  await outputChannelSelect(page, s.channel).waitFor({ timeout: timeouts.daemon });
}

/** Railyard's window: idle, then ten channels tailing; the load is stopped and the window closed. */
async function measureRailyard(
  browser: Browser,
  server: CodeServer,
  world: World,
  where: { home: string; workspace: string },
): Promise<Pick<Figures, 'idle' | 'load'> & { extHost: number; running: LogLoad; ids: string[] }> {
  const { sims, streams } = world;
  const page = await openWorkbench(browser, {
    authority: server.authority,
    folder: where.workspace,
    extensionDevelopmentPath: repoRoot,
  });
  let running: LogLoad | undefined;
  try {
    await waitForWorkbench(page);
    await openViewContainer(page, 'Railyard');
    await page
      .locator('.part.sidebar [role="treeitem"][aria-label^="Environment kars-prod"]')
      .waitFor({ timeout: timeouts.daemon });
    await openTypingEditor(page);
    const daemon = runningDaemon(where.home);
    if (!daemon) throw new Error('the extension started no daemon');
    const pids = { extHost: newExtensionHostPid(server.pid), daemon: daemon.pid };
    const idle = await measure(page, { windowSeconds, keys, offset: 0, pids });

    for (const s of streams) await tail(page, s);
    const ids = servingDeploymentIds(sims.railway.state, streams);
    const logs = sims.railway.state.logs;
    await Promise.all(ids.map((id) => logs.untilSubscriptions((n) => n > 0, { deploymentId: id })));
    const load = startLogLoad(sims, ids);
    running = load;
    const files = channelFiles(
      server.stateDir,
      streams.map((s) => s.channel),
    );
    if (hideOutput) await hidePanel(page);
    await delay(3_000); // lets the load reach its steady state before the window opens
    const counting = { files, written: () => load.written() };
    const loaded = await measure(page, { windowSeconds, keys, offset: 13, pids, counting });
    return { idle, load: loaded, extHost: pids.extHost, running: load, ids };
  } catch (e) {
    running?.stop();
    await saveFailureShot(page, 'editor');
    throw e;
  } finally {
    // The load goes on into the baseline's phase (with the relay), unless that runs without it.
    await page.close();
  }
}

/** Whether the process is gone, looked at until it is or `ms` passed (a closed window's host). */
async function exitedWithin(pid: number, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until;) {
    if (!fs.existsSync(`/proc/${pid}`)) return true;
    await delay(200); // the polling interval of a look at /proc, not a wait for a state
  }
  return !fs.existsSync(`/proc/${pid}`);
}

async function main(): Promise<void> {
  const { codeServerVersion } = await ensureVscode();
  const world = await startLoadWorld();
  const home = makeHome('bench-editor');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-bench-editor-'));
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'railyard.json'), '{}\n');
  fs.writeFileSync(path.join(workspace, typingFile), 'Type here.\n');
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let load: LogLoad | undefined;
  let relay: Relay | undefined;
  try {
    server = await startCodeServer({
      workspace,
      env: { ...signedInDaemonEnv(world.sims), RAILYARD_HOME: home },
      logFile: path.join(home, 'code-server.log'),
      settings: editorSettings,
    });
    browser = await launchBrowser();
    const railyard = await measureRailyard(browser, server, world, { home, workspace });
    // The baseline's window opens once Railyard's extension host has gone with its window.
    const railyardGone = await exitedWithin(railyard.extHost, 45_000);
    const running = railyard.running;
    load = running;
    if (baselineWithoutRelay) running.stop();
    else
      relay = await startRelay(
        world.sims,
        { home, folder: workspace },
        world.streams,
        railyard.ids,
      );
    const consumer = relay;
    const background = consumer && {
      written: () => running.written(),
      relayed: () => consumer.read(),
      daemonPid: consumer.daemonPid,
    };
    const baseline = await measureBaseline({
      browser,
      server,
      workspace,
      extensionDir: path.join(scratch, 'output-baseline'),
      channels: world.streams.map((s) => baselineChannelName(s.channel)),
      otherExtensionHosts: [railyard.extHost],
      windowSeconds,
      keys,
      offset: 7,
      hideOutput,
      grammar: baselineGrammar,
      background,
    });
    const how = { keys, hideOutput, baselineGrammar, baselineRelay: !!relay };
    report({ ...railyard, baseline, railyardGone, ...how }, codeServerVersion);
  } finally {
    relay?.stop();
    load?.stop();
    await browser?.close();
    await server?.stop();
    await world.sims.close();
    await disposeHome(home);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
