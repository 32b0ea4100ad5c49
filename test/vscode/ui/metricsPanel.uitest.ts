// The metrics panel end to end in the real workbench: Show Metrics on kars-prod's kars-backend row
// opens the charts; the table view holds the same request counts the Railway simulator gives for
// the same window when asked directly over GraphQL; another range is fetched; the service row's
// hover shows the last hour's sparklines; screenshots in light, dark and high contrast.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { demoTraffic } from '../../../sim/demoTraffic';
import { activeDeployment, commitOf } from '../simWorld';
import { chooseFromContextMenu, hoverText, treeRow } from '../treeView';
import {
  openViewContainer,
  reloadWindow,
  runCommand,
  screenshot,
  screenshotDir,
  timeouts,
  withColorThemes,
} from '../workbench';
import { environmentRow, serviceRow } from './environments.uitest';
import { openRailyardWindow, screenshotIfFailed, type UiContext } from './railyardWindow';
import { railwayOperations } from '../../../daemon/railway/operations';

const uiWait = { timeout: timeouts.ui };
const CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;

/** The metrics webview's document: the webview shown (a hidden one may linger in the page). */
function metricsFrame(page: Page): FrameLocator {
  return page
    .locator('iframe.webview.ready')
    .filter({ visible: true })
    .contentFrame()
    .frameLocator('#active-frame');
}

// The daemon's own operation, asked of the simulator directly for the same window.
const REQUESTS_QUERY = railwayOperations.HttpMetricsByStatus;

interface StatusGroup {
  statusCode: number;
  samples: { ts: number; value: number }[];
}

export function defineMetricsPanelTests(ctx: UiContext): void {
  describe('the metrics panel', () => {
    let page: Page;
    const refusals: string[] = [];
    const sims = () => ctx.world.sims;
    before(async () => {
      // The UI suite moves the simulated clock only by hand, so nothing spoke since the
      // simulators started: bring them to the wall clock's time (the daemon's "now") with the
      // demo's traffic, so the last hour has live requests up to its end, not only made-up history.
      const { clock, railway } = sims();
      const traffic = demoTraffic(railway.state);
      while (clock.nowMs() < Date.now()) {
        clock.advance(250);
        traffic.tick(250);
      }
      page = await openRailyardWindow(ctx, 'metrics-panel');
      // Chromium reports what a Content Security Policy refuses on the console of the frame.
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) refusals.push(m.text());
      });
      await openViewContainer(page, 'Railyard');
      await environmentRow(page, 'kars-prod').waitFor({ timeout: timeouts.daemon });
      // A window on this folder restores the editors an earlier suite left open (a checklist
      // panel, by its serializer): closed, so the metrics panel is the window's one webview.
      await runCommand(page, 'View: Close All Editors');
    });
    after(() => page.close());
    afterEach(function () {
      return screenshotIfFailed(page, this.currentTest);
    });

    /** kars-prod's kars-backend ids, as the simulator knows them. */
    function backend(): { environmentId: string; serviceId: string } {
      const state = sims().railway.state;
      const env = state.environmentByName('kars-prod');
      return {
        environmentId: env.id,
        serviceId: state.serviceByName('kars-backend', env.projectId).id,
      };
    }

    /** The simulator's request counts by status class per step, asked as Railway is asked. */
    async function simulatorCounts(from: number, to: number, step: number) {
      const res = await fetch(sims().urls.railway, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${sims().tokens.railway.account}`,
        },
        body: JSON.stringify({
          query: REQUESTS_QUERY,
          variables: {
            ...backend(),
            startDate: new Date(from * 1000).toISOString(),
            endDate: new Date(to * 1000).toISOString(),
            stepSeconds: step,
          },
        }),
      });
      const answer = (await res.json()) as {
        data?: { httpMetricsGroupedByStatus: StatusGroup[] };
        errors?: unknown[];
      };
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      const counts = new Map<number, number[]>();
      for (const group of answer.data!.httpMetricsGroupedByStatus) {
        // Railway groups by exact code; the panel by class, 1xx with 2xx.
        const cls = Math.max(0, Math.min(3, Math.floor(group.statusCode / 100) - 2));
        for (const s of group.samples) {
          const row = counts.get(s.ts) ?? [0, 0, 0, 0];
          row[cls]! += s.value;
          counts.set(s.ts, row);
        }
      }
      return counts;
    }

    /** The window the page drew, from its root's data attributes. */
    async function drawnWindow(frame: FrameLocator, range: string) {
      const root = frame.locator(`main#panel[data-range="${range}"]`);
      await root.waitFor({ timeout: timeouts.daemon });
      const read = async (name: string) => Number(await root.getAttribute(`data-${name}`));
      return { from: await read('from'), to: await read('to'), step: await read('step') };
    }

    it('Show Metrics on kars-prod kars-backend draws the four charts over the last hour', async function () {
      this.timeout(timeouts.daemon * 3);
      const row = serviceRow(page, 'kars-backend', 'kars-prod', 'deployed');
      await row.waitFor({ timeout: timeouts.daemon });
      const frame = metricsFrame(page);
      await chooseFromContextMenu(row, 'Show Metrics', frame.locator('main#panel'));
      await drawnWindow(frame, '1h');
      await frame.locator('#chart-requests canvas').waitFor({ timeout: timeouts.daemon });
      for (const id of ['requests', 'duration', 'cpu', 'memory'])
        await frame.locator(`#chart-${id} canvas`).waitFor(uiWait);
      const legend = (await frame.locator('#chart-requests .u-legend').innerText()).replace(
        /\s+/g,
        ' ',
      );
      for (const cls of CLASSES) assert.match(legend, new RegExp(cls));
      assert.match(await frame.locator('h1').innerText(), /kars-backend in kars-prod/);
      // The range buttons and the Table toggle are buttons, labelled, the chosen one pressed.
      await frame.getByRole('button', { name: '1h', pressed: true }).waitFor(uiWait);
      await frame.getByRole('button', { name: 'Table', pressed: false }).waitFor(uiWait);
      // From the keyboard: the chart takes focus, End puts its cursor on the newest step and the
      // live region reads that step's values.
      const plot = frame.locator('#chart-requests .plot[tabindex="0"]');
      await plot.focus();
      await page.keyboard.press('End');
      const live = frame.locator('#chart-requests p[aria-live="polite"]');
      await live
        .filter({ hasText: /2xx [\d.]+\/s, 3xx [\d.]+\/s, 4xx [\d.]+\/s, 5xx [\d.]+\/s/ })
        .waitFor(uiWait);
    });

    it("the table view shows the simulator's request counts for the same window, step by step", async function () {
      this.timeout(timeouts.daemon * 2);
      const frame = metricsFrame(page);
      const { from, to, step } = await drawnWindow(frame, '1h');
      assert.equal(step, 30);
      assert.equal(to - from, 3600);
      await frame.getByRole('button', { name: 'Table' }).click(uiWait);
      await frame.getByRole('button', { name: 'Table', pressed: true }).waitFor(uiWait);
      const table = frame.locator('#table table');
      await table.locator('tbody tr').first().waitFor(uiWait);
      assert.match(await table.locator('caption').innerText(), /one row per 30 seconds/);
      const rows = await table.locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          ts: Number(tr.getAttribute('data-ts')),
          cells: Array.from(tr.children).map((c) => c.textContent ?? ''),
        })),
      );
      const expected = await simulatorCounts(from, to, step);
      let total = 0;
      for (const { ts, cells } of rows) {
        const shown = cells.slice(1, 5).map((c) => Number(c.replace(/,/g, '')));
        assert.deepEqual(shown, expected.get(ts) ?? [0, 0, 0, 0], `the step at ${ts}`);
        total += shown.reduce((a, b) => a + b, 0);
      }
      const simTotal = [...expected.values()].flat().reduce((a, b) => a + b, 0);
      assert.ok(simTotal > 0, 'the simulator has traffic in the window');
      assert.equal(total, simTotal, 'every request the simulator counted is in the table');
      await screenshot(page, 'metrics-table');
      await frame.getByRole('button', { name: 'Table' }).click(uiWait);
      await frame.locator('#chart-requests canvas').waitFor(uiWait);
    });

    it('another range is read at its own step', async function () {
      this.timeout(timeouts.daemon * 2);
      const frame = metricsFrame(page);
      await frame.getByRole('button', { name: '6h' }).click(uiWait);
      const { from, to, step } = await drawnWindow(frame, '6h');
      assert.equal(step, 60);
      assert.equal(to - from, 21_600);
      await frame.getByRole('button', { name: '6h', pressed: true }).waitFor(uiWait);
    });

    it('over 24 hours the serving deployment is marked, its commit named on hover; light, dark and high contrast', async function () {
      this.timeout(timeouts.daemon * 4);
      const frame = metricsFrame(page);
      await frame.getByRole('button', { name: '24h' }).click(uiWait);
      const { from, to, step } = await drawnWindow(frame, '24h');
      assert.equal(step, 240);
      const serving = commitOf(activeDeployment(sims().railway.state, 'kars-prod', 'kars-backend'));
      assert.ok(serving, 'kars-prod kars-backend serves a commit');
      const listed = frame.locator('.deployments li').filter({ hasText: serving.slice(0, 7) });
      await listed.first().waitFor({ timeout: timeouts.daemon });
      const at = Number(await listed.first().getAttribute('data-ts'));
      assert.ok(at >= from && at <= to, 'the deployment is inside the window');
      /** Puts the pointer on the deployment's marker in the requests chart. */
      const pointAtMarker = async () => {
        const over = await frame.locator('#chart-requests .u-over').boundingBox();
        assert.ok(over, 'the requests chart is drawn');
        const x = over.x + (over.width * (at - from)) / (to - from);
        await page.mouse.move(x, over.y + over.height / 2);
        const note = frame.locator('#chart-requests .marker-note');
        await note.filter({ hasText: `Deployed ${serving.slice(0, 7)}` }).waitFor(uiWait);
      };
      await pointAtMarker();
      await withColorThemes(
        page,
        async (theme) => {
          await pointAtMarker();
          await page.screenshot({ path: path.join(screenshotDir, `metrics-${theme}.png`) });
        },
        frame,
      );
      assert.deepEqual(refusals, [], 'the page ran under its CSP without a refusal');
    });

    it('a part Railway does not answer reads its sentence where the chart would be, the others drawn', async function () {
      this.timeout(timeouts.daemon * 2);
      const frame = metricsFrame(page);
      // As many 500s as the Railway client's attempts, on the CPU and memory query only.
      sims().railway.faults.next({ status: 500, on: 'ResourceMetrics' }, 4);
      await frame.getByRole('button', { name: '7d' }).click(uiWait);
      await drawnWindow(frame, '7d');
      for (const id of ['cpu', 'memory'])
        await frame
          .locator(`#chart-${id} .unavailable`)
          .filter({ hasText: /Railway had a problem answering ResourceMetrics/ })
          .waitFor(uiWait);
      await frame.locator('#chart-requests canvas').waitFor(uiWait);
      await frame.locator('#chart-duration canvas').waitFor(uiWait);
      await screenshot(page, 'metrics-unavailable');
    });

    it("kars-backend's hover shows its request rate and 5xx share over the last hour as sparklines", async function () {
      this.timeout(timeouts.daemon * 2);
      const row = treeRow(page, 'Service kars-backend in kars-prod: deployed');
      const text = await hoverText(row, 'Requests');
      assert.match(text, /Requests [\d.]+\/s [▁▂▃▄▅▆▇█]+ 5xx [\d.]+% [▁▂▃▄▅▆▇█]+ \(last hour\)/);
      // The rest of the tooltip is as it always was.
      assert.match(text, /kars-backend in kars-prod/);
      assert.match(text, /Health:/);
      await screenshotWithHover(page, row, 'metrics-hover');
    });

    it('comes back after a window reload with its range and the table view', async function () {
      this.timeout(timeouts.workbench * 2);
      const frame = metricsFrame(page);
      await frame.getByRole('button', { name: 'Table' }).click(uiWait);
      await frame.getByRole('button', { name: 'Table', pressed: true }).waitFor(uiWait);
      // The workbench's own reload: it saves the webview's state as it shuts down.
      await reloadWindow(page);
      const restored = metricsFrame(page);
      await restored
        .locator('main#panel[data-range="7d"]')
        .waitFor({ timeout: timeouts.workbench });
      await restored.getByRole('button', { name: 'Table', pressed: true }).waitFor(uiWait);
      await restored.locator('#table table tbody tr').first().waitFor(uiWait);
    });
  });
}

/** A picture of the window with the row's hover open (screenshot() would move the pointer away). */
async function screenshotWithHover(
  page: Page,
  row: ReturnType<typeof treeRow>,
  name: string,
): Promise<void> {
  await hoverText(row, 'Requests');
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}
