// Proves `npm run demo` leaves nothing running: started as a terminal would (its own process group,
// state in a temp dir, already built), opened in Chromium until the extension talks to the demo's
// daemon, then Ctrl-C (SIGINT to the group): every process it started is gone, its ports closed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  activityBarItem,
  launchBrowser,
  openViewContainer,
  repoRoot,
  timeouts,
  waitForStatusBar,
} from '../vscode/workbench';
import { isRunning, listeningPorts, processesOf, type ProcessInfo } from './processes';

interface Demo {
  child: ChildProcess;
  url: string;
  folder: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the demo in its own process group and resolves once it says it is running. */
function startDemo(stateDir: string): Promise<Demo> {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'scripts', 'demo.mjs'), '--port', '0', '--no-build'],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RAILYARD_DEMO_DIR: stateDir },
    },
  );
  let text = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      text += d.toString();
      const open =
        /Railyard demo is running\.[\s\S]*open\s+(http:\/\/127\.0\.0\.1:\d+)\/\?folder=(\S+)/.exec(
          text,
        );
      if (open)
        resolve({
          child,
          url: open[1]!,
          folder: decodeURIComponent(open[2]!),
          output: () => text,
          exited,
        });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    void exited.then((code) =>
      reject(new Error(`the demo exited (${code}) before it ran:\n${text}`)),
    );
  });
}

/** Whether something accepts connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

void describe('npm run demo: Ctrl-C', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-demo-'));
  let demo: Demo | undefined;
  let started: ProcessInfo[] = [];

  before(async () => {
    demo = await startDemo(stateDir);
  });
  after(async () => {
    // Only if the test failed: stop the demo, then end what it left, by pid.
    if (demo && demo.child.exitCode === null && demo.child.signalCode === null) {
      process.kill(-demo.child.pid!, 'SIGINT');
      await demo.exited;
    }
    for (const p of started.filter(isRunning)) process.kill(p.pid, 'SIGKILL');
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  void it('stops code-server, its extension host, the daemon and the simulators, and closes their ports', async () => {
    assert.ok(demo);
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${demo.url}/?folder=${encodeURIComponent(demo.folder)}`, {
        timeout: timeouts.workbench,
      });
      // The workbench, then the Railyard entry, may take a while on a busy machine.
      await activityBarItem(page, 'Railyard').waitFor({ timeout: timeouts.workbench });
      await openViewContainer(page, 'Railyard');
      await waitForStatusBar(page, 'Railyard daemon: connected');
    } finally {
      await browser.close();
    }
    started = processesOf(demo.child.pid!, `RAILYARD_HOME=${path.join(stateDir, 'home')}`);
    const kinds = (re: RegExp) => started.filter((p) => re.test(p.cmdline));
    assert.equal(kinds(/code-server/).length > 0, true, 'no code-server in the snapshot');
    assert.equal(kinds(/extensionHost/).length > 0, true, 'no extension host in the snapshot');
    assert.equal(kinds(/dist\/daemon\.js/).length, 1, 'not exactly one daemon in the snapshot');
    const ports = listeningPorts(started.map((p) => p.pid));
    const codeServerPort = Number(new URL(demo.url).port);
    assert.ok(
      ports.includes(codeServerPort),
      `code-server's port ${codeServerPort} not in ${ports.join(', ')}`,
    );
    assert.ok(
      ports.length >= 5,
      `code-server and four simulator ports expected, got ${ports.join(', ')}`,
    );

    process.kill(-demo.child.pid!, 'SIGINT');
    const code = await demo.exited;
    assert.equal(code, 0, demo.output());
    const left = started.filter(isRunning);
    assert.deepEqual(
      left.map((p) => `${p.pid} ${p.cmdline}`),
      [],
      'still running after Ctrl-C',
    );
    const open: number[] = [];
    for (const port of ports) if (await accepts(port)) open.push(port);
    assert.deepEqual(open, [], 'ports still accepting after Ctrl-C');
    assert.match(demo.output(), /stopping code-server, the daemon and the simulators/);
  });
});
