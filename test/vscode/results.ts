// Test results shared by both suites: the tagged line the extension host prints, and the summary.
export const resultTag = '[railyard-test]';

export interface TestResult {
  suite: 'integration' | 'ui';
  title: string;
  status: 'pass' | 'fail';
  durationMs?: number;
  error?: string;
}

/** The line a suite prints per test; inside the extension host it travels via codeAutomationLog. */
export function taggedLine(result: TestResult): string {
  return `${resultTag} ${JSON.stringify(result)}`;
}

/** The result in a tagged line, or undefined for any other log line. */
export function parseTaggedLine(line: string): TestResult | undefined {
  const at = line.indexOf(resultTag);
  if (at < 0) return undefined;
  try {
    return JSON.parse(line.slice(at + resultTag.length)) as TestResult;
  } catch {
    return undefined;
  }
}

export function formatResult(r: TestResult): string {
  const mark = r.status === 'pass' ? '✓' : '✗';
  const time = r.durationMs === undefined ? '' : ` (${r.durationMs} ms)`;
  const head = `  ${mark} [${r.suite}] ${r.title}${time}`;
  return r.error ? `${head}\n${indent(r.error, 6)}` : head;
}

/** The runner's last line, exactly `N passed, N failed`. */
export function summaryLine(results: TestResult[]): string {
  const passed = results.filter((r) => r.status === 'pass').length;
  return `${passed} passed, ${results.length - passed} failed`;
}

function indent(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
}
