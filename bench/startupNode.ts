// The extension's load in plain Node: requiring the production entry bundle and calling its
// activate() with a stand-in `vscode` (startupNodeWorker.ts), each sample a fresh `node`, beside a
// trivial extension (activate() {}) timed the same way in the same run. VS Code's own figure
// (startupActivation.ts) needs code-server; this one needs only Node and shows the bundle's part.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../test/vscode/workbench';
import { WORKER_SOURCE } from './startupNodeWorker';

const run = promisify(execFile);

export interface NodeLoadSample {
  /** require() of the entry, then its activate(). */
  entryMs: number;
  /** require() of dist/extensionMain.js after it (for information; undefined for one bundle). */
  restMs: number | undefined;
  /** require() and activate() of the trivial extension, in its own fresh `node`. */
  trivialMs: number;
}

interface WorkerAnswer {
  requireMs: number;
  activateMs: number;
  restMs?: number;
}

/** `samples` fresh processes each of `entry` (a built dist/extension.js) and of the trivial one. */
export async function measureNodeLoad(entry: string, samples: number): Promise<NodeLoadSample[]> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-bench-node-load-'));
  try {
    const trivial = path.join(scratch, 'trivial.js');
    fs.writeFileSync(trivial, 'exports.activate = function () {};\n');
    const out: NodeLoadSample[] = [];
    for (let i = 0; i < samples; i++) {
      const railyard = await sample(entry, scratch);
      const baseline = await sample(trivial, scratch);
      const entryMs = railyard.requireMs + railyard.activateMs;
      out.push({
        entryMs,
        restMs: railyard.restMs,
        trivialMs: baseline.requireMs + baseline.activateMs,
      });
    }
    return out;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** One fresh `node` loading `entry`; its RAILYARD_HOME is a throwaway folder, though it exits first. */
async function sample(entry: string, scratch: string): Promise<WorkerAnswer> {
  const vscodeTypes = path.join(repoRoot, 'node_modules', '@types', 'vscode');
  const manifest = path.join(repoRoot, 'package.json');
  const env = { ...process.env, RAILYARD_HOME: scratch };
  const args = ['--expose-gc', '-e', WORKER_SOURCE, entry, vscodeTypes, manifest];
  const { stdout } = await run(process.execPath, args, { env });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as WorkerAnswer;
  } catch {
    throw new Error(`the plain-Node load of ${entry} printed no figures: ${stdout}`);
  }
}
