// Proves the daemon's GitHub Deployments client and the team listing against the simulators: two
// teammates' Railyard deployments listed newest first, Railway's own ignored, staleness judged on
// GitHub's clock, descriptions cut to GitHub's limit, and an unchanged poll answered 304.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GithubClient } from '../../daemon/github/githubClient';
import {
  createDeployment,
  listDeployments,
  listStatuses,
  postStatus,
  railyardPayloadOf,
  shorten,
} from '../../daemon/github/githubDeployments';
import { listTeamPromotions } from '../../daemon/promotion/teamPromotions';
import { commitAndPush } from '../../sim/git/gitClient';
import { karsPeople } from '../../sim/git/karsRepo';
import { startSimulators, type Simulators } from '../../sim/server';
import { railyardPayloadFor } from '../fixtures/promotionGates';

const repo = 'kars/kars-app';
const graceToken = 'ghp_simGraceRepo3456789abcdefghijklmnopq';
const staleAfterMs = 10 * 60_000;

const payload = (promotion: string, by: string, source: string) =>
  railyardPayloadFor(promotion, by, source, 'f'.repeat(40));

function must<T>(outcome: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!outcome.ok) assert.fail(outcome.error.message);
  return outcome.value;
}

void describe('daemon: GitHub Deployments client and the team listing', () => {
  let sims: Simulators;
  let ada: GithubClient;
  let grace: GithubClient;
  const ids: Record<string, number> = {};
  before(async () => {
    sims = await startSimulators();
    // Grace's default simulator token lacks `repo`; a teammate who promotes has it.
    sims.github.state.addToken({ token: graceToken, login: 'grace', scopes: ['repo'] });
    ada = new GithubClient({ token: sims.tokens.github.token, baseUrl: sims.urls.github });
    grace = new GithubClient({ token: graceToken, baseUrl: sims.urls.github });
    // Railway's own deployments of a kars-dev push share the repository's list.
    await commitAndPush(sims.git, {
      ...sims.repo!,
      branch: 'kars-dev',
      files: { 'railway.txt': 'deploy\n' },
      message: 'Something Railway deploys',
      author: karsPeople.katherine,
    });
    sims.settle();
  });
  after(() => sims.close());

  void it('creates Railyard deployments of a sha, without auto-merge or status checks, and reads the payload back', async () => {
    const sha = sims.repo!.branches['kars-dev'];
    // A red context GitHub would refuse a default deployment for: Railyard's gates judge checks.
    sims.github.state.statuses.add({
      repository: repo,
      sha,
      state: 'failure',
      context: 'qa',
      creator: sims.github.state.users.get('ada')!,
    });
    const made = must(
      await createDeployment(ada, repo, {
        sha,
        environment: 'kars-prod',
        description: 'Promoting kars-dev into kars-prod',
        payload: payload('p-ada', 'ada', sha),
        production: true,
      }),
    );
    ids.ada = made.id;
    assert.deepEqual(
      [made.sha, made.ref, made.task, made.environment],
      [sha, sha, 'deploy', 'kars-prod'],
    );
    assert.deepEqual(railyardPayloadOf(made), payload('p-ada', 'ada', sha).railyard);
    const got = must(
      await ada.get<{ production_environment: boolean; transient_environment: boolean }>(
        `/repos/${repo}/deployments/${made.id}`,
      ),
    );
    assert.deepEqual(
      [got.data.production_environment, got.data.transient_environment],
      [true, false],
    );
    must(await postStatus(ada, repo, made.id, { state: 'in_progress', description: 'Merging' }));
  });

  void it("reads a payload tolerantly: a JSON string counts, anything else is not Railyard's", () => {
    const base = {
      id: 1,
      sha: 'a',
      ref: 'a',
      task: 'deploy',
      environment: 'e',
      description: null,
      creator: null,
      created_at: '',
      updated_at: '',
    };
    const p = payload('p', 'ada', 'a');
    const of = (value: unknown) => railyardPayloadOf({ ...base, payload: value });
    assert.deepEqual(of(JSON.stringify(p)), p.railyard);
    assert.equal(of({}), undefined);
    assert.equal(of('not json'), undefined);
    assert.equal(of({ railyard: { ...p.railyard, version: 2 } }), undefined);
    assert.equal(of({ railyard: { ...p.railyard, kind: 'deploy' } }), undefined);
    assert.equal(of({ railyard: { ...p.railyard, by: 7 } }), undefined);
  });

  void it('cuts a long status description on a word boundary with an ellipsis, which GitHub then takes', async () => {
    const long = `${'Deploying kars-backend and kars-frontend '.repeat(5)}done`;
    const cut = shorten(long);
    assert.ok(cut.length <= 140 && cut.endsWith('…'));
    assert.ok(long.startsWith(cut.slice(0, -1)) && long[cut.length - 1] === ' ', 'cut at a space');
    assert.equal(shorten('short'), 'short');
    assert.equal(shorten('x'.repeat(300)).length, 140, 'one long word is cut where it must be');
    const posted = must(
      await postStatus(ada, repo, ids.ada!, {
        state: 'in_progress',
        description: long,
        logUrl: 'https://railyard.example/p-ada',
      }),
    );
    assert.deepEqual([posted.description, posted.log_url], [cut, 'https://railyard.example/p-ada']);
  });

  void it("lists both teammates' Railyard deployments newest first and never Railway's own", async () => {
    const sha = sims.repo!.branches['kars-dev'];
    const made = must(
      await createDeployment(grace, repo, {
        sha,
        environment: 'kars-prod',
        description: 'Promoting kars-dev into kars-prod',
        payload: payload('p-grace', 'grace', sha),
        production: true,
      }),
    );
    ids.grace = made.id;
    const all = must(await listDeployments(ada, repo, {}));
    assert.ok(
      all.deployments.some((d) => d.creator?.login === 'railway-app[bot]'),
      'Railway deployed',
    );
    const team = must(await listTeamPromotions(ada, repo, { staleAfterMs }));
    assert.deepEqual(
      team.promotions.map((p) => [p.id, p.by, p.machine, p.state, p.deploymentId]),
      [
        ['p-grace', 'grace', 'grace-laptop', 'in-progress', ids.grace],
        ['p-ada', 'ada', 'ada-laptop', 'in-progress', ids.ada],
      ],
    );
    const [graces, adas] = team.promotions;
    assert.deepEqual(
      [adas!.from, adas!.to, adas!.kind, adas!.sourceCommit, adas!.repo],
      ['kars-dev', 'kars-prod', 'promotion', sha, repo],
    );
    assert.equal(
      graces!.detail,
      'Promoting kars-dev into kars-prod',
      'no status yet: the deployment speaks',
    );
    assert.equal(graces!.updatedAt, graces!.startedAt);
    assert.equal(adas!.url, 'https://github.com/kars/kars-app/deployments/kars-prod');
    assert.ok(Math.abs(team.githubNow.getTime() - sims.clock.nowMs()) < 2_000);
  });

  void it("judges staleness on GitHub's clock, from the newest status", async () => {
    sims.clock.advance(staleAfterMs / 2);
    must(
      await postStatus(grace, repo, ids.grace!, { state: 'queued', description: 'Waiting for CI' }),
    );
    sims.clock.advance(staleAfterMs / 2 + 2_000);
    const team = must(
      await listTeamPromotions(ada, repo, { environment: 'kars-prod', staleAfterMs }),
    );
    const state = (id: string) => team.promotions.find((p) => p.id === id)?.state;
    assert.equal(state('p-ada'), 'stale', "Ada's daemon last reported over ten GitHub minutes ago");
    assert.equal(state('p-grace'), 'in-progress');
    assert.equal(team.promotions.find((p) => p.id === 'p-grace')?.detail, 'Waiting for CI');
    must(await postStatus(ada, repo, ids.ada!, { state: 'in_progress', description: 'Deploying' }));
    const again = must(
      await listTeamPromotions(ada, repo, { environment: 'kars-prod', staleAfterMs }),
    );
    assert.equal(again.promotions.find((p) => p.id === 'p-ada')?.state, 'in-progress');
  });

  void it('reads final states from the newest status, and caps the work at limit', async () => {
    must(
      await postStatus(ada, repo, ids.ada!, {
        state: 'success',
        description: 'kars-prod runs it',
        environmentUrl: 'https://kars.example',
      }),
    );
    must(
      await postStatus(grace, repo, ids.grace!, { state: 'failure', description: 'Build failed' }),
    );
    const statuses = must(await listStatuses(ada, repo, ids.ada!));
    assert.equal(statuses[0]?.environment_url, 'https://kars.example');
    const team = must(
      await listTeamPromotions(ada, repo, { environment: 'kars-prod', staleAfterMs }),
    );
    assert.deepEqual(
      team.promotions.map((p) => [p.id, p.state, p.detail]),
      [
        ['p-grace', 'failed', 'Build failed'],
        ['p-ada', 'succeeded', 'kars-prod runs it'],
      ],
    );
    const before = sims.github.requestCount();
    const one = must(
      await listTeamPromotions(ada, repo, { environment: 'kars-prod', staleAfterMs, limit: 1 }),
    );
    assert.deepEqual(
      one.promotions.map((p) => p.id),
      ['p-grace'],
    );
    assert.equal(sims.github.requestCount() - before, 2, 'the list and one statuses read');
  });

  void it('costs nothing against the rate limit on an unchanged second poll: every request is a 304', async () => {
    const poller = new GithubClient({ token: sims.tokens.github.token, baseUrl: sims.urls.github });
    const poll = () => listTeamPromotions(poller, repo, { staleAfterMs });
    const first = must(await poll());
    const [requests, notModified] = [
      sims.github.requestCount(),
      sims.github.requestCount({ notModified: true }),
    ];
    const second = must(await poll());
    assert.deepEqual(second.promotions, first.promotions);
    const perPoll = 1 + first.promotions.length;
    assert.equal(
      sims.github.requestCount() - requests,
      perPoll,
      'one list and one statuses read per promotion',
    );
    assert.equal(
      sims.github.requestCount({ notModified: true }) - notModified,
      perPoll,
      'all answered 304',
    );
  });
});
