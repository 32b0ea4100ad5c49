// What a bench's window showed when a step never came: one screenshot in test-results/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../test/vscode/workbench';

/** Saves test-results/bench-<name>-failure.png; a page already gone is no second failure. */
export async function saveFailureShot(page: Page, name: string): Promise<void> {
  const shot = path.join(repoRoot, 'test-results', `bench-${name}-failure.png`);
  fs.mkdirSync(path.dirname(shot), { recursive: true });
  await page.screenshot({ path: shot }).catch(() => undefined);
}
