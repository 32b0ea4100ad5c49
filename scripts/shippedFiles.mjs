// The files a .vsix of Railyard holds: every file of the repository that .vscodeignore keeps,
// read with the same gitignore-style rules. The demo installs exactly these.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';

/** Folders never walked: dependencies, caches, git. (.vscodeignore leaves them out anyway.) */
const SKIPPED = new Set(['node_modules', '.git', '.cache', 'test-results']);

/**
 * Left out by .vscodeignore only so that vsce packs the README made from it in its place
 * (dist/vsix/README.md, see scripts/package.mjs); a copy of the extension takes the original.
 */
const SHIPPED_AS_MADE = ['README.md'];

/** Relative paths (with `/`) of the files that ship, sorted. */
export function shippedFiles(root) {
  const rules = ignore().add(fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8'));
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile() && !rules.ignores(rel)) files.push(rel);
    }
  };
  walk('');
  return [...files, ...SHIPPED_AS_MADE].sort();
}
