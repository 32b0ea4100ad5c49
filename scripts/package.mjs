// `npm run package`: railyard-<version>.vsix at the repo root, by @vscode/vsce, offline; vsce runs
// the `vscode:prepublish` script first (the production build: minified, no source maps).
//
// Why each flag:
// --no-dependencies: esbuild bundled every dependency into dist/, so no node_modules ships and
//   vsce need not ask npm for the dependency tree.
// --allow-missing-repository: Railyard has no public repository and we name none; without the
//   flag vsce stops to ask.
// --no-rewrite-relative-links: vsce would turn the README's relative links (docs/screenshots/*.png,
//   other files of the repository) into URLs under a repository that does not exist. Shipping the
//   pictures would not help either: VS Code's extension details page keeps only http(s) image
//   sources (its Markdown sanitizer) and its webview allows only `img-src https: data:`, so an
//   installed extension's README never shows a relative image, whatever the package holds. The
//   page drops such a source and shows the image's alt text instead (written as a caption for that
//   reason), with no broken-image box: test/vscode/ui/packagedExtension.uitest.ts looks. The
//   screenshots stay in the repository, where the README is read with them.
// --allow-package-secrets github: the CLI bundle holds `railyard sim`, whose simulated GitHub
//   accepts two fixture tokens shaped like real ones (sim/github/state.ts: ghp_sim…) so that the
//   daemon's redaction is exercised; they open nothing but the simulator. Only GitHub-token
//   findings are let through; any other kind of secret still stops the package.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vsce = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')),
  'vsce',
);
const args = [
  'package',
  '--no-dependencies',
  '--no-yarn',
  '--allow-missing-repository',
  '--no-rewrite-relative-links',
  ...['--allow-package-secrets', 'github'],
];

const child = spawn(process.execPath, [vsce, ...args], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
