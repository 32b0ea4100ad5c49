// Builds the bundles: the extension (its small entry and the rest; vscode external), the daemon + CLI, the two webview pages
// (the checklist; the metrics panel with uPlot and its stylesheet), and the in-editor integration tests, and copies the codicons beside them. `--watch` rebuilds on
// change.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/**
 * Every bundle validates with the shared protocol's zod schemas, and speaks English: zod's 40-odd
 * other locales (half of zod) stay out, so the extension activates and the panels open sooner.
 * Whichever zod file imports its locales index gets a stand-in exporting only `en`.
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`)
        ? {
            path: path.join(path.resolve(args.resolveDir, args.path), '..', 'en-only.js'),
            namespace: 'zod-en',
          }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [englishOnlyZod],
};
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };

const builds = [
  {
    ...node,
    // Two bundles, so activation loads little: the entry registers what VS Code needs at once and
    // requires extensionMain.js (the daemon connection, views' models, panels...) right after.
    entryPoints: {
      extension: 'extension/extension.ts',
      extensionMain: 'extension/extensionMain.ts',
    },
    outdir: 'dist',
    external: ['vscode'],
  },
  {
    ...node,
    entryPoints: { daemon: 'daemon/main.ts', cli: 'cli/cli.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    // ES modules first: graphql's .mjs build lets esbuild drop what the daemon never calls (its
    // CommonJS index pulls in all of graphql: 261 KB of the daemon's 655, a third of its start).
    mainFields: ['module', 'main'],
    // ws works without its optional native speedups; keep the bundle pure JavaScript.
    external: ['bufferutil', 'utf-8-validate'],
  },
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
  },
  {
    // Its own bundle, so the checklist's stays as small as it was: dist/metrics.js and, from the
    // stylesheets it imports (uPlot's, then the panel's), dist/metrics.css.
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    entryPoints: { metrics: 'webview/metricsMain.ts' },
    outdir: 'dist',
  },
  {
    ...node,
    entryPoints: { 'test/integration': 'test/vscode/integration/index.ts' },
    outdir: 'dist',
    external: ['vscode', 'mocha'],
  },
].filter((b) => Object.values(b.entryPoints).every((p) => fs.existsSync(p)));

/**
 * The codicon font and its stylesheet, next to the bundles: the panel's vscode-icon and
 * vscode-button draw codicons, and the packaged extension has no node_modules to take them from.
 */
function copyCodicons() {
  const from = 'node_modules/@vscode/codicons/dist';
  fs.mkdirSync('dist/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf'])
    fs.copyFileSync(`${from}/${file}`, `dist/codicons/${file}`);
}

copyCodicons();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  fs.chmodSync('dist/cli.js', 0o755);
  fs.chmodSync('dist/daemon.js', 0o755);
}
