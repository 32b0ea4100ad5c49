// The editor bench's log lines: the baseline extension's lines read as Railyard's channel lines
// of the same messages, less the time column, so both loads draw lines of the same lengths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatItem } from '../../client/logFormat';
import { channelLinesWithoutTime, message, severity, timeColumn } from '../../bench/logLoadLines';

describe('editor bench log lines', () => {
  it("are Railyard channel lines of the services' messages with the time column cut", () => {
    const lines = channelLinesWithoutTime(400);
    assert.equal(lines.length, 400);
    for (const seq of [1, 50, 400]) {
      const shown = formatItem({
        type: 'line',
        timestamp: '2026-11-24T16:20:05.123Z',
        message: message(seq),
        level: severity(seq),
        attributes: { seq: String(seq), emitNs: '0' },
      });
      assert.equal(`16:20:05.123 ${lines[seq - 1]}`, shown);
      assert.equal(shown.length - timeColumn, lines[seq - 1]!.length);
    }
    assert.equal(lines[0], 'INFO  GET /api/customers/1 200 in 7ms  seq=1 emitNs=0');
    assert.match(lines[49]!, /^WARN {2}/);
    assert.match(lines[399]!, /^ERROR GET \/api\/invoices\/400 500 in \d+ms {2}seq=400 /);
  });

  it('carry the numbers they are given, as far into a stream as the services write', () => {
    const [line] = channelLinesWithoutTime(1, 10_001, '35280000000000');
    assert.equal(line, `INFO  ${message(10_001)}  seq=10001 emitNs=35280000000000`);
  });

  it('hold no line break, so one line appended is one line drawn', () => {
    assert.ok(channelLinesWithoutTime(1000).every((l) => !l.includes('\n')));
  });
});
