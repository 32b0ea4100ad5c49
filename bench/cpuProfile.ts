// Sums a V8 .cpuprofile (node --cpu-prof) by function and by module: self time, optionally only
// within a window of the monotonic clock (µs, as process.hrtime.bigint() / 1000n gives it).
// Run: node --import tsx bench/cpuProfile.ts <file.cpuprofile> [top]
import * as fs from 'node:fs';
import * as path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time counted, ms. */
  totalMs: number;
  /** Whether the window was applied (it lies inside the profile). */
  windowed: boolean;
  functions: { name: string; where: string; selfMs: number; share: number }[];
  modules: { module: string; selfMs: number; share: number }[];
}

const repoRoot = path.resolve(__dirname, '..');

/** `ws`, `graphql-ws`…, a repo file, `(node internals)`, or a V8 pseudo-frame such as `(garbage collector)`. */
function moduleOf(f: CallFrame): string {
  if (!f.url) return f.functionName.startsWith('(') ? f.functionName : '(native)';
  const file = f.url.replace(/^file:\/\//, '');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (nm) return nm[1]!;
  if (file.startsWith('node:')) return '(node internals)';
  return path.relative(repoRoot, file);
}

function whereOf(f: CallFrame): string {
  return `${moduleOf(f)}:${f.lineNumber + 1}`;
}

export function summarise(
  profile: CpuProfile,
  top = 25,
  window?: { fromUs: number; toUs: number },
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const windowed =
    window !== undefined && window.fromUs >= profile.startTime && window.toUs <= profile.endTime;
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const mod = new Map<string, number>();
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (windowed && (t < window.fromUs || t > window.toUs)) continue;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const f = node.callFrame;
    const name = f.functionName || '(anonymous)';
    const key = `${name}@${f.url}:${f.lineNumber}:${f.columnNumber}`;
    const entry = fn.get(key) ?? { name, where: whereOf(f), us: 0 };
    entry.us += dt;
    fn.set(key, entry);
    const m = moduleOf(f);
    mod.set(m, (mod.get(m) ?? 0) + dt);
    total += dt;
  }
  const share = (us: number) => (total ? us / total : 0);
  return {
    totalMs: total / 1000,
    windowed,
    functions: [...fn.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, share: share(e.us) })),
    modules: [...mod.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([module, us]) => ({ module, selfMs: us / 1000, share: share(us) })),
  };
}

export function formatSummary(s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
  const ms = (x: number) => x.toFixed(0).padStart(7);
  return [
    `self time, ${s.totalMs.toFixed(0)} ms sampled${s.windowed ? ' (measured window only)' : ''}`,
    '',
    'by function:',
    ...s.functions.map((f) => `${ms(f.selfMs)} ms ${pct(f.share)}  ${f.name}  (${f.where})`),
    '',
    'by module:',
    ...s.modules.map((m) => `${ms(m.selfMs)} ms ${pct(m.share)}  ${m.module}`),
  ].join('\n');
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node --import tsx bench/cpuProfile.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatSummary(summarise(readProfile(file), Number(top ?? 25)))}\n`);
}
