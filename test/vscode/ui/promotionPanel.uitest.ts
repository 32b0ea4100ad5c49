// The promotion checklist panel end to end in the real workbench: F1 → "Railyard: Promote…" opens
// the checklist (the deploy window closed, QA sign-off unticked), the user signs off, gives the
// override reason, types kars-prod and promotes; the real git server gets the merge commit and the
// simulated production deploys. Then a production deploy that crashes, rolled back from the panel,
// a panel that comes back showing the same run after the window reloads mid-promotion, and one
// restored in a window whose daemon does not know its promotion, which closes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { commitAndPush } from '../../../sim/git/gitClient';
import { karsOwner, karsPeople, karsRepoName } from '../../../sim/git/karsRepo';
import { runGit } from '../../../sim/git/gitRun';
import { activeDeployment, commitOf } from '../simWorld';
import { quickInput, treeRowWithText } from '../treeView';
import {
  openViewContainer,
  reloadWindow,
  runCommand,
  screenshot,
  timeouts,
  repoRoot,
  waitForStatusBar,
  waitForWorkbench,
  withColorThemes,
  workbenchUrl,
} from '../workbench';
import { disposeHome, makeHome } from '../railyardHome';
import { environmentRow, serviceRow, short } from './environments.uitest';
import { openRailyardWindow, screenshotIfFailed, type UiContext } from './railyardWindow';

const REPO = `${karsOwner}/${karsRepoName}`;
const DEPLOYED = ['kars-backend', 'kars-frontend'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const uiWait = { timeout: timeouts.ui };

/**
 * A folder whose railyard.json pairs kars-dev → kars-prod with QA sign-off required and a deploy
 * window that stays closed for the whole run, so the checklist needs both. The daemon judges the
 * window by the wall clock: one of every day but today would open at UTC midnight in a run that
 * crosses it, so this one is an hour a day, opening 12 hours from now.
 */
function promotionFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-test-promote-'));
  const opens = (new Date().getUTCHours() + 12) % 24;
  const hhmm = (h: number): string => `${String(h).padStart(2, '0')}:00`;
  const config = {
    promotions: [
      {
        from: 'kars-dev',
        to: 'kars-prod',
        settleSeconds: 0,
        gates: { 'qa-signoff': 'required', 'deploy-window': 'required' },
        // No file counts as a migration, so no backup of kars-prod is taken: the backup runs on
        // the simulated clock, which these tests move only for deploys (the gate has its own tests).
        migrations: ['db/never/'],
      },
    ],
    deployWindow: {
      days: [...DAYS],
      hours: `${hhmm(opens)}-${hhmm((opens + 1) % 24)}`,
      timeZone: 'UTC',
    },
  };
  fs.writeFileSync(path.join(folder, 'railyard.json'), JSON.stringify(config, null, 2));
  return folder;
}

/** The checklist webview's document (one panel open at a time in these tests). */
function panel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

const gateRow = (frame: FrameLocator, gate: string, state: string): Locator =>
  frame.locator(`#gates [data-gate="${gate}"][data-state="${state}"]`);

/** The panel's root once it shows a promotion in `state`. */
async function panelIn(page: Page, state: string, timeout: number = timeouts.daemon) {
  const root = panel(page).locator(`main#panel[data-state="${state}"]`);
  await root.waitFor({ timeout });
  return root;
}

/** Types into a vscode-textfield (its input lives in the element's open shadow root). */
async function typeInto(frame: FrameLocator, id: string, text: string): Promise<void> {
  const input = frame.locator(`vscode-textfield#${id} input`);
  await input.fill(text, uiWait);
}

export function definePromotionPanelTests(ctx: UiContext): void {
  describe('the promotion checklist panel', () => {
    let page: Page;
    let folder: string;
    /** The RAILYARD_HOME of the last test's window, whose daemon knows no promotion. */
    let stale: string | undefined;
    const sims = () => ctx.world.sims;
    const state = () => sims().railway.state;
    before(async () => {
      folder = promotionFolder();
      page = await openRailyardWindow(ctx, 'promotion-panel', { server: ctx.server, folder });
      await openViewContainer(page, 'Railyard');
      await environmentRow(page, 'kars-prod').waitFor({ timeout: timeouts.daemon });
    });
    after(async () => {
      await page.close();
      // Once its window is gone, so no extension host starts that daemon again.
      if (stale) await disposeHome(stale);
    });
    afterEach(function () {
      return screenshotIfFailed(page, this.currentTest);
    });

    /** A commit on kars-dev, deployed there: something to promote, its CI green. */
    async function shipToDev(file: string, message: string): Promise<string> {
      const pushed = await commitAndPush(sims().git, {
        owner: karsOwner,
        repo: karsRepoName,
        branch: 'kars-dev',
        files: { [file]: `// ${message}\n` },
        message,
        author: karsPeople.grace,
      });
      sims().settle();
      for (const name of DEPLOYED) assert.equal(commitOf(serving('kars-dev', name)), pushed.sha);
      // What the user sees before promoting: kars-dev's services deployed at the new commit.
      for (const name of DEPLOYED)
        await serviceRow(page, name, 'kars-dev', 'deployed')
          .filter({ hasText: short(pushed.sha) })
          .waitFor({ timeout: timeouts.daemon * 2 });
      return pushed.sha;
    }

    const serving = (env: string, service: string) => activeDeployment(state(), env, service);

    /** Resolves once the simulator holds `count` deployments not in `known`, on its change events. */
    function newDeployments(known: Set<string>, count: number): Promise<void> {
      const enough = () => state().deployments.filter((d) => !known.has(d.id)).length >= count;
      return new Promise((resolve, reject) => {
        if (enough()) return resolve();
        const timer = setTimeout(() => {
          off();
          reject(new Error(`the simulator never saw ${count} new deployments`));
        }, timeouts.daemon);
        const off = state().onDeploymentChange(() => {
          if (!enough()) return;
          clearTimeout(timer);
          off();
          resolve();
        });
      });
    }

    /** F1 → Railyard: Promote… (one pair: the panel opens straight away), gates settled. */
    async function openChecklist(): Promise<FrameLocator> {
      await runCommand(page, 'Railyard: Promote…');
      const frame = panel(page);
      await panelIn(page, 'gated');
      await frame.locator('#gates [data-gate]').first().waitFor(uiWait);
      return frame;
    }

    /** Signs off, gives the window override's reason, types kars-prod, and presses Promote. */
    async function promote(frame: FrameLocator): Promise<void> {
      await frame.locator('vscode-checkbox#sign-off').click(uiWait);
      await gateRow(frame, 'qa-signoff', 'pass').waitFor({ timeout: timeouts.daemon });
      // No backup acknowledgement: the folder's railyard.json names no file a migration.
      await typeInto(frame, 'override-window', 'Hotfix for the invoice totals, approved by Ada');
      await typeInto(frame, 'confirm', 'kars-prod');
      const button = frame.locator('vscode-button#promote:not([disabled])');
      await button.waitFor(uiWait);
      await button.click();
    }

    /** The git server's kars-prod once the panel says the push is done: a merge of `source`. */
    async function mergedOnServer(source: string): Promise<string> {
      await panel(page)
        .locator('#timeline [data-step="push"][data-state="done"]')
        .waitFor({ timeout: timeouts.daemon });
      const head = await serverHead('kars-prod');
      const cwd = sims().repo!.path;
      const line = (await runGit(['rev-list', '--parents', '-n', '1', head], { cwd })).stdout;
      assert.deepEqual(
        line.trim().split(' ').slice(2),
        [source],
        `kars-prod ${short(head)} is not a merge of ${short(source)}`,
      );
      return head;
    }

    const serverHead = async (branch: string): Promise<string> =>
      (
        await runGit(['rev-parse', `refs/heads/${branch}`], { cwd: sims().repo!.path })
      ).stdout.trim();

    it('F1 → Railyard: Promote… shows every gate: the deploy window needs an override, QA sign-off is unticked', async function () {
      this.timeout(timeouts.daemon * 4);
      await shipToDev('frontend/totals-banner.js', 'Show the invoice totals banner');
      const frame = await openChecklist();
      await gateRow(frame, 'deploy-window', 'fail').waitFor(uiWait);
      await gateRow(frame, 'qa-signoff', 'needs-you').waitFor(uiWait);
      await frame.locator('vscode-checkbox#sign-off:not([checked])').waitFor(uiWait);
      await frame.locator('vscode-textfield#override-window').waitFor(uiWait);
      await frame.locator('vscode-button#promote[disabled]').waitFor(uiWait);
      assert.match((await frame.locator('#pipeline').textContent()) ?? '', /kars-dev.*kars-prod/s);
      await withColorThemes(
        page,
        (theme) => screenshot(page, `promotion-gates-${theme}`),
        panel(page),
      );
    });

    it('sign-off, the override reason and the typed name enable Promote; kars-prod gets the merge and deploys to SUCCESS; the Promotions view lists it', async function () {
      this.timeout(timeouts.daemon * 4);
      const frame = panel(page);
      const source = await serverHead('kars-dev');
      await promote(frame);
      const merge = await mergedOnServer(source);
      sims().settle();
      await panelIn(page, 'succeeded', timeouts.daemon * 2);
      for (const name of DEPLOYED) {
        const d = serving('kars-prod', name);
        assert.equal(d?.status, 'SUCCESS');
        assert.equal(commitOf(d), merge);
      }
      // Production's own numbers are watched for 10 minutes after the release: the panel says so
      // under the outcome, and the Promotions view's row beside it.
      await frame
        .locator('#verification[data-state="pending"]')
        .getByText("Production's numbers: watching 10 min after the release")
        .waitFor({ timeout: timeouts.daemon });
      const row = treeRowWithText(page, 1, 'kars-dev → kars-prod').filter({
        hasText: 'succeeded, watching metrics',
      });
      await row.first().waitFor({ timeout: timeouts.daemon });
      await withColorThemes(
        page,
        (theme) => screenshot(page, `promotion-succeeded-${theme}`),
        panel(page),
      );
    });

    it('a production deploy that crashes: Roll back in the panel serves the previous commit again, from a new deployment of the old image', async function () {
      this.timeout(timeouts.daemon * 5);
      const before = new Map(DEPLOYED.map((n) => [n, serving('kars-prod', n)!]));
      await shipToDev('backend/totals-cache.js', 'Cache invoice totals');
      sims().setPushOutcome(REPO, 'kars-prod', 'CRASHED');
      try {
        const frame = await openChecklist();
        const source = await serverHead('kars-dev');
        await promote(frame);
        await mergedOnServer(source);
        sims().settle();
        await panelIn(page, 'failed', timeouts.daemon * 2);
        await frame.locator('#outcome').waitFor(uiWait);
        await withColorThemes(
          page,
          (theme) => screenshot(page, `promotion-failed-${theme}`),
          panel(page),
        );
        const known = new Set(state().deployments.map((d) => d.id));
        await frame.locator('vscode-button#rollback').click(uiWait);
        await confirmModal(page, /Roll Back/);
        // kars-prod is protected: its name is typed, as for every change to it.
        const box = await quickInput(page);
        await box.input.fill('kars-prod');
        await page.keyboard.press('Enter');
        await panelIn(page, 'rolling-back');
        // Railway's rollbacks are asked for after the record says rolling back: once both exist,
        // the simulated clock can run them to the end.
        await newDeployments(known, DEPLOYED.length);
        sims().settle();
        await panelIn(page, 'rolled-back', timeouts.daemon * 2);
        for (const name of DEPLOYED) {
          const now = serving('kars-prod', name);
          assert.ok(
            now && !known.has(now.id),
            `${name}: no new deployment served after the rollback`,
          );
          assert.equal(commitOf(now), commitOf(before.get(name)), `${name} serves another commit`);
          assert.equal(now.status, 'SUCCESS');
        }
        await screenshot(page, 'promotion-rolled-back');
      } finally {
        sims().setPushOutcome(REPO, 'kars-prod', 'SUCCESS');
      }
    });

    it('reopened after a window reload mid-promotion, the panel shows the same run', async function () {
      this.timeout(timeouts.daemon * 5);
      await shipToDev('frontend/due-banner.js', 'Show the due-date banner');
      const frame = await openChecklist();
      const source = await serverHead('kars-dev');
      await promote(frame);
      await mergedOnServer(source);
      // Railway has not moved (the simulated clock waits for this test): the deploy is in flight.
      const running = await panelIn(page, 'deploying');
      const id = await running.getAttribute('data-id');
      await reloadWindow(page);
      const restored = await panelIn(page, 'deploying', timeouts.workbench);
      if (id) assert.equal(await restored.getAttribute('data-id'), id);
      await screenshot(page, 'promotion-restored-after-reload');
      sims().settle();
      await panelIn(page, 'succeeded', timeouts.daemon * 2);
    });

    it('restored in a window whose daemon never ran its promotion, the panel closes rather than say "Loading" for ever', async function () {
      this.timeout(timeouts.workbench * 2 + timeouts.daemon * 2);
      await runCommand(page, 'Railyard: Promote…');
      await panel(page).locator('main#panel[data-id]').waitFor({ timeout: timeouts.daemon });
      const tab = page.locator('.tabs-container .tab', { hasText: 'Promote kars-dev → kars-prod' });
      // The workbench saves its open editors as it shuts down, and a navigation does not wait for
      // that write (the tab could come back missing, the test then proving nothing): Reload Window
      // does, and the tab back in this window says it was saved.
      await reloadWindow(page);
      await tab.first().waitFor({ timeout: timeouts.workbench });
      // As when the integration suite's window left its panel to the next window on the folder:
      // the workbench restores the tab, and this window's daemon (a fresh home) never ran it.
      stale = makeHome('stale');
      const url = workbenchUrl({
        authority: ctx.server.authority,
        folder,
        extensionDevelopmentPath: repoRoot,
        extensionEnvironment: { RAILYARD_HOME: stale },
      });
      await recordTabSeen(page, 'Promote kars-dev → kars-prod');
      await page.goto(url, { timeout: timeouts.workbench });
      await waitForWorkbench(page);
      // The tab may come and go before a look at it: its new daemon can answer first.
      await page.waitForFunction(() => (window as TabSeen).__railyardTabSeen === true, null, {
        timeout: timeouts.workbench,
      });
      // Its daemon starts now; once connected, it answers that it has no such promotion.
      await waitForStatusBar(page, 'Railyard daemon: connected');
      await tab.first().waitFor({ state: 'detached', timeout: timeouts.ui });
    });
  });
}

interface TabSeen {
  __railyardTabSeen?: boolean;
}

/**
 * From the next document's start, records whether an editor tab holding `title` ever shows (in
 * `window.__railyardTabSeen`): a tab the window closes at once may be gone before a waitFor looks.
 */
async function recordTabSeen(page: Page, title: string): Promise<void> {
  await page.addInitScript((title) => {
    const w = window as TabSeen;
    w.__railyardTabSeen = false;
    const observer = new MutationObserver(() => {
      const tabs = [...document.querySelectorAll('.tabs-container .tab')];
      if (!tabs.some((t) => t.textContent?.includes(title))) return;
      w.__railyardTabSeen = true;
      observer.disconnect();
    });
    observer.observe(document, { subtree: true, childList: true, characterData: true });
  }, title);
}

/** Presses the button of VS Code's modal dialog whose label matches. */
async function confirmModal(page: Page, button: RegExp): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor(uiWait);
  await dialog.getByRole('button', { name: button }).first().click();
  await dialog.waitFor({ state: 'detached', ...uiWait });
}
