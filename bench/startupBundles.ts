// The production build the start-up bench measures: esbuild.config.mjs --production, run in a
// throwaway copy of the repository made of symlinks, so its dist/ is the shipped bundles and the
// repository's own dist/ (the dev build the tests use) is left alone.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../test/vscode/workbench';

const run = promisify(execFile);

/** The bundles, in the order the report lists them. */
export const BUNDLES = [
  'extension.js',
  'extensionMain.js',
  'daemon.js',
  'cli.js',
  'webview.js',
  'metrics.js',
] as const;
export type Bundle = (typeof BUNDLES)[number];

export interface ProductionBuild {
  /** An extension folder VS Code can load: package.json, media/ and the production dist/. */
  dir: string;
  /** Bytes of each bundle in dist/. */
  sizes: Record<Bundle, number>;
  dispose(): void;
}

/**
 * Every top-level entry of the repository but dist/ is linked in; esbuild follows the links to the
 * real files, so modules, tsconfig and package.json resolve as in the repository.
 */
export async function buildProduction(): Promise<ProductionBuild> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-bench-production-'));
  const dispose = (): void => fs.rmSync(dir, { recursive: true, force: true });
  try {
    for (const entry of fs.readdirSync(repoRoot)) {
      if (entry === 'dist' || entry === '.git') continue;
      fs.symlinkSync(path.join(repoRoot, entry), path.join(dir, entry));
    }
    await run(process.execPath, ['esbuild.config.mjs', '--production'], { cwd: dir });
    const sizes = Object.fromEntries(
      BUNDLES.map((b) => [b, fs.statSync(path.join(dir, 'dist', b)).size]),
    ) as Record<Bundle, number>;
    return { dir, sizes, dispose };
  } catch (e) {
    dispose();
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`the production build failed: ${why}`, { cause: e });
  }
}
