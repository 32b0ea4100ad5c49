// Entry point run INSIDE the VS Code extension host (extensionTestsPath): runs the *.itest.ts suites
// with mocha and prints each result as a tagged line, which reaches the outer runner through the
// workbench's codeAutomationLog. RAILYARD_ITEST_SUITE picks the suites: `main` (the default) in a
// trusted window, `restricted` in an untrusted one (the restricted-mode UI test starts that run);
// RAILYARD_ITEST_GREP, when set, runs only the tests whose full title contains it.
import { runMochaSuite } from '../mochaSuite';
import { taggedLine } from '../results';
import { defineActivationTests } from './activation.itest';
import { defineConnectionTests } from './connection.itest';
import { defineEnvironmentsTests } from './environments.itest';
import { definePromotionsTests } from './promotions.itest';
import { definePromotionTests } from './promotion.itest';
import { defineRestrictedTests } from './restricted.itest';

const suites: Record<string, () => void> = {
  main() {
    defineActivationTests();
    defineConnectionTests();
    defineEnvironmentsTests();
    definePromotionsTests();
    definePromotionTests();
  },
  restricted: defineRestrictedTests,
};

/** Same contract as @vscode/test-electron: resolve when all pass, reject otherwise. */
export async function run(): Promise<void> {
  const name = process.env.RAILYARD_ITEST_SUITE ?? 'main';
  const define = suites[name];
  if (!define) throw new Error(`RAILYARD_ITEST_SUITE=${name}: no such suite`);
  const failures = await runMochaSuite({
    suite: 'integration',
    timeoutMs: 60_000,
    define,
    grep: process.env.RAILYARD_ITEST_GREP || undefined,
    onResult: (result) => console.log(taggedLine(result)),
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
