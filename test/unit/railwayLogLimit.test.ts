// Railway's notice that it dropped lines of a replica over 500 lines/s: recognised by its stable
// parts in readLogItems, deduped like a line, shown as a `rate-limited` marker by both clients.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logOutputLine } from '../../cli/logsCommand';
import { formatItem } from '../../client/logFormat';
import { LogDedupe } from '../../protocol/logDedupe';
import { readLogItems, readRateLimitNotice, shownItem, toLogLine } from '../../client/logLines';
import { logItem, type LogLine, type RailwayLog } from '../../protocol/protocol';
import { railwayDroppedMessage } from '../../sim/railway/logCap';

/** Railway's words, as its docs quote them and users report them. */
const documented =
  'Railway rate limit of 500 logs/sec reached for replica, update your application to reduce ' +
  'the logging rate. Messages dropped: 50';

const notice = (message: string, extra: Partial<RailwayLog> = {}): RailwayLog => ({
  timestamp: '2026-03-02T10:00:02.000000000Z',
  message,
  severity: 'warn',
  attributes: [{ key: 'level', value: '"warn"' }],
  tags: { deploymentId: 'd1', serviceId: 's1' },
  ...extra,
});

describe("recognising Railway's dropped-lines notice", () => {
  it('reads the count from the documented words, and the simulator writes those words', () => {
    assert.deepEqual(readRateLimitNotice(documented), { dropped: 50, perSecond: 500 });
    assert.equal(railwayDroppedMessage(50), documented);
  });

  it('reads the variants users report: other cases, line breaks, full stops, big counts', () => {
    const variants: [string, number, number][] = [
      ['Railway rate limit of 500 logs/sec reached for replica\nMessages dropped: 490', 490, 500],
      ['Railway rate limit of 500 logs/sec reached for replica. Messages dropped: 406', 406, 500],
      ['RAILWAY RATE LIMIT OF 500 LOGS/SEC REACHED FOR REPLICA. MESSAGES DROPPED: 7', 7, 500],
      [documented.replace(': 50', ': 113987'), 113987, 500],
      [
        'Railway rate-limit of 1,000 lines/s reached for replica; messages dropped: 1,234',
        1234,
        1000,
      ],
      ['railway rate limit reached for replica, messages dropped 3', 3, 500],
    ];
    for (const [message, dropped, perSecond] of variants)
      assert.deepEqual(readRateLimitNotice(message), { dropped, perSecond }, message);
  });

  it('leaves ordinary lines alone, an application talking about drops included', () => {
    for (const message of [
      'GET /api/invoices 200',
      'Messages dropped: 5', // an application's own queue
      'kafka producer rate limit hit, messages dropped: 12',
      'Railway deploy finished; 3 messages dropped from the retry queue',
      'Railway rate limit of 500 logs/sec reached for replica', // no count: not the notice
      '',
    ])
      assert.equal(readRateLimitNotice(message), undefined, message);
    assert.equal(toLogLine(notice('GET /api/health 200')).rateLimited, undefined);
    assert.ok(!('rateLimited' in toLogLine(notice('GET /'))), 'no empty key on ordinary lines');
  });

  it('keeps the notice a line in readLogItems, flagged, so a replayed backlog dedupes it', () => {
    const [line] = readLogItems([notice(documented)]);
    if (line?.type !== 'line') return assert.fail('the notice stays a line');
    assert.deepEqual(line.rateLimited, { dropped: 50, perSecond: 500 });
    assert.ok(logItem.safeParse(line).success, "the protocol's schema accepts it");
    const dedupe = new LogDedupe();
    assert.equal(dedupe.accept(line.timestamp, line.message), 'new');
    dedupe.beginReplay();
    assert.equal(dedupe.accept(line.timestamp, line.message), 'duplicate', 'shown once');
  });
});

describe('showing the notice', () => {
  const line = toLogLine(notice(documented));

  it('is a rate-limited marker that says what happened and that the limit is Railway’s', () => {
    const marker = shownItem(line);
    assert.deepEqual(marker, {
      type: 'marker',
      kind: 'rate-limited',
      text: "Railway dropped 50 log lines here: a replica logged more than Railway's limit of 500 lines/s",
      count: 50,
      timestamp: '2026-03-02T10:00:02.000000000Z',
      deploymentId: 'd1',
    });
    assert.ok(logItem.safeParse(marker).success);
    const one = shownItem(toLogLine(notice(documented.replace(': 50', ': 1'))));
    assert.match(one.type === 'marker' ? one.text : '', /dropped 1 log line here/);
    const ordinary = toLogLine(notice('GET /'));
    assert.equal(shownItem(ordinary), ordinary, 'everything else as it is');
  });

  it('reads as a marker in the Output channel, coloured as one by the grammar', async () => {
    const text = formatItem(line);
    assert.equal(
      text,
      "── Railway dropped 50 log lines here: a replica logged more than Railway's limit of 500 lines/s ──",
    );
    const grammar = (await import('../../syntaxes/railyard-log.tmLanguage.json')) as {
      repository: { marker: { match: string } };
    };
    assert.match(text, new RegExp(grammar.repository.marker.match));
  });

  it('prints as a marker in `railyard logs`, text and --json', () => {
    assert.match(logOutputLine(line, false), /^── Railway dropped 50 log lines here: .* ──$/);
    const json = JSON.parse(logOutputLine(line, true)) as Record<string, unknown>;
    assert.equal(json.type, 'marker');
    assert.equal(json.kind, 'rate-limited');
    assert.equal(json.count, 50);
    assert.equal(json.timestamp, line.timestamp);
    const ordinary = JSON.parse(logOutputLine(toLogLine(notice('GET /')), true)) as LogLine;
    assert.equal(ordinary.type, 'line');
    assert.equal(ordinary.message, 'GET /');
  });
});
