// The script each plain-Node sample runs (as `node --expose-gc -e`): it loads Node's built-in
// modules first, as the extension host has them loaded, answers `require('vscode')` with a stand-in
// that accepts any call, then times requiring the entry bundle and calling its activate(), and
// (for information) requiring the rest, dist/extensionMain.js, if there is one. It prints one JSON
// line and exits at once, before the entry's setImmediate would load the rest.
// Arguments: the entry, the folder of @types/vscode/index.d.ts, the extension's package.json.

/** Kept as text: it runs in a fresh `node`, never through tsx, so only the bundles are timed. */
export const WORKER_SOURCE = String.raw`
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const [entry, vscodeTypes, manifestFile] = process.argv.slice(1);
for (const name of Module.builtinModules) {
  if (name.startsWith('_') || ['sys', 'punycode', 'test'].includes(name)) continue;
  try { require(name); } catch {}
}
// Any property, call or construction gives another stand-in; 'then' none, so nothing awaits one.
const stub = () => new Proxy(function () {}, {
  get: (_t, key) => key === 'then' ? undefined : key === Symbol.toPrimitive ? () => 'stub' : stub(),
  apply: () => stub(),
  construct: () => stub(),
  set: () => true,
});
// The API's top-level names, as bundles copy them when they import 'vscode'.
const vscode = {};
const dts = fs.readFileSync(path.join(vscodeTypes, 'index.d.ts'), 'utf8');
for (const m of dts.matchAll(/^\s{0,4}export (?:namespace|class|enum|const|let|function) (\w+)/gm))
  vscode[m[1]] = stub();
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};
const context = new Proxy({
  subscriptions: [],
  extension: { packageJSON: JSON.parse(fs.readFileSync(manifestFile, 'utf8')) },
}, { get: (t, key) => key in t ? t[key] : key === 'then' ? undefined : stub() });
// The stand-ins above are garbage the timed part must not collect.
gc();
const t0 = performance.now();
const extension = require(entry);
const t1 = performance.now();
extension.activate(context);
const t2 = performance.now();
const rest = path.join(path.dirname(entry), 'extensionMain.js');
let restMs;
if (fs.existsSync(rest)) {
  require(rest);
  restMs = performance.now() - t2;
}
console.log(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, restMs }));
process.exit(0);
`;
