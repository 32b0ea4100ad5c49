// `railyard logs` as users run it, a separate process against a running daemon and the simulators:
// follows the service, prints levels and markers (or JSON lines), and ends cleanly on Ctrl-C.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signedInDaemonEnv, startSimulators, type Simulators } from '../../sim/server';
import { repoRoot, daemonProcess, tempHome, type DaemonProcess } from './harness';

/** Collects a process's stdout and resolves `until` once it contains `text`. */
function watchOutput(child: ChildProcess) {
  let out = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    out += String(d);
    for (const w of [...waiters]) {
      if (!out.includes(w.text)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  return {
    get text() {
      return out;
    },
    until: (text: string) =>
      new Promise<void>((resolve) =>
        out.includes(text) ? resolve() : waiters.push({ text, resolve }),
      ),
  };
}

describe('railyard logs', () => {
  let sims: Simulators;
  let daemon: DaemonProcess;
  let env: NodeJS.ProcessEnv;
  const home = tempHome();

  before(async () => {
    sims = await startSimulators();
    env = { ...process.env, ...signedInDaemonEnv(sims), RAILYARD_HOME: home };
    daemon = await daemonProcess(home, env);
  });
  after(async () => {
    await daemon.stop();
    await sims.close();
  });

  const activeBackend = () => {
    const state = sims.railway.state;
    const dev = state.environmentByName('kars-dev');
    return state.servingDeployment(dev.id, state.serviceByName('kars-backend').id)!;
  };
  /** The marker comes with the daemon's answer; Railway's subscription may open a moment later. */
  const upstreamOpen = () =>
    sims.railway.state.logs.untilSubscriptions((n) => n >= 1, {
      deploymentId: activeBackend().id,
      kind: 'deploy',
    });
  /** `railyard logs <service> …args` as a process. */
  const logsOf = (service: string, ...args: string[]) =>
    spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'cli', 'cli.ts'), 'logs', service, ...args],
      { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  const cli = (...args: string[]) => logsOf('kars-backend', ...args);

  it('follows the service, shows each line with its level, and exits 0 on Ctrl-C', async () => {
    const child = cli('--env', 'kars-dev', '--lines', '0');
    const out = watchOutput(child);
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await out.until('── tailing deploy logs of kars-backend in kars-dev');
    await upstreamOpen();
    sims.railway.logs.emit(activeBackend().id, 3, {
      message: (n) => `GET /api/invoices ${n}`,
      severity: (n) => (n === 3 ? 'error' : 'info'),
    });
    await out.until('GET /api/invoices 3');
    assert.match(out.text, /T\d\d:\d\d:\d\d\.\d{3}Z INFO {2}GET \/api\/invoices 1/, 'milliseconds');
    assert.match(out.text, /Z ERROR GET \/api\/invoices 3/);
    child.kill('SIGINT');
    assert.equal(await exit, 0);
  });

  it('prints one JSON object per line with --json, markers included', async () => {
    const child = cli('--env', 'kars-dev', '--lines', '0', '--json');
    const out = watchOutput(child);
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await out.until('"kind":"started"');
    await upstreamOpen();
    sims.railway.logs.emit(activeBackend().id, 1, { message: () => 'json line' });
    await out.until('json line');
    child.kill('SIGINT');
    await exit;
    const items = out.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; message?: string; level?: string });
    assert.equal(items[0]?.type, 'marker');
    const line = items.find((i) => i.type === 'line');
    assert.equal(line?.message, 'json line');
    assert.equal(line?.level, 'info');
  });

  it('says so when the deployment had no build: an image service', async () => {
    const child = logsOf('Postgres', '--env', 'kars-dev', '--build');
    const out = watchOutput(child);
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await out.until('No build log: Postgres runs the image postgres-ssl');
    child.kill('SIGINT');
    assert.equal(await exit, 0);
  });

  it('says which service names exist when the name is wrong, and exits non-zero', async () => {
    const child = logsOf('kars-api', '--env', 'kars-dev');
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += String(d)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.notEqual(code, 0);
    assert.match(err, /No service "kars-api" in kars-dev: .*kars-backend/);
  });
});
