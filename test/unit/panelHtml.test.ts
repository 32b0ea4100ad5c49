// The panel's page: a strict CSP (nothing unsafe, the script only by its fresh nonce), the ids the
// webview and vscode-icon look for, and every interpolated value escaped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeAttr, newNonce, panelHtml, type PanelHtmlOptions } from '../../extension/panelHtml';

const options: PanelHtmlOptions = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'bm9uY2Utb2YtdGhlLXRlc3Q',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
  codiconUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicons/codicon.css',
  title: 'Promote kars-dev → kars-prod',
};

/** The CSP as the browser reads it: the meta tag's content, HTML entities decoded. */
function cspOf(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(content, 'the page has a CSP meta tag');
  const decoded = content.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
  return new Map(
    decoded
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('panelHtml', () => {
  const html = panelHtml(options);

  it('allows nothing by default, scripts only by nonce, nothing unsafe', () => {
    const csp = cspOf(html);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), [`'nonce-${options.nonce}'`]);
    assert.deepEqual(csp.get('style-src'), [options.cspSource]);
    assert.deepEqual(csp.get('font-src'), [options.cspSource]);
    assert.deepEqual(csp.get('img-src'), [options.cspSource, 'data:']);
    assert.doesNotMatch(html, /unsafe-/);
  });

  it('loads the bundle as a module under the nonce, the codicons by the id vscode-icon looks for', () => {
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [
      `<script type="module" nonce="${options.nonce}" src="${options.scriptUri}">`,
    ]);
    assert.match(
      html,
      new RegExp(
        `<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeRegExp(options.codiconUri)}">`,
      ),
    );
    assert.match(
      html,
      new RegExp(`<link rel="stylesheet" href="${escapeRegExp(options.styleUri)}">`),
    );
    assert.match(html, /<main id="panel"><\/main>/);
    assert.doesNotMatch(html, /\bon[a-z]+=/i, 'no inline handlers');
    assert.doesNotMatch(html, /style="/, 'no inline styles');
  });

  it('escapes every interpolated value', () => {
    const hostile = '"><script>alert(1)</script><x a=\'';
    const page = panelHtml({
      cspSource: hostile,
      nonce: hostile,
      scriptUri: hostile,
      styleUri: hostile,
      codiconUri: hostile,
      title: `</title>${hostile}`,
    });
    assert.equal((page.match(/<script/g) ?? []).length, 1, 'no script but the page’s own');
    assert.doesNotMatch(page, /"><script>|<\/title><\/title>/);
    assert.equal(escapeAttr(`a"b'c<d>e&f\`g`), 'a&#34;b&#39;c&#60;d&#62;e&#38;f&#96;g');
  });

  it('makes a fresh nonce of 128 bits or more each time, in the CSP’s alphabet', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => newNonce()));
    assert.equal(nonces.size, 50);
    for (const n of nonces) {
      assert.match(n, /^[A-Za-z0-9_-]+$/);
      assert.ok(Buffer.from(n, 'base64url').length >= 16);
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
