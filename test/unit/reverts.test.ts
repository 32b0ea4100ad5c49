// Reverts read from commit messages: the promotion trailer, git's "This reverts commit" line (both
// of its forms), the message Railyard writes, and the open reverts over a small commit graph.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { GitMirror, MirrorCommit } from '../../daemon/promotion/gitMirror';
import {
  findOpenReverts,
  promotionOfMerge,
  readReverts,
  revertedSha,
  revertMessage,
} from '../../daemon/promotion/reverts';

const sha = (c: string) => c.repeat(40);

void describe('messages', () => {
  void it('reads the promotion id from the trailer line only', () => {
    const merge = `Promote kars-dev → kars-prod (2 commits)\n\n- abc Fix\n\nPromoted with Railyard (promotion 1a2b3c4d).`;
    assert.equal(promotionOfMerge(merge), '1a2b3c4d');
    assert.equal(promotionOfMerge('Promote (railyard promotion p-1)'), undefined);
    assert.equal(promotionOfMerge('x\n\nSee: Promoted with Railyard (promotion 1).!'), undefined);
  });

  void it("reads the reverted sha from git's line, for a commit and for a merge (-m 1)", () => {
    assert.equal(revertedSha(`Revert "Fix"\n\nThis reverts commit ${sha('a')}.`), sha('a'));
    const merge = `Revert "Merge"\n\nThis reverts commit ${sha('b')}, reversing\nchanges made to ${sha('c')}.`;
    assert.equal(revertedSha(merge), sha('b'));
    assert.equal(revertedSha('Revert "Fix"\n\nThis reverts commit abc123.'), undefined, 'short');
    assert.equal(revertedSha(`Fix\n\nmentions This reverts commit ${sha('a')}.`), undefined);
  });

  void it("writes git's revert message, with an extra paragraph when given, that reads back", () => {
    assert.equal(
      revertMessage('Fix', sha('a')),
      `Revert "Fix"\n\nThis reverts commit ${sha('a')}.`,
    );
    const withTrailer = revertMessage('Fix', sha('a'), 'Reverted with Railyard (promotion 9).');
    assert.equal(
      withTrailer,
      `Revert "Fix"\n\nThis reverts commit ${sha('a')}.\n\nReverted with Railyard (promotion 9).`,
    );
    assert.equal(revertedSha(withTrailer), sha('a'));
  });
});

interface Node {
  sha: string;
  parents: string[];
  message: string;
}

/**
 * A commit graph answering what reverts.ts asks (commitsBetween, with `<sha>^1`, message,
 * isAncestor); anything else, or an unknown commit, throws.
 */
function graphMirror(nodes: Node[]): GitMirror {
  const bySha = new Map(nodes.map((n) => [n.sha, n]));
  const node = (rev: string): Node => {
    const [base = '', first] = rev.split('^');
    const n = bySha.get(base);
    const found = first === '1' ? bySha.get(n?.parents[0] ?? '') : n;
    if (!found) throw new Error(`unknown commit ${rev}`);
    return found;
  };
  const ancestors = (rev: string): Set<string> => {
    const seen = new Set<string>();
    const walk = (s: string) => {
      if (seen.has(s)) return;
      seen.add(s);
      node(s).parents.forEach(walk);
    };
    walk(node(rev).sha);
    return seen;
  };
  const commit = (n: Node): MirrorCommit => ({
    sha: n.sha,
    message: n.message.split('\n')[0] ?? '',
    author: 'Grace Hopper',
    authorEmail: 'grace@kars.example',
    authoredAt: '2025-01-22T09:00:00Z',
  });
  const answers: Partial<GitMirror> = {
    commitsBetween: (base, head) => {
      const excluded = ancestors(base);
      const order = nodes.map((n) => n.sha);
      const shas = [...ancestors(head)].filter((s) => !excluded.has(s));
      const sorted = shas.sort((a, b) => order.indexOf(b) - order.indexOf(a));
      return Promise.resolve(sorted.map((s) => commit(node(s))));
    },
    message: (s) => Promise.resolve().then(() => node(s).message),
    // An unknown commit rejects, as git does.
    isAncestor: (a, d) => Promise.resolve().then(() => ancestors(d).has(node(a).sha)),
  };
  return new Proxy(answers as GitMirror, {
    get: (target, key): unknown => {
      if (key in target) return Reflect.get(target, key);
      throw new Error(`reverts.ts used mirror.${String(key)}, which it should not`);
    },
  });
}

const reverting = (of: string) => `Revert "x"\n\nThis reverts commit ${of}.`;

/** base ← dev; prod: base ← merge(base, dev, trailer) ← … */
function history(...prod: { c: string; message: string }[]): Node[] {
  const nodes: Node[] = [
    { sha: sha('0'), parents: [], message: 'Initial' },
    { sha: sha('d'), parents: [sha('0')], message: 'Dev work' },
    {
      sha: sha('e'),
      parents: [sha('0'), sha('d')],
      message: 'Promote\n\nPromoted with Railyard (promotion p-7).',
    },
  ];
  let parent = sha('e');
  for (const { c, message } of prod) {
    nodes.push({ sha: sha(c), parents: [parent], message });
    parent = sha(c);
  }
  return nodes;
}

const tip = (nodes: Node[]) => nodes[nodes.length - 1]!.sha;

void describe('findOpenReverts', () => {
  void it("finds a revert of the promotion's merge, naming the promotion", async () => {
    const nodes = history({ c: '1', message: reverting(sha('e')) });
    assert.deepEqual(await findOpenReverts(graphMirror(nodes), sha('d'), tip(nodes)), [
      {
        revert: sha('1'),
        reverted: sha('e'),
        promotion: 'p-7',
        subject: 'Revert "x"',
        author: 'Grace Hopper',
      },
    ]);
  });

  void it('closes it on a revert of the revert, opens it again on a revert of that (naming the merge)', async () => {
    const closed = history(
      { c: '1', message: reverting(sha('e')) },
      { c: '2', message: reverting(sha('1')) },
    );
    const reading = await readReverts(graphMirror(closed), sha('d'), tip(closed));
    assert.deepEqual(reading.open, []);
    assert.deepEqual([...reading.involved].sort(), [sha('1'), sha('2'), sha('e')].sort());
    const again = history(
      { c: '1', message: reverting(sha('e')) },
      { c: '2', message: reverting(sha('1')) },
      { c: '3', message: reverting(sha('2')) },
    );
    const open = await findOpenReverts(graphMirror(again), sha('d'), tip(again));
    assert.deepEqual(
      open.map((r) => [r.revert, r.reverted, r.promotion]),
      [[sha('3'), sha('e'), 'p-7']],
    );
  });

  void it('lists a revert of a commit the source has, oldest first, without a promotion', async () => {
    const nodes = history(
      { c: '1', message: reverting(sha('d')) },
      { c: '2', message: reverting(sha('e')) },
    );
    const open = await findOpenReverts(graphMirror(nodes), sha('d'), tip(nodes));
    assert.deepEqual(
      open.map((r) => [r.revert, r.reverted, r.promotion]),
      [
        [sha('1'), sha('d'), undefined],
        [sha('2'), sha('e'), 'p-7'],
      ],
    );
    assert.ok(!('promotion' in open[0]!), 'no promotion key for a plain commit');
  });

  void it("ignores a revert of the target's own hotfix, and a revert line naming a commit the history lacks", async () => {
    const nodes = history(
      { c: 'b', message: 'Hotfix' },
      { c: '1', message: reverting(sha('b')) },
      { c: '2', message: `Squashed\n\n* Revert "y"\n\nThis reverts commit ${sha('f')}.` },
    );
    const reading = await readReverts(graphMirror(nodes), sha('d'), tip(nodes));
    assert.deepEqual(reading, { open: [], involved: new Set() });
  });

  void it('finds nothing when the target has nothing the source lacks', async () => {
    const nodes = history();
    assert.deepEqual(await findOpenReverts(graphMirror(nodes), sha('e'), sha('d')), []);
  });
});
