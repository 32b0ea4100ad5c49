// The editor-load bench's baseline: the same Output load with no Railyard at all. A trivial
// extension, written to a temp dir at bench time and loaded alone in a second window of the same
// code-server, appends 500 lines/s to each of ten plain Output channels, in batches every 90 ms
// (as often as the daemon sends), showing each channel in turn as Railyard's "Tail Logs…" does,
// the last in view, so both windows' Output views went through the same; the window is then
// measured as Railyard's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { CodeServer } from '../scripts/codeServer';
import {
  openWorkbench,
  outputChannelSelect,
  repoRoot,
  runCommand,
  timeouts,
  waitForWorkbench,
  type Browser,
} from '../test/vscode/workbench';
import { channelFiles } from './editorLoadWorld';
import {
  hidePanel,
  measure,
  newExtensionHostPid,
  openTypingEditor,
  type Phase,
} from './editorPhase';
import { channelLinesWithoutTime } from './logLoadLines';
import { saveFailureShot } from './failureShot';

const command = { id: 'outputBaseline.start', title: 'Output Baseline: Append to Ten Channels' };
const linesPerSecond = 500;
const batchMs = 90;
/** Distinct lines per channel before they repeat: more than a screen, fewer than a second's worth. */
const poolSize = 400;

/**
 * The extension: plain JS, no dependencies. On its command it makes the channels with
 * createOutputChannel(name), shows each in turn (as ten "Tail Logs…" do), the last staying, and
 * every batchMs appends to each, as one appendLine, the lines due at linesPerSecond since the start.
 */
const extensionJs = `// A bench baseline: ten plain Output channels under Railyard's log load, without Railyard.
const vscode = require('vscode');
const load = require('./load.json');

exports.activate = function (context) {
  const start = () => {
    const channels = load.channels.map((name) =>
      load.languageId ? vscode.window.createOutputChannel(name, load.languageId) : vscode.window.createOutputChannel(name),
    );
    // Each channel is shown in turn, as Railyard's "Tail Logs…" shows each as it is tailed.
    const showFrom = (i) => {
      channels[i].show(true);
      if (i + 1 < channels.length) setTimeout(() => showFrom(i + 1), load.showEachMs);
    };
    showFrom(0);
    const t0 = Date.now();
    let sent = 0;
    const timer = setInterval(() => {
      const due = Math.floor(((Date.now() - t0) / 1000) * load.linesPerSecond);
      if (due <= sent) return;
      const time = new Date().toISOString().slice(11, 23);
      channels.forEach((channel, c) => {
        const batch = [];
        for (let seq = sent; seq < due; seq++) {
          batch.push(time + ' ' + load.lines[(seq + c * 37) % load.lines.length]);
        }
        channel.appendLine(batch.join('\\n'));
      });
      sent = due;
    }, load.batchMs);
    context.subscriptions.push({ dispose: () => clearInterval(timer) }, ...channels);
  };
  context.subscriptions.push(vscode.commands.registerCommand(load.command, start));
};
`;

/** The language the channels take (not with --baseline-plain): Railyard's grammar under another name. */
const benchLanguage = { id: 'output-baseline-log', scopeName: 'source.output-baseline-log' };

/** A copy of Railyard's Output-channel grammar (syntaxes/) for the baseline's own language. */
function writeGrammar(dir: string): Record<string, unknown> {
  const source = path.join(repoRoot, 'syntaxes', 'railyard-log.tmLanguage.json');
  const grammar = JSON.parse(fs.readFileSync(source, 'utf8')) as Record<string, unknown>;
  const file = 'log.tmLanguage.json';
  grammar.scopeName = benchLanguage.scopeName;
  fs.writeFileSync(path.join(dir, file), JSON.stringify(grammar));
  return {
    languages: [{ id: benchLanguage.id }],
    grammars: [
      { language: benchLanguage.id, scopeName: benchLanguage.scopeName, path: `./${file}` },
    ],
  };
}

/**
 * Writes the extension folder (package.json, extension.js, load.json) into `dir`; with `grammar`
 * its channels are coloured by Railyard's grammar, as Railyard's are, else plain text.
 */
export function writeBaselineExtension(dir: string, channels: string[], grammar: boolean): void {
  fs.mkdirSync(dir, { recursive: true });
  const languages = grammar ? writeGrammar(dir) : {};
  const manifest = {
    name: 'output-baseline',
    publisher: 'railyard-bench',
    displayName: 'Output baseline (editor bench)',
    version: '0.0.1',
    engines: { vscode: '^1.80.0' },
    main: './extension.js',
    activationEvents: [`onCommand:${command.id}`],
    contributes: { commands: [{ command: command.id, title: command.title }], ...languages },
  };
  const load = {
    command: command.id,
    channels,
    languageId: grammar ? benchLanguage.id : undefined,
    linesPerSecond,
    batchMs,
    showEachMs: 500,
    // Numbered and stamped as the services' lines are some 20 s into the load (seq ~10,000 on each
    // stream; emitNs is this machine's monotonic clock in ns), so their attributes read as long.
    lines: channelLinesWithoutTime(poolSize, 10_001, String(process.hrtime.bigint())),
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'extension.js'), extensionJs);
  fs.writeFileSync(path.join(dir, 'load.json'), JSON.stringify(load));
}

export interface BaselineOptions {
  browser: Browser;
  server: CodeServer;
  workspace: string;
  /** Where to write the extension (a temp dir the caller removes). */
  extensionDir: string;
  /** Named after Railyard's ten, "Railway: …" read "Plain: …". */
  channels: string[];
  /** Extension hosts of earlier windows: the baseline's is the one not among them. */
  otherExtensionHosts: number[];
  windowSeconds: number;
  keys: number;
  offset: number;
  hideOutput: boolean;
  /** Colour the channels with a copy of Railyard's grammar (Railyard's channels have it). */
  grammar: boolean;
  /** The simulated Railway's load and the daemon's relay, running beside the window (editorRelay.ts). */
  background?: { written: () => number; relayed: () => number; daemonPid: number };
}

/** Opens the baseline's window, starts its load from the palette, measures it, closes it. */
export async function measureBaseline(o: BaselineOptions): Promise<Phase> {
  writeBaselineExtension(o.extensionDir, o.channels, o.grammar);
  const page = await openWorkbench(o.browser, {
    authority: o.server.authority,
    folder: o.workspace,
    extensionDevelopmentPath: o.extensionDir,
  });
  try {
    await waitForWorkbench(page);
    await openTypingEditor(page);
    const extHost = await extensionHostOf(o.server, o.otherExtensionHosts);
    await runCommand(page, command.title);
    await outputChannelSelect(page, o.channels.at(-1)!).waitFor({ timeout: timeouts.ui });
    if (o.hideOutput) await hidePanel(page);
    await delay(3_000); // lets the load reach its steady state before the window opens
    const files = channelFiles(o.server.stateDir, o.channels);
    const { windowSeconds, keys, offset } = o;
    return await measure(page, {
      windowSeconds,
      keys,
      offset,
      pids: { extHost, daemon: o.background?.daemonPid },
      counting: { files, written: o.background?.written, relayed: o.background?.relayed },
    });
  } catch (e) {
    await saveFailureShot(page, 'editor-baseline');
    throw e;
  } finally {
    await page.close();
  }
}

/** The new window's extension host, once it has started (bounded: it starts with the window). */
async function extensionHostOf(server: CodeServer, others: number[]): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return newExtensionHostPid(server.pid, others);
    } catch (e) {
      if (attempt >= 50) throw e;
      await delay(200); // the polling interval of a look at /proc, not a wait for a state
    }
  }
}

/** "Railway: kars-backend (kars-prod)" → "Plain: kars-backend (kars-prod)", no clash with Railyard's. */
export function baselineChannelName(railyardChannel: string): string {
  return railyardChannel.replace(/^Railway:/, 'Plain:');
}
