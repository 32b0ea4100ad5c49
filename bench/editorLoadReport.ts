// What bench:editor prints: each figure beside its goal and the baselines measured in the same run
// (the window idle; a trivial extension giving ten plain Output channels the same load).
import { percentile } from './keystrokePaint';
import type { Phase } from './editorPhase';

export interface Figures {
  idle: Phase;
  load: Phase;
  baseline: Phase;
  /** Whether Railyard's extension host had exited before the baseline's window was measured. */
  railyardGone: boolean;
  keys: number;
  hideOutput: boolean;
  /** The baseline's channels were coloured by a copy of Railyard's grammar, not plain text. */
  baselineGrammar: boolean;
  /** The simulated Railway's load and the daemon's relay ran on through the baseline's phase. */
  baselineRelay: boolean;
}

const pct = (n: number | undefined): string => (n === undefined ? '–' : `${n.toFixed(1)}%`);
const ms = (n: number): string => `${n.toFixed(1)} ms`;

const plain = (f: Figures): string =>
  f.baselineGrammar
    ? "Output channels coloured by a copy of Railyard's grammar"
    : 'plain Output channels';

function deliveredLine(ph: Phase): string {
  const d = ph.delivered!;
  const lo = Math.round(Math.min(...d.perChannel));
  const hi = Math.round(Math.max(...d.perChannel));
  const written =
    d.written === undefined ? '' : `; written by the services: ${Math.round(d.written)} lines/s`;
  const relayed =
    d.relayed === undefined
      ? ''
      : `; read by the relay's consumer: ${Math.round(d.relayed)} lines/s`;
  return `${Math.round(d.total)} lines/s in all (per channel ${lo}–${hi})${written}${relayed} (goal load: 5000)`;
}

const relayWords = (f: Figures): string =>
  f.baselineRelay
    ? "; beside it the simulated Railway's services go on writing 500 lines/s each and the daemon relays them to a consumer in the bench that reads and formats every line as Railyard does, so only the editor's side differs"
    : '; nothing else runs (--baseline-without-relay: no simulated Railway load, no daemon relay)';

function loadLines(f: Figures): void {
  const view = f.hideOutput ? 'the panel hidden' : 'one in view';
  console.log(
    `load: 10 Output channels ("Railyard: Tail Logs…"), each service writing 500 lines/s through the simulated Railway and the daemon; ${view}`,
  );
  console.log(`  lines that reached the channels: ${deliveredLine(f.load)}`);
  console.log(
    `baseline load: a trivial extension (no Railyard, a second window of the same code-server${f.railyardGone ? ", Railyard's extension host gone" : ", Railyard's closed window's extension host still alive"}) appending 500 lines/s to each of 10 ${plain(f)} in batches every 90 ms; ${view}${relayWords(f)}`,
  );
  console.log(`  lines that reached the channels: ${deliveredLine(f.baseline)}`);
}

function cpuLines(f: Figures): void {
  const { idle, load, baseline } = f;
  console.log(
    `extension host CPU (utime+stime of its process, /proc, ${load.wallSeconds.toFixed(1)} s windows), % of one core:`,
  );
  console.log(`  idle (no channel tailing, baseline): ${pct(idle.extHostPercent)}`);
  const cpuOk = load.extHostPercent < 20;
  console.log(
    `  Railyard under load: ${pct(load.extHostPercent)}   goal < 20%: ${cpuOk ? 'met' : 'not met'}`,
  );
  console.log(
    `  baseline, the trivial extension under the same load: ${pct(baseline.extHostPercent)}`,
  );
  console.log(
    `  for reference, the daemon: idle ${pct(idle.daemonPercent)}, under load ${pct(load.daemonPercent)}, baseline ${pct(baseline.daemonPercent)}; the workbench page's main thread (busy): idle ${pct(idle.rendererPercent)}, Railyard under load ${pct(load.rendererPercent)}, baseline ${pct(baseline.rendererPercent)}`,
  );
}

function keystrokeLines(f: Figures): void {
  const { idle, load, baseline } = f;
  const view = f.hideOutput ? 'panel hidden' : 'one in view';
  console.log(
    `keystroke-to-paint in a text editor, ${f.keys} keys each (keydown event's timeStamp → the first task after the frame that drew the character):`,
  );
  const p = (ph: Phase, q: number): number => percentile(ph.keystrokes, q);
  const goal = p(idle, 95) + 20;
  const met = (ph: Phase): string => (p(ph, 95) <= goal ? 'met' : 'not met');
  console.log(`  idle (baseline): p50 ${ms(p(idle, 50))}, p95 ${ms(p(idle, 95))}`);
  console.log(
    `  Railyard, 10 channels tailing, ${view}: p50 ${ms(p(load, 50))}, p95 ${ms(p(load, 95))}   goal p95 ≤ idle's + 20 ms (${ms(goal)}): ${met(load)}`,
  );
  console.log(
    `  baseline, a trivial extension appending the same load to 10 ${plain(f)}, ${view}: p50 ${ms(p(baseline, 50))}, p95 ${ms(p(baseline, 95))}   (same goal: ${met(baseline)})`,
  );
  const gap = p(load, 95) - p(baseline, 95);
  console.log(`  Railyard's p95 − the baseline's: ${gap >= 0 ? '+' : ''}${ms(gap)}`);
}

export function report(f: Figures, codeServerVersion: string): void {
  console.log(`editor under log load: code-server ${codeServerVersion} + Chromium`);
  loadLines(f);
  cpuLines(f);
  keystrokeLines(f);
}
