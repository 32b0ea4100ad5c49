// How log lines read in the Output panel, and the channel names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelName, formatBatch, formatItem, shortTime } from '../../client/logFormat';

describe('log format', () => {
  it('shows time, the level on every line, message and attributes', () => {
    assert.equal(shortTime('2026-11-24T16:20:05.123456789Z'), '16:20:05.123');
    assert.equal(shortTime('2026-11-24T16:20:05Z'), '16:20:05.000');
    const line = formatItem({
      type: 'line',
      timestamp: '2026-11-24T16:20:05.5Z',
      message: 'GET /api/health 200',
      level: 'warn',
      attributes: { ms: '12' },
    });
    assert.equal(line, '16:20:05.500 WARN  GET /api/health 200  ms=12');
    assert.match(
      formatItem({
        type: 'line',
        timestamp: '2026-11-24T16:20:05.5Z',
        message: 'x',
        level: 'error',
      }),
      /^\S+ ERROR x$/,
    );
  });
  it('sets markers apart', () => {
    assert.equal(
      formatBatch([{ type: 'marker', kind: 'follow', text: 'now following abc' }]),
      '── now following abc ──',
    );
  });
  it('names one channel per service and environment', () => {
    assert.equal(
      channelName('kars-backend', 'kars-prod', 'deploy'),
      'Railway: kars-backend (kars-prod)',
    );
    assert.equal(
      channelName('kars-backend', 'kars-prod', 'build'),
      'Railway build: kars-backend (kars-prod)',
    );
    assert.equal(
      channelName(undefined, 'kars-dev', 'environment'),
      'Railway: all services (kars-dev)',
    );
  });
  it('matches the grammar that colours it', async () => {
    const grammar = (await import('../../syntaxes/railyard-log.tmLanguage.json')) as {
      repository: { line: { match: string }; marker: { match: string } };
    };
    const line = new RegExp(
      grammar.repository.line.match.replace(
        '(?:(ERROR)|(WARN )|(INFO )|(DEBUG))',
        '(ERROR|WARN |INFO |DEBUG)',
      ),
    );
    for (const level of ['info', 'warn', 'error', 'debug'] as const) {
      assert.match(
        formatItem({ type: 'line', timestamp: '2026-11-24T16:20:05Z', message: 'm', level }),
        line,
        level,
      );
    }
    assert.match(
      formatItem({ type: 'marker', kind: 'gap', text: 'lines may be missing' }),
      new RegExp(grammar.repository.marker.match),
    );
  });

  it('colours attribute keys apart from errors, in light themes too', async () => {
    const text = JSON.stringify(await import('../../syntaxes/railyard-log.tmLanguage.json'));
    const scopes = [...new Set([...text.matchAll(/"name":"([^"]+)"/g)].map((m) => m[1]!))];
    const keyScope = scopes.find((s) => s.startsWith('variable.other.property'));
    assert.ok(keyScope, 'attribute keys have a scope of their own');
    // Light+ and Light Modern paint these red, as red as the ERROR level word.
    const red = ['entity.other.attribute-name', 'invalid', 'token.error-token', 'markup.deleted'];
    const painted = scopes.filter((s) => red.some((r) => s.startsWith(r)));
    assert.deepEqual(painted, ['token.error-token'], 'only the ERROR level is red');
  });

  it("names the service on each line of a whole environment's stream", () => {
    const names = (id: string) => ({ s1: 'kars-backend', s2: 'Postgres' })[id];
    const line = (serviceId: string) =>
      formatItem(
        {
          type: 'line',
          timestamp: '2026-11-24T16:20:05.123456789Z',
          message: 'm',
          level: 'info',
          serviceId,
        },
        false,
        names,
      );
    assert.equal(line('s1'), '16:20:05.123 INFO  [kars-backend] m');
    assert.equal(line('s2'), '16:20:05.123 INFO  [Postgres] m');
    assert.equal(line('gone'), '16:20:05.123 INFO  m', 'a service no longer known: no name');
    assert.equal(
      formatItem({
        type: 'line',
        timestamp: '2026-11-24T16:20:05Z',
        message: 'm',
        level: 'info',
        serviceId: 's1',
      }),
      '16:20:05.000 INFO  m',
      'a one-service stream does not repeat it',
    );
  });
});
