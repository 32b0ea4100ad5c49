// The promotion checklist panel's HTML page: a strict CSP with a per-load nonce (no 'unsafe-inline',
// no 'unsafe-eval'), the codicon and panel stylesheets, main#panel, and the module script. Pure,
// without `vscode`, so what the page allows is unit-tested; the panel passes webview.cspSource and
// the asWebviewUri() of each file.
import { randomBytes } from 'node:crypto';

export interface PanelHtmlOptions {
  /** webview.cspSource: where the scripts, styles and fonts may come from. */
  cspSource: string;
  /** newNonce(), fresh for every page load. */
  nonce: string;
  /** dist/webview.js */
  scriptUri: string;
  /** media/panel.css */
  styleUri: string;
  /** dist/codicons/codicon.css */
  codiconUri: string;
  title: string;
}

/** Every character that could end an attribute value or start markup, escaped. */
export function escapeAttr(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The policy: nothing by default; the bundle by its nonce; styles, the codicon font and images
 * from the extension's own files. @vscode-elements' Lit components style their shadow roots with
 * constructed stylesheets (adoptedStyleSheets), which style-src does not govern, and set inline
 * styles through the CSSOM, which it allows; vscode-icon adds a <link> to the codicon stylesheet,
 * which cspSource covers.
 */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

export function panelHtml(o: PanelHtmlOptions): string {
  const a = escapeAttr;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(panelCsp(o.cspSource, o.nonce))};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${a(o.codiconUri)}">
<link rel="stylesheet" href="${a(o.styleUri)}">
<title>${escapeText(o.title)}</title>
</head>
<body>
<main id="panel"></main>
<script type="module" nonce="${a(o.nonce)}" src="${a(o.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeText(value: string): string {
  return value.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** 128 random bits, base64url: a nonce no page load shares with another. */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}
