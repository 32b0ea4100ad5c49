// Entry point run INSIDE the VS Code extension host (extensionTestsPath): runs the *.itest.ts suites
// with mocha and prints each result as a tagged line, which reaches the outer runner through the
// workbench's codeAutomationLog.
import { runMochaSuite } from '../mochaSuite';
import { taggedLine } from '../results';
import { defineActivationTests } from './activation.itest';
import { defineConnectionTests } from './connection.itest';
import { defineEnvironmentsTests } from './environments.itest';

/** Same contract as @vscode/test-electron: resolve when all pass, reject otherwise. */
export async function run(): Promise<void> {
  const failures = await runMochaSuite({
    suite: 'integration',
    timeoutMs: 60_000,
    define() {
      defineActivationTests();
      defineConnectionTests();
      defineEnvironmentsTests();
    },
    onResult: (result) => console.log(taggedLine(result)),
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
