// The CLI as users run it, when something is wrong that they can fix: it prints the daemon's
// sentence (never "see the daemon log") and exits with the code of that kind of problem.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../client/errorGuidance';
import { signedInDaemonEnv, startSimulators, type Simulators } from '../../sim/server';
import { repoRoot, daemonProcess, tempHome, type DaemonProcess } from './harness';

const run = promisify(execFile);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

describe('railyard, when something is wrong', () => {
  let sims: Simulators;
  let daemon: DaemonProcess;
  let env: NodeJS.ProcessEnv;
  /** The terminal's environment: signed in through the daemon, no project linked here. */
  let unlinked: NodeJS.ProcessEnv;

  before(async () => {
    sims = await startSimulators();
    const home = tempHome();
    env = { ...process.env, ...signedInDaemonEnv(sims), HOME: tempHome(), RAILYARD_HOME: home };
    unlinked = { ...env };
    delete unlinked.RAILWAY_PROJECT_ID;
    daemon = await daemonProcess(home, env);
  });
  after(async () => {
    await daemon.stop();
    await sims.close();
  });

  const railyard = (runEnv: NodeJS.ProcessEnv, ...args: string[]): Promise<Ran> =>
    run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'cli', 'cli.ts'), ...args], {
      cwd: repoRoot,
      env: runEnv,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  const noProject =
    /No Railway project is linked to .+\. Run `railway link` there, set RAILWAY_PROJECT_ID, or add "projectId" to railyard\.json\./;

  it('status in a folder with no project: the NoProject sentence, exit 5', async () => {
    const r = await railyard(unlinked, 'status', '--folder', tempHome());
    assert.match(r.stdout, noProject);
    assert.doesNotMatch(r.stdout + r.stderr, /daemon log/);
    assert.equal(r.code, EXIT_CODES['no-project']);
    assert.equal(r.code, 5);
  });

  it('logs in a folder with no project: the same sentence, exit 5', async () => {
    const r = await railyard(unlinked, 'logs', 'kars-backend', '--folder', tempHome());
    assert.match(r.stderr, new RegExp(`^railyard: ${noProject.source}`));
    assert.equal(r.code, 5);
  });

  it('logs of a service the project lacks: the services it has, exit 6', async () => {
    const r = await railyard(env, 'logs', 'worker', '--folder', tempHome());
    assert.match(r.stderr, /^railyard: No service "worker" in kars's .*kars-backend/);
    assert.equal(r.code, 6);
    const inEnv = await railyard(
      env,
      'logs',
      'worker',
      '--env',
      'kars-dev',
      '--folder',
      tempHome(),
    );
    assert.match(inEnv.stderr, /^railyard: No service "worker" in kars-dev: .*kars-backend/);
    assert.equal(inEnv.code, 6);
  });

  it('an option it does not know: a usage error, exit 2', async () => {
    const r = await railyard(env, 'status', '--nope');
    assert.match(r.stderr, /^railyard: Unknown option '--nope'.*\nrailyard --help lists/);
    assert.equal(r.code, 2);
  });

  it('a token pasted as the command: refused, exit 2, never echoed', async () => {
    const token = 'ghp_' + 'x'.repeat(36);
    const r = await railyard(env, token);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown command \(not shown/);
    assert.ok(!(r.stdout + r.stderr).includes(token), 'the token was echoed');
  });
});
