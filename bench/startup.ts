// Start-up figures (issue 15), in one run, each beside its goal and a baseline measured in this run:
// the production bundles' sizes (beside the bundles of VS Code's own built-in extensions), the
// entry bundle's load in plain Node (beside a trivial extension), the extension's activation time
// in the real VS Code (beside a trivial extension in the same windows), and the daemon's spawn to
// first answer (beside spawning `node -e 0`).
// Usage: npm run bench:startup [-- --runs N] [--node-only | --no-vscode]   (N samples of each timing,
// default 5; --node-only: sizes and the plain-Node load only; --no-vscode: those and the daemon)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureVscode } from '../scripts/codeServer';
import { measureActivation, type ActivationSample } from './startupActivation';
import { BUNDLES, buildProduction, type ProductionBuild } from './startupBundles';
import { daemonFirstAnswer, nodeSpawnToExit } from './startupDaemon';
import { measureNodeLoad, type NodeLoadSample } from './startupNode';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const nodeOnly = process.argv.includes('--node-only');
const noVscode = process.argv.includes('--no-vscode');
const GOALS = { extensionKB: 300, activationMs: 50, daemonMs: 300 };

/** The middle value; with an even count, the mean of the two middle ones. */
function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median and range of `values`, e.g. `412 ms (380–530)`. */
function spread(values: number[]): string {
  const r = (n: number): number => Math.round(n);
  return `${r(medianOf(values))} ms (${r(Math.min(...values))}–${r(Math.max(...values))})`;
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const verdict = (met: boolean): string => (met ? 'goal met' : 'goal NOT met');

/** A built-in extension's main bundle, as the code-server in .cache/vscode ships it. */
async function builtinBundle(name: string): Promise<number> {
  const { codeServerBin } = await ensureVscode();
  const dir = path.join(
    path.dirname(codeServerBin),
    '..',
    '..',
    'lib',
    'vscode',
    'extensions',
    name,
  );
  const main = (
    JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { main: string }
  ).main;
  return fs.statSync(path.join(dir, main.endsWith('.js') ? main : `${main}.js`)).size;
}

async function reportSizes(build: ProductionBuild): Promise<void> {
  console.log('\nBundle sizes (node esbuild.config.mjs --production: minified, no source maps)');
  const ext = build.sizes['extension.js'];
  console.log(
    `  dist/extension.js      ${kb(ext)}   goal < ${GOALS.extensionKB} KB: ${verdict(ext < GOALS.extensionKB * 1024)}`,
  );
  for (const b of BUNDLES.filter((x) => x !== 'extension.js'))
    console.log(`  dist/${b.padEnd(16)} ${kb(build.sizes[b])}   (for information)`);
  console.log(
    `  baseline, VS Code's own built-in extensions in this code-server: github ${kb(await builtinBundle('github'))}, git ${kb(await builtinBundle('git'))}`,
  );
}

async function reportDaemon(daemonScript: string): Promise<void> {
  console.log(`\nDaemon start (${runs} samples, each in a fresh RAILYARD_HOME; median (range))`);
  // The extension runs the daemon with the extension host's Node: code-server's here (VS Code
  // desktop's is Electron's); a terminal's `railyard` uses whichever Node runs it.
  const runtimes = [
    { name: "code-server's Node (the extension host's)", node: (await ensureVscode()).node24 },
    { name: "this machine's Node (the CLI's)", node: process.execPath },
  ];
  for (const { name, node } of runtimes) {
    const daemon: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      daemon.push(await daemonFirstAnswer(daemonScript, node));
      bare.push(await nodeSpawnToExit(node));
    }
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    console.log(`  with ${name}, ${version}:`);
    console.log(
      `    spawn dist/daemon.js → its answer to "initialize" over the WebSocket: ${spread(daemon)}   goal < ${GOALS.daemonMs} ms: ${verdict(medianOf(daemon) < GOALS.daemonMs)}`,
    );
    console.log(`    baseline, spawn \`node -e 0\` → exit: ${spread(bare)}`);
  }
  console.log(
    "  counts: as the extension starts it (client/daemonLauncher's ensureDaemon: spawn, wait for the discovery file to appear in the watched state directory, read the secret), then RpcClient.connect (WebSocket + initialize)",
  );
}

function reportNodeLoad(samples: NodeLoadSample[]): void {
  console.log(`\nThe entry's load in plain Node (${samples.length} fresh processes each)`);
  const entry = samples.map((s) => s.entryMs);
  console.log(
    `  require dist/extension.js + activate(): ${spread(entry)}   goal < ${GOALS.activationMs} ms: ${verdict(medianOf(entry) < GOALS.activationMs)}`,
  );
  console.log(
    `  baseline, a trivial extension (activate() {}) the same way: ${spread(samples.map((s) => s.trivialMs))}`,
  );
  const rest = samples.flatMap((s) => (s.restMs === undefined ? [] : [s.restMs]));
  if (rest.length)
    console.log(
      `  then require dist/extensionMain.js, which the entry loads after activate() returns: ${spread(rest)}   (for information)`,
    );
  console.log(
    "  counts: Node's built-in modules loaded first (the extension host has them), `vscode` a stand-in that accepts any call; from require() until activate() returns",
  );
}

function reportActivation(samples: ActivationSample[]): void {
  console.log(
    `\nActivation in the real VS Code (code-server + Chromium), ${samples.length} fresh windows after one warm-up`,
  );
  const railyard = samples.map((s) => s.railyard);
  console.log(
    `  Railyard: ${spread(railyard)}   goal < ${GOALS.activationMs} ms: ${verdict(medianOf(railyard) < GOALS.activationMs)}`,
  );
  console.log(
    `  baseline, a trivial extension (activate() {}) in the same windows: ${spread(samples.map((s) => s.trivial))}`,
  );
  console.log(
    '  counts: VS Code\'s own figure from Developer: Show Running Extensions, "Activation: N ms" = load code (the extension host requiring dist/extension.js and all it imports) + call activate (until activate() returns). The daemon\'s start runs after activate returns and is not in it.',
  );
}

async function main(): Promise<void> {
  console.log('Railyard start-up figures; every baseline is measured in this same run.');
  const build = await buildProduction();
  try {
    await reportSizes(build);
    reportNodeLoad(await measureNodeLoad(path.join(build.dir, 'dist', 'extension.js'), runs));
    if (nodeOnly) return;
    await reportDaemon(path.join(build.dir, 'dist', 'daemon.js'));
    if (noVscode) return;
    reportActivation(await measureActivation(build.dir, runs));
  } finally {
    build.dispose();
  }
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
