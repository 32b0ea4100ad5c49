// Pure pieces of the daemon: redaction, config parsing, version negotiation, credential sources.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Redactor } from '../../daemon/diagnostics/redact';
import { idleMs, readConfig, wsUrlFor } from '../../daemon/config';
import { clockFromEnv } from '../../daemon/testClock';
import { negotiateVersion, PROTOCOL_VERSION } from '../../protocol/protocol';
import { isOlder } from '../../client/versions';
import {
  findGithubToken,
  findRailwayToken,
  readRailwayCliLogin,
} from '../../daemon/credentials/credentialSources';

describe('Redactor', () => {
  const r = new Redactor();
  r.add('s3cret-value-1234');
  it('removes registered secrets wherever they appear', () => {
    assert.equal(r.redact('x s3cret-value-1234 y s3cret-value-1234'), 'x [redacted] y [redacted]');
  });
  it('removes token shapes it was never told about', () => {
    const out = r.redact(
      'Authorization: Bearer abcdefghijklmnop ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 https://user:pw123456@github.com/x {"Project-Access-Token":"pat-1234567890"}',
    );
    for (const secret of ['abcdefghijklmnop', 'ghp_ABCDEFGHIJ', 'pw123456', 'pat-1234567890'])
      assert.ok(!out.includes(secret), out);
    assert.match(out, /Bearer \[redacted\]/);
  });
  it('ignores values too short to be tokens', () => {
    r.add('abc');
    assert.equal(r.redact('abc'), 'abc');
  });
});

describe('daemon config', () => {
  it('derives the WebSocket URL and honours the endpoint variables', () => {
    const c = readConfig(
      {
        RAILYARD_RAILWAY_URL: 'http://127.0.0.1:5/graphql/v2',
        RAILYARD_GITHUB_API_URL: 'http://127.0.0.1:6/',
      },
      [],
    );
    assert.equal(c.railwayWsUrl, 'ws://127.0.0.1:5/graphql/v2');
    assert.equal(c.githubApiUrl, 'http://127.0.0.1:6');
    assert.equal(
      wsUrlFor('https://backboard.railway.com/graphql/v2'),
      'wss://backboard.railway.com/graphql/v2',
    );
    assert.equal(readConfig({}, []).railwayUrl, 'https://backboard.railway.com/graphql/v2');
  });
  it('reads the idle timeout with units, falling back to 30 minutes', () => {
    assert.equal(idleMs('90'), 90_000);
    assert.equal(idleMs('250ms'), 250);
    assert.equal(idleMs('15m'), 900_000);
    assert.equal(idleMs('2h'), 7_200_000);
    assert.equal(idleMs('soon'), 1_800_000);
    assert.equal(readConfig({}, ['--idle-timeout', '0']).idleShutdownMs, 0);
    assert.equal(readConfig({ RAILYARD_IDLE_TIMEOUT: '5s' }, []).idleShutdownMs, 5000);
  });
  it("takes the test clock's file only while Railway is the simulator on this machine", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-clock-')), 'now');
    const at = Date.parse('2030-01-02T03:04:05Z');
    fs.writeFileSync(file, `${at}\n`);
    const env = { RAILYARD_TEST_CLOCK_FILE: file };
    assert.equal(clockFromEnv(env, 'http://127.0.0.1:5/graphql/v2')?.().getTime(), at);
    assert.equal(clockFromEnv(env, 'http://localhost:5/graphql/v2')?.().getTime(), at);
    assert.equal(clockFromEnv(env, 'https://backboard.railway.com/graphql/v2'), undefined);
    assert.equal(clockFromEnv(env, 'http://127.0.0.1.example.com/graphql/v2'), undefined);
    assert.equal(clockFromEnv({}, 'http://127.0.0.1:5/graphql/v2'), undefined);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});

describe('negotiateVersion', () => {
  it('picks the highest common version or none', () => {
    assert.equal(negotiateVersion([PROTOCOL_VERSION, 7]), PROTOCOL_VERSION);
    assert.equal(negotiateVersion([7]), undefined);
    assert.equal(negotiateVersion([1]), undefined, 'version 1 sent log lines in another shape');
  });
});

describe('credential sources', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-home-'));
  const config = path.join(home, '.railway', 'config.json');
  fs.mkdirSync(path.dirname(config));
  const write = (user: unknown) => fs.writeFileSync(config, JSON.stringify({ projects: {}, user }));

  it('follows the Railway CLI order after a stored token: RAILWAY_TOKEN, RAILWAY_API_TOKEN, the CLI login', () => {
    write({ accessToken: 'cli-access-token' });
    const env = { HOME: home, RAILWAY_TOKEN: 'project-tok', RAILWAY_API_TOKEN: 'api-tok' };
    assert.equal(
      findRailwayToken({ railway: { token: 'stored-tok', tokenKind: 'account' } }, env)?.token,
      'stored-tok',
    );
    assert.deepEqual(findRailwayToken({}, env), {
      token: 'project-tok',
      source: 'env',
      origin: 'RAILWAY_TOKEN',
      kind: 'project',
    });
    assert.equal(findRailwayToken({}, { ...env, RAILWAY_TOKEN: '' })?.origin, 'RAILWAY_API_TOKEN');
    assert.equal(findRailwayToken({}, { HOME: home })?.source, 'railway-cli');
  });
  it('reads the CLI login without refreshing it: an expired access token reads as absent', () => {
    write({ accessToken: 'old', refreshToken: 'r', tokenExpiresAt: 1000 });
    assert.equal(readRailwayCliLogin(config, 2000), undefined);
    assert.equal(readRailwayCliLogin(config, 500), 'old');
    write({ token: 'legacy-token' });
    assert.equal(readRailwayCliLogin(config), 'legacy-token');
    assert.equal(readRailwayCliLogin(path.join(home, 'missing.json')), undefined);
  });
  it('finds a GitHub token stored, then GITHUB_TOKEN, then GH_TOKEN', () => {
    assert.equal(findGithubToken({}, { GH_TOKEN: 'gh' })?.origin, 'GH_TOKEN');
    assert.equal(
      findGithubToken({}, { GH_TOKEN: 'gh', GITHUB_TOKEN: 'g' })?.origin,
      'GITHUB_TOKEN',
    );
    assert.equal(
      findGithubToken({ github: { token: 's' } }, { GITHUB_TOKEN: 'g' })?.source,
      'stored',
    );
    assert.equal(findGithubToken({}, {}), undefined);
  });
});

describe('isOlder', () => {
  it('compares dotted versions numerically', () => {
    assert.equal(isOlder('0.9.1', '0.10.0'), true);
    assert.equal(isOlder('0.10.0', '0.9.1'), false);
    assert.equal(isOlder('1.2.3', '1.2.3'), false);
    assert.equal(isOlder('1.2', '1.2.1'), true);
  });
});
