// Proves startSimulators and the `railyard sim` entry point: both simulators up, their tokens work, and they stop cleanly.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulators } from './server';
import { main } from './cli';
import { RailwayClient } from '../../daemon/railway/railwayClient';
import { validateGithubToken } from '../../daemon/github/githubAuth';
import type { MeResult } from '../../daemon/railway/types';

void describe('startSimulators', () => {
  void it('starts Railway and GitHub with tokens that each accepts', async () => {
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
    } finally {
      await Promise.all([sims.close(), sims.close()]);
    }
  });
});

void describe('railyard sim (cli main)', () => {
  void it('prints the URLs as JSON, serves until stopped, then exits 0', async () => {
    let stop!: () => void;
    let printed!: (text: string) => void;
    const output = new Promise<string>((resolve) => (printed = resolve));
    const exit = main(['--json', '--advance-ms', '0'], {
      write: (t) => printed(t),
      stopped: new Promise((r) => (stop = r)),
    });
    const info = JSON.parse(await output) as {
      railway: { url: string };
      github: { url: string };
      tokens: { github: { token: string } };
    };
    const res = await fetch(`${info.github.url}/user`, {
      headers: { authorization: `Bearer ${info.tokens.github.token}` },
    });
    assert.equal(res.status, 200);
    stop();
    assert.equal(await exit, 0);
    await assert.rejects(fetch(`${info.github.url}/user`));
  });

  void it('refuses an unknown flag with usage and exit code 2', async () => {
    let text = '';
    assert.equal(await main(['--bogus'], { write: (t) => (text += t) }), 2);
    assert.match(text, /usage: railyard sim/);
  });
});
