// Drives the real VS Code workbench (served by code-server) in Debian's Chromium via playwright-core.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  chromium,
  type BrowserContext,
  type FrameLocator,
  type Locator,
  type Page,
} from 'playwright-core';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Explicit timeouts for everything that waits on the workbench. */
export const timeouts = { workbench: 90_000, ui: 30_000, daemon: 45_000 } as const;

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a fresh profile dir, removed on close. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1400, height: 900 },
    // Our runner owns Ctrl-C: Playwright's own handlers would exit before code-server is stopped.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  // tsx compiles this harness with esbuild's keepNames, which wraps functions in `__name(...)`;
  // functions passed to page.evaluate carry that call into the page, so define it there.
  await context.addInitScript('globalThis.__name = (fn) => fn;');
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= context
      .close()
      .catch(() => undefined)
      .finally(() => fs.rmSync(profile, { recursive: true, force: true })));
  return { context, close };
}

export interface WorkbenchOptions {
  /** code-server's `127.0.0.1:<port>`. */
  authority: string;
  /** Absolute path of the folder to open. */
  folder: string;
  /** Absolute path of the extension under development (loaded through the smoke-test payload). */
  extensionDevelopmentPath?: string;
  /** Absolute path of a module exporting mocha-style `run()`, run inside the extension host. */
  extensionTestsPath?: string;
  /** Extra environment for the extension host. */
  extensionEnvironment?: Record<string, string>;
}

/** The workbench URL; `payload` is only honoured with `--vscode-option enable-smoke-test-driver`. */
export function workbenchUrl(options: WorkbenchOptions): string {
  const remote = (p: string): string => `vscode-remote://${options.authority}${p}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) {
    payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  }
  if (options.extensionTestsPath) {
    payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  }
  if (options.extensionEnvironment) {
    payload.push(['extensionEnvironment', JSON.stringify(options.extensionEnvironment)]);
  }
  const query = new URLSearchParams({ folder: options.folder });
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  return `http://${options.authority}/?${query.toString()}`;
}

export interface AutomationHooks {
  /** A line the workbench logged through `codeAutomationLog` (extension test output lands here). */
  onLog?(level: string, message: string): void;
  /** The extension host finished running `extensionTestsPath`, with this exit code. */
  onExit?(code: number): void;
}

/** Opens a workbench window; the automation hooks are exposed before navigation, as required. */
export async function openWorkbench(
  browser: Browser,
  options: WorkbenchOptions,
  hooks: AutomationHooks = {},
): Promise<Page> {
  const page = await browser.context.newPage();
  await page.exposeFunction('codeAutomationLog', (level: unknown, args: unknown) => {
    hooks.onLog?.(String(level), logText(args));
  });
  await page.exposeFunction('codeAutomationExit', (code: unknown) => {
    hooks.onExit?.(Number(code));
  });
  await page.goto(workbenchUrl(options), { timeout: timeouts.workbench });
  return page;
}

/** The workbench passes console-style argument arrays; strings stay as they are. */
function logText(args: unknown): string {
  const parts = Array.isArray(args) ? (args as unknown[]) : [args];
  return parts.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
}

interface SmokeTestDriver {
  driver?: { whenWorkbenchRestored(): Promise<void> };
}

/** Waits until the workbench reports the Restored lifecycle phase (via the smoke-test driver). */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => {
      const driver = (window as unknown as SmokeTestDriver).driver;
      if (!driver) return false;
      await driver.whenWorkbenchRestored();
      return true;
    },
    null,
    { timeout: timeouts.workbench },
  );
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: timeouts.ui });
}

/** The activity bar entry of a view container, e.g. "Railyard". */
export function activityBarItem(page: Page, title: string): Locator {
  return page.locator(`.part.activitybar .action-label[aria-label^="${title}"]`).first();
}

/**
 * Opens the view container from its activity bar entry and waits for its sidebar. A new window may
 * be restoring the container from the last one: a click then would close it again, so this clicks
 * only while the entry is not the active one, and looks again until the sidebar shows.
 */
export async function openViewContainer(page: Page, title: string): Promise<Locator> {
  const item = activityBarItem(page, title);
  await item.waitFor({ timeout: timeouts.ui });
  const active = page.locator('.part.activitybar li.action-item.checked', { has: item });
  const sidebarTitle = page.locator('.part.sidebar .composite.title h2', { hasText: title });
  const deadline = Date.now() + timeouts.ui;
  while (!(await sidebarTitle.isVisible())) {
    if (Date.now() > deadline) throw new Error(`the ${title} view container never opened`);
    if (!(await active.isVisible())) await item.click();
    await sidebarTitle.waitFor({ timeout: 2_000 }).catch(() => undefined); // not shown yet: look again
  }
  return page.locator('.part.sidebar');
}

/** Waits for a status bar item with exactly this accessibility label. */
export async function waitForStatusBar(
  page: Page,
  label: string,
  timeout: number = timeouts.daemon,
): Promise<Locator> {
  const item = page.locator(`.part.statusbar [aria-label="${label}"]`).first();
  await item.waitFor({ state: 'visible', timeout });
  return item;
}

/** The aria-labels of status bar items starting with `prefix`. */
export async function statusBarLabels(page: Page, prefix: string): Promise<string[]> {
  const items = page.locator(`.part.statusbar [aria-label^="${prefix}"]`);
  const labels = await items.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  return labels.filter((l): l is string => l !== null);
}

/** Saves a PNG under test-results/screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  // A hover left by the last click would cover part of the picture: move away, let it close.
  await page.mouse.move(700, 450);
  await page
    .locator('.workbench-hover-container')
    .first()
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(() => undefined); // a hover that stays open is ugly, not a failure
  await page.screenshot({ path: file });
  return file;
}

interface LabelRecorder {
  __railyardLabels: string[];
}

/**
 * Starts recording, in order, every aria-label starting with `prefix` that the status bar shows,
 * including states that last only an instant (a MutationObserver with old values sees them all).
 */
export async function recordStatusLabels(page: Page, prefix: string): Promise<void> {
  await page.evaluate((prefix) => {
    const labels: string[] = [];
    (window as unknown as LabelRecorder).__railyardLabels = labels;
    const record = (label: string | null | undefined): void => {
      if (label?.startsWith(prefix) && labels[labels.length - 1] !== label) labels.push(label);
    };
    const bar = document.querySelector('.part.statusbar');
    if (!bar) throw new Error('no status bar');
    const current = (root: Element): void =>
      root.querySelectorAll('[aria-label]').forEach((e) => record(e.getAttribute('aria-label')));
    current(bar);
    new MutationObserver((mutations) => {
      // Old values first, then what is shown now: keeps order when updates arrive batched.
      for (const m of mutations) if (m.type === 'attributes') record(m.oldValue);
      current(bar);
    }).observe(bar, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-label'],
      attributeOldValue: true,
    });
  }, prefix);
}

/** Waits until the recorded labels contain `sequence` in order (other labels may sit between). */
export async function waitForLabelSequence(
  page: Page,
  sequence: string[],
  timeout: number = timeouts.daemon,
): Promise<string[]> {
  const read = (): Promise<string[]> =>
    page.evaluate(() => [...(window as unknown as LabelRecorder).__railyardLabels]);
  try {
    await page.waitForFunction(
      (sequence) => {
        let next = 0;
        for (const label of (window as unknown as LabelRecorder).__railyardLabels) {
          if (label === sequence[next]) next++;
        }
        return next === sequence.length;
      },
      sequence,
      { timeout },
    );
  } catch (e) {
    throw new Error(
      `status bar never showed ${sequence.join(' → ')}; saw ${(await read()).join(' → ')}`,
      {
        cause: e,
      },
    );
  }
  return read();
}

/**
 * Waits for a notification containing `text`. Under the smoke-test driver the workbench shows no
 * toasts, so this opens the notification center from the status bar bell, then closes it again;
 * `shot` names a screenshot taken while it shows the notification.
 */
export async function waitForNotification(
  page: Page,
  text: string,
  timeout: number = timeouts.ui,
  shot?: string,
): Promise<void> {
  const bell = page.locator('.part.statusbar [id="status.notifications"] a').first();
  const center = page.locator('.notifications-center.visible');
  await bell.click({ timeout });
  try {
    await center.getByText(text).first().waitFor({ timeout });
    if (shot) await screenshot(page, shot);
  } finally {
    if (await center.isVisible()) await bell.click();
    await center.waitFor({ state: 'hidden', timeout: timeouts.ui });
  }
}

/** The Output view's channel switcher, once it shows `channel` (the channel in view). */
export function outputChannelSelect(page: Page, channel: string): Locator {
  // The view's own header has a hidden copy of the switcher; the panel's title bar shows this one.
  return page
    .locator('.part.panel select[aria-label="Switch Output"]')
    .filter({ visible: true })
    .and(page.locator(`:has(option[value="${channel}"]:checked)`));
}

type LinePattern = { line: string } | { source: string; flags: string };

/**
 * The lines the Output view renders now, top to bottom, with U+00A0 read as a space. The editor
 * renders only what is in view and reuses line elements, so order comes from their `top`.
 */
export async function outputLines(page: Page): Promise<string[]> {
  return (await page.evaluate(matchOutputLines, [])) || [];
}

/** In the page: the Output view's lines if they match `wanted` in order (others between), else false. */
function matchOutputLines(wanted: LinePattern[]): string[] | false {
  const rows = [...document.querySelectorAll<HTMLElement>('.part.panel .output-view .view-line')];
  const lines = rows
    .map((l) => ({ top: parseFloat(l.style.top || '0'), text: l.textContent ?? '' }))
    .sort((a, b) => a.top - b.top)
    .map((l) => l.text.replace(/\u00a0/g, ' '));
  let next = 0;
  for (const line of lines) {
    const w = wanted[next];
    if (!w) break;
    if ('line' in w ? line === w.line : new RegExp(w.source, w.flags).test(line)) next++;
  }
  return next === wanted.length && lines;
}

/**
 * Waits until the Output view shows lines matching `expected` in this order (other lines may sit
 * between): a string is a whole line, a RegExp tests one. Returns the lines then in view.
 */
export async function waitForOutputLines(
  page: Page,
  expected: (string | RegExp)[],
  timeout: number = timeouts.ui,
): Promise<string[]> {
  const wanted: LinePattern[] = expected.map((e) =>
    typeof e === 'string' ? { line: e } : { source: e.source, flags: e.flags },
  );
  try {
    const handle = await page.waitForFunction(matchOutputLines, wanted, { timeout });
    return (await handle.jsonValue()) || [];
  } catch (e) {
    const seen = (await outputLines(page)).join('\n    ');
    const want = expected.map(String).join('\n    ');
    throw new Error(
      `the Output view never showed, in order:\n    ${want}\nit shows:\n    ${seen}`,
      {
        cause: e,
      },
    );
  }
}

interface Token {
  text: string;
  colour: string;
}

/**
 * In the page: the coloured pieces of the first Output line containing `text`, left to right, if
 * one of them reads `token` (any, when `token` is empty), else false.
 */
function outputTokens([text, token]: readonly [string, string]): Token[] | false {
  const rows = [...document.querySelectorAll('.part.panel .output-view .view-line')];
  const line = rows.find((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(text));
  const tokens = [...(line?.querySelectorAll('span > span') ?? [])].map((s) => ({
    text: (s.textContent ?? '').replace(/\u00a0/g, ' '),
    colour: getComputedStyle(s).color,
  }));
  return (!token || tokens.some((t) => t.text.trim() === token)) && tokens;
}

/**
 * The coloured pieces (tokens) of the first Output line containing `text`, once one of them reads
 * `token`: the editor shows a line before its grammar has coloured it, so this waits for that.
 */
export async function waitForOutputTokens(
  page: Page,
  text: string,
  token: string,
  timeout: number = timeouts.ui,
): Promise<Token[]> {
  try {
    const handle = await page.waitForFunction(outputTokens, [text, token] as const, { timeout });
    return (await handle.jsonValue()) || [];
  } catch (e) {
    const seen = JSON.stringify(await page.evaluate(outputTokens, [text, ''] as const));
    throw new Error(`the Output line with "${text}" never had a "${token}" token: ${seen}`, {
      cause: e,
    });
  }
}

/**
 * Opens the command palette with `text` typed. A key press that lands while focus moves (a
 * webview taking it) or while the last quick pick is still closing is lost, so F1 and the typing
 * are done again.
 */
export async function openCommandPalette(page: Page, text: string): Promise<Locator> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const typed = await input.fill(text, { timeout: timeouts.ui / 3 }).then(
      () => true,
      () => false,
    );
    if (typed) return widget;
    if (attempt >= 3) throw new Error(`F1 never opened the command palette (for ${text})`);
  }
}

/**
 * Runs a command from the command palette by its title, as a user does: F1, type, pick. The
 * palette lists the commands known when the text was typed, and an extension's are known only once
 * the workbench has read its manifest: early in a window's life (a cached activity bar entry shows
 * before that) the command is missing until the palette is opened again, so it is, as a user would.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const deadline = Date.now() + timeouts.ui;
  for (;;) {
    const widget = await openCommandPalette(page, `>${title}`);
    const listed = await quickPickRow(widget, title)
      .waitFor({ timeout: 3_000 })
      .then(
        () => true,
        () => false,
      );
    if (listed || Date.now() > deadline) return pickOption(widget, title);
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: timeouts.ui });
  }
}

/**
 * Developer: Reload Window, then waits for the window to be back. The workbench saves its state
 * (open editors, each webview's setState) as it shuts down; this command waits for that write to
 * storage, where a bare page.reload() or page.goto() does not and may lose it.
 */
export async function reloadWindow(page: Page): Promise<void> {
  const loaded = page.waitForEvent('load', { timeout: timeouts.workbench });
  await runCommand(page, 'Developer: Reload Window');
  await loaded;
  await waitForWorkbench(page);
}

/** Clicks the quick pick's entry whose label is exactly `label`, once the list shows it. */
export async function pickOption(widget: Locator, label: string): Promise<void> {
  const option = quickPickRow(widget, label);
  await option.click({ timeout: timeouts.ui });
  // The widget may stay open for a next pick (Preferences: Color Theme lists the themes): the
  // chosen entry going (hidden, or replaced by the next list) says the choice was taken.
  await option.waitFor({ state: 'hidden', timeout: timeouts.ui });
}

/** The quick pick's entry whose label is exactly `label`. */
function quickPickRow(widget: Locator, label: string): Locator {
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return widget
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: widget.page().locator('.label-name', { hasText: exact }) })
    .first();
}

/** The themes a screenshot is taken in, and the class the workbench's root carries in each. */
export const THEMES = [
  { name: 'light', label: 'Light Modern', workbenchClass: 'vs', webviewClass: 'vscode-light' },
  { name: 'dark', label: 'Dark Modern', workbenchClass: 'vs-dark', webviewClass: 'vscode-dark' },
  {
    name: 'hc',
    label: 'Dark High Contrast',
    workbenchClass: 'hc-black',
    webviewClass: 'vscode-high-contrast',
  },
] as const;

/** Switches the window's color theme with Preferences: Color Theme and waits until it applies. */
export async function setColorTheme(page: Page, theme: (typeof THEMES)[number]): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout: timeouts.ui });
  await widget.locator('input.input').fill(theme.label);
  await pickOption(widget, theme.label);
  await page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor({ timeout: timeouts.ui });
}

/**
 * Calls `shoot` in light, dark and high-contrast themes in this same window (the webview in
 * `frame`, if given, has taken each theme on first), then goes back to Dark Modern.
 */
export async function withColorThemes(
  page: Page,
  shoot: (theme: string) => Promise<unknown>,
  frame?: FrameLocator,
): Promise<void> {
  try {
    for (const theme of THEMES) {
      await setColorTheme(page, theme);
      await frame?.locator(`body.${theme.webviewClass}`).waitFor({ timeout: timeouts.ui });
      await shoot(theme.name);
    }
  } finally {
    await setColorTheme(page, THEMES[1]);
  }
}
