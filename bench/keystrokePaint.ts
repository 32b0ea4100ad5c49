// Keystroke-to-paint in the workbench's text editor, measured in the page: from a key's keydown
// event (its timeStamp) to the first task after the rendering step that drew the character.
//
// Monaco draws typed text in an animation frame. A MutationObserver on the editor's view-lines sees
// the line change inside that frame; a message posted from there runs only once the frame's
// rendering (style, layout, paint) is done. So a sample is: keydown.timeStamp → that message, in
// the page's performance.now() time. It includes the renderer's queueing, the editor's model
// update and the paint's main-thread work, not the compositor's or the screen's.
import type { Page } from 'playwright-core';
import { timeouts } from '../test/vscode/workbench';

interface Probe {
  /** What the line being typed should read once the last key is drawn. */
  typed: string;
  /** keydown.timeStamp of the key not yet seen drawn. */
  t0: number | undefined;
  samples: number[];
}

interface ProbeWindow {
  __railyardKeys: Probe;
}

/** Installs the probe on the editor area's text editor (there must be exactly one open). */
export async function installKeystrokeProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const lines = document.querySelectorAll('.part.editor .editor-instance .view-lines');
    if (lines.length !== 1) throw new Error(`expected one text editor, found ${lines.length}`);
    const probe: Probe = { typed: '', t0: undefined, samples: [] };
    (window as unknown as ProbeWindow).__railyardKeys = probe;
    // Capture phase on window: before the editor's own handlers, for every printable key.
    window.addEventListener(
      'keydown',
      (e) => {
        if (e.key.length !== 1) return;
        probe.typed += e.key;
        probe.t0 = e.timeStamp;
      },
      true,
    );
    const drawn = (): boolean =>
      [...lines[0]!.querySelectorAll('.view-line')].some(
        (l) => (l.textContent ?? '').replace(/\u00a0/g, ' ') === probe.typed,
      );
    new MutationObserver(() => {
      const t0 = probe.t0;
      if (t0 === undefined || !drawn()) return;
      probe.t0 = undefined;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => probe.samples.push(performance.now() - t0);
      channel.port2.postMessage(0);
    }).observe(lines[0]!, { childList: true, subtree: true, characterData: true });
  });
}

/**
 * Starts a new empty line in the focused editor and types `count` printable keys on it, one at a
 * time: each key waits until the last one's sample is in, then a random 40–120 ms, so keys fall
 * anywhere in a frame and a slow frame cannot hide the next key. `offset` picks where in the
 * alphabet the line starts, so no earlier line reads the same as this one at any length.
 */
export async function typeAndMeasure(page: Page, count: number, offset: number): Promise<number[]> {
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.evaluate(() => {
    const probe = (window as unknown as ProbeWindow).__railyardKeys;
    probe.typed = '';
    probe.t0 = undefined;
    probe.samples = [];
  });
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < count; i++) {
    await page.keyboard.press(alphabet[(offset + i) % alphabet.length]!);
    await page
      .waitForFunction(
        (n) => (window as unknown as ProbeWindow).__railyardKeys.samples.length >= n,
        i + 1,
        { timeout: timeouts.ui },
      )
      .catch(async (e: unknown) => {
        const focus = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200));
        throw new Error(`key ${i + 1} was never drawn in the typing editor; focus: ${focus}`, {
          cause: e,
        });
      });
    await new Promise((r) => setTimeout(r, 40 + Math.random() * 80)); // pacing, not a wait for a state
  }
  return page.evaluate(() => [...(window as unknown as ProbeWindow).__railyardKeys.samples]);
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? NaN;
}

/**
 * The workbench page's main thread: the share of a window it spent running tasks (Chrome's
 * TaskDuration metric over DevTools), in % of one core. What keeps a keystroke waiting.
 */
export async function startRendererWindow(page: Page): Promise<{ end(): Promise<number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async (): Promise<number> => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
  };
  const busy0 = await taskSeconds();
  const t0 = performance.now();
  return {
    async end() {
      const busy = (await taskSeconds()) - busy0;
      const wall = (performance.now() - t0) / 1000;
      await cdp.detach();
      return (busy / wall) * 100;
    },
  };
}
