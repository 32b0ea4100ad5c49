// `railyard promote` as scripts run it, against a running daemon and the simulators (running in
// real time, in short steps): one JSON object on stdout, the exit codes of cli/promoteExit.ts,
// progress on stderr.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GATE_IDS } from '../../protocol/protocol';
import { signedInDaemonEnv, type Simulators } from '../../sim/server';
import { liveSimulators, promotionFolder } from './promotionWorld';
import type { PromoteJson } from '../../cli/promoteOutput';
import { repoRoot, daemonProcess, tempHome, type DaemonProcess } from './harness';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a child; each progress line that waits on Railway (push, deploy) settles the simulators. */
function promote(env: NodeJS.ProcessEnv, folder: string, args: string[]): Promise<Run> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(repoRoot, 'cli', 'cli.ts'),
      'promote',
      ...args,
      '--folder',
      folder,
    ],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Exactly one JSON object and nothing else on stdout. */
function onlyObject(run: Run): PromoteJson {
  const value = JSON.parse(run.stdout) as PromoteJson;
  assert.equal(typeof value, 'object');
  assert.equal(run.stdout.trim(), JSON.stringify(value, null, 2), 'nothing else on stdout');
  return value;
}

async function world(): Promise<{
  sims: Simulators;
  daemon: DaemonProcess;
  env: NodeJS.ProcessEnv;
  folder: string;
}> {
  const sims = await liveSimulators();
  const home = tempHome();
  const env = {
    ...process.env,
    ...signedInDaemonEnv(sims),
    RAILYARD_HOME: home,
    RAILYARD_IDLE_TIMEOUT: '0',
  };
  const folder = promotionFolder(sims).path;
  return { sims, daemon: await daemonProcess(home, env), env, folder };
}

describe('railyard promote kars-dev kars-prod', () => {
  let sims: Simulators;
  let daemon: DaemonProcess;
  let env: NodeJS.ProcessEnv;
  let folder: string;

  before(async () => ({ sims, daemon, env, folder } = await world()));
  after(async () => {
    await daemon.stop();
    // Not awaited: once in CI, closing the simulators outlived the tests by minutes (a git request
    // left open by a stopped daemon's child, under investigation); the process exits after the tests.
    void sims.close();
  });

  it('without --yes and without a terminal: exit 2, nothing on stdout, no promotion made', async () => {
    const run = await promote(env, folder, ['kars-dev', 'kars-prod', '--json']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /not a terminal/);
  });

  it('--check --json: the gates in checklist order, the pinned commit, exit 0 or 3 as they say', async () => {
    const run = await promote(env, folder, ['kars-dev', 'kars-prod', '--check', '--json']);
    const out = onlyObject(run);
    assert.equal(out.state, 'gated');
    assert.equal(out.from, 'kars-dev');
    assert.equal(out.to, 'kars-prod');
    assert.match(out.sourceCommit ?? '', /^[0-9a-f]{40}$/);
    assert.equal(out.mergeCommit, null);
    assert.deepEqual(
      out.gates.map((g) => g.id),
      [...GATE_IDS],
    );
    assert.ok(out.gates.every((g) => g.state !== 'pending' && g.detail.length > 0));
    assert.ok(run.code === 0 || run.code === 3, `exit ${run.code}: ${run.stderr}`);
    assert.match(run.stderr, /^ {2}[✓✗!?…-] /m, 'gate lines go to stderr under --json');
  });

  it('a protected target under --yes without --confirm: the daemon refuses, exit 2, no object', async () => {
    const run = await promote(env, folder, [
      'kars-dev',
      'kars-prod',
      '--yes',
      '--sign-off',
      '--ack-backup',
      'snapshot by hand',
      '--json',
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /--confirm kars-prod/);
  });

  it('--yes --confirm: merges, pushes, follows the deploy to succeeded, exit 0', async () => {
    const run = await promote(env, folder, [
      'kars-dev',
      'kars-prod',
      '--yes',
      '--confirm',
      'kars-prod',
      '--sign-off',
      '--ack-backup',
      'snapshot by hand',
      '--json',
    ]);
    const out = onlyObject(run);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(out.state, 'succeeded');
    assert.match(out.mergeCommit ?? '', /^[0-9a-f]{40}$/);
    for (const id of ['merge', 'push', 'deploy', 'verify'])
      assert.equal(out.steps.find((s) => s.id === id)?.state, 'done', id);
    assert.match(run.stderr, /^ {2}✓ merge/m);
  });

  it('status and history show it, newest first', async () => {
    const status = onlyObject(await promote(env, folder, ['status', '--json']));
    assert.equal(status.state, 'succeeded');
    const history = await promote(env, folder, ['history', '--json']);
    assert.equal(history.code, 0);
    const { promotions } = JSON.parse(history.stdout) as { promotions: PromoteJson[] };
    assert.equal(promotions[0]?.id, status.id);
  });
});

describe('railyard promote, a deploy that fails in the target', () => {
  let sims: Simulators;
  let daemon: DaemonProcess;
  let env: NodeJS.ProcessEnv;
  let folder: string;
  const args = [
    'kars-dev',
    'kars-prod',
    '--yes',
    '--confirm',
    'kars-prod',
    '--sign-off',
    '--ack-backup',
    'snapshot by hand',
    '--json',
  ];

  before(async () => {
    ({ sims, daemon, env, folder } = await world());
    sims.setPushOutcome('kars/kars-app', 'kars-prod', 'FAILED');
  });
  after(async () => {
    await daemon.stop();
    // Not awaited: once in CI, closing the simulators outlived the tests by minutes (a git request
    // left open by a stopped daemon's child, under investigation); the process exits after the tests.
    void sims.close();
  });

  it('--rollback-on-failure: rolled back, exit 7', async () => {
    const run = await promote(env, folder, [...args, '--rollback-on-failure']);
    const out = onlyObject(run);
    assert.equal(run.code, 7, run.stderr);
    assert.equal(out.state, 'rolled-back');
    assert.equal(out.steps.find((s) => s.id === 'rollback')?.state, 'done');
  });
});
