// Runs mocha suites defined by functions (not files), so a bundler can include them statically.
import Mocha from 'mocha';
import type { TestResult } from './results';

export interface SuiteRun {
  suite: TestResult['suite'];
  /** Called with describe/it installed as globals; defines the tests. */
  define(): void;
  /** Called once per finished test. */
  onResult(result: TestResult): void;
  timeoutMs: number;
  /** Only tests whose full title contains this text. */
  grep?: string;
}

/** Runs the suite and resolves with the number of failures. */
export function runMochaSuite(run: SuiteRun): Promise<number> {
  const mocha = new Mocha({ ui: 'bdd', timeout: run.timeoutMs, color: false, reporter: silent });
  if (run.grep !== undefined) mocha.grep(run.grep);
  // What `mocha.addFile` does before loading each file: installs describe/it/before/after.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, run.suite, mocha);
  run.define();
  return new Promise((resolve) => {
    const runner = mocha.run(resolve);
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL } = Mocha.Runner.constants;
    runner.on(EVENT_TEST_PASS, (test) => run.onResult(toResult(run.suite, test, 'pass')));
    runner.on(EVENT_TEST_FAIL, (test, err: Error) =>
      run.onResult(toResult(run.suite, test, 'fail', err)),
    );
  });
}

/** Results are printed by onResult; mocha's own reporters would print to the wrong place. */
class silent extends Mocha.reporters.Base {}

function toResult(
  suite: TestResult['suite'],
  test: Mocha.Runnable,
  status: TestResult['status'],
  err?: Error,
): TestResult {
  const error = err ? (err.stack ?? err.message) : undefined;
  return { suite, title: test.fullTitle(), status, durationMs: test.duration, error };
}
