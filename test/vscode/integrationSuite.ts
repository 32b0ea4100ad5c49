// Runs the in-extension-host suite (dist/test/integration.js) in a workbench window and collects
// its results from the automation log; a UI test can keep the window to look at what it shows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { CodeServer } from '../../scripts/codeServer';
import type { Page } from 'playwright-core';
import { parseTaggedLine, type TestResult } from './results';
import { openWorkbench, repoRoot, type Browser } from './workbench';

export const integrationBundle = path.join(repoRoot, 'dist', 'test', 'integration.js');
const suiteTimeoutMs = 180_000;

export interface IntegrationRun {
  server: CodeServer;
  browser: Browser;
  workspace: string;
  /** RAILYARD_HOME for this window's extension host (overrides code-server's). */
  home: string;
  logFile: string;
  onResult(result: TestResult): void;
  /** Which suites the extension host runs (RAILYARD_ITEST_SUITE): `main` unless said. */
  suite?: 'main' | 'restricted';
  /** Only the tests whose full title contains this (RAILYARD_ITEST_GREP). */
  grep?: string;
}

/** Resolves with every result; a crash or timeout of the suite becomes a failed result too. */
export async function runIntegrationSuite(run: IntegrationRun): Promise<TestResult[]> {
  const started = await startIntegrationRun(run);
  try {
    return await started.finished;
  } finally {
    await started.close();
  }
}

export interface StartedRun {
  /** The window; its extension host has stopped once `finished` settles. */
  page: Page;
  finished: Promise<TestResult[]>;
  close(): Promise<void>;
}

/** Opens the window that runs the suite; the caller closes it. */
export async function startIntegrationRun(run: IntegrationRun): Promise<StartedRun> {
  const results: TestResult[] = [];
  const log = fs.createWriteStream(run.logFile);
  const collect = (result: TestResult): void => {
    results.push(result);
    run.onResult(result);
  };
  let exited!: (code: number) => void;
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const page = await openWorkbench(
    run.browser,
    {
      authority: run.server.authority,
      folder: run.workspace,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: integrationBundle,
      extensionEnvironment: {
        RAILYARD_HOME: run.home,
        RAILYARD_ITEST_SUITE: run.suite ?? 'main',
        RAILYARD_ITEST_GREP: run.grep ?? '',
      },
    },
    {
      onLog(level, message) {
        log.write(`${level} ${message}\n`);
        const result = parseTaggedLine(message);
        if (result) collect(result);
      },
      onExit: (code) => exited(code),
    },
  );
  const finished = (async () => {
    const code = await withTimeout(exit, suiteTimeoutMs);
    if (code === undefined) collect(suiteFailure(`timed out after ${suiteTimeoutMs} ms`, run));
    else if (results.length === 0) collect(suiteFailure(`no tests ran (exit code ${code})`, run));
    else if (code !== 0 && results.every((r) => r.status === 'pass')) {
      collect(suiteFailure(`extension host exited with ${code} after all tests passed`, run));
    }
    return results;
  })();
  const close = async (): Promise<void> => {
    await page.close();
    log.end();
  };
  return { page, finished, close };
}

function suiteFailure(why: string, run: IntegrationRun): TestResult {
  return {
    suite: 'integration',
    title: 'integration suite',
    status: 'fail',
    error: `${why}; workbench log: ${run.logFile}`,
  };
}

/** `promise`'s value, or undefined once `ms` have passed. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  const cancel = new AbortController();
  const timeout = delay(ms, undefined, { signal: cancel.signal }).catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => cancel.abort());
}
