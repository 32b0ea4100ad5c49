// Live logs in the real workbench: Tail Logs from the tree opens the service's Output channel with
// the simulator's lines (level shown, coloured by the railyard-log grammar), and a real push moves
// the stream to the new deployment behind a marker naming its commit.
import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { DEFAULT_INTERVALS } from '../../../daemon/environments/projectWatcher';
import { commitAndPush } from '../../../sim/git/gitClient';
import { karsOwner, karsPeople, karsRepoName } from '../../../sim/git/karsRepo';
import type { SimDeployment } from '../../../sim/railway/model';
import { runningDaemon } from '../railyardHome';
import { activeDeployment, commitOf } from '../simWorld';
import { chooseFromContextMenu, treeRow } from '../treeView';
import {
  openViewContainer,
  outputChannelSelect,
  screenshot,
  timeouts,
  waitForOutputLines,
  waitForOutputTokens,
} from '../workbench';
import {
  openRailyardWindow,
  screenshotIfFailed,
  withTimeout,
  type UiContext,
} from './railyardWindow';

const channel = 'Railway: kars-backend (kars-dev)';
/** A push is seen at the daemon's next branch-head check; the stream follows at that view. */
const followMs = DEFAULT_INTERVALS.headsMs + 30_000;
const short = (sha: string | undefined): string => sha?.slice(0, 7) ?? '(none)';
const time = String.raw`\d{2}:\d{2}:\d{2}\.\d{3}`;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Probe {
  message: string;
  severity: 'info' | 'warn' | 'error';
  attributes: Record<string, unknown>;
}

/** Distinctive lines, one per level, tagged so a run's lines cannot be mistaken for another's. */
function probes(tag: string): Probe[] {
  return [
    { message: `${tag} GET /api/invoices/1042`, severity: 'info', attributes: { status: 200 } },
    { message: `${tag} slow query on invoices`, severity: 'warn', attributes: { durationMs: 812 } },
    { message: `${tag} SMTP connection timed out`, severity: 'error', attributes: { status: 500 } },
  ];
}

/**
 * How a probe reads in the Output channel: `HH:MM:SS.mmm LEVEL message  k=v …`. The generator adds
 * its own `seq` and `emitNs` attributes, so the probe's own are looked for among the others.
 */
function shown(p: Probe): RegExp {
  const attrs = Object.entries(p.attributes).map(
    ([k, v]) => `(?=.* ${k}=${escape(String(v))}( |$))`,
  );
  const level = p.severity.toUpperCase().padEnd(5);
  return new RegExp(`^${time} ${level} ${escape(p.message)} ${attrs.join('')}`);
}

/**
 * Tail Logs from a row's context menu. A tree update that lands while the menu is open re-renders
 * the row and VS Code runs the command without its row (the picker asks which service): that
 * gesture was eaten, so close the picker and redo it.
 */
async function tailFromRow(page: Page, row: Locator, channel: string): Promise<void> {
  const picker = page.locator('.quick-input-widget .quick-input-title', {
    hasText: 'Tail logs of',
  });
  for (let attempt = 1; ; attempt++) {
    const channelShown = outputChannelSelect(page, channel);
    await chooseFromContextMenu(row, 'Tail Logs…', channelShown.or(picker).first());
    if (await channelShown.isVisible()) return;
    if (attempt === 3) throw new Error('Tail Logs on the row opened the service picker 3 times');
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'hidden', timeout: timeouts.ui });
  }
}

export function defineLogTests(ctx: UiContext): void {
  describe('live logs', () => {
    let page: Page;
    const state = () => ctx.world.sims.railway.state;
    const backend = (): SimDeployment => {
      const d = activeDeployment(state(), 'kars-dev', 'kars-backend');
      assert.ok(d, 'kars-dev kars-backend has no active deployment');
      return d;
    };
    /** Writes the probes to `d` once the daemon listens to it, so they arrive live. */
    const emit = async (d: SimDeployment, lines: Probe[]): Promise<void> => {
      const listening = state().logs.untilSubscriptions((n) => n > 0, { deploymentId: d.id });
      await withTimeout(listening, timeouts.daemon, `the daemon never subscribed to ${d.id}`);
      for (const line of lines) ctx.world.sims.railway.logs.emit(d.id, 1, messageOf(line));
    };
    before(async () => {
      page = await openRailyardWindow(ctx, 'logs');
      await openViewContainer(page, 'Railyard');
    });
    after(() => page.close());
    afterEach(function () {
      return screenshotIfFailed(page, this.currentTest);
    });

    it('Tail Logs on kars-backend in kars-dev shows its live lines, level shown and coloured', async () => {
      const row = treeRow(page, 'Service kars-backend in kars-dev: deployed');
      await row.waitFor({ timeout: timeouts.daemon });
      await tailFromRow(page, row, channel);
      const lines = probes('live-1');
      await emit(backend(), lines);
      // The opening marker may have scrolled out of the panel behind the backlog; the daemon's
      // tests check that it arrives first, and the restart test below reads it again.
      const seen = await waitForOutputLines(page, lines.map(shown), timeouts.daemon);
      assert.ok(seen.length >= lines.length);
      await assertLevelsColoured(page, lines);
    });

    it('a push to kars-dev: a marker names the new commit, then the new deployment’s lines', async function () {
      this.timeout(followMs + 60_000);
      const old = backend();
      const pushed = await commitAndPush(ctx.world.sims.git, {
        owner: karsOwner,
        repo: karsRepoName,
        branch: 'kars-dev',
        files: { 'backend/src/reminders.js': 'exports.every = { days: 7 };\n' },
        message: 'Send invoice reminders weekly',
        author: karsPeople.grace,
      });
      ctx.world.sims.settle(); // the webhook, CI, the build and the deploy

      const next = backend();
      assert.notEqual(next.id, old.id, 'the push made no new active kars-backend deployment');
      assert.equal(commitOf(next), pushed.sha);
      const marker = `── kars-backend has a new active deployment; following it: deployment ${next.id.slice(0, 8)}, commit ${short(pushed.sha)} ──`;
      await waitForOutputLines(page, [marker], followMs);
      const lines = probes('followed-2');
      await emit(next, lines);
      await waitForOutputLines(page, [marker, ...lines.map(shown)], timeouts.daemon);
      await screenshot(page, 'logs-output');
    });

    it('after the daemon is killed, the stream comes back by itself without repeating a line', async function () {
      this.timeout(timeouts.daemon * 3);
      const daemon = runningDaemon(ctx.home);
      assert.ok(daemon, 'no daemon to kill');
      process.kill(daemon.pid, 'SIGKILL');
      const d = backend();
      const reopened = `── tailing deploy logs of kars-backend in kars-dev: deployment ${d.id.slice(0, 8)}, commit ${short(commitOf(d))} ──`;
      const lines = probes('after-restart');
      // The new daemon subscribes again with a backlog; the channel must drop what it already shows.
      await emit(d, lines);
      const seen = await waitForOutputLines(page, [reopened, ...lines.map(shown)], timeouts.daemon);
      const after = seen
        .slice(seen.lastIndexOf(reopened) + 1)
        .filter((l) => l.trim() !== '' && !l.startsWith('──'));
      assert.deepEqual(
        after.filter((l) => !l.includes('after-restart')),
        [],
        `lines were shown again after the restart:\n${after.join('\n')}`,
      );
      assert.equal(after.length, lines.length);
    });
  });
}

function messageOf(p: Probe) {
  return { message: () => p.message, severity: p.severity, attributes: () => p.attributes };
}

/** Each level word has its own colour, and the message another, as the grammar promises. */
async function assertLevelsColoured(page: Page, lines: Probe[]): Promise<void> {
  const levelColours = new Set<string>();
  for (const line of lines) {
    const word = line.severity.toUpperCase();
    const tokens = await waitForOutputTokens(page, line.message, word);
    const level = tokens.find((t) => t.text.trim() === word);
    const message = tokens.find((t) => t.text.includes(line.message));
    assert.ok(level && message, `no level or message token in ${JSON.stringify(tokens)}`);
    assert.notEqual(level.colour, message.colour, `${line.severity} is not coloured`);
    levelColours.add(level.colour);
  }
  assert.equal(levelColours.size, lines.length, 'two levels share a colour');
}
