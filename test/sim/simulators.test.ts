// Proves startSimulators and the `railyard sim` entry point: all three simulators up, their tokens work, and they stop cleanly.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulators } from '../../sim/server';
import { main } from '../../sim/cli';
import { RailwayClient } from '../../daemon/railway/railwayClient';
import { validateGithubToken } from '../../daemon/github/githubAuth';
import type { MeResult } from '../../daemon/railway/types';
import { runGit } from '../../sim/git/gitRun';
import { tokenEnv } from '../../sim/git/gitClient';
import { createServer } from 'node:net';

void describe('startSimulators', () => {
  void it('starts Railway, GitHub and git with tokens that each accepts', async () => {
    const sims = await startSimulators();
    try {
      const railway = new RailwayClient({
        endpoint: sims.env.RAILYARD_RAILWAY_URL,
        token: sims.tokens.railway.account,
        tokenKind: 'account',
      });
      const me = await railway.operation<MeResult>('Me');
      assert.ok(me.ok);
      const gh = await validateGithubToken(
        sims.env.RAILYARD_GITHUB_API_URL,
        sims.tokens.github.token,
      );
      assert.ok(gh.ok);
      assert.equal(gh.value.login, sims.tokens.github.login);
      assert.ok(
        sims.tokens.railway.projectDev &&
          sims.tokens.railway.projectProd &&
          sims.tokens.railway.workspace,
      );
      assert.equal(sims.tokens.git, sims.tokens.github.token);
      assert.equal(sims.urls.repo, `${sims.env.RAILYARD_GIT_URL}/kars/kars-app.git`);
      assert.equal(sims.env.RAILYARD_RESOLVE, `up.railway.app=${sims.urls.railwayApps}`);
      const heads = await runGit(['ls-remote', '--heads', sims.urls.repo], {
        env: tokenEnv(sims.tokens.git),
      });
      assert.match(
        heads.stdout,
        new RegExp(`^${sims.repo?.branches['kars-dev']}\trefs/heads/kars-dev$`, 'm'),
      );
      const refused = await runGit(['ls-remote', sims.urls.repo], {
        env: tokenEnv('ghp_notAToken'),
        okExitCodes: [128],
      });
      assert.equal(refused.exitCode, 128);
      assert.equal(sims.git.requestCount(401), 1, 'only the unknown token was refused');
    } finally {
      await Promise.all([sims.close(), sims.close()]);
    }
  });
});

void describe('railyard sim (cli main)', () => {
  void it('prints the URLs, tokens and env as JSON, serves until stopped, then exits 0', async () => {
    let stop!: () => void;
    let printed!: (text: string) => void;
    const output = new Promise<string>((resolve) => (printed = resolve));
    const exit = main(['--json', '--advance-ms', '0'], {
      write: (t) => printed(t),
      stopped: new Promise((r) => (stop = r)),
    });
    const info = JSON.parse(await output) as {
      railway: { url: string; wsUrl: string; appsUrl: string };
      github: { url: string };
      git: { url: string; repo: string };
      tokens: { github: { token: string }; git: string };
      env: Record<string, string>;
    };
    assert.deepEqual(Object.keys(info.env).sort(), [
      'RAILYARD_GITHUB_API_URL',
      'RAILYARD_GIT_URL',
      'RAILYARD_RAILWAY_URL',
      'RAILYARD_RESOLVE',
    ]);
    assert.deepEqual(
      [info.env.RAILYARD_RAILWAY_URL, info.env.RAILYARD_GITHUB_API_URL, info.env.RAILYARD_GIT_URL],
      [info.railway.url, info.github.url, info.git.url],
    );
    assert.equal(info.git.repo, `${info.git.url}/kars/kars-app.git`);
    const res = await fetch(`${info.github.url}/repos/kars/kars-app`, {
      headers: { authorization: `Bearer ${info.tokens.github.token}` },
    });
    assert.equal(res.status, 200);
    stop();
    assert.equal(await exit, 0);
    await assert.rejects(fetch(`${info.github.url}/user`));
    await assert.rejects(fetch(`${info.git.url}/kars/kars-app.git/info/refs`));
  });

  void it('prints every URL and token as text', async () => {
    let stop!: () => void;
    let printed!: (text: string) => void;
    const output = new Promise<string>((resolve) => (printed = resolve));
    const exit = main(['--advance-ms', '0'], {
      write: (t) => printed(t),
      stopped: new Promise((r) => (stop = r)),
    });
    const text = await output;
    stop();
    assert.equal(await exit, 0);
    for (const label of [
      'Railway simulator',
      'subscriptions: ws://',
      'Railway apps',
      'GitHub simulator',
      'git server',
      'repository',
      'kars/kars-app.git',
    ])
      assert.ok(text.includes(label), label);
    for (const token of [
      'sim-account-',
      'sim-workspace-',
      'sim-project-dev-',
      'sim-project-prod-',
      'ghp_simAda',
    ])
      assert.ok(text.includes(token), token);
    for (const name of [
      'RAILYARD_RAILWAY_URL=',
      'RAILYARD_GITHUB_API_URL=',
      'RAILYARD_GIT_URL=',
      'RAILYARD_RESOLVE=up.railway.app=',
    ])
      assert.ok(text.includes(name), name);
  });

  void it('takes --port as the Railway port, like --railway-port', async () => {
    for (const flag of ['--port', '--railway-port']) {
      const port = await freePort();
      let stop!: () => void;
      let printed!: (text: string) => void;
      const output = new Promise<string>((resolve) => (printed = resolve));
      const exit = main(['--json', '--advance-ms', '0', flag, String(port)], {
        write: (t) => printed(t),
        stopped: new Promise((r) => (stop = r)),
      });
      const info = JSON.parse(await output) as { railway: { url: string; wsUrl: string } };
      stop();
      assert.equal(await exit, 0);
      assert.equal(info.railway.url, `http://127.0.0.1:${port}/graphql/v2`, flag);
      assert.equal(info.railway.wsUrl, `ws://127.0.0.1:${port}/graphql/v2`, flag);
    }
  });

  void it('refuses --port without a number, with usage and exit code 2', async () => {
    for (const argv of [['--port'], ['--port', 'x']]) {
      let text = '';
      assert.equal(await main(argv, { write: (t) => (text += t) }), 2);
      assert.match(text, /unexpected --port/);
      assert.match(text, /--railway-port N, --port N/);
    }
  });

  void it('refuses an unknown flag with usage and exit code 2', async () => {
    let text = '';
    assert.equal(await main(['--bogus'], { write: (t) => (text += t) }), 2);
    assert.match(text, /usage: railyard sim/);
  });
});

/** A loopback port nothing listens on now: the OS picks it, then it is released for the simulator. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
