// What a process left behind, read from /proc (Linux): a process tree with the processes that
// carry a marker in their environment (a daemon started detached leaves the tree), and the TCP
// ports they listen on.
import * as fs from 'node:fs';

export interface ProcessInfo {
  pid: number;
  /** Clock ticks after boot: with the pid, names this process even after the pid is reused. */
  startTime: string;
  cmdline: string;
}

interface Stat {
  ppid: number;
  state: string;
  startTime: string;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, ppid: Number(fields[1]), startTime: fields[19]! };
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** `root` and its descendants, plus every process whose environment contains `marker`. */
export function processesOf(root: number, marker: string): ProcessInfo[] {
  const stats = new Map<number, Stat>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (stat) stats.set(pid, stat);
  }
  const found = new Set<number>([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, stat] of stats) {
      if (!found.has(pid) && found.has(stat.ppid)) grew = found.add(pid).size > 0;
    }
  }
  for (const pid of stats.keys()) {
    if (
      readText(`/proc/${pid}/environ`)
        .split('\0')
        .some((v) => v.includes(marker))
    )
      found.add(pid);
  }
  return [...found].flatMap((pid) => {
    const stat = stats.get(pid);
    if (!stat) return [];
    const cmdline = readText(`/proc/${pid}/cmdline`).split('\0').join(' ').trim();
    return [{ pid, startTime: stat.startTime, cmdline }];
  });
}

/** Still running: the same process (by start time) and not a zombie waiting to be reaped. */
export function isRunning(p: ProcessInfo): boolean {
  const stat = readStat(p.pid);
  return stat !== null && stat.startTime === p.startTime && stat.state !== 'Z';
}

/** The TCP ports these processes listen on (IPv4 and IPv6), from their socket inodes. */
export function listeningPorts(pids: number[]): number[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        // Closed while we looked.
      }
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readText(table).split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT; st 0A is LISTEN; the inode is the tenth field.
      if (f[3] === '0A' && inodes.has(f[9] ?? '')) ports.add(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}
