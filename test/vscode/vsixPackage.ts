// Builds the real .vsix once per run with `npm run package` in a copy of the repository (so the
// repo's own dist/ keeps its development build), and reads the package's zip without a dependency.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { repoRoot } from './workbench';

/** Not copied: what a clone does not have (dependencies are linked), and what a build makes. */
const NOT_COPIED = new Set(['node_modules', '.git', '.cache', 'test-results', 'dist']);

/**
 * Runs `npm run package` in a copy of the working tree and moves the .vsix into a folder of its
 * own, with nothing of the repository beside it; the copy is removed. Returns the .vsix's path.
 */
export async function packageVsix(logFile: string): Promise<string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-package-'));
  try {
    fs.cpSync(repoRoot, copy, {
      recursive: true,
      filter: (src) => !isLeftOut(path.relative(repoRoot, src)),
    });
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    await npmRunPackage(copy, logFile);
    const name = `${pkg.name}-${pkg.version}.vsix`;
    const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-vsix-'));
    fs.copyFileSync(path.join(copy, name), path.join(alone, name));
    return path.join(alone, name);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

function isLeftOut(rel: string): boolean {
  const top = rel.split(path.sep)[0] ?? '';
  return NOT_COPIED.has(top) || (!rel.includes(path.sep) && rel.endsWith('.vsix'));
}

function npmRunPackage(cwd: string, logFile: string): Promise<void> {
  const log = fs.openSync(logFile, 'w');
  const child = spawn('npm', ['run', 'package'], { cwd, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`npm run package exited ${code}; its output is in ${logFile}`)),
    );
  });
}

export interface ZipEntry {
  name: string;
  /** The entry's bytes, uncompressed. */
  read(): Buffer;
}

/**
 * The entries of a zip file, from its central directory (a .vsix is a plain zip: stored or
 * deflated entries, no zip64 at this size).
 */
export function zipEntries(file: string): ZipEntry[] {
  const zip = fs.readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.push({ name, read: () => entryData(zip, local, size, method) });
    at += 46 + skip;
  }
  return entries;
}

function entryData(zip: Buffer, local: number, size: number, method: number): Buffer {
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const data = zip.subarray(start, start + size);
  if (method === 0) return data;
  if (method === 8) return inflateRawSync(data);
  throw new Error(`zip compression method ${method} is not stored or deflate`);
}
