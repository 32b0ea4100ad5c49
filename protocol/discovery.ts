// Where the daemon keeps its state, and how a client finds a running daemon from it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as z from './zod';

export const discoveryFile = z.object({
  port: z.number().check(z.int(), z.positive()),
  pid: z.number().check(z.int(), z.positive()),
  daemonVersion: z.string(),
  protocolVersion: z.number(),
  startedAt: z.string(),
});
export type Discovery = z.infer<typeof discoveryFile>;

/** `$RAILYARD_HOME`, else the platform's per-user state directory. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RAILYARD_HOME) return path.resolve(env.RAILYARD_HOME);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Railyard');
    case 'win32':
      return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Railyard');
    default:
      return path.join(env.XDG_STATE_HOME ?? path.join(home, '.local', 'state'), 'railyard');
  }
}

export const statePaths = (dir: string) => ({
  dir,
  secret: path.join(dir, 'secret'),
  discovery: path.join(dir, 'daemon.json'),
  log: path.join(dir, 'daemon.log'),
  credentials: path.join(dir, 'credentials.json'),
  audit: path.join(dir, 'audit.log'),
  lock: path.join(dir, 'daemon.lock'),
});
export type StatePaths = ReturnType<typeof statePaths>;

/** The discovery file's content, or undefined when absent or unreadable (a daemon mid-write). */
export function readDiscovery(paths: StatePaths): Discovery | undefined {
  try {
    const parsed = discoveryFile.safeParse(JSON.parse(fs.readFileSync(paths.discovery, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function readSecret(paths: StatePaths): string | undefined {
  try {
    return fs.readFileSync(paths.secret, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a process with this pid is running (EPERM means it exists but is someone else's). A
 * zombie is not: a killed daemon whose parent window has closed may never be reaped in a
 * container, and its pid must not pass for a live daemon.
 */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may itself hold spaces.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}
