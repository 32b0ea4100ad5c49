// What ships, by .vscodeignore's rules (fast; the real .vsix's listing is checked in the VS Code
// suite, test/vscode/ui/packagedExtension.uitest.ts): exactly what package.json points at (the
// bundles, icons, the log grammar, the railyard.json schema, the panel's page) and nothing of the
// sources, tests or source maps.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { shippedFiles } from '../../scripts/shippedFiles.mjs';

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  bin: Record<string, string>;
  contributes: { grammars?: { path: string }[]; jsonValidation?: { url: string }[] };
};
const rel = (p: string) => path.posix.normalize(p.replace(/^\.\//, ''));

describe('packaging', () => {
  const shipped = shippedFiles(root);

  it('ships everything package.json points at', () => {
    const wanted = [
      'package.json',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      rel(pkg.main),
      ...Object.values(pkg.bin).map(rel),
      'dist/daemon.js',
      // The promotion panel's page: its script, its styles, the codicons it draws with.
      'dist/webview.js',
      'media/panel.css',
      // The metrics panel's page: its script with uPlot, and uPlot's and its own styles in one file.
      'dist/metrics.js',
      'dist/metrics.css',
      'dist/codicons/codicon.css',
      'dist/codicons/codicon.ttf',
      ...(pkg.contributes.grammars ?? []).map((g) => rel(g.path)),
      ...(pkg.contributes.jsonValidation ?? []).map((j) => rel(j.url)),
    ];
    for (const file of wanted) {
      if (file.startsWith('dist/') && !fs.existsSync(path.join(root, file))) continue; // not built
      assert.ok(shipped.includes(file), `${file} should ship`);
    }
    assert.ok(
      shipped.some((f) => f.startsWith('media/')),
      'the icons ship',
    );
  });

  it('ships nothing else: no sources, tests, folder READMEs, source maps or test bundle', () => {
    const allowed =
      /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/(extension|daemon|cli|webview|metrics)\.js|dist\/metrics\.css|dist\/codicons\/codicon\.(css|ttf)|media\/[^/]+\.(svg|png)|media\/panel\.css|syntaxes\/[^/]+\.json|schemas\/[^/]+\.json)$/;
    assert.deepEqual(
      shipped.filter((f) => !allowed.test(f)),
      [],
    );
  });
});
