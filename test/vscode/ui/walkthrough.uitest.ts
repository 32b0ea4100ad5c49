// The "Get started with Railyard" walkthrough in the real workbench: Railyard: Get Started opens it,
// the sign-in and link steps are checked off by the signed-in, linked environment, and the tree,
// logs and promote steps get checked as the user opens the view, tails a log and promotes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { environmentRow, serviceRow } from './environments.uitest';
import {
  openViewContainer,
  outputChannelSelect,
  runCommand,
  screenshot,
  setColorTheme,
  THEMES,
  timeouts,
} from '../workbench';
import {
  linkedFolder,
  openRailyardWindow,
  screenshotIfFailed,
  type UiContext,
} from './railyardWindow';

const uiWait = { timeout: timeouts.ui };

/** A step's row on the walkthrough page (VS Code ids it `<extension>#<walkthrough>#<step>`). */
const step = (page: Page, id: string): Locator =>
  page.locator(`.gettingStartedContainer button.getting-started-step[data-step-id$="#${id}"]`);
const checked = (page: Page, id: string): Locator =>
  step(page, id).and(page.locator('[aria-checked="true"]'));
const unchecked = (page: Page, id: string): Locator =>
  step(page, id).and(page.locator('[aria-checked="false"]'));

/**
 * Clicks a row's inline action (they show on hover) until `done` shows. A tree update that
 * re-renders the row under the pointer eats the click, so it is made again.
 */
async function clickInline(row: Locator, action: string, done: Locator): Promise<void> {
  const button = row.locator(`.actions .action-label[aria-label="${action}"]`);
  for (let attempt = 1; ; attempt++) {
    await row.hover();
    await button.click(uiWait);
    const shown = await done.waitFor({ timeout: timeouts.ui / 3 }).then(
      () => true,
      () => false,
    );
    if (shown) return;
    if (attempt >= 3) throw new Error(`${action} on the row never took effect`);
  }
}

/**
 * Clicks a step until it is the one shown. The page rebuilds its list of steps when a context key
 * its steps watch changes (Railyard's, as the daemon reports), and a click on the old list is lost.
 */
async function selectStep(page: Page, id: string): Promise<void> {
  const shown = step(page, id).and(page.locator('[aria-expanded="true"]'));
  for (let attempt = 1; attempt < 3; attempt++) {
    await step(page, id).click(uiWait);
    const selected = await shown.waitFor({ timeout: timeouts.ui / 3 }).then(
      () => true,
      () => false,
    );
    if (selected) return;
  }
  await shown.waitFor(uiWait);
}

/**
 * Railyard has linked the project: its production item shows in the status bar. Waiting on it takes
 * no focus, unlike opening anything of Railyard's.
 */
function railyardLinked(page: Page): Promise<void> {
  return page
    .locator('.part.statusbar [aria-label^="Railway "]')
    .first()
    .waitFor({ timeout: timeouts.daemon });
}

export function defineWalkthroughTests(ctx: UiContext): void {
  describe('walkthrough', () => {
    let page: Page;
    // A folder of its own: the Environments view first shows when the test opens it.
    let folder: string;
    before(async () => {
      folder = linkedFolder(ctx, 'walkthrough');
      page = await openRailyardWindow(ctx, 'walkthrough', { server: ctx.server, folder });
    });
    after(async () => {
      await page?.close();
      if (folder) fs.rmSync(folder, { recursive: true, force: true });
    });
    afterEach(function () {
      return screenshotIfFailed(page, this.currentTest);
    });

    it('Get Started opens it; the signed-in, linked environment checks the first three steps', async () => {
      // Railyard has linked the project before anything starts VS Code's walkthrough service,
      // which then never checks a step for a key already true: the case the keys' copies are for.
      await railyardLinked(page);
      // Progress is kept per profile: earlier suites' Tail Logs and Promote would count here.
      await runCommand(page, 'Developer: Reset Welcome Page Walkthrough Progress');
      // A window this new may not list Railyard's commands yet: runCommand looks again.
      await runCommand(page, 'Railyard: Get Started');
      await page
        .locator('.gettingStartedContainer h2', { hasText: 'Get started with Railyard' })
        .waitFor(uiWait);
      for (const id of ['signInRailway', 'signInGithub', 'linkProject'])
        await checked(page, id).waitFor({ timeout: timeouts.daemon });
      for (const id of ['openTree', 'tailLogs', 'promote'])
        assert.equal(await unchecked(page, id).count(), 1, `${id} was checked before it was done`);
    });

    it('opening the Environments view checks its step', async () => {
      await openViewContainer(page, 'Railyard');
      await checked(page, 'openTree').waitFor(uiWait);
      assert.equal(await unchecked(page, 'tailLogs').count(), 1);
    });

    it("tailing a service's logs from the tree checks its step", async () => {
      const row = serviceRow(page, 'kars-backend', 'kars-dev', 'deployed');
      await row.waitFor({ timeout: timeouts.daemon });
      const channel = outputChannelSelect(page, 'Railway: kars-backend (kars-dev)');
      await clickInline(row, 'Tail Logs…', channel);
      await checked(page, 'tailLogs').waitFor(uiWait);
      assert.equal(await unchecked(page, 'promote').count(), 1);
    });

    it("promoting from the tree's rocket checks the last step", async () => {
      const tab = page.locator('.tabs-container .tab', { hasText: 'Promote kars-dev → kars-prod' });
      await clickInline(environmentRow(page, 'kars-dev'), 'Promote…', tab);
      // The checklist took the editor; Get Started brings the walkthrough back to the front.
      await runCommand(page, 'Railyard: Get Started');
      await checked(page, 'promote').waitFor(uiWait);
      // Done with the checklist: its page would be a second webview beside the walkthrough's.
      await tab.hover();
      await tab.locator('.tab-actions .action-label').click(uiWait);
      await tab.waitFor({ state: 'detached', ...uiWait });
    });

    it('in Dark Modern, with every step checked (the screenshot)', async () => {
      await setColorTheme(page, THEMES[1]);
      // The walkthrough takes the editor's whole height, as after a user closes the Output panel.
      await runCommand(page, 'View: Hide Panel');
      await selectStep(page, 'tailLogs');
      // A markdown page is drawn in a webview of its own.
      const media = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await media.getByText('Levels are coloured.').waitFor(uiWait);
      for (const id of ['signInRailway', 'openTree', 'promote'])
        assert.equal(await checked(page, id).count(), 1, `${id} is no longer checked`);
      await screenshot(page, 'walkthrough-dark');
    });
  });

  describe('walkthrough, opened from VS Code’s Welcome page', () => {
    let page: Page;
    let folder: string;
    before(async () => {
      folder = linkedFolder(ctx, 'walkthrough');
      page = await openRailyardWindow(ctx, 'walkthrough-welcome', { server: ctx.server, folder });
    });
    after(async () => {
      await page?.close();
      if (folder) fs.rmSync(folder, { recursive: true, force: true });
    });
    afterEach(function () {
      return screenshotIfFailed(page, this.currentTest);
    });

    it('after Railyard signed in, its sign-in and link steps are checked there too', async () => {
      await railyardLinked(page);
      // The reset starts this window's walkthrough service with Railyard's keys already true.
      await runCommand(page, 'Developer: Reset Welcome Page Walkthrough Progress');
      await runCommand(page, 'Help: Welcome');
      const category = page.locator('.gettingStartedContainer button.getting-started-category', {
        hasText: 'Get started with Railyard',
      });
      await category.click(uiWait);
      for (const id of ['signInRailway', 'signInGithub', 'linkProject'])
        await checked(page, id).waitFor(uiWait);
    });
  });
}
