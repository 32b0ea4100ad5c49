// How the tree reads: every status has a look, ages, descriptions, menu contexts, production summary.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEPLOYMENT_STATUSES,
  type DeploymentView,
  type EnvironmentView,
  type ProjectView,
  type ServiceView,
} from '../../protocol/protocol';
import {
  STATUS_LOOK,
  age,
  commitPicks,
  deploymentContext,
  deploymentDescription,
  deploymentLabel,
  deploymentLook,
  environmentDescription,
  duration,
  peopleLines,
  productionSummary,
  promotingLines,
  promotingText,
  restoresText,
  restrictedModeMessage,
  serviceContext,
  serviceDescription,
  serviceTooltip,
  shownAges,
  statusLabel,
  unstartedPushText,
} from '../../extension/treeModel';
import { skipReasonFrom } from '../../daemon/environments/skipReasons';

const now = Date.parse('2026-11-24T12:00:00Z');
const dep = (over: Partial<DeploymentView> = {}): DeploymentView => ({
  id: 'd1',
  status: 'SUCCESS',
  createdAt: '2026-11-24T11:55:00Z',
  commitHash: 'abcdef0123456789',
  commitMessage: 'Add index\n\nbody',
  canRollback: true,
  canRedeploy: true,
  ...over,
});
const svc = (over: Partial<ServiceView> = {}): ServiceView => ({
  id: 's1',
  name: 'kars-backend',
  health: { state: 'healthy' },
  recent: [],
  latest: dep(),
  active: dep(),
  url: 'https://b.example',
  ...over,
});
const env = (over: Partial<EnvironmentView> = {}): EnvironmentView => ({
  id: 'e1',
  name: 'kars-prod',
  isEphemeral: false,
  protected: true,
  health: { state: 'healthy' },
  services: [svc()],
  ...over,
});

describe('tree model', () => {
  it('has a distinct icon and colour for each of the 13 statuses, spinning while in progress', () => {
    assert.equal(Object.keys(STATUS_LOOK).length, 13);
    for (const s of DEPLOYMENT_STATUSES) assert.ok(STATUS_LOOK[s], s);
    for (const s of ['BUILDING', 'DEPLOYING', 'INITIALIZING'] as const)
      assert.match(STATUS_LOOK[s].icon, /~spin$/);
    assert.doesNotMatch(STATUS_LOOK.SUCCESS.icon, /~spin/);
    assert.notEqual(STATUS_LOOK.FAILED.color, STATUS_LOOK.SUCCESS.color);
  });
  it('says how old things are', () => {
    assert.equal(age('2026-11-24T11:59:50Z', now), 'just now');
    assert.equal(age('2026-11-24T11:55:00Z', now), '5m ago');
    assert.equal(age('2026-11-24T09:00:00Z', now), '3h ago');
    assert.equal(age('2026-11-22T12:00:00Z', now), '2d ago');
    assert.equal(age('2025-01-13T10:00:00Z', now), '2025-01-13', 'older than two months: the date');
  });
  it('describes a service by commit, age and first line of the message, naming the status unless deployed', () => {
    assert.equal(serviceDescription(svc(), now), 'abcdef0 · 5m ago · Add index');
    assert.equal(
      serviceDescription(svc({ latest: dep({ status: 'BUILDING' }) }), now),
      'building · abcdef0 · 5m ago · Add index',
    );
    assert.equal(
      serviceDescription(svc({ latest: undefined, active: undefined })),
      'no deployment',
    );
  });
  it('describes an environment by branch, health and how far ahead of its target it is', () => {
    const e = env({
      name: 'kars-dev',
      protected: false,
      branch: 'kars-dev',
      promotion: { to: 'kars-prod', ahead: 3, behind: 0 },
    });
    assert.equal(environmentDescription(e), '⎇ kars-dev · 3 ahead of kars-prod · healthy');
  });
  it('describes a PR environment by its PR and shows a kept deployment as previous, not removed', () => {
    const pr = env({
      name: 'kars-pr-42',
      isEphemeral: true,
      protected: false,
      branch: 'feature/x',
      pr: { number: 42, title: 'Export CSV' },
    });
    assert.equal(environmentDescription(pr), '#42 Export CSV · healthy');
    assert.deepEqual(deploymentLook(dep({ status: 'REMOVED', canRollback: true })), {
      icon: 'history',
      color: 'descriptionForeground',
      label: 'previous',
    });
    assert.equal(deploymentLook(dep({ status: 'REMOVED', canRollback: false })).label, 'removed');
  });
  it('offers rollback only on a deployment that can roll back and is not the active one', () => {
    assert.match(deploymentContext(dep(), false), /\.rollback/);
    assert.doesNotMatch(deploymentContext(dep(), true), /\.rollback/);
    assert.doesNotMatch(deploymentContext(dep({ canRollback: false }), false), /\.rollback/);
    assert.equal(serviceContext(svc()), 'service.url.commit.redeploy.restart');
  });
  it('escapes commit messages in tooltips', () => {
    assert.match(
      serviceTooltip(svc({ latest: dep({ commitMessage: 'fix [link](http://x)' }) }), env(), now),
      /fix \\\[link\\\]\\\(http:\/\/x\\\)/,
    );
  });
  it('summarises production: failed beats deploying beats healthy', () => {
    assert.deepEqual(productionSummary([env()]), {
      text: 'kars-prod: healthy',
      state: 'healthy',
      env: 'kars-prod',
    });
    assert.equal(
      productionSummary([env({ services: [svc({ latest: dep({ status: 'DEPLOYING' }) })] })])
        ?.state,
      'deploying',
    );
    assert.equal(
      productionSummary([
        env({
          services: [
            svc({ latest: dep({ status: 'FAILED' }) }),
            svc({ latest: dep({ status: 'BUILDING' }) }),
          ],
        }),
      ])?.state,
      'failed',
    );
    assert.equal(productionSummary([env({ protected: false })]), undefined);
  });

  it('tells a production that is down from a deploy that failed while the previous one serves', () => {
    const failedDeploy = env({ services: [svc({ latest: dep({ status: 'FAILED' }) })] });
    assert.equal(productionSummary([failedDeploy])?.text, 'kars-prod: deploy failed');
    const crashed = dep({ status: 'CRASHED' });
    const down = env({ services: [svc({ latest: crashed, active: crashed })] });
    assert.equal(productionSummary([down])?.text, 'kars-prod: down');
  });
});

describe('tree wording for what Railway really does', () => {
  it('calls a skip just "skipped": the status does not say why', () => {
    assert.equal(STATUS_LOOK.SKIPPED.label, 'skipped');
  });

  it('says a crashed serving deployment crashed, not "active", and what a rollback restored', () => {
    const crashed = dep({ status: 'CRASHED' });
    assert.match(deploymentDescription(crashed, true, now), /^crashed/);
    assert.match(deploymentDescription(dep(), true, now), /^active/);
    const known = dep({ restores: { deploymentId: '0000001a-0000', inferred: false } });
    const guessed = dep({ restores: { deploymentId: '0000001a-0000', inferred: true } });
    assert.equal(restoresText(known), 'rollback to 0000001a');
    assert.equal(restoresText(guessed), 'likely rollback to 0000001a');
    assert.match(deploymentDescription(known, true, now), /active · rollback to 0000001a/);
  });

  it('names a push Railway never started, in the description and the tooltip', () => {
    const e = env({
      unstartedPush: { branch: 'kars-dev', sha: 'feedbeef0123', seenAt: '2026-11-24T11:50:00Z' },
    });
    assert.match(environmentDescription(e), /feedbee not deployed/);
    assert.match(unstartedPushText(e) ?? '', /webhook may have gone missing.*Deploy Commit/);
    assert.equal(unstartedPushText(env()), undefined);
  });
});

describe('restricted mode', () => {
  const view = (over: Partial<ProjectView> = {}): ProjectView => ({
    state: 'ready',
    environments: [env()],
    ...over,
  });

  it('says above an untrusted tree that Railyard only reads, and what it set aside', () => {
    const ignored = ['environments.kars-prod.healthUrl', 'environments.kars-prod.protected: false'];
    const text = restrictedModeMessage(view({ ignoredSettings: ignored }), false) ?? '';
    assert.match(text, /^Restricted Mode: Railyard only reads here; trust the workspace/);
    assert.match(text, /deploy, restart or roll back/);
    assert.match(text, /until then: environments\.kars-prod\.healthUrl, .*protected: false\.$/);
    assert.doesNotMatch(restrictedModeMessage(view(), false) ?? '', /Set aside/);
  });

  it('says nothing when trusted, nor over the welcome content of an empty tree', () => {
    assert.equal(restrictedModeMessage(view({ ignoredSettings: ['promotions'] }), true), undefined);
    for (const state of ['signed-out', 'no-project'] as const)
      assert.equal(restrictedModeMessage(view({ state, environments: [] }), false), undefined);
    assert.match(restrictedModeMessage(view({ state: 'error' }), false) ?? '', /only reads/);
  });
});

describe('skip reasons', () => {
  it('reads why Railway skipped from the build log, and shows it beside "skipped"', () => {
    assert.equal(
      skipReasonFrom(['Cloning', 'No changes to watched files, skipping deployment']),
      'no watched files changed',
    );
    assert.equal(
      skipReasonFrom(['Skipping deployment: check suites did not pass for abc1234']),
      'CI did not pass',
    );
    assert.equal(skipReasonFrom(['Building kars-backend']), undefined);
    const skipped = dep({ status: 'SKIPPED', skipReason: 'no watched files changed' });
    assert.equal(statusLabel(skipped), 'skipped: no watched files changed');
    assert.equal(statusLabel(dep({ status: 'SKIPPED' })), 'skipped');
    assert.match(serviceDescription(svc({ latest: skipped }), now), /^skipped: no watched/);
  });

  it('names the same person in the row and the tooltip, and who started it when someone else did', () => {
    const d = dep({ commitAuthor: 'Ada', creator: 'Grace' });
    assert.match(deploymentDescription(d, false, now), / · Ada$/);
    assert.deepEqual(peopleLines(d), ['Author: Ada', 'Started by: Grace']);
    assert.match(
      serviceTooltip(svc({ latest: d }), env(), now),
      /Author: Ada {2}\nStarted by: Grace/,
    );
    const image = dep({ commitHash: undefined, commitAuthor: undefined, creator: 'Grace' });
    assert.match(deploymentDescription(image, false, now), / · Grace$/);
    assert.deepEqual(peopleLines(image), ['By: Grace']);
  });

  it('says when a shown age went stale, and only then', () => {
    const view = { state: 'ready' as const, environments: [env()] };
    const shown = shownAges(view, now);
    assert.equal(shownAges(view, now + 20_000), shown, 'still "5m ago" twenty seconds on');
    assert.notEqual(shownAges(view, now + 60_000), shown, '"6m ago" a minute on');
    assert.equal(shownAges(undefined, now), '');
  });

  it('labels an image deployment (Postgres) by its image, not its id', () => {
    const pg = dep({ id: '00000010', commitHash: undefined, commitMessage: undefined });
    assert.equal(
      deploymentLabel(pg, 'ghcr.io/railwayapp-templates/postgres-ssl:16'),
      'postgres-ssl:16',
    );
    assert.equal(deploymentLabel(pg), '00000010', 'nothing better known');
    assert.equal(deploymentLabel(dep()), 'abcdef0 Add index');
  });

  it('lists commits to deploy with author, age and the running one, and offers a typed sha not listed', () => {
    const commits = [
      {
        sha: 'aaaaaaa1111',
        message: 'Fix totals\n\nbody',
        author: 'Ada',
        authoredAt: '2026-11-24T11:00:00Z',
        active: true,
      },
      {
        sha: 'bbbbbbb2222',
        message: 'Add index',
        author: 'Grace',
        authoredAt: '2026-11-23T12:00:00Z',
        active: false,
      },
    ];
    const picks = commitPicks(commits, '', now);
    assert.deepEqual(
      picks.map((p) => [p.label, p.description, p.sha]),
      [
        ['aaaaaaa Fix totals', 'Ada · 1h ago · running now', 'aaaaaaa1111'],
        ['bbbbbbb Add index', 'Grace · 1d ago', 'bbbbbbb2222'],
      ],
    );
    assert.equal(
      commitPicks(commits, 'bbbbbbb', now).length,
      2,
      'a listed sha is not offered twice',
    );
    const typed = commitPicks(commits, ' CCCCCCC3 ', now);
    assert.deepEqual(
      [typed[0]?.label, typed[0]?.sha, typed[0]?.alwaysShow],
      ['Deploy ccccccc3', 'ccccccc3', true],
    );
    assert.equal(commitPicks(commits, 'not a sha', now).length, 2);
  });
});

describe('a promotion into an environment, in its row', () => {
  const promoting = (over: Partial<NonNullable<EnvironmentView['promoting']>> = {}) =>
    env({
      branch: 'kars-prod',
      promotion: { to: 'kars-eu', ahead: 2, behind: 0 },
      promoting: {
        id: 'a1b2c3d4',
        by: 'ada',
        since: '2026-11-24T11:57:00Z',
        from: 'kars-dev',
        mine: false,
        stale: false,
        ...over,
      },
    });

  it('leads the description with who and for how long, the rest kept after it', () => {
    assert.equal(
      environmentDescription(promoting(), now),
      'promoting (ada, 3 min) · ⎇ kars-prod · 2 ahead of kars-eu · healthy',
    );
    assert.equal(promotingText(promoting({ mine: true }), now), 'promoting (you, 3 min)');
    const fresh = promoting({ since: '2026-11-24T11:59:30Z' });
    assert.equal(promotingText(fresh, now), 'promoting (ada, just now)');
    const silent = promoting({ stale: true, since: '2026-11-24T11:40:00Z' });
    // A narrow sidebar cuts the tail: "silent" must come before a long login@machine.
    assert.equal(promotingText(silent, now), 'promoting, silent 20 min (ada)');
    const theirs = promoting({
      stale: true,
      by: 'lin',
      machine: 'lin-laptop',
      since: '2026-11-24T11:40:00Z',
    });
    assert.match(promotingText(theirs, now)!.slice(0, 25), /silent/);
    assert.doesNotMatch(promotingText(theirs, now)!, /laptop/, 'the machine is for the tooltip');
    assert.match(promotingLines(theirs, now)[0]!, /by lin on lin\\-laptop/);
    assert.equal(promotingText(env(), now), undefined);
    assert.equal(environmentDescription(env(), now), 'healthy');
  });

  it('says how long in a running thing’s words', () => {
    assert.equal(duration('2026-11-24T11:59:30Z', now), 'under a minute');
    assert.equal(duration('2026-11-24T10:00:00Z', now), '2 h');
    assert.equal(duration('2026-11-21T12:00:00Z', now), '3 d');
    assert.equal(duration('2026-11-24T12:05:00Z', now), 'under a minute', 'a clock ahead of ours');
  });

  it('names the source, the promotion and links the GitHub deployment in the tooltip', () => {
    const url = 'https://github.com/acme/kars/deployments/kars%20(prod)';
    assert.deepEqual(promotingLines(promoting({ url }), now), [
      'Promoting from kars\\-dev by ada, for 3 min',
      'Promotion: `a1b2c3d4`',
      '[GitHub deployment](https://github.com/acme/kars/deployments/kars%20%28prod%29)',
    ]);
    const stale = promotingLines(promoting({ stale: true, by: 'ada_l' }), now);
    assert.match(
      stale[0]!,
      /^Promoting from .* by ada\\_l, silent for 3 min: .* taken over by typing kars\\-prod$/,
    );
    assert.equal(stale.length, 2, 'no link without a url');
    assert.deepEqual(promotingLines(env(), now), []);
  });

  it('re-renders when the shown duration moves, as the ages do', () => {
    const view = {
      state: 'ready' as const,
      environments: [env({ services: [], promoting: promoting().promoting })],
    };
    const shown = shownAges(view, now);
    assert.equal(shownAges(view, now + 20_000), shown);
    assert.notEqual(shownAges(view, now + 60_000), shown, '"4 min" a minute on');
  });
});
