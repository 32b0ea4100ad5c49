// Finds, expands and right-clicks rows of the sidebar's tree views, and answers input boxes.
import type { Locator, Page } from 'playwright-core';
import { timeouts } from './workbench';

/** Tree rows in the sidebar whose accessible name (aria-label) is `name`, or matches it. */
export function treeRow(page: Page, name: string | RegExp): Locator {
  const exact = typeof name === 'string';
  return page.locator('.part.sidebar').getByRole('treeitem', { name, exact });
}

/** Rows at a given depth (1 = roots) whose text contains `text`. */
export function treeRowWithText(page: Page, level: number, text: string): Locator {
  return page
    .locator(`.part.sidebar .monaco-list-row[role="treeitem"][aria-level="${level}"]`)
    .filter({ hasText: text });
}

/**
 * Waits for the row, then opens it if it is collapsed (clicking its twistie, as a user would).
 * Rows keep their expansion across the tree's re-renders (each has a stable id), but a re-render
 * landing between the press and the release replaces the row under the pointer and the click is
 * lost: the row then still reads collapsed, and the click is made again.
 */
export async function expandRow(row: Locator): Promise<void> {
  await row.waitFor({ timeout: timeouts.ui });
  const expanded = row.and(row.page().locator('[aria-expanded="true"]'));
  for (let attempt = 1; attempt < 3; attempt++) {
    if ((await row.getAttribute('aria-expanded')) !== 'false') break;
    await row.locator('.monaco-tl-twistie').click();
    const opened = await expanded.waitFor({ timeout: timeouts.ui / 3 }).then(
      () => true,
      () => false,
    );
    if (opened) return;
  }
  await expanded.waitFor({ timeout: timeouts.ui });
}

/**
 * Right-clicks the row and picks `item` from its context menu: hovers it until the menu focuses
 * it, then presses Enter. (A menu ignores mouse-ups for its first 100 ms, so an immediate click
 * would be lost; the keyboard has no such window.) A tree update that re-renders the row under the
 * right-click eats the gesture (no menu, or one closed at once), so it is made again.
 */
async function pickFromContextMenu(row: Locator, item: string): Promise<void> {
  const page = row.page();
  const entry = page.locator('.context-view .monaco-menu li.action-item', {
    has: page.getByRole('menuitem', { name: item, exact: true }),
  });
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    const shown = await entry.hover({ timeout: timeouts.ui / 3 }).then(
      () => true,
      () => false,
    );
    if (shown) break;
    if (attempt >= 3) throw new Error(`the context menu never offered ${item}`);
    await page.keyboard.press('Escape');
  }
  await entry.and(page.locator('.focused')).waitFor({ timeout: timeouts.ui });
  await page.keyboard.press('Enter');
  await entry.waitFor({ state: 'detached', timeout: timeouts.ui });
}

/**
 * Picks `item` from the row's context menu and waits for `effect`. A re-render can also land after
 * the menu opened: VS Code then runs the command without its row, and Railyard's error says to
 * right-click it again (see rowMissing), which is what this does.
 */
export async function chooseFromContextMenu(
  row: Locator,
  item: string,
  effect: Locator,
): Promise<void> {
  for (let attempt = 1; attempt < 3; attempt++) {
    await pickFromContextMenu(row, item);
    const shown = await effect.waitFor({ timeout: timeouts.ui / 3 }).then(
      () => true,
      () => false,
    );
    if (shown || !(await clearRowMissing(row.page()))) break;
  }
  await effect.waitFor({ timeout: timeouts.ui });
}

/**
 * True if the notification center holds Railyard's "right-click it again" error, which it then
 * clears. (The smoke-test driver shows no toasts: the center is opened from the status bar bell.)
 */
async function clearRowMissing(page: Page): Promise<boolean> {
  const bell = page.locator('.part.statusbar [id="status.notifications"] a').first();
  const center = page.locator('.notifications-center.visible');
  await bell.click();
  await center.waitFor({ timeout: timeouts.ui });
  const lost = (await center.getByText('right-click it again').count()) > 0;
  if (lost) await center.getByRole('button', { name: 'Clear All Notifications' }).click();
  if (await center.isVisible()) await bell.click();
  await center.waitFor({ state: 'hidden', timeout: timeouts.ui });
  return lost;
}

/** The quick input widget (input boxes and quick picks), once it is visible. */
export async function quickInput(page: Page): Promise<{
  widget: Locator;
  title: Locator;
  input: Locator;
  message: Locator;
}> {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout: timeouts.ui });
  return {
    widget,
    title: widget.locator('.quick-input-title'),
    input: widget.locator('input.input'),
    message: widget.locator('.quick-input-message'),
  };
}

/**
 * The titles in the row's context menu, read once it holds `expected` (an item every menu of such
 * a row has). A tree update that re-renders the row under the click eats the gesture: no menu, or
 * one without the row's items; so the right-click is redone until the deadline. `whileOpen` runs
 * with the menu still open (a screenshot); then Escape closes it.
 */
export async function contextMenuTitles(
  row: Locator,
  expected: string,
  whileOpen?: () => Promise<void>,
): Promise<string[]> {
  const page = row.page();
  const menu = page.locator('.context-view .monaco-menu');
  const deadline = Date.now() + timeouts.ui;
  let titles: string[] = [];
  while (Date.now() < deadline) {
    await row.click({ button: 'right' });
    const shown = await menu
      .getByRole('menuitem')
      .first()
      .waitFor({ timeout: 2_000 })
      .then(() => true)
      .catch(() => false); // eaten: right-click again
    if (!shown) continue;
    titles = await menu
      .locator('li.action-item .action-label')
      .evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()).filter(Boolean));
    const complete = titles.includes(expected);
    if (complete) await whileOpen?.();
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached', timeout: timeouts.ui });
    if (complete) return titles;
  }
  throw new Error(`the row's menu never offered ${expected}; last seen: ${titles.join(', ')}`);
}

/**
 * The row's hover text once it holds `expected`. A tree update re-rendering the row under the
 * pointer closes the hover or keeps it from opening: the pointer moves off and back again.
 */
export async function hoverText(row: Locator, expected: string): Promise<string> {
  const page = row.page();
  const hover = page.locator('.workbench-hover-container, .monaco-hover').filter({
    hasText: expected,
  });
  const deadline = Date.now() + timeouts.ui;
  while (Date.now() < deadline) {
    await page.mouse.move(0, 0);
    await row.locator('.label-name').hover();
    const shown = await hover
      .first()
      .waitFor({ timeout: 5_000 })
      .then(
        () => true,
        () => false,
      );
    if (shown) return (await hover.first().innerText()).replace(/\s+/g, ' ');
  }
  throw new Error(`the row's hover never showed ${expected}`);
}
