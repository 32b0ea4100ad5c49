// What every UI suite shares: its context, a workbench window with Railyard loaded, failure shots.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { CodeServer } from '../../../scripts/codeServer';
import type { SimWorld } from '../simWorld';
import { openWorkbench, repoRoot, screenshot, waitForWorkbench, type Browser } from '../workbench';

export interface UiContext {
  server: CodeServer;
  browser: Browser;
  /** RAILYARD_HOME that code-server (hence every extension host) was started with. */
  home: string;
  workspace: string;
  /** Where each window's workbench log goes. */
  logDir: string;
  /** The simulators every daemon of this run talks to; tests drive them directly. */
  world: SimWorld;
  /** A second code-server with VS Code's workspace trust on, and the RAILYARD_HOME it was given. */
  restricted: { server: CodeServer; home: string };
}

/** Where a window opens: a server and a folder (by default the suite's trusted ones). */
export interface WindowPlace {
  server: CodeServer;
  folder: string;
}

/** A workbench window with Railyard loaded from the repo as the extension under development. */
export async function openRailyardWindow(
  ctx: UiContext,
  name: string,
  place: WindowPlace = { server: ctx.server, folder: ctx.workspace },
): Promise<Page> {
  const log = fs.createWriteStream(path.join(ctx.logDir, `${name}.log`));
  const page = await openWorkbench(
    ctx.browser,
    { authority: place.server.authority, folder: place.folder, extensionDevelopmentPath: repoRoot },
    { onLog: (level, message) => log.write(`${level} ${message}\n`) },
  );
  page.once('close', () => log.end());
  await waitForWorkbench(page);
  return page;
}

/**
 * A folder of its own (no view of an earlier window restored in it) whose railyard.json links it to
 * kars, as a user's would be: Railyard starts as its window opens.
 */
export function linkedFolder(ctx: UiContext, name: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `railyard-test-${name}-`));
  const link = { projectId: ctx.world.projectId };
  fs.writeFileSync(path.join(folder, 'railyard.json'), JSON.stringify(link, null, 2));
  return folder;
}

/** Saves `failed-<title>.png` of the window when the test that just ran failed. */
export async function screenshotIfFailed(
  page: Page | undefined,
  test: Mocha.Test | undefined,
): Promise<void> {
  if (page && !page.isClosed() && test?.state === 'failed') {
    await screenshot(page, `failed-${slug(test.title)}`);
  }
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60);
}

/** `promise`'s value, or a failure saying `message` once `ms` have passed. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
