// `railyard login` and `railyard logout` as users run them, separate processes against a running
// daemon and the simulators: the token comes from stdin or the environment, never argv, and the
// daemon validates and stores it as the editor's sign-in does; no output and no log carries it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../client/errorGuidance';
import { statePaths } from '../../protocol/discovery';
import type { AuthStatus, CredentialStatus } from '../../protocol/protocol';
import { startSimulators, type Simulators } from '../../sim/server';
import { repoRoot, daemonProcess, tempHome, type DaemonProcess } from './harness';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('railyard login and logout', () => {
  let sims: Simulators;
  let daemon: DaemonProcess;
  let env: NodeJS.ProcessEnv;
  const home = tempHome();
  /** Everything the CLI printed, so no token can hide in it. */
  const printed: string[] = [];

  before(async () => {
    sims = await startSimulators();
    // Signed out: no token in the environment and a HOME without a Railway CLI login.
    env = {
      ...process.env,
      ...sims.env,
      RAILYARD_HOME: home,
      HOME: tempHome(),
      RAILWAY_TOKEN: '',
      RAILWAY_API_TOKEN: '',
      GITHUB_TOKEN: '',
      GH_TOKEN: '',
    };
    daemon = await daemonProcess(home, env);
  });
  after(async () => {
    await daemon.stop();
    await sims.close();
  });

  /** Runs the CLI with `input` piped to its stdin (none: stdin is /dev/null). */
  function cli(args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'cli', 'cli.ts'), ...args],
      {
        cwd: repoRoot,
        env: { ...env, ...extraEnv },
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr!.on('data', (d: Buffer) => (stderr += String(d)));
    if (input !== undefined) child.stdin!.end(input);
    return new Promise((resolve) =>
      child.once('close', (code) => {
        printed.push(stdout, stderr);
        resolve({ code, stdout, stderr });
      }),
    );
  }
  const authStatus = async () =>
    (JSON.parse((await cli(['daemon', 'status', '--json'])).stdout) as { auth: AuthStatus }).auth;

  it('refuses a token given as an argument, says to pipe it, and stores nothing', async () => {
    const token = sims.tokens.railway.account;
    const run = await cli(['login', 'railway', token]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^railyard: Refusing a token on the command line: .*Pipe it in instead/,
    );
    const misplaced = await cli(['login', token]);
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.stderr, /never put a token on the command line/);
    assert.equal((await authStatus()).railway.set, false);
  });

  it('signs in with a Railway token piped to stdin, and daemon status shows it', async () => {
    const run = await cli(['login', 'railway'], `${sims.tokens.railway.account}\n`);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout.trim(),
      'Signed in to Railway as Ada Lovelace (ada@kars.example), account token (from standard input); the Railyard daemon keeps the token.',
    );
    const status = await cli(['daemon', 'status']);
    assert.match(
      status.stdout,
      /^ {2}Railway: Ada Lovelace \(ada@kars\.example\) \(account token\), from Railyard$/m,
    );
  });

  it("refuses a bad token with the daemon's sentence, exits with the credentials code, and keeps the good one", async () => {
    const run = await cli(['login', 'railway'], 'not-a-real-token-123456');
    assert.equal(run.code, EXIT_CODES.credentials, 'the exit code of a refused credential');
    assert.match(
      run.stderr,
      /^railyard: Railway refused this token .*railway\.com\/account\/tokens/,
    );
    assert.equal(run.stdout, '');
    const railway = (await authStatus()).railway;
    assert.deepEqual([railway.source, railway.tokenKind], ['stored', 'account']);
  });

  it('takes RAILWAY_TOKEN from the environment as a project token', async () => {
    const run = await cli(['login', 'railway', '--json'], undefined, {
      RAILWAY_TOKEN: sims.tokens.railway.projectDev,
    });
    assert.equal(run.code, 0, run.stderr);
    const status = JSON.parse(run.stdout) as CredentialStatus;
    assert.deepEqual([status.source, status.tokenKind, status.valid], ['stored', 'project', true]);
  });

  it('signs in to GitHub and prints the status object with --json', async () => {
    const run = await cli(['login', 'github', '--json'], sims.tokens.github.token);
    assert.equal(run.code, 0, run.stderr);
    const status = JSON.parse(run.stdout) as CredentialStatus;
    assert.equal(status.account, sims.tokens.github.login);
    assert.ok(status.scopes?.includes('repo'));
  });

  it(
    'reads a token typed at the terminal with echo off (under script(1), a pseudo-terminal)',
    { skip: process.platform !== 'linux' && 'util-linux script(1) provides the terminal' },
    async () => {
      const command = [process.execPath, '--import', 'tsx', 'cli/cli.ts', 'login', 'railway'];
      const child = spawn('script', ['-qec', command.join(' '), '/dev/null'], {
        cwd: repoRoot,
        env,
      });
      let out = '';
      let typed = false;
      child.stdout.on('data', (d: Buffer) => {
        out += String(d);
        if (typed || !out.includes('(input hidden): ')) return;
        typed = true;
        // A typo erased with Backspace, then Enter.
        child.stdin.write(`${sims.tokens.railway.account}x\u007f\r`);
      });
      const code = await new Promise((resolve) => child.once('close', resolve));
      printed.push(out);
      assert.equal(code, 0);
      assert.match(out, /Signed in to Railway as Ada Lovelace .*\(from the terminal\)/);
      assert.ok(!out.includes(sims.tokens.railway.account), 'the terminal echoed the token');
    },
  );

  it('logout forgets the stored tokens, one provider or all', async () => {
    const railway = await cli(['logout', 'railway']);
    assert.equal(railway.stdout.trim(), 'Signed out of Railway.');
    const auth = await authStatus();
    assert.deepEqual([auth.railway.set, auth.github.set], [false, true]);
    assert.equal((await cli(['logout'])).code, 0);
    assert.equal((await authStatus()).github.set, false);
  });

  it('never printed or logged a token', () => {
    const log = fs.readFileSync(statePaths(home).log, 'utf8');
    const tokens = [
      sims.tokens.railway.account,
      sims.tokens.railway.projectDev,
      sims.tokens.github.token,
      'not-a-real-token-123456',
    ];
    for (const token of tokens) {
      assert.ok(!printed.some((text) => text.includes(token)), 'the CLI printed a token');
      assert.ok(!log.includes(token), 'the daemon log carries a token');
    }
  });
});
