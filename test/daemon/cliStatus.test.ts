// `railyard status` as users run it, against a running daemon and the simulators: the project,
// its environments and services, and the upstream requests of the last hour against the budget.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { signedInDaemonEnv, startSimulators, type Simulators } from '../../sim/server';
import { repoRoot, daemonProcess, tempHome, type DaemonProcess } from './harness';

const run = promisify(execFile);

describe('railyard status', () => {
  let sims: Simulators;
  let daemon: DaemonProcess;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    sims = await startSimulators();
    const home = tempHome();
    // Kept running however long it idles, as the demo keeps its daemon.
    env = {
      ...process.env,
      ...signedInDaemonEnv(sims),
      RAILYARD_HOME: home,
      RAILYARD_IDLE_TIMEOUT: '0',
    };
    daemon = await daemonProcess(home, env);
  });
  after(async () => {
    await daemon.stop();
    await sims.close();
  });

  const status = (...args: string[]) =>
    run(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'cli', 'cli.ts'),
        'status',
        '--folder',
        tempHome(),
        ...args,
      ],
      { cwd: repoRoot, env },
    );

  it('prints the project, each environment with its services, and the API budget', async () => {
    const { stdout } = await status();
    assert.match(stdout, /^Project kars \(.+\), found via env$/m);
    assert.match(stdout, /^ {2}kars-dev ⎇ kars-dev: healthy, 3 ahead of kars-prod$/m);
    assert.match(stdout, /^ {2}kars-prod \(protected\) ⎇ kars-prod: healthy$/m);
    assert.match(stdout, /^ {4}kars-backend +deployed +321de2c /m, 'the editor’s words');
    assert.match(
      stdout,
      /^ {4}Postgres +deployed +postgres-ssl:16$/m,
      'an image service by its image',
    );
    assert.match(stdout, /^Railway API: \d+ requests in the last hour, \d+ of 1000 left$/m);
  });

  it('says a daemon kept running has no idle shutdown (not "after 0s")', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'cli', 'cli.ts'), 'daemon', 'status'],
      { cwd: repoRoot, env },
    );
    assert.match(stdout, /^ {2}up \d+s, no idle shutdown$/m);
  });

  it('gives the same in JSON, with the request count the simulator saw', async () => {
    const { stdout } = await status('--json');
    const out = JSON.parse(stdout) as {
      view: { state: string; environments: { name: string }[] };
      usage: { requestsLastHour: number; limit: number };
    };
    assert.equal(out.view.state, 'ready');
    assert.ok(out.view.environments.some((e) => e.name === 'kars-pr-42'));
    assert.equal(out.usage.limit, 1000);
    assert.ok(
      out.usage.requestsLastHour >= 1 && out.usage.requestsLastHour <= sims.railway.requestCount(),
    );
  });
});

describe('railyard daemon status, with no daemon where it looks', () => {
  it('names the state directory it looked in and how to reach another', async () => {
    const home = tempHome();
    const failed = await run(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'cli', 'cli.ts'), 'daemon', 'status'],
      { cwd: repoRoot, env: { ...process.env, RAILYARD_HOME: home } },
    ).catch((e: { code: number; stdout: string }) => e);
    assert.equal((failed as { code: number }).code, 3);
    assert.match(
      (failed as { stdout: string }).stdout,
      new RegExp(
        `not running in ${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(from RAILYARD_HOME\\)`,
      ),
    );
  });
});
