// `npm run package`: railyard-<version>.vsix at the repo root, by @vscode/vsce, offline; vsce runs
// the `vscode:prepublish` script first (the production build: minified, no source maps).
//
// Why each flag:
// --no-dependencies: esbuild bundled every dependency into dist/, so no node_modules ships and
//   vsce need not ask npm for the dependency tree.
// --allow-missing-repository: Railyard has no public repository and we name none; without the
//   flag vsce stops to ask.
// --readme-path dist/vsix/README.md: the README made for the package (scripts/packageReadme.mjs):
//   VS Code's page for an installed extension shows no relative image (a broken-image box beside
//   the alt text) and opens no relative link, and there is no public URL to rewrite them to, so
//   each picture becomes its caption and each link its text. vsce still checks it: a relative link
//   left in it stops the package (it would have no repository to point it at).
// --allow-package-secrets github: the CLI bundle holds `railyard sim`, whose simulated GitHub
//   accepts two fixture tokens shaped like real ones (sim/github/state.ts: ghp_sim…) so that the
//   daemon's redaction is exercised; they open nothing but the simulator. Only GitHub-token
//   findings are let through; any other kind of secret still stops the package.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagedReadme } from './packageReadme.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vsce = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')),
  'vsce',
);
const readme = 'dist/vsix/README.md';
fs.mkdirSync(path.join(root, path.dirname(readme)), { recursive: true });
const source = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
fs.writeFileSync(path.join(root, readme), packagedReadme(source));

const args = [
  'package',
  '--no-dependencies',
  '--no-yarn',
  '--allow-missing-repository',
  ...['--readme-path', readme],
  ...['--allow-package-secrets', 'github'],
];

const child = spawn(process.execPath, [vsce, ...args], { cwd: root, stdio: 'inherit' });
child.on('error', (e) => {
  console.error(`npm run package: could not run vsce (${e.message}); run npm ci first`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
