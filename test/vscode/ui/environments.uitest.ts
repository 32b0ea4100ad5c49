// Drives the Environments view against the simulators: the kars fixture, a push deploying live,
// a guarded rollback from the context menu, and the production status bar item.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { DEFAULT_INTERVALS } from '../../../daemon/environments/projectWatcher';
import { commitAndPush } from '../../../sim/git/gitClient';
import { karsOwner, karsPeople, karsRepoName } from '../../../sim/git/karsRepo';
import type { Hold } from '../../../sim/faults';
import type { SimDeployment } from '../../../sim/railway/model';
import type { RailwayState } from '../../../sim/railway/state';
import { activeDeployment, commitOf, nextDeployment } from '../simWorld';
import {
  chooseFromContextMenu,
  expandRow,
  quickInput,
  treeRow,
  treeRowWithText,
} from '../treeView';
import {
  openViewContainer,
  recordStatusLabels,
  screenshot,
  timeouts,
  waitForLabelSequence,
  waitForNotification,
  waitForStatusBar,
} from '../workbench';
import {
  linkedFolder,
  openRailyardWindow,
  screenshotIfFailed,
  type UiContext,
} from './railyardWindow';

const services = ['kars-backend', 'kars-frontend', 'Postgres'];
export const short = (sha: string | undefined): string => sha?.slice(0, 7) ?? '(none)';
const prodLabel = (state: string): string => `Railway kars-prod: ${state}`;
const uiWait = { timeout: timeouts.ui };
/** A push is seen at the daemon's next branch-head check; then status arrives by subscription. */
const firstSightMs = DEFAULT_INTERVALS.headsMs + 30_000;

export const serviceRow = (page: Page, service: string, env: string, status: string) =>
  treeRow(page, `Service ${service} in ${env}: ${status}`);
export const environmentRow = (page: Page, env: string, rest = '') =>
  treeRow(page, new RegExp(`^Environment ${env}, .*${rest}`));

/** kars-dev and kars-prod healthy, every service deployed, kars-prod protected (its shield shown). */
export async function waitForKarsTree(page: Page): Promise<void> {
  for (const env of ['kars-dev', 'kars-prod']) {
    await environmentRow(page, env, 'healthy').waitFor({ timeout: timeouts.daemon });
    await waitForServices(page, env, services, 'deployed');
  }
  const prod = environmentRow(page, 'kars-prod');
  assert.match((await prod.getAttribute('aria-label')) ?? '', /^Environment kars-prod, protected,/);
  await prod.locator('.codicon-shield').waitFor({ timeout: timeouts.ui });
}

export async function waitForServices(
  page: Page,
  env: string,
  names: string[],
  status: string,
  timeout: number = timeouts.daemon,
): Promise<void> {
  for (const name of names) await serviceRow(page, name, env, status).waitFor({ timeout });
}

export function defineEnvironmentTests(ctx: UiContext): void {
  describe('environments tree', () => {
    let page: Page;
    const state = () => ctx.world.sims.railway.state;
    before(async () => {
      page = await openRailyardWindow(ctx, 'environments');
      await openViewContainer(page, 'Railyard');
    });
    after(() => page.close());
    afterEach(function () {
      return screenshotIfFailed(page, this.currentTest);
    });

    it('shows kars-dev, kars-prod (protected) and the PR environment, every service deployed', async () => {
      await waitForKarsTree(page);
      const dev = environmentRow(page, 'kars-dev');
      assert.doesNotMatch((await dev.getAttribute('aria-label')) ?? '', /protected/);
      assert.equal(await dev.locator('.codicon-shield').count(), 0, 'no shield on kars-dev');
      await expandRow(treeRow(page, /^Pull request environments/));
      await environmentRow(page, 'kars-pr-42', 'healthy').waitFor({ timeout: timeouts.daemon });
      await waitForServices(page, 'kars-pr-42', services, 'deployed');
      await screenshot(page, 'environments-tree');
    });

    it('shows "Railway kars-prod: healthy" in the status bar', async () => {
      const item = await waitForStatusBar(page, prodLabel('healthy'));
      assert.match((await item.textContent()) ?? '', /kars-prod: healthy/);
    });

    it('a push to kars-dev waits for CI, then shows queued, building and deployed with the new commit, unrefreshed', async function () {
      this.timeout(firstSightMs + 60_000);
      const pushed = await commitAndPush(ctx.world.sims.git, {
        owner: karsOwner,
        repo: karsRepoName,
        branch: 'kars-dev',
        files: { 'frontend/due-dates.js': "exports.due = (i) => i.due_on ?? 'on receipt';\n" },
        message: 'Show invoice due dates',
        author: karsPeople.grace,
      });
      const built = ['kars-backend', 'kars-frontend'];
      const { clock, timings } = ctx.world.sims;
      clock.advance(timings.webhookMs); // GitHub's webhook reaches Railway; CI is still running
      await waitForServices(page, 'kars-dev', built, 'waiting for CI', firstSightMs);
      await screenshot(page, 'environments-waiting-for-ci');
      // CI, started by the push a step before the webhook, passes: Railway queues the build.
      clock.advance(timings.ciQueuedMs + timings.ciRunMs - timings.webhookMs);
      await waitForServices(page, 'kars-dev', built, 'queued');
      clock.advance(timings.queueMs);
      await waitForServices(page, 'kars-dev', built, 'building');
      await screenshot(page, 'environments-building');
      state().settle(); // → DEPLOYING → SUCCESS
      await waitForServices(page, 'kars-dev', built, 'deployed');
      for (const name of built) {
        const row = serviceRow(page, name, 'kars-dev', 'deployed');
        assert.match((await row.textContent()) ?? '', new RegExp(short(pushed.sha)));
        assert.equal(commitOf(activeDeployment(state(), 'kars-dev', name)), pushed.sha);
      }
    });

    it('rolls kars-prod kars-backend back from the context menu, only after its name is typed', async () => {
      const older = olderProdBackend(state());
      const olderSha = commitOf(older);
      const box = await openRollbackBox(page, short(olderSha));
      await screenshot(page, 'rollback-confirm');

      const deploymentsBefore = state().deployments.length;
      await typeAndEnter(page, box.input, 'kars-dev');
      await box.message.filter({ hasText: 'Type kars-prod exactly' }).waitFor(uiWait);
      assert.ok(await box.widget.isVisible(), 'the input box accepted a wrong name');
      assert.equal(state().deployments.length, deploymentsBefore, 'a wrong name rolled back');
      await screenshot(page, 'rollback-refused');

      await recordStatusLabels(page, 'Railway kars-prod');
      // Railway's rollback is a new deployment of the old image; nothing in it names the old one.
      const known = new Set(state().deployments.map((d) => d.id));
      const isRollback = (d: SimDeployment) =>
        !known.has(d.id) && commitOf(d) === olderSha && d.skipBuild;
      const created = nextDeployment(state(), isRollback, timeouts.daemon);
      await typeAndEnter(page, box.input, 'kars-prod');
      await box.widget.waitFor({ state: 'hidden', timeout: timeouts.ui });
      const rollback = await created;
      await waitForNotification(
        page,
        `Rolling kars-backend in kars-prod back to ${short(olderSha)}: new deployment ${rollback.id.slice(0, 8)}`,
      );
      await waitForLabelSequence(page, [prodLabel('deploying')]);
      state().settle();
      const nowActive = activeDeployment(state(), 'kars-prod', 'kars-backend');
      assert.equal(nowActive?.id, rollback.id);
      assert.equal(commitOf(nowActive), olderSha);
      await waitForLabelSequence(page, [prodLabel('deploying'), prodLabel('healthy')]);
      const backend = serviceRow(page, 'kars-backend', 'kars-prod', 'deployed');
      await backend.filter({ hasText: short(olderSha) }).waitFor({ timeout: timeouts.daemon });
    });

    it('rolls kars-dev kars-frontend back after a modal asks once, with no name to type', async () => {
      const sha = '321de2c';
      await expandRow(treeRow(page, /^Service kars-frontend in kars-dev: /));
      const dialog = page.locator('.monaco-dialog-box');
      await chooseFromContextMenu(
        treeRowWithText(page, 3, sha).first(),
        'Rollback to This Deployment',
        dialog.filter({ hasText: `Roll back kars-frontend to ${sha} in kars-dev?` }),
      );
      await screenshot(page, 'rollback-modal');
      const frontend = state().serviceByName('kars-frontend', state().projects[0]!.id);
      const created = nextDeployment(
        state(),
        (d) =>
          d.serviceId === frontend.id &&
          d.skipBuild === true &&
          commitOf(d)?.startsWith(sha) === true,
        timeouts.daemon,
      );
      await dialog.getByRole('button', { name: 'Roll Back', exact: true }).click();
      await created;
      await waitForNotification(page, `Rolling kars-frontend in kars-dev back to ${sha}`);
      // Railway finishes it; the row reads deployed again, running the restored commit.
      state().settle();
      await serviceRow(page, 'kars-frontend', 'kars-dev', 'deployed')
        .filter({ hasText: sha })
        .waitFor({ timeout: timeouts.daemon });
    });

    it("deploys an older kars-dev commit to kars-frontend, picked from the branch's recent commits", async () => {
      const running = commitOf(activeDeployment(state(), 'kars-dev', 'kars-frontend'));
      await chooseFromContextMenu(
        treeRow(page, /^Service kars-frontend in kars-dev: /),
        'Deploy Commit…',
        page.locator('.quick-input-widget').filter({ visible: true }),
      );
      const box = await quickInput(page);
      const rows = box.widget.locator('.quick-input-list .monaco-list-row');
      // The list comes from GitHub through the daemon; the running commit is marked.
      await rows
        .filter({ hasText: short(running) })
        .filter({ hasText: 'running now' })
        .waitFor(uiWait);
      const older = rows.filter({ hasText: 'Add index on invoices.customer_id' });
      await older.waitFor(uiWait);
      await screenshot(page, 'deploy-commit-picker');
      const olderSha = (await older.textContent())?.match(/\b[0-9a-f]{7}\b/)?.[0];
      assert.ok(olderSha, 'the row shows the commit sha');
      const frontend = state().serviceByName('kars-frontend', state().projects[0]!.id);
      const created = nextDeployment(
        state(),
        (d) => d.serviceId === frontend.id && commitOf(d)?.startsWith(olderSha) === true,
        timeouts.daemon,
      );
      await typeAndEnter(page, box.input, 'Add index');
      await created;
      await waitForNotification(page, `Deploying ${olderSha} to kars-frontend in kars-dev`);
    });
  });

  describe('environments view while Railway has not answered yet', () => {
    let page: Page | undefined;
    let folder: string;
    let holds: Hold[] = [];
    after(async () => {
      for (const h of holds) h.release();
      await page?.close();
      if (folder) fs.rmSync(folder, { recursive: true, force: true });
    });
    afterEach(function () {
      return screenshotIfFailed(page, this.currentTest);
    });

    it('says it is reading the project, not "Sign in" or "No project", then shows the tree and the promotions', async () => {
      // A new folder gets a project watch of its own, whose first read of the tree is held. Other
      // windows' watches poll too, and each held read is tried again after Railway's 15 s
      // timeout, taking another hold: there are plenty.
      holds = Array.from({ length: 20 }, () =>
        ctx.world.sims.railway.faults.hold('EnvironmentTree'),
      );
      folder = linkedFolder(ctx, 'reading');
      page = await openRailyardWindow(ctx, 'environments-reading', { server: ctx.server, folder });
      await openViewContainer(page, 'Railyard');
      const welcome = page.locator('.part.sidebar .welcome-view-content');
      await welcome.getByText("Reading this workspace's Railway project…").waitFor({
        timeout: timeouts.daemon,
      });
      await screenshot(page, 'environments-reading');
      const said = (await welcome.textContent()) ?? '';
      assert.doesNotMatch(said, /Sign in to Railway|No Railway project is linked/);
      // This daemon's own promotions are listed without waiting for Railway to name the repository
      // the team's are listed from.
      const sidebar = page.locator('.part.sidebar');
      const none = sidebar.getByText('No promotions yet for this folder');
      await none.waitFor(uiWait);
      for (const h of holds) h.release();
      // Whatever earlier tests left deploying: only that the tree is there.
      for (const env of ['kars-dev', 'kars-prod'])
        await environmentRow(page, env).waitFor({ timeout: timeouts.daemon });
      assert.equal(await sidebar.getByText(/^Could not list promotions/).count(), 0);
      assert.ok(await none.isVisible());
      assert.equal(await welcome.isVisible(), false, 'the welcome text stayed over the tree');
    });
  });
}

/** A kars-prod backend deployment older than the active one that Railway can roll back to. */
export function olderProdBackend(state: RailwayState): SimDeployment {
  const active = activeDeployment(state, 'kars-prod', 'kars-backend');
  assert.ok(active, 'kars-prod kars-backend has no active deployment');
  const older = state
    .deploymentsOf(active.environmentId, active.serviceId)
    .find((d) => d.id !== active.id && state.canRollback(d));
  assert.ok(older && commitOf(older), 'the fixture has no older kars-prod backend deployment');
  return older;
}

/** Expands kars-prod → kars-backend and picks "Rollback to This Deployment" on the `sha` row. */
async function openRollbackBox(page: Page, sha: string) {
  await expandRow(serviceRow(page, 'kars-backend', 'kars-prod', 'deployed'));
  await chooseFromContextMenu(
    treeRowWithText(page, 3, sha),
    'Rollback to This Deployment',
    page.locator('.quick-input-widget').filter({ visible: true }),
  );
  const box = await quickInput(page);
  assert.match(
    (await box.title.textContent()) ?? '',
    new RegExp(`kars-backend to ${sha} in kars-prod`),
  );
  return box;
}

async function typeAndEnter(page: Page, input: Locator, text: string): Promise<void> {
  await input.fill(text);
  await page.keyboard.press('Enter');
}
