// One measured phase of the editor-load bench, in an open workbench window: a CPU window over the
// extension host (and the daemon when there is one) and the page's main thread, then keystrokes
// typed in the typing editor, timed to their paint. Shared by the Railyard phases and the baseline.
import { setTimeout as delay } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { openCommandPalette, pickOption, timeouts } from '../test/vscode/workbench';
import { lineCount } from './editorLoadWorld';
import { installKeystrokeProbe, startRendererWindow, typeAndMeasure } from './keystrokePaint';
import { commandLine, findDescendants, startCpuWindow } from './procCpu';

export const typingFile = 'TYPING.txt';

export interface Phase {
  extHostPercent: number;
  /** The Railyard daemon's CPU, % of one core (absent in the baseline, which has none). */
  daemonPercent?: number;
  /** The workbench page's main thread, busy % (reference: what keeps a keystroke waiting). */
  rendererPercent: number;
  wallSeconds: number;
  keystrokes: number[];
  /** Lines/s that reached the ten channels over the CPU window (absent when idle). */
  delivered?: { total: number; perChannel: number[]; written?: number; relayed?: number };
}

export interface PhaseOptions {
  windowSeconds: number;
  keys: number;
  /** Where in the alphabet the typed line starts, so no two phases' lines read the same. */
  offset: number;
  pids: { extHost: number; daemon?: number };
  /** The channels' text files, and what the load's writers wrote so far when they count it. */
  counting?: { files: string[]; written?: () => number; relayed?: () => number };
}

/** Settings for a quiet typing editor: no suggestion widget or autosave drawing between keys. */
export const editorSettings = {
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.wordBasedSuggestions': 'off',
  'editor.suggestOnTriggerCharacters': false,
  'files.autoSave': 'off',
};

/** The extension hosts below code-server: its descendants started as `--type=extensionHost`. */
export function extensionHostPids(serverPid: number): number[] {
  return findDescendants(serverPid, /--type=extensionHost/);
}

/** The one extension host below code-server that is not in `others`; throws with what it found. */
export function newExtensionHostPid(serverPid: number, others: number[] = []): number {
  const pids = extensionHostPids(serverPid).filter((p) => !others.includes(p));
  if (pids.length !== 1) {
    const found = pids.map((p) => `${p}: ${commandLine(p)}`).join('\n');
    throw new Error(
      `expected one new extension host under code-server, found ${pids.length}\n${found}`,
    );
  }
  return pids[0]!;
}

/** Hides the panel (View: Toggle Panel Visibility, Ctrl+J) and waits until it is gone. */
export async function hidePanel(page: Page): Promise<void> {
  await page.keyboard.press('Control+J');
  await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: timeouts.ui });
}

/** Opens the typing file from Quick Open and watches its editor's keystrokes. */
export async function openTypingEditor(page: Page): Promise<void> {
  await pickOption(await openCommandPalette(page, typingFile), typingFile);
  const lines = page.locator('.part.editor .editor-instance .view-lines', { hasText: 'Type' });
  await lines.waitFor({ timeout: timeouts.ui });
  await installKeystrokeProbe(page);
}

/**
 * Puts the cursor at the end of the typing file: a click on its first line, then Ctrl+End. A click
 * that left the focus elsewhere (the Output view, a picker still closing) is made again.
 */
async function focusTypingEditor(page: Page): Promise<void> {
  const editor = page.locator('.part.editor .editor-instance .monaco-editor');
  const focused = page.locator('.part.editor .editor-instance .monaco-editor.focused');
  for (let attempt = 1; ; attempt++) {
    await editor.locator('.view-line', { hasText: 'Type here.' }).click({ timeout: timeouts.ui });
    const ok = await focused.waitFor({ timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (attempt >= 3) throw new Error('the typing editor never took the focus after 3 clicks');
  }
  await page.keyboard.press('Control+End');
}

/** The CPU window, then the keystrokes; lines/s per channel file when the phase counts them. */
export async function measure(page: Page, o: PhaseOptions): Promise<Phase> {
  const before = o.counting?.files.map(lineCount);
  const written0 = o.counting?.written?.() ?? 0;
  const relayed0 = o.counting?.relayed?.() ?? 0;
  const extHost = startCpuWindow(o.pids.extHost);
  const daemon = o.pids.daemon === undefined ? undefined : startCpuWindow(o.pids.daemon);
  const renderer = await startRendererWindow(page);
  await delay(o.windowSeconds * 1000); // the measuring window itself
  const ext = extHost.end();
  const daemonPercent = daemon?.end().percent;
  const rendererPercent = await renderer.end();
  let delivered: Phase['delivered'];
  if (o.counting) {
    const perSecond = (n: number): number => n / ext.wallSeconds;
    const perChannel = o.counting.files.map((f, i) => perSecond(lineCount(f) - before![i]!));
    const total = perChannel.reduce((a, b) => a + b, 0);
    const written = o.counting.written && perSecond(o.counting.written() - written0);
    const relayed = o.counting.relayed && perSecond(o.counting.relayed() - relayed0);
    delivered = { total, perChannel, written, relayed };
  }
  await focusTypingEditor(page);
  const keystrokes = await typeAndMeasure(page, o.keys, o.offset);
  return {
    extHostPercent: ext.percent,
    daemonPercent,
    rendererPercent,
    wallSeconds: ext.wallSeconds,
    keystrokes,
    delivered,
  };
}
