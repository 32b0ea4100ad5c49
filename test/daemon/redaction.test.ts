// Nothing the daemon writes carries a token: its log, even for a token that arrived after it
// started (a `railway login`), and its stderr file, where Node's own output and crash reports land.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { readSecret, statePaths } from '../../protocol/discovery';
import { ensureDaemon, stderrLogPath } from '../../client/daemonLauncher';
import { RpcClient } from '../../client/rpcClient';
import { signedInDaemonEnv, startSimulators, type Simulators } from '../../sim/server';
import { repoRoot, startInProcess, tempHome } from './harness';

/** The Railway CLI's login file, as `railway login` writes it. */
function writeRailwayCliLogin(home: string, token: string): void {
  fs.mkdirSync(path.join(home, '.railway'), { recursive: true });
  fs.writeFileSync(
    path.join(home, '.railway', 'config.json'),
    JSON.stringify({ projects: {}, user: { token } }),
  );
}

describe('redaction', () => {
  let sims: Simulators;
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  it('redacts from the log a Railway CLI login made after the daemon started', async () => {
    const home = tempHome();
    const d = await startInProcess({ ...sims.env, HOME: home });
    try {
      const c = await d.client();
      assert.equal((await c.request('auth.status', {})).railway.set, false);
      const token = sims.tokens.railway.account;
      writeRailwayCliLogin(home, token);
      const status = await c.request('auth.status', {});
      assert.deepEqual([status.railway.source, status.railway.valid], ['railway-cli', true]);
      // Upstream answers are already scrubbed by each Railway client of its own token; what a
      // client says about itself is logged as it came, before `initialize` is answered.
      await d.client(`deploy script (${token})`);
      const log = fs.readFileSync(d.paths.log, 'utf8');
      assert.ok(!log.includes(token), 'the log carries the Railway CLI token');
      assert.match(log, /"client connected".*deploy script \(\[redacted\]\)/);
    } finally {
      await d.stop();
    }
  });

  it("redacts Node's own output in daemon.stderr.log (NODE_DEBUG=net prints the upgrade headers)", async () => {
    const home = tempHome();
    const paths = statePaths(home);
    const env = { ...process.env, ...signedInDaemonEnv(sims), RAILYARD_HOME: home };
    // Started the way the CLI and the extension start it, so stderr goes to daemon.stderr.log.
    const endpoint = await ensureDaemon({
      paths,
      daemonScript: path.join(repoRoot, 'daemon', 'main.ts'),
      nodePath: process.execPath,
      env: { ...env, NODE_DEBUG: 'net', NODE_OPTIONS: `--import ${tsxLoader()}` },
    });
    const client = await RpcClient.connect({
      port: endpoint.discovery.port,
      secret: readSecret(paths)!,
      client: { name: 'redaction', kind: 'test' },
    });
    try {
      const logs = spawn(
        process.execPath,
        [
          ...['--import', 'tsx', path.join(repoRoot, 'cli', 'cli.ts')],
          ...['logs', 'kars-backend', '--env', 'kars-dev', '--lines', '0'],
        ],
        { cwd: repoRoot, env, stdio: 'ignore' },
      );
      const exited = new Promise((resolve) => logs.once('exit', resolve));
      // The daemon opened Railway's log subscription, so Node has printed that socket's options.
      await sims.railway.state.logs.untilSubscriptions((n) => n >= 1);
      logs.kill('SIGINT');
      await exited;
      const stderr = fs.readFileSync(stderrLogPath(paths), 'utf8');
      assert.match(stderr, /NET \d+: createConnection/);
      assert.ok(!stderr.includes(sims.tokens.railway.account), 'daemon.stderr.log carries a token');
      assert.match(stderr, /Authorization: 'Bearer \[redacted\]'/);
    } finally {
      const closed = new Promise((resolve) => client.onClosed(resolve));
      await client.request('daemon.shutdown', {});
      await closed;
    }
  });

  it("redacts an uncaught exception's report, written where the daemon's stderr goes", async () => {
    const file = path.join(tempHome(), 'daemon.stderr.log');
    const fd = fs.openSync(file, 'a', 0o600);
    const token = 'rw-token-4b9e2c71-0d5a-4f3e-8c6b-1a2d3e4f5a6b';
    // The start of daemon/main.ts, then a failure whose message quotes a token.
    const script = `
      const { Redactor } = require(${JSON.stringify(path.join(repoRoot, 'daemon', 'diagnostics', 'redact.ts'))});
      const out = require(${JSON.stringify(path.join(repoRoot, 'daemon', 'diagnostics', 'processOutput.ts'))});
      const redactor = new Redactor();
      out.redactProcessOutput(redactor);
      out.reportCrashes({ logger: () => undefined, stop: () => Promise.resolve() });
      redactor.add(${JSON.stringify(token)});
      console.error('console.error: ${token}');
      process.emitWarning('a library warning about ${token}');
      setImmediate(() => { throw new Error('failed with ${token}'); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', fd],
    });
    fs.closeSync(fd);
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    const stderr = fs.readFileSync(file, 'utf8');
    assert.ok(!stderr.includes(token), stderr);
    assert.match(stderr, /console\.error: \[redacted\]/);
    assert.match(stderr, /Warning: a library warning about \[redacted\]/);
    assert.match(stderr, /railyard daemon: uncaught exception: Error: failed with \[redacted\]/);
  });
});

/** tsx's loader by absolute URL, since the launcher starts the daemon in this process's directory. */
function tsxLoader(): string {
  return pathToFileURL(require.resolve('tsx')).href;
}
