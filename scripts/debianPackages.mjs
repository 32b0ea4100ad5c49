// Installs missing Debian packages with apt-get when we run as root (CI, a fresh container), else
// names the `sudo apt-get install` line to run. Shared by `npm test` and code-server's setup
// (which `npm run demo` runs too), so each of the README's two commands sets up what it needs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

/** Debian packages among `wanted` that are not installed ([] off Debian: nothing to say there). */
export function missingDebianPackages(wanted) {
  if (!fs.existsSync('/usr/bin/dpkg')) return [];
  return wanted.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
}

/**
 * Installs what is missing of `wanted` (as root), or throws the command to run. `why` finishes
 * the sentence "… need Debian packages", e.g. "The VS Code tests".
 */
export function ensureDebianPackages(wanted, why, say = console.log) {
  const missing = missingDebianPackages(wanted);
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`${why} need Debian packages: sudo apt-get install -y ${missing.join(' ')}`);
  }
  say(`installing ${missing.join(', ')} (apt-get)`);
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`);
}
