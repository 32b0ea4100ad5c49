// The extension's split (extension/README.md, "Two bundles"): the entry bundle holds only the small
// files that register what VS Code needs at activation, never the rest or zod; the test API it
// returns hands each call on without loading the rest first; and every contributed command, which
// the entry registers from the manifest, has a handler in the rest's command table.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { deferredApi, type RailyardApi } from '../../extension/railyardApi';

const root = path.resolve(__dirname, '..', '..');

/** The entry bundled as esbuild.config.mjs does (vscode external), in memory, with what went in. */
async function entryBundle(): Promise<{ inputs: string[]; code: string }> {
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'extension', 'extension.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
  });
  return {
    inputs: Object.keys(result.metafile.inputs).sort(),
    code: result.outputFiles[0]!.text,
  };
}

describe('the entry bundle', () => {
  it('holds only the entry, its deferred views and API, and the view types', async () => {
    const { inputs } = await entryBundle();
    assert.deepEqual(inputs, [
      'extension/deferredTree.ts',
      'extension/extension.ts',
      'extension/railyardApi.ts',
      'protocol/viewTypes.ts',
    ]);
  });

  it('requires the rest at run time, beside itself', async () => {
    const { code } = await entryBundle();
    assert.match(code, /path\.join\(__dirname, "extensionMain\.js"\)/);
    assert.doesNotMatch(code, /DaemonConnection|zod/);
  });
});

describe('the deferred test API', () => {
  /** A fake of the rest's API recording each call, and how many times the API was asked for. */
  function fakeApi() {
    const calls: unknown[][] = [];
    let loads = 0;
    const record =
      (name: string, answer: unknown = undefined) =>
      (...args: unknown[]) => {
        calls.push([name, ...args]);
        return answer;
      };
    const real = {
      connectionState: record('connectionState', 'connected'),
      onDidChangeConnectionState: record('onDidChangeConnectionState', { dispose() {} }),
      treeNodes: record('treeNodes', []),
      sendFromPanel: record('sendFromPanel', Promise.resolve()),
    } as unknown as RailyardApi;
    const api = deferredApi(() => {
      loads++;
      return real;
    });
    return { api, calls, loads: () => loads };
  }

  it('loads nothing until a member is used, and has no then (VS Code awaits what activate returns)', () => {
    const { api, loads } = fakeApi();
    assert.equal('then' in api, false);
    assert.equal(typeof api.connectionState, 'function');
    assert.equal(typeof api.onDidMetricsRender, 'function');
    assert.equal(loads(), 0);
  });

  it('hands each call on with its arguments and returns the answer', async () => {
    const { api, calls, loads } = fakeApi();
    assert.equal(api.connectionState(), 'connected');
    const listener = () => undefined;
    const sub = api.onDidChangeConnectionState(listener);
    assert.equal(typeof sub.dispose, 'function');
    await api.sendFromPanel('p1', { type: 'ready' });
    assert.deepEqual(calls, [
      ['connectionState'],
      ['onDidChangeConnectionState', listener],
      ['sendFromPanel', 'p1', { type: 'ready' }],
    ]);
    assert.equal(loads(), 3);
  });
});

describe('the command table', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { commands: { command: string }[] };
  };
  const source = fs
    .readdirSync(path.join(root, 'extension'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(root, 'extension', f), 'utf8'))
    .join('\n');
  /** The keys of the handler tables commands.ts builds: `'railyard.x': (…) => …`. */
  const handled = new Set([...source.matchAll(/^\s*'(railyard\.[\w.]+)':/gm)].map((m) => m[1]!));

  it('has a handler for every command package.json contributes', () => {
    const missing = pkg.contributes.commands.map((c) => c.command).filter((c) => !handled.has(c));
    assert.deepEqual(missing, []);
  });
});
