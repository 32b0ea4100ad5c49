// Restricted Mode in the real workbench, with VS Code's workspace trust on: an untrusted folder
// whose railyard.json lifts kars-prod's protection and names a health URL shows the project
// read-only, Redeploy forced on a real tree node is refused by the daemon (not by the extension),
// and trusting the folder makes Railyard read the whole railyard.json.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { AuditLog } from '../../../daemon/state/auditLog';
import { statePaths } from '../../../protocol/discovery';
import { startIntegrationRun } from '../integrationSuite';
import { commitOf } from '../simWorld';
import { contextMenuTitles, expandRow, treeRow, treeRowWithText } from '../treeView';
import { openViewContainer, screenshot, timeouts, waitForNotification } from '../workbench';
import { olderProdBackend, serviceRow, short, waitForKarsTree } from './environments.uitest';
import {
  openRailyardWindow,
  screenshotIfFailed,
  withTimeout,
  type UiContext,
} from './railyardWindow';

/** What trust gives: the tree's menus offer these only in a trusted workspace. */
const changing = ['Redeploy', 'Restart', 'Rollback to This Deployment', 'Deploy Commit…'];
/** VS Code's own sign of an untrusted window, in the status bar. */
const restrictedModeItem = (page: Page) =>
  page.locator('.part.statusbar [aria-label^="Restricted Mode"]').first();
/** Railway's mutations for what the tree's menus do. */
const mutations = [
  'DeploymentRedeploy',
  'DeploymentRestart',
  'DeploymentRollback',
  'ServiceInstanceDeployV2',
];

interface HealthEndpoint {
  url: string;
  hits(): number;
  /** Settles at the first request. */
  firstHit: Promise<void>;
  close(): void;
}

/** The health URL railyard.json names: answers 200 and counts who asked. */
function healthEndpoint(): Promise<HealthEndpoint> {
  let hits = 0;
  let hit!: () => void;
  const firstHit = new Promise<void>((resolve) => (hit = resolve));
  const server = http.createServer((_req, res) => {
    hits++;
    hit();
    res.end('ok');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}/restricted-health`,
        hits: () => hits,
        firstHit,
        close: () => server.close(),
      });
    }),
  );
}

/** A folder whose railyard.json would weaken protection and make the daemon send requests. */
function riskyFolder(healthUrl: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-test-restricted-'));
  const config = { environments: { 'kars-prod': { protected: false, healthUrl } } };
  fs.writeFileSync(path.join(folder, 'railyard.json'), JSON.stringify(config, null, 2));
  return folder;
}

export function defineRestrictedTests(ctx: UiContext): void {
  describe('restricted mode (workspace trust on, folder untrusted)', () => {
    let page: Page;
    let health: HealthEndpoint;
    let folder: string;
    const server = () => ctx.restricted.server;
    const refusals = () =>
      new AuditLog(statePaths(ctx.restricted.home).audit)
        .read()
        .filter((e) => e.outcome === 'refused');
    const mutationCount = () =>
      mutations.map((op) => ctx.world.sims.railway.requestCount(op)).reduce((a, b) => a + b, 0);
    before(async () => {
      health = await healthEndpoint();
      folder = riskyFolder(health.url);
      page = await openRailyardWindow(ctx, 'restricted', { server: server(), folder });
      await openViewContainer(page, 'Railyard');
    });
    after(async () => {
      await page?.close();
      health?.close();
      if (folder) fs.rmSync(folder, { recursive: true, force: true });
    });
    afterEach(function () {
      return screenshotIfFailed(page, this.currentTest);
    });

    it('shows every environment and service, kars-prod still protected, and says above the tree that Railyard only reads', async () => {
      await restrictedModeItem(page).waitFor({ timeout: timeouts.ui });
      await waitForKarsTree(page);
      // The line changes with each view the daemon sends: wait for the whole of it, not a first read.
      const message = page.locator('.part.sidebar .message', { hasText: 'Restricted Mode' });
      const expected =
        /^Restricted Mode: Railyard only reads here; trust the workspace to deploy, restart or roll back\. Set aside from railyard\.json until then: environments\.kars-prod\.healthUrl, environments\.kars-prod\.protected: false\.$/;
      await message
        .filter({ hasText: expected })
        .waitFor({ timeout: timeouts.ui })
        .catch(async (e: unknown) => {
          const seen = await message.allTextContents();
          throw new Error(
            `the tree's message never read ${expected}; it reads ${seen.join(' | ')}`,
            {
              cause: e,
            },
          );
        });
      assert.equal(health.hits(), 0, 'the daemon asked an untrusted folder’s health URL');
      await screenshot(page, 'restricted-tree');
    });

    it('offers no Redeploy, Restart, Rollback or Deploy Commit in a service’s or a deployment’s menu', async () => {
      const service = serviceRow(page, 'kars-backend', 'kars-prod', 'deployed');
      const onService = await contextMenuTitles(service, 'Tail Logs…', () =>
        screenshot(page, 'restricted-context-menu').then(() => undefined),
      );
      assert.deepEqual(
        onService.filter((t) => changing.includes(t)),
        [],
        onService.join(', '),
      );
      // A deployment Railway can roll back to: trusted, its menu offers Rollback and Redeploy.
      const older = short(commitOf(olderProdBackend(ctx.world.sims.railway.state)));
      await expandRow(service);
      const deployment = treeRowWithText(page, 3, older);
      const onDeployment = await contextMenuTitles(deployment, 'Copy Commit');
      assert.deepEqual(
        onDeployment.filter((t) => changing.includes(t)),
        [],
        onDeployment.join(', '),
      );
    });

    it('Redeploy forced on a real tree node is refused by the daemon: its sentence shows, Railway is not asked, the audit log says refused', async function () {
      this.timeout(timeouts.workbench + timeouts.daemon * 2);
      const mutationsBefore = mutationCount();
      const refusedBefore = refusals().length;
      // The menus do not offer Redeploy and keybindings pass no tree node, so a window's extension
      // host forces it, as another extension could: on the tree's own node, through the command.
      const run = await startIntegrationRun({
        server: server(),
        browser: ctx.browser,
        workspace: folder,
        home: ctx.restricted.home,
        logFile: path.join(ctx.logDir, 'restricted-forced-window.log'),
        onResult: () => undefined,
        suite: 'restricted',
      });
      try {
        const results = await run.finished;
        const failed = results.filter((r) => r.status === 'fail');
        assert.deepEqual(
          failed.map((r) => `${r.title}: ${r.error}`),
          [],
        );
        assert.equal(results.length, 3, results.map((r) => r.title).join('; '));
        await waitForNotification(
          run.page,
          `${folder} is in a workspace you have not trusted, so Railyard only reads there and refused the redeploy. Trust the workspace (Workspaces: Manage Workspace Trust)`,
          timeouts.ui,
          'restricted-forced-refused',
        );
      } finally {
        await run.close();
      }
      assert.equal(mutationCount(), mutationsBefore, 'Railway was asked to change something');
      const all = refusals(); // newest first
      const refused = all.slice(0, all.length - refusedBefore);
      assert.equal(refused.length, 1, JSON.stringify(refused));
      assert.equal(refused[0]?.action, 'redeploy');
      assert.match(refused[0]?.detail ?? '', /not trusted/);
      assert.match(refused[0]?.client ?? '', /^VS Code /);
    });

    it('trusting the folder (Manage Workspace Trust → Trust) makes Railyard read all of railyard.json: kars-prod unprotected, its health URL asked', async () => {
      await restrictedModeItem(page).click({ timeout: timeouts.ui });
      const trust = page.getByRole('button', { name: 'Trust', exact: true });
      await trust.click({ timeout: timeouts.ui });
      await restrictedModeItem(page).waitFor({ state: 'detached', timeout: timeouts.ui });
      // The Workspace Trust editor opens as a modal over the window; close it to use the tree.
      await page
        .getByRole('button', { name: /^Close Modal Editor/ })
        .click({ timeout: timeouts.ui });
      await treeRow(page, /^Environment kars-prod, (?!protected)/).waitFor({
        timeout: timeouts.daemon,
      });
      await withTimeout(health.firstHit, timeouts.daemon, 'the daemon never asked the health URL');
      await page.locator('.part.sidebar .message', { hasText: 'Restricted Mode' }).waitFor({
        state: 'hidden',
        timeout: timeouts.ui,
      });
      const service = serviceRow(page, 'kars-backend', 'kars-dev', 'deployed');
      const offered = await contextMenuTitles(service, 'Tail Logs…');
      assert.ok(offered.includes('Redeploy'), `a trusted service offers: ${offered.join(', ')}`);
      await screenshot(page, 'restricted-trusted');
    });
  });
}
