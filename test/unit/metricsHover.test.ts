// The service row's hover line (block-character sparklines with the figures in words), when the
// metrics panel asks the daemon again, its page's CSP, and its wire's validation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricsHtml } from '../../extension/metricsHtml';
import { metricsTitle, refreshDelay } from '../../extension/metricsRefresh';
import { hoverMetricsLine, sparkline, unansweredLine } from '../../extension/sparkline';
import { fromMetricsPanel, metricsMemento, toMetricsPanel } from '../../protocol/metricsPanel';
import { hourOfMetrics, T0 } from './metricsFixtures';

describe('sparkline', () => {
  it('draws ▁ for zero up to █ for the highest, anything above zero at least ▂', () => {
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█');
    assert.equal(sparkline([0, 0.01, 100]), '▁▂█');
    assert.equal(sparkline([0, 0, 0]), '▁▁▁');
    assert.equal(sparkline([]), '');
  });

  it('averages many samples into the width asked', () => {
    const line = sparkline(
      Array.from({ length: 120 }, (_, i) => (i < 60 ? 1 : 3)),
      6,
    );
    assert.equal(line, '▃▃▃███');
  });
});

describe('hoverMetricsLine', () => {
  it('says the mean rate over the hour and the 5xx share, each beside its sparkline', () => {
    const line = hoverMetricsLine(hourOfMetrics());
    // 348 requests over the window's 3600 s; 36 of them 5xx.
    assert.equal(line, 'Requests 0.1/s `▆▄█▄`  5xx 10% `▁▁▂█` (last hour)');
  });

  it('says when there were no requests, and when Railway did not answer', () => {
    const quiet = hourOfMetrics();
    quiet.requests = { ts: [T0], byClass: { '2xx': [0], '3xx': [0], '4xx': [0], '5xx': [0] } };
    assert.equal(hoverMetricsLine(quiet), 'Requests: none in the last hour');
    const down = hourOfMetrics({
      requests: undefined,
      unavailable: [{ part: 'requests', message: 'Railway answered 503.\nRetry later' }],
    });
    assert.equal(
      hoverMetricsLine(down),
      'Requests: Railway did not answer (Railway answered 503.)',
    );
    assert.equal(
      unansweredLine('a `tick` and [link]'),
      'Requests: Railway did not answer (a tick and link)',
    );
  });
});

describe('metrics panel refresh', () => {
  const step = 30;
  it('asks at once for a range not fetched yet, then a step after each answer', () => {
    const now = 1_000_000;
    assert.equal(
      refreshDelay({ visible: true, lastFetchedAt: undefined, stepSeconds: step, now }),
      0,
    );
    assert.equal(
      refreshDelay({ visible: true, lastFetchedAt: now - 10_000, stepSeconds: step, now }),
      20_000,
    );
    assert.equal(
      refreshDelay({ visible: true, lastFetchedAt: now - 90_000, stepSeconds: step, now }),
      0,
    );
  });

  it('asks nothing while the panel is hidden', () => {
    assert.equal(
      refreshDelay({ visible: false, lastFetchedAt: undefined, stepSeconds: step, now: 0 }),
      undefined,
    );
  });

  it('titles the tab by service and environment', () => {
    assert.equal(metricsTitle('kars-backend', 'kars-prod'), 'Metrics: kars-backend (kars-prod)');
  });
});

describe('metricsHtml', () => {
  const html = metricsHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'bm9uY2U',
    scriptUri: 'https://x/dist/metrics.js',
    styleUri: 'https://x/dist/metrics.css',
    title: 'Metrics: <api> (prod)',
  });

  it('keeps the strict policy: scripts by nonce only, nothing unsafe, no inline styles or handlers', () => {
    assert.match(html, /default-src &#39;none&#39;/);
    assert.match(html, /script-src &#39;nonce-bm9uY2U&#39;/);
    assert.doesNotMatch(html, /unsafe-/);
    assert.deepEqual(html.match(/<script\b[^>]*>/g), [
      '<script type="module" nonce="bm9uY2U" src="https://x/dist/metrics.js">',
    ]);
    assert.doesNotMatch(html, /\bon[a-z]+=/i);
    assert.doesNotMatch(html, /style="/);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/dist\/metrics.css">/);
    assert.match(html, /<title>Metrics: &#60;api&#62; \(prod\)<\/title>/);
  });
});

describe('metrics panel wire', () => {
  it('accepts what the extension sends and refuses what it does not know', () => {
    assert.ok(toMetricsPanel.safeParse({ type: 'metrics', metrics: hourOfMetrics() }).success);
    assert.ok(!toMetricsPanel.safeParse({ type: 'metrics', metrics: { range: '1h' } }).success);
    assert.ok(!toMetricsPanel.safeParse({ type: 'html', html: '<b>' }).success);
  });

  it("accepts the page's ranges only, and fills a restored panel's defaults", () => {
    assert.ok(fromMetricsPanel.safeParse({ type: 'range', range: '7d' }).success);
    assert.ok(!fromMetricsPanel.safeParse({ type: 'range', range: '30d' }).success);
    assert.deepEqual(metricsMemento.parse({ environmentId: 'e', serviceId: 's' }), {
      environmentId: 'e',
      serviceId: 's',
      range: '1h',
      table: false,
    });
    assert.ok(!metricsMemento.safeParse({ serviceId: 's' }).success);
  });
});
