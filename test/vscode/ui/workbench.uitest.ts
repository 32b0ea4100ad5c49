// Drives the real workbench from outside: the Railyard view, the daemon status bar item, daemon
// crash recovery, and one daemon shared by two windows and the CLI.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { cliStatus, runningDaemon } from '../railyardHome';
import {
  openViewContainer,
  recordStatusLabels,
  screenshot,
  timeouts,
  waitForLabelSequence,
  waitForStatusBar,
} from '../workbench';
import { openRailyardWindow, screenshotIfFailed, type UiContext } from './railyardWindow';

const label = (state: string): string => `Railyard daemon: ${state}`;

export function defineUiTests(ctx: UiContext): void {
  describe('workbench', () => {
    let window1: Page;
    before(async () => {
      window1 = await openRailyardWindow(ctx, 'window-1');
    });
    after(() => window1?.close());
    afterEach(function () {
      return screenshotIfFailed(window1, this.currentTest);
    });

    it('shows the Railyard view container in the activity bar, and it opens', async () => {
      const sidebar = await openViewContainer(window1, 'Railyard');
      // The only view of a container has its header hidden (the title says "Railyard: ..."),
      // so check the pane exists and its body (welcome content or tree) shows.
      const pane = sidebar.locator('.pane', { has: window1.getByLabel('Environments Section') });
      await pane.locator('.pane-body').first().waitFor({ timeout: timeouts.ui });
    });

    it('status bar reaches "Railyard daemon: connected"', async () => {
      const item = await waitForStatusBar(window1, label('connected'));
      assert.match((await item.textContent()) ?? '', /Railyard/);
      await openViewContainer(window1, 'Railyard');
      await screenshot(window1, 'workbench-connected');
    });

    it('after the daemon is SIGKILLed, shows reconnecting, then connected to a new daemon', async () => {
      await waitForStatusBar(window1, label('connected'));
      const before = runningDaemon(ctx.home);
      assert.ok(before, `no daemon running for ${ctx.home}`);
      await recordStatusLabels(window1, label(''));
      process.kill(before.pid, 'SIGKILL');
      const seen = await waitForLabelSequence(window1, [label('reconnecting'), label('connected')]);
      const after = runningDaemon(ctx.home);
      assert.ok(after, `status bar says connected (${seen.join(' → ')}) but no daemon runs`);
      assert.notEqual(after.pid, before.pid, 'the daemon pid did not change');
    });

    it('two windows and the CLI share one daemon', async () => {
      const window2 = await openRailyardWindow(ctx, 'window-2');
      try {
        await waitForStatusBar(window1, label('connected'));
        await waitForStatusBar(window2, label('connected'));
        const daemon = runningDaemon(ctx.home);
        const status = await cliStatus(ctx.home);
        const kinds = (status.clients ?? []).map((c) => c.kind);
        assert.equal(status.running, true);
        assert.equal(
          status.pid,
          daemon?.pid,
          'the CLI reached another daemon than daemon.json names',
        );
        assert.ok(kinds.filter((k) => k === 'vscode').length >= 2, `clients: ${kinds.join(', ')}`);
        assert.ok(kinds.includes('cli'), `no cli client among: ${kinds.join(', ')}`);
      } finally {
        await window2.close();
      }
    });
  });
}
