// What ships, by .vscodeignore's rules (fast; the real .vsix's listing is checked in the VS Code
// suite, test/vscode/ui/packagedExtension.uitest.ts): exactly what package.json points at (the
// bundles, icons, the log grammar, the railyard.json schema, the panel's page) and nothing of the
// sources, tests or source maps.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { packagedReadme } from '../../scripts/packageReadme.mjs';
import { shippedFiles } from '../../scripts/shippedFiles.mjs';

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  icon: string;
  bin: Record<string, string>;
  contributes: {
    grammars?: { path: string }[];
    jsonValidation?: { url: string }[];
    walkthroughs?: { steps: { media: Record<string, string | Record<string, string>> }[] }[];
  };
};
const rel = (p: string) => path.posix.normalize(p.replace(/^\.\//, ''));

/** Every file the walkthrough's steps show (markdown, image or svg; an image may name one per theme). */
function walkthroughMedia(): string[] {
  const media = (pkg.contributes.walkthroughs ?? []).flatMap((w) => w.steps.map((s) => s.media));
  return media.flatMap((m) =>
    Object.entries(m)
      .filter(([key]) => key !== 'altText')
      .flatMap(([, v]) => (typeof v === 'string' ? [v] : Object.values(v))),
  );
}

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
      // The rest of the extension, which the entry (package.json's main) requires after activation.
      'dist/extensionMain.js',
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
      ...walkthroughMedia().map(rel),
      // The icon the Extensions view shows (a PNG: VS Code takes no SVG there).
      rel(pkg.icon),
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
      /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/(extension|extensionMain|daemon|cli|webview|metrics)\.js|dist\/metrics\.css|dist\/codicons\/codicon\.(css|ttf)|media\/[^/]+\.(svg|png)|media\/panel\.css|media\/walkthrough\/[^/]+\.(md|svg)|syntaxes\/[^/]+\.json|schemas\/[^/]+\.json)$/;
    assert.deepEqual(
      shipped.filter((f) => !allowed.test(f)),
      [],
    );
  });
});

describe('the packaged README', () => {
  it('says what each relative picture shows and keeps each relative link’s text', () => {
    const source = [
      '![The tree, kars-prod protected](docs/screenshots/tree.png)',
      'Also in ([light](docs/screenshots/light.png), [PROTOCOL.md](PROTOCOL.md)).',
      '<img src="docs/x.png" alt="The panel">',
    ].join('\n\n');
    assert.equal(
      packagedReadme(source),
      [
        '_Screenshot: The tree, kars-prod protected_',
        'Also in (light, PROTOCOL.md).',
        '_Screenshot: The panel_',
      ].join('\n\n'),
    );
  });

  it('leaves web links, anchors, mail links and code blocks as they are', () => {
    const source = [
      '[Railway](https://railway.com), [below](#the-cli), [mail](mailto:a@b.example)',
      '![badge](https://img.example/b.svg)',
      '```md\n![kept](docs/a.png) [kept](docs/b.md)\n```',
    ].join('\n\n');
    assert.equal(packagedReadme(source), source);
  });

  it('leaves no relative link in the repository’s README (vsce would stop on one)', () => {
    const readme = packagedReadme(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
    const outside = readme.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
    const relative = [...outside.matchAll(/\]\(([^)]+)\)/g)]
      .map((m) => m[1]!)
      .filter((t) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(t));
    assert.deepEqual(relative, []);
  });
});
