// Railyard's activation time as the real VS Code (code-server + Chromium) reports it in
// "Developer: Show Running Extensions", beside a trivial extension (activate() {}, the same
// activation events) installed in the same code-server, so both activate in the same windows. Each
// sample is a fresh window with its own RAILYARD_HOME, so Railyard starts its daemon in every one,
// as in a user's first window.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../scripts/codeServer';
import { disposeHome, makeHome } from '../test/vscode/railyardHome';
import { startSimWorld } from '../test/vscode/simWorld';
import {
  launchBrowser,
  openWorkbench,
  runCommand,
  timeouts,
  waitForStatusBar,
  waitForWorkbench,
  type Browser,
} from '../test/vscode/workbench';
import { activationEvents } from '../package.json';
import { saveFailureShot } from './failureShot';

export interface ActivationSample {
  /** VS Code's "Activation: N ms" for Railyard (load code + call activate). */
  railyard: number;
  trivial: number;
}

/** How each extension is named in the Running Extensions editor: its id, or its display name. */
interface Shown {
  id: string;
  displayName: string;
}
const RAILYARD: Shown = { id: 'railyard.railyard', displayName: 'Railyard' };
const TRIVIAL: Shown = { id: 'railyard-bench.trivial', displayName: 'Trivial (start-up bench)' };

interface Place {
  server: CodeServer;
  browser: Browser;
  workspace: string;
  /** Railyard, loaded as the extension under development. */
  extension: string;
}

/** `windows` samples (after one warm-up window, not counted) of `extensionDir` (a built extension). */
export async function measureActivation(
  extensionDir: string,
  windows: number,
): Promise<ActivationSample[]> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-bench-activation-'));
  const world = await startSimWorld();
  const home = makeHome('bench-startup-server');
  try {
    const workspace = writeWorkspace(scratch);
    const env = { ...world.daemonEnv, RAILYARD_HOME: home };
    const logFile = path.join(scratch, 'code-server.log');
    const extensionsDir = installTrivial(scratch);
    const server = await startCodeServer({ workspace, env, logFile, extensionsDir });
    const browser = await launchBrowser().catch(async (e: unknown) => {
      await server.stop();
      throw e;
    });
    try {
      const place = { server, browser, workspace, extension: extensionDir };
      const samples: ActivationSample[] = [];
      for (let i = 0; i <= windows; i++) {
        const sample = await windowSample(place);
        if (i > 0) samples.push(sample);
      }
      return samples;
    } finally {
      await browser.close();
      await server.stop();
    }
  } finally {
    await world.sims.close();
    await disposeHome(home);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** A folder with a railyard.json: `workspaceContains:railyard.json` activates both extensions. */
function writeWorkspace(scratch: string): string {
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'railyard.json'), '{}\n');
  return workspace;
}

/**
 * The baseline: an extension that does nothing, woken by Railyard's own activation events. It is
 * put in the extensions dir, which code-server adopts on its first start: the workbench URL loads
 * only one extension under development.
 */
function installTrivial(scratch: string): string {
  const extensionsDir = path.join(scratch, 'extensions');
  const dir = path.join(extensionsDir, `${TRIVIAL.id}-0.0.1`);
  fs.mkdirSync(dir, { recursive: true });
  const [publisher, name] = TRIVIAL.id.split('.');
  const manifest = {
    name,
    publisher,
    displayName: TRIVIAL.displayName,
    version: '0.0.1',
    engines: { vscode: '^1.80.0' },
    main: './extension.js',
    activationEvents,
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'extension.js'), 'exports.activate = function () {};\n');
  return extensionsDir;
}

/** One fresh window: both extensions activate, then Running Extensions tells how long each took. */
async function windowSample(place: Place): Promise<ActivationSample> {
  const home = makeHome('bench-startup-window');
  const page = await openWorkbench(place.browser, {
    authority: place.server.authority,
    folder: place.workspace,
    extensionDevelopmentPath: place.extension,
    extensionEnvironment: { RAILYARD_HOME: home },
  });
  try {
    // Tall, so the editor's list (rows of 70 px, slowest first) has every activated extension in view.
    await page.setViewportSize({ width: 1400, height: 2400 });
    await waitForWorkbench(page);
    const times = await runningExtensionTimes(page);
    // The daemon starts after activation: the window closes once it is up, so disposeHome finds
    // and stops it rather than leaving it to its idle timeout.
    await waitForStatusBar(page, 'Railyard daemon: connected', timeouts.workbench);
    return times;
  } catch (e) {
    // What the window showed when a step never came.
    await saveFailureShot(page, 'startup');
    throw e;
  } finally {
    await page.close();
    await disposeHome(home);
  }
}

/**
 * Opens Developer: Show Running Extensions and reads both extensions' activation times. Its list
 * is sorted slowest first and shows about a dozen rows: the trivial one is read after End.
 */
async function runningExtensionTimes(page: Page): Promise<ActivationSample> {
  await runCommand(page, 'Developer: Show Running Extensions');
  // The editor redraws as extensions activate: this covers the extension host's start too.
  const railyard = await activationTime(page, RAILYARD, timeouts.workbench);
  await page.locator('.runtime-extensions-editor .monaco-list').first().focus();
  await page.keyboard.press('End');
  return { railyard, trivial: await activationTime(page, TRIVIAL, timeouts.ui) };
}

async function activationTime(page: Page, shown: Shown, timeout: number): Promise<number> {
  const handle = await page.waitForFunction(readActivationTimes, [shown], { timeout });
  return ((await handle.jsonValue()) as number[])[0]!;
}

/** In the page: each extension's "Activation: N ms" as N, in order, once every one shows it. */
function readActivationTimes(wanted: Shown[]): number[] | false {
  const times = new Map<string, number>();
  for (const row of document.querySelectorAll('.runtime-extensions-editor .extension')) {
    const name = row.querySelector('.name')?.textContent?.trim() ?? '';
    const shown = /(\d+)\s*ms/.exec(row.querySelector('.activation-time')?.textContent ?? '');
    if (shown) times.set(name.toLowerCase(), Number(shown[1]));
  }
  const found = wanted
    .map((w) => times.get(w.id.toLowerCase()) ?? times.get(w.displayName.toLowerCase()))
    .filter((t): t is number => t !== undefined);
  return found.length === wanted.length && found;
}
