// A Linux process's CPU time from /proc, and how to find one among a process's descendants by its
// command line: the bench reads the extension host's own utime + stime, not the whole server's.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

/** Clock ticks per second, which /proc/<pid>/stat counts CPU time in (100 on every usual kernel). */
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** The fields of /proc/<pid>/stat after the command name, which may itself hold spaces or ')'. */
function statFields(pid: number): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds the process has used so far (its own threads, not its children). */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  // After the name: state is field 3, so utime (14) and stime (15) sit at indexes 11 and 12.
  return (Number(f[11]) + Number(f[12])) / ticksPerSecond;
}

function parentOf(pid: number): number | undefined {
  try {
    return Number(statFields(pid)[1]);
  } catch {
    return undefined; // it exited while the list was read
  }
}

export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Every live process below `root` (children, their children…), by walking /proc's parent links. */
export function descendants(root: number): number[] {
  const pids = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: number[] = [];
  for (let queue = [root]; queue.length;) {
    const next = children.get(queue.shift()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/** The descendants of `root` whose command line matches `pattern`. */
export function findDescendants(root: number, pattern: RegExp): number[] {
  return descendants(root).filter((pid) => pattern.test(commandLine(pid)));
}

/** CPU used over a window as a share of one core: (CPU seconds used) / (wall seconds) × 100. */
export interface CpuWindow {
  /** Call at the window's end: the process's % of one core since `startCpuWindow`. */
  end(): { percent: number; cpuSeconds: number; wallSeconds: number };
}

export function startCpuWindow(pid: number): CpuWindow {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  return {
    end() {
      const used = cpuSeconds(pid) - cpu0;
      const wall = (performance.now() - t0) / 1000;
      return { percent: (used / wall) * 100, cpuSeconds: used, wallSeconds: wall };
    },
  };
}
