// The metrics panel's HTML page: the checklist's strict CSP (a per-load nonce, no 'unsafe-inline',
// no 'unsafe-eval'), its one bundled stylesheet (uPlot's and the panel's), main#panel and the
// module script. Pure, without `vscode`, so what the page allows is unit-tested.
import { escapeAttr, panelCsp } from './panelHtml';

export interface MetricsHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  /** newNonce(), fresh for every page load. */
  nonce: string;
  /** dist/metrics.js */
  scriptUri: string;
  /** dist/metrics.css */
  styleUri: string;
  title: string;
}

/**
 * uPlot draws on canvas and sets its elements' sizes through the CSSOM (el.style), which style-src
 * does not govern; it injects no <style> and evaluates nothing, so the checklist's policy serves.
 */
export function metricsHtml(o: MetricsHtmlOptions): string {
  const a = escapeAttr;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(panelCsp(o.cspSource, o.nonce))};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(o.styleUri)}">
<title>${a(o.title)}</title>
</head>
<body>
<main id="panel" aria-label="${a(o.title)}"></main>
<script type="module" nonce="${a(o.nonce)}" src="${a(o.scriptUri)}"></script>
</body>
</html>
`;
}
