// railyard.json parsing and its shipped JSON Schema, and zero-config project discovery.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readRailyardConfig, railyardJsonSchema } from '../../daemon/project/railyardConfig';
import { discoverProject, findRailwayLink } from '../../daemon/project/projectDiscovery';
import { verificationSettings } from '../../daemon/promotion/promotionRecords';
import { DEFAULT_VERIFICATION } from '../../protocol/metrics';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-cfg-'));
const repoRoot = path.resolve(__dirname, '..', '..');

describe('railyard.json', () => {
  it('reads a full config and applies defaults', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'railyard.json'),
      JSON.stringify({
        order: ['kars-dev', 'kars-prod'],
        environments: {
          'kars-prod': { protected: true, healthUrl: 'https://kars.example/api/health' },
        },
        promotions: [{ from: 'kars-dev', to: 'kars-prod' }],
        deployWindow: { days: ['mon'], hours: '10:00-12:00' },
      }),
    );
    const r = readRailyardConfig(dir);
    assert.ok(r.found && 'config' in r, JSON.stringify(r));
    assert.equal(r.config.promotions?.[0]?.strategy, 'merge');
    assert.equal(r.config.deployWindow?.timeZone, 'UTC');
  });
  it('names the field at fault in a broken config', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'railyard.json'),
      JSON.stringify({ promotions: [{ from: 'a', to: 'b', strategy: 'rebase' }], colour: 1 }),
    );
    const r = readRailyardConfig(dir);
    assert.ok(r.found && 'problem' in r);
    assert.match(r.problem, /promotions\.0\.strategy/);
    assert.match(r.problem, /colour/);
    fs.writeFileSync(path.join(dir, 'railyard.json'), '{ nope');
    const bad = readRailyardConfig(dir);
    assert.ok(bad.found && 'problem' in bad && /not valid JSON/.test(bad.problem));
    assert.deepEqual(readRailyardConfig(tmp()), { found: false });
  });
  it("reads a pair's verification: defaults filled in, false turns it off, a bad value named", () => {
    const dir = tmp();
    const write = (verification: unknown) =>
      fs.writeFileSync(
        path.join(dir, 'railyard.json'),
        JSON.stringify({
          promotions: [
            { from: 'kars-dev', to: 'kars-prod', verification },
            { from: 'kars-dev', to: 'kars-staging', verification: false },
          ],
        }),
      );
    const env = (name: string) => ({ name, id: `env-${name}`, branch: name });
    const pair = (to: string) => ({ from: env('kars-dev'), to: env(to) });
    write({ windowMinutes: 15, autoRollback: true });
    const r = readRailyardConfig(dir);
    assert.ok(r.found && 'config' in r, JSON.stringify(r));
    assert.deepEqual(verificationSettings(r.config, pair('kars-prod')), {
      ...DEFAULT_VERIFICATION,
      windowMinutes: 15,
      autoRollback: true,
    });
    assert.equal(verificationSettings(r.config, pair('kars-staging')), false);
    assert.deepEqual(verificationSettings(undefined, pair('kars-prod')), DEFAULT_VERIFICATION);
    write({ windowMinutes: 0, minErrors: 'many' });
    const bad = readRailyardConfig(dir);
    assert.ok(bad.found && 'problem' in bad);
    assert.match(bad.problem, /promotions\.0\.verification/);
    write(true);
    const neither = readRailyardConfig(dir);
    assert.ok(neither.found && 'problem' in neither);
    assert.match(neither.problem, /expected false \(no verification\) or an object of thresholds/);
  });
  it('ships a JSON Schema identical to the one generated from the code (run npm run gen-schema)', () => {
    const shipped: unknown = JSON.parse(
      fs.readFileSync(path.join(repoRoot, 'schemas', 'railyard.schema.json'), 'utf8'),
    );
    assert.deepEqual(shipped, JSON.parse(JSON.stringify(railyardJsonSchema())));
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { jsonValidation: { url: string }[] };
    };
    assert.equal(pkg.contributes.jsonValidation[0]?.url, './schemas/railyard.schema.json');
  });
});

describe('project discovery', () => {
  const home = tmp();
  const configFile = path.join(home, 'config.json');
  const work = path.join(home, 'work', 'kars');
  fs.mkdirSync(path.join(work, 'backend'), { recursive: true });
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      projects: {
        [work]: { project: 'p-linked', environment: 'e-dev', name: 'kars' },
        [path.join(home, 'other')]: { project: 'p-other' },
      },
    }),
  );

  it('finds the nearest linked ancestor, as the Railway CLI does', () => {
    assert.deepEqual(findRailwayLink(configFile, path.join(work, 'backend')), {
      projectId: 'p-linked',
      environmentId: 'e-dev',
      source: 'railway-link',
      linkedFolder: work,
    });
    assert.equal(findRailwayLink(configFile, home), undefined);
  });
  it('prefers railyard.json, then RAILWAY_PROJECT_ID, then the link, then the project token', () => {
    const base = {
      folder: work,
      railwayConfigFile: configFile,
      tokenProject: { projectId: 'p-token' },
    };
    assert.equal(
      discoverProject({ ...base, env: {}, configProjectId: 'p-config' })?.source,
      'railyard.json',
    );
    assert.deepEqual(
      discoverProject({
        ...base,
        env: { RAILWAY_PROJECT_ID: 'p-env', RAILWAY_ENVIRONMENT_ID: 'e-1' },
      }),
      {
        projectId: 'p-env',
        environmentId: 'e-1',
        source: 'env',
      },
    );
    assert.equal(discoverProject({ ...base, env: {} })?.projectId, 'p-linked');
    assert.equal(discoverProject({ ...base, folder: home, env: {} })?.source, 'project-token');
    assert.equal(
      discoverProject({ folder: home, railwayConfigFile: configFile, env: {} }),
      undefined,
    );
  });
});
