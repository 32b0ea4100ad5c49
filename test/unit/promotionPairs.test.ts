// What "Railyard: Promote…" offers and how it reads: the configured pairs of the project view, the
// commits each would ship, why there is none, and which existing promotion of a pair it reopens.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EnvironmentView, ProjectView } from '../../protocol/protocol';
import {
  aheadText,
  latestPromotionOf,
  noPairsMessage,
  openPromotionOf,
  pairPicks,
  pairSnippet,
  promotionPairs,
} from '../../extension/promotionPairs';
import { record } from './promotionRecords';

const env = (name: string, over: Partial<EnvironmentView> = {}): EnvironmentView => ({
  id: `env-${name}`,
  name,
  isEphemeral: false,
  protected: name.includes('prod'),
  health: { state: 'healthy' },
  services: [],
  ...over,
});

const view = (environments: EnvironmentView[], over: Partial<ProjectView> = {}): ProjectView => ({
  state: 'ready',
  environments,
  ...over,
});

const kars = view([
  env('kars-dev', { promotion: { to: 'kars-prod', ahead: 3 } }),
  env('kars-prod'),
  env('kars-pr-42', { isEphemeral: true }),
]);

describe('promotion pairs', () => {
  it('are the environments that promote to another, in the view order, with their counts', () => {
    const staging = view([
      env('develop', { promotion: { to: 'staging', ahead: 0 } }),
      env('staging', { promotion: { to: 'production', behind: 2 } }),
      env('production'),
    ]);
    assert.deepEqual(promotionPairs(staging), [
      { from: 'develop', to: 'staging', ahead: 0 },
      { from: 'staging', to: 'production', behind: 2 },
    ]);
    assert.deepEqual(promotionPairs(kars), [{ from: 'kars-dev', to: 'kars-prod', ahead: 3 }]);
  });

  it('are none until the project view is ready', () => {
    assert.deepEqual(promotionPairs(undefined), []);
    assert.deepEqual(promotionPairs({ ...kars, state: 'signed-out' }), []);
  });

  it('read "kars-dev → kars-prod" with the commits to ship, up to date, or unknown', () => {
    assert.deepEqual(
      pairPicks([{ from: 'kars-dev', to: 'kars-prod', ahead: 3 }]).map((p) => [
        p.label,
        p.description,
      ]),
      [['kars-dev → kars-prod', '3 commits to ship']],
    );
    assert.equal(aheadText({ from: 'a', to: 'b', ahead: 1 }), '1 commit to ship');
    assert.equal(aheadText({ from: 'a', to: 'b', ahead: 0 }), 'up to date');
    assert.equal(aheadText({ from: 'a', to: 'b' }), 'ahead unknown');
  });

  it('say when the target has commits the source lacks (a hotfix to merge back first)', () => {
    assert.equal(
      aheadText({ from: 'kars-dev', to: 'kars-prod', ahead: 2, behind: 1 }),
      '2 commits to ship; kars-prod has 1 commit kars-dev lacks',
    );
  });

  it('without any, say how to add one in railyard.json, or why the project is not there', () => {
    assert.match(noPairsMessage(view([env('solo')])), /railyard\.json.*"promotions"/);
    assert.equal(
      noPairsMessage(view([], { state: 'signed-out', message: 'Sign in to Railway first.' })),
      'Sign in to Railway first.',
    );
    assert.match(
      noPairsMessage(view([env('solo')], { ignoredSettings: ['promotions'] })),
      /Restricted Mode.*trust the workspace/,
    );
    assert.match(noPairsMessage(undefined), /not read the project yet/);
  });

  it('offer a railyard.json that names the first two lasting environments', () => {
    const snippet = pairSnippet(
      view([env('pr-1', { isEphemeral: true }), env('dev'), env('prod')]),
    );
    assert.match(snippet, /"from": "\$\{1:dev\}", "to": "\$\{2:prod\}"/);
  });

  it('offer a railyard.json that stays valid JSON naming environments with snippet or JSON syntax', () => {
    const from = 'dev "blue" $HOME';
    const to = 'prod}\\${1:x}';
    const inserted = expandSnippet(pairSnippet(view([env(from), env(to)])));
    const json = JSON.parse(inserted) as { promotions: { from: string; to: string }[] };
    assert.deepEqual(json.promotions, [{ from, to }]);
  });
});

describe('the promotion Promote… reopens', () => {
  const pair = { from: 'kars-dev', to: 'kars-prod' };
  it('is the newest of the pair still going, never a finished one, a check or a back-merge', () => {
    const done = record({ id: 'done', state: 'succeeded', createdAt: '2026-12-01T12:00:00Z' });
    const check = record({ id: 'check', checkOnly: true, createdAt: '2026-12-01T11:00:00Z' });
    const back = record({
      id: 'back',
      kind: 'back-merge',
      from: { name: 'kars-prod', id: 'env-prod', branch: 'kars-prod' },
      to: { name: 'kars-dev', id: 'env-dev', branch: 'kars-dev' },
      createdAt: '2026-12-01T11:30:00Z',
    });
    const older = record({ id: 'older', state: 'gated', createdAt: '2026-12-01T09:00:00Z' });
    const going = record({ id: 'going', state: 'deploying', createdAt: '2026-12-01T10:00:00Z' });
    assert.equal(openPromotionOf([older, done, check, back, going], pair)?.id, 'going');
    assert.equal(openPromotionOf([done, check, back], pair), undefined);
  });

  it('in Restricted Mode is the newest of the pair whatever its state, for viewing', () => {
    const done = record({ id: 'done', state: 'succeeded', createdAt: '2026-12-01T12:00:00Z' });
    const older = record({ id: 'older', state: 'gated', createdAt: '2026-12-01T09:00:00Z' });
    assert.equal(latestPromotionOf([older, done], pair)?.id, 'done');
    assert.equal(latestPromotionOf([older], { from: 'kars-dev', to: 'elsewhere' }), undefined);
  });
});

/**
 * The text VS Code inserts for a snippet of this shape: each `${n:text}` placeholder becomes its
 * text, where `\$`, `\}` and `\\` stand for the character they escape. A placeholder whose text
 * holds one of them unescaped is snippet syntax, not text: it stays, and the JSON does not parse.
 */
function expandSnippet(snippet: string): string {
  return snippet.replace(/\$\{\d+:((?:\\[$}\\]|[^$}\\])*)\}/g, (_m, text: string) =>
    text.replace(/\\([$}\\])/g, '$1'),
  );
}
