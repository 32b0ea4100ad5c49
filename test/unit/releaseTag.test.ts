// The release tag's name: the next free n of the day's expansion, UTC days, and the names git refuses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextTagName, tagNameProblem } from '../../daemon/promotion/releaseTag';
import { settingsFor } from '../../daemon/promotion/promotionRecords';
import { railyardConfigSchema } from '../../daemon/project/railyardConfig';

const pattern = 'release-{date}-{n}';
const nov30 = new Date('2026-11-30T12:00:00Z');

void describe('nextTagName', () => {
  void it('starts the day at 1 and counts on from the highest taken, whatever the order', () => {
    assert.equal(nextTagName(pattern, nov30, []), 'release-2026-11-30-1');
    assert.equal(nextTagName(pattern, nov30, ['release-2026-11-30-1']), 'release-2026-11-30-2');
    const taken = new Set(['release-2026-11-30-3', 'release-2026-11-30-1']);
    assert.equal(nextTagName(pattern, nov30, taken), 'release-2026-11-30-4');
  });

  void it("ignores other days' tags and names that only look alike", () => {
    const existing = [
      'release-2026-11-29-7',
      'release-2026-11-30-x',
      'release-2026-11-30-2-hotfix',
      'pre-release-2026-11-30-5',
      'release-2026-11-30-',
    ];
    assert.equal(nextTagName(pattern, nov30, existing), 'release-2026-11-30-1');
  });

  void it('writes {date} as the UTC day, not the local one', () => {
    const lateUtc = new Date('2026-11-30T23:30:00-05:00');
    assert.equal(nextTagName(pattern, lateUtc, []), 'release-2026-12-01-1');
    assert.equal(nextTagName('v{date}.{n}', new Date('2027-01-01T00:00:00Z'), []), 'v2027-01-01.1');
  });

  void it('counts across days for a pattern without {date}, and escapes its regex characters', () => {
    assert.equal(nextTagName('deploy/{n}', nov30, ['deploy/9', 'deploy/10']), 'deploy/11');
    assert.equal(nextTagName('v1.{n}', nov30, ['v1x5', 'v1.2']), 'v1.3');
  });

  void it('refuses a pattern without exactly one {n}, or with an unknown placeholder', () => {
    assert.throws(() => nextTagName('release-{date}', nov30, []), /needs \{n\} exactly once/);
    assert.throws(() => nextTagName('{n}-{n}', nov30, []), /needs \{n\} exactly once/);
    assert.throws(
      () => nextTagName('r-{day}-{n}', nov30, []),
      /has \{day\}: only \{date\} and \{n\}/,
    );
    assert.throws(() => nextTagName('', nov30, []), /pattern is empty/);
    assert.throws(() => nextTagName(pattern, new Date(Number.NaN), []), /valid date/);
  });

  void it('refuses a pattern that makes a name git refuses, saying which and why', () => {
    assert.throws(
      () => nextTagName('release {date}-{n}', nov30, []),
      /makes "release 2026-11-30-1", which git refuses as a tag name: it contains " "/,
    );
    assert.throws(() => nextTagName('r..{n}', nov30, []), /it contains "\.\."/);
    assert.throws(() => nextTagName('{n}.lock', nov30, []), /ends with "\.lock"/);
    assert.throws(() => nextTagName('release/{n}/', nov30, []), /empty path component/);
  });
});

void describe('tagNameProblem (git check-ref-format)', () => {
  void it('takes ordinary names', () => {
    for (const name of ['release-2026-11-30-1', 'v1.2.3', 'releases/2026/1', 'a@b', 'x.lockx', '@'])
      assert.equal(tagNameProblem(name), undefined, name);
  });

  void it('refuses what git refuses', () => {
    const refused = [
      '',
      'a b',
      'a\tb',
      'a\x7fb',
      'a~1',
      'a^',
      'a:b',
      'a?',
      'a*',
      'a[1]',
      'a\\b',
      'a..b',
      'a@{1}',
      '/a',
      'a/',
      'a//b',
      'a.',
      '.a',
      'a/.b',
      'a.lock',
      'a.lock/b',
    ];
    for (const name of refused) assert.notEqual(tagNameProblem(name), undefined, name);
  });
});

void describe('which pattern a promotion tags with', () => {
  const parse = (json: object) => railyardConfigSchema.parse(json);
  const pairs = [
    { from: 'kars-dev', to: 'kars-prod', tag: 'prod-{date}-{n}' },
    { from: 'kars-dev', to: 'kars-staging' },
  ];

  void it("takes a pair's own tag, else railyard.json's releaseTag, else none", () => {
    const config = parse({ releaseTag: 'release-{date}-{n}', promotions: pairs });
    assert.equal(settingsFor(config, 'kars-dev', 'kars-prod').tag, 'prod-{date}-{n}');
    assert.equal(settingsFor(config, 'kars-dev', 'kars-staging').tag, 'release-{date}-{n}');
    assert.equal(
      settingsFor(parse({ promotions: pairs }), 'kars-dev', 'kars-staging').tag,
      undefined,
    );
  });

  void it('checks releaseTag as it checks a pair tag', () => {
    assert.throws(() => parse({ releaseTag: 'release-{date}' }), /needs \{n\}/);
  });
});
