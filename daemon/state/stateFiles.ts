// The daemon's files in its state directory: the 0700 directory, the 0600 secret, the discovery
// file and the start lock that keeps two simultaneous starts from both becoming the daemon.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import {
  isPidAlive,
  readDiscovery,
  type Discovery,
  type StatePaths,
} from '../../protocol/discovery';

export function ensureStateDir(paths: StatePaths): void {
  fs.mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is masked by umask and ignored for an existing dir; make it exact.
  fs.chmodSync(paths.dir, 0o700);
}

/** The per-user secret, created on first start; a file only this user can read. */
export function ensureSecret(paths: StatePaths): string {
  try {
    const existing = fs.readFileSync(paths.secret, 'utf8').trim();
    if (existing.length >= 32) {
      fs.chmodSync(paths.secret, 0o600);
      return existing;
    }
  } catch {
    // absent: create below
  }
  const secret = crypto.randomBytes(32).toString('base64url');
  writeFileAtomic.sync(paths.secret, secret + '\n', { mode: 0o600 });
  return secret;
}

export function writeDiscovery(paths: StatePaths, discovery: Discovery): void {
  writeFileAtomic.sync(paths.discovery, JSON.stringify(discovery, null, 2) + '\n', { mode: 0o600 });
}

/** Removes the discovery file only if it still names this process (a successor may have replaced it). */
export function removeDiscovery(paths: StatePaths, pid: number): void {
  if (readDiscovery(paths)?.pid === pid) fs.rmSync(paths.discovery, { force: true });
}

/** A running daemon named by the discovery file, or undefined (absent, or its pid is dead). */
export function liveDiscovery(paths: StatePaths): Discovery | undefined {
  const found = readDiscovery(paths);
  return found && isPidAlive(found.pid) ? found : undefined;
}

/**
 * Takes the start lock (exclusive create). Returns false when another live process holds it;
 * a lock left by a dead process is taken over.
 */
export function acquireStartLock(paths: StatePaths): boolean {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (linkLock(paths.lock)) return true;
    const holder = Number(readText(paths.lock));
    if (holder && holder !== process.pid && isPidAlive(holder)) return false;
    // Only a lock naming a dead process is stale; it always names one, since it appears whole.
    if (!holder) return false;
    fs.rmSync(paths.lock, { force: true });
  }
  return false;
}

export function releaseStartLock(paths: StatePaths): void {
  if (Number(readText(paths.lock)) === process.pid) fs.rmSync(paths.lock, { force: true });
}

/**
 * Creates the lock with its content in one step: write a private file, then hard-link it into
 * place (link fails if the lock exists). A plain exclusive create would leave a moment in which
 * another starter reads an empty lock and takes it for stale.
 */
function linkLock(lock: string): boolean {
  const tmp = `${lock}.${process.pid}`;
  fs.writeFileSync(tmp, String(process.pid), { mode: 0o600 });
  try {
    fs.linkSync(tmp, lock);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
