// The Environments view's welcome texts (package.json's viewsWelcome) read the context keys the
// extension sets as the daemon answers. Each state of those keys shows one text that tells the
// truth: before the daemon has said whether Railway is signed in and the folder linked, the view
// says it is reading, never "Sign in" or "No Railway project is linked" (seen on a starved machine).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { viewsWelcome: { view: string; when: string; contents: string }[] };
};
const welcomes = pkg.contributes.viewsWelcome.filter((w) => w.view === 'railyard.environments');

type Keys = Record<string, string | undefined>;

/**
 * VS Code's context expressions as these clauses use them: `||` of `&&` of `key`, `!key`,
 * `key == value`, `key != value` (`&&` binds tighter; an unset key equals no value).
 */
function holds(expression: string, keys: Keys): boolean {
  return expression.split('||').some((all) =>
    all.split('&&').every((raw) => {
      const term = raw.trim();
      const compared = /^([\w.]+)\s*(==|!=)\s*([\w.-]+)$/.exec(term);
      if (compared) return (keys[compared[1]!] === compared[3]) === (compared[2] === '==');
      if (/^![\w.]+$/.test(term)) return !keys[term.slice(1)];
      if (/^[\w.]+$/.test(term)) return Boolean(keys[term]);
      throw new Error(`a term this test cannot read: ${term}`);
    }),
  );
}

const shown = (keys: Keys) =>
  welcomes.filter((w) => holds(w.when, keys)).map((w) => w.contents.split('\n')[0]!);

const connections = [undefined, 'starting', 'connected', 'reconnecting', 'error', 'stopped'];
const accounts = [undefined, 'signed-in', 'signed-out'];
const projects = [undefined, 'ready', 'signed-out', 'no-project', 'error'];

describe('the Environments view’s welcome texts', () => {
  it('never show two at once', () => {
    for (const connection of connections)
      for (const railway of accounts)
        for (const project of projects) {
          const keys = {
            'railyard.connection': connection,
            'railyard.railway': railway,
            'railyard.project': project,
          };
          assert.ok(shown(keys).length <= 1, `${JSON.stringify(keys)}: ${shown(keys).join(' | ')}`);
        }
  });

  it('say "Reading" while the daemon has not said what the folder is linked to', () => {
    const connected = { 'railyard.connection': 'connected' };
    for (const keys of [connected, { ...connected, 'railyard.railway': 'signed-in' }])
      assert.deepEqual(
        shown(keys),
        ["Reading this workspace's Railway project…"],
        `${JSON.stringify(keys)}`,
      );
  });

  it('ask to sign in only once the daemon said Railway is signed out', () => {
    const signedOut = { 'railyard.connection': 'connected', 'railyard.railway': 'signed-out' };
    for (const project of projects) {
      const said = shown({ ...signedOut, 'railyard.project': project });
      assert.equal(said.length, 1);
      assert.match(said[0]!, /^Sign in to Railway/);
    }
  });

  it('say no project is linked only once the watch said so, unless signed out', () => {
    // The account's answer may come later than the watch's (or time out): not "Reading" for ever.
    for (const railway of [undefined, 'signed-in']) {
      const keys = {
        'railyard.connection': 'connected',
        'railyard.railway': railway,
        'railyard.project': 'no-project',
      };
      assert.equal(shown(keys).length, 1);
      assert.match(shown(keys)[0]!, /^No Railway project is linked/);
      for (const project of ['ready', 'error'])
        assert.deepEqual(shown({ ...keys, 'railyard.project': project }), [], project);
    }
  });

  it('say the daemon is starting or unreachable whatever the daemon said before', () => {
    for (const railway of accounts) {
      const keys = { 'railyard.railway': railway, 'railyard.project': 'ready' };
      assert.match(shown({ ...keys, 'railyard.connection': 'starting' })[0] ?? '', /^Starting/);
      for (const connection of ['reconnecting', 'error', 'stopped'])
        assert.match(
          shown({ ...keys, 'railyard.connection': connection })[0] ?? '',
          /unreachable/,
          connection,
        );
    }
  });

  it('read only keys the extension sets', () => {
    const source = fs
      .readdirSync(path.join(root, 'extension'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => fs.readFileSync(path.join(root, 'extension', f), 'utf8'))
      .join('\n');
    const set = new Set([...source.matchAll(/'setContext',\s*'([\w.]+)'/g)].map((m) => m[1]!));
    for (const w of welcomes)
      for (const key of w.when.match(/railyard\.[\w.]+/g) ?? [])
        assert.ok(set.has(key), `"${w.when}" reads ${key}, which extension/ never sets`);
  });
});
