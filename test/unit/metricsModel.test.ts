// The metrics panel's pure parts: Railway's series as chart columns (missing steps filled as a
// count of zero or a gap), the table of the same numbers, the deployments on the time axis, the
// units in words, and the charts' colours in each kind of theme.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatCount,
  formatCpu,
  formatGb,
  formatMs,
  formatPercent,
  formatRate,
  stepWords,
} from '../../protocol/metricsWords';
import { chartPalette, opaque, themeKindOf } from '../../webview/metricsColors';
import {
  chartModels,
  deploymentLabel,
  deploymentsInWindow,
  fillSteps,
  latestIndex,
} from '../../webview/metricsModel';
import { axisTime, formatTime, metricsTable } from '../../webview/metricsTableModel';
import { hourOfMetrics, T0 } from './metricsFixtures';

describe('metrics charts', () => {
  it('draws requests per second by status class: counts per step divided by the step', () => {
    const [requests] = chartModels(hourOfMetrics());
    assert.equal(requests!.id, 'requests');
    assert.deepEqual(
      requests!.series.map((s) => s.label),
      ['2xx', '3xx', '4xx', '5xx'],
    );
    assert.deepEqual(requests!.series[0]!.values, [3, 2, 4, 1]);
    assert.deepEqual(requests!.series[3]!.values, [0, 0, 0.2, 1]);
    assert.equal(requests!.format(3.14159), '3.1/s');
    assert.match(
      requests!.summary,
      /^348 requests over the last hour, 2xx 300, 3xx 3, 4xx 9, 5xx 36\.$/,
    );
  });

  it('fills a step Railway left out: zero requests, but a gap for a duration or a resource', () => {
    const m = hourOfMetrics();
    const ts = [T0, T0 + 90];
    m.requests = { ts, byClass: { '2xx': [30, 60], '3xx': [0, 0], '4xx': [0, 0], '5xx': [0, 3] } };
    m.duration = { ts, p50: [1, 1], p90: [1, 1], p95: [100, 200], p99: [1, 1] };
    const [requests, duration] = chartModels(m);
    assert.deepEqual(requests!.xs, [T0, T0 + 30, T0 + 60, T0 + 90]);
    assert.deepEqual(requests!.series[0]!.values, [1, 0, 0, 2]);
    assert.deepEqual(duration!.series[0]!.values, [100, null, null, 200]);
    assert.deepEqual(fillSteps([5, 10], [['a', 'b']], 5, '-'), {
      xs: [5, 10],
      columns: [['a', 'b']],
    });
  });

  it('shows p95 duration, CPU and memory in their units', () => {
    const [, duration, cpu, memory] = chartModels(hourOfMetrics());
    assert.deepEqual(duration!.series[0]!.values, [120, 130, 150, 1250]);
    assert.equal(duration!.format(1250), '1.25 s');
    assert.match(duration!.summary, /120 ms to 1\.25 s, latest 1\.25 s/);
    assert.equal(cpu!.format(0.4), '0.4 vCPU');
    assert.equal(memory!.format(0.5), '512 MB', '1 GB is 1024 MB, as Railway counts');
    assert.match(memory!.summary, /524 MB to 1\.25 GB/);
  });

  it('puts the sentence of a part Railway did not answer where its chart would be', () => {
    const m = hourOfMetrics({
      resources: undefined,
      unavailable: [{ part: 'resources', message: 'Railway answered 503: try again in a minute.' }],
    });
    const charts = chartModels(m);
    assert.equal(charts[0]!.unavailable, undefined);
    assert.equal(charts[2]!.unavailable, 'Railway answered 503: try again in a minute.');
    assert.equal(charts[3]!.unavailable, 'Railway answered 503: try again in a minute.');
    assert.match(charts[2]!.summary, /^CPU: Railway answered 503/);
  });

  it('marks only the deployments inside the window, named by commit and message', () => {
    const shown = deploymentsInWindow(hourOfMetrics());
    assert.deepEqual(
      shown.map((d) => d.id),
      ['dep-new-0001'],
    );
    assert.equal(
      deploymentLabel(shown[0]!),
      'Deployed abcdef1 (success) · Cache the invoice totals',
    );
    assert.equal(
      deploymentLabel({ id: 'deadbeef-1234', ts: 0, status: 'CRASHED' }),
      'Deployed deadbeef (crashed)',
    );
  });
});

describe('metrics table', () => {
  it('has one row per step, newest first, with the counts Railway reported and the deployment', () => {
    const t = metricsTable(hourOfMetrics());
    assert.deepEqual(t.headers, [
      'Time',
      '2xx requests',
      '3xx requests',
      '4xx requests',
      '5xx requests',
      'p95 duration',
      'CPU',
      'Memory',
      'Deployment',
    ]);
    assert.equal(t.rows.length, 4);
    assert.deepEqual(t.times, [T0 + 90, T0 + 60, T0 + 30, T0]);
    assert.deepEqual(t.rows[0], [
      '2026-12-01 10:01:30',
      '30',
      '0',
      '0',
      '30',
      '1.25 s',
      '0.4 vCPU',
      '1.25 GB',
      '',
    ]);
    assert.equal(t.rows[1]![8], 'Deployed abcdef1 (success) · Cache the invoice totals');
    assert.equal(t.rows[3]![0], '2026-12-01 10:00:00');
    assert.match(
      t.caption,
      /^kars-backend in kars-prod, the last hour: one row per 30 seconds, newest first \(times in UTC\)\.$/,
    );
  });

  it('reads a step missing from the requests as zero, and leaves a part not answered blank', () => {
    const m = hourOfMetrics({ resources: undefined });
    m.requests = { ts: [T0], byClass: { '2xx': [5], '3xx': [0], '4xx': [0], '5xx': [0] } };
    const rows = metricsTable(m).rows;
    assert.equal(rows.length, 4, 'the duration still has four steps');
    assert.deepEqual(rows[0]!.slice(1, 8), ['0', '0', '0', '0', '1.25 s', '', '']);
    assert.deepEqual(rows[3]!.slice(1, 5), ['5', '0', '0', '0']);
  });

  it('writes times in the given zone', () => {
    assert.equal(formatTime(T0, 'Europe/Berlin'), '2026-12-01 11:00');
  });
});

describe('metrics words', () => {
  it('writes rates, durations, vCPU, memory and shares with a few significant figures', () => {
    assert.deepEqual(
      [formatRate(0), formatRate(0.0512), formatRate(3.14), formatRate(42.7), formatRate(1234.5)],
      ['0/s', '0.05/s', '3.1/s', '43/s', '1235/s'],
    );
    assert.deepEqual(
      [formatMs(null), formatMs(181.6), formatMs(2500)],
      ['no requests', '182 ms', '2.5 s'],
    );
    assert.equal(formatCpu(0.1234), '0.123 vCPU');
    assert.deepEqual([formatGb(0.0421), formatGb(2)], ['43 MB', '2 GB']);
    assert.deepEqual(
      [formatPercent(0.004), formatPercent(0.5), formatPercent(0)],
      ['0.4%', '50%', '0%'],
    );
    assert.equal(formatCount(12345), '12,345');
    assert.deepEqual([30, 60, 240, 3600].map(stepWords), [
      '30 seconds',
      'minute',
      '4 minutes',
      'hour',
    ]);
  });
});

describe('metrics colours', () => {
  const vars: Record<string, string> = {
    '--vscode-foreground': '#ffffff',
    '--vscode-contrastBorder': '#6fc3df',
    '--vscode-contrastActiveBorder': '#f38518',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-descriptionForeground': '#aaaaaa',
  };
  const lookup = (name: string) => vars[name] ?? '';

  it('draws a translucent theme colour opaque', () => {
    assert.equal(opaque('#d1861680'), '#d18616');
    assert.equal(opaque('#d18a'), '#d18');
    assert.equal(opaque('rgba(209, 134, 22, 0.3)'), 'rgb(209, 134, 22)');
    assert.equal(opaque('#89d185'), '#89d185');
    assert.equal(chartPalette('light', () => '#d1861633').series.memory.stroke, '#d18616');
  });

  it('knows the theme from the body class VS Code sets', () => {
    assert.equal(themeKindOf(['vscode-body', 'vscode-light']), 'light');
    assert.equal(themeKindOf(['vscode-dark']), 'dark');
    assert.equal(themeKindOf(['vscode-high-contrast']), 'hc-dark');
    assert.equal(themeKindOf(['vscode-high-contrast', 'vscode-high-contrast-light']), 'hc-light');
  });

  it("takes the theme's chart colours, and its fallbacks where it sets none", () => {
    const dark = chartPalette('dark', lookup);
    assert.equal(dark.series['5xx'].stroke, '#f14c4c');
    assert.equal(dark.series['2xx'].stroke, '#89d185');
    assert.equal(chartPalette('light', () => '').series['2xx'].stroke, '#388a34');
    assert.equal(dark.text, '#aaaaaa');
    assert.deepEqual(dark.series['4xx'].dash, []);
  });

  it('in high contrast: contrast colours for the axes and markers, thicker lines, a dash per status class', () => {
    const hc = chartPalette('hc-dark', lookup);
    assert.equal(hc.grid, '#6fc3df');
    assert.equal(hc.marker, '#f38518');
    assert.equal(hc.text, '#ffffff');
    const dashes = (['2xx', '3xx', '4xx', '5xx'] as const).map((c) =>
      JSON.stringify(hc.series[c].dash),
    );
    assert.equal(new Set(dashes).size, 4, 'each status class has its own dash');
    assert.ok(hc.series['2xx'].width > chartPalette('dark', lookup).series['2xx'].width);
  });
});

describe('metrics time axis', () => {
  it('writes hours and minutes up to a day, the date too over a week, 24-hour like the table', () => {
    assert.equal(axisTime(T0 + 8 * 3600, 3600), '18:00');
    assert.equal(axisTime(T0, 604_800), '12-01 10:00');
    assert.equal(formatTime(T0 + 30, 'UTC', true), '2026-12-01 10:00:30');
  });
});

describe('metrics legend off the chart', () => {
  it('reads the newest step that has a value', () => {
    const m = hourOfMetrics();
    m.duration = {
      ts: [T0, T0 + 30],
      p50: [1, null],
      p90: [1, null],
      p95: [100, null],
      p99: [1, null],
    };
    const [requests, duration] = chartModels(m);
    assert.equal(latestIndex(requests!), 3);
    assert.equal(latestIndex(duration!), 0);
    assert.equal(latestIndex({ ...requests!, xs: [], series: [] }), undefined);
  });
});
