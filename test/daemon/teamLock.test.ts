// The team lock and the reporter against the simulated GitHub, step by step: a start that loses
// the race to an older deployment made while it was making its own, a stale holder taken over
// only when asked, and statuses said again until GitHub acknowledges them (a final one too), but
// never over a teammate's take-over.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PromotionRecord } from '../../protocol/protocol';
import { GithubClient } from '../../daemon/github/githubClient';
import { createDeployment, listStatuses, postStatus } from '../../daemon/github/githubDeployments';
import type { Logger } from '../../daemon/diagnostics/logger';
import { DeploymentReporter } from '../../daemon/promotion/deploymentReporter';
import { PromotionJournal } from '../../daemon/promotion/promotionJournal';
import { PromotionStore } from '../../daemon/promotion/promotionStore';
import { acquireTeamLock, takeOverDescription } from '../../daemon/promotion/teamLock';
import { addTeammate, startSimulators, type Simulators } from '../../sim/server';
import { railyardPayloadFor, recordOf } from '../fixtures/promotionGates';
import { folderOf, tempHome } from './harness';
import { KARS_REPO, serverHead } from './promotionWorld';

const LIN = { token: 'ghp_simLinLock3456789abcdefghijklmnopqrst', login: 'lin' };
const staleAfterMs = 15 * 60_000;

const payload = (promotion: string, by: string, source: string) =>
  railyardPayloadFor(promotion, by, source, source);

/** A teammate's promotion holding kars-prod, as their daemon makes it. */
async function teammateHolds(lin: GithubClient, id: string, source: string): Promise<number> {
  const made = await createDeployment(lin, KARS_REPO, {
    sha: source,
    environment: 'kars-prod',
    description: 'lin is promoting',
    payload: payload(id, 'lin', source),
    production: true,
  });
  assert.ok(made.ok);
  const posted = await postStatus(lin, KARS_REPO, made.value.id, {
    state: 'in_progress',
    description: 'Merging…',
  });
  assert.ok(posted.ok);
  return made.value.id;
}

async function newestStatus(github: GithubClient, id: number) {
  const statuses = await listStatuses(github, KARS_REPO, id);
  assert.ok(statuses.ok);
  return statuses.value[0];
}

describe('the team lock on GitHub Deployments', () => {
  let sims: Simulators;
  let ada: GithubClient;
  let lin: GithubClient;
  let source: string;
  const record = (id: string): PromotionRecord =>
    recordOf({ id, repo: KARS_REPO, sourceCommit: source, targetCommit: source });
  const input = (r: PromotionRecord, github: GithubClient, takeOver = false) => ({
    github,
    record: r,
    login: 'ada',
    machine: 'ada-laptop',
    staleAfterMs,
    takeOver,
    ours: (id: string) => id === r.id,
    now: sims.clock.now(),
  });

  before(async () => {
    sims = await startSimulators();
    addTeammate(sims, { ...LIN, scopes: ['repo'] });
    ada = new GithubClient({ token: sims.tokens.github.token, baseUrl: sims.urls.github });
    lin = new GithubClient({ token: LIN.token, baseUrl: sims.urls.github });
    source = await serverHead(sims, 'kars-dev');
  });
  after(() => sims.close());

  it('loses a race to a deployment made while its own was being made, and marks its own inactive', async () => {
    let raced = false;
    // Lin's daemon creates its deployment between Ada's look and Ada's create: Ada's is newer.
    const racing = new GithubClient({
      token: sims.tokens.github.token,
      baseUrl: sims.urls.github,
      fetch: async (url, init) => {
        if (!raced && init?.method === 'POST' && (url as string).endsWith('/deployments')) {
          raced = true;
          await teammateHolds(lin, 'lin-race', source);
        }
        return fetch(url, init);
      },
    });
    const got = await acquireTeamLock(input(record('ada-race'), racing));
    assert.ok(got.ok);
    assert.equal(got.value.kind, 'refused');
    if (got.value.kind !== 'refused') return;
    assert.equal(got.value.holder.by, 'lin');
    assert.match(got.value.message, /being promoted by lin on lin-laptop/);
    assert.ok(got.value.deployment, 'the deployment it made is handed back, to be said inactive');
    assert.equal((await newestStatus(ada, got.value.deployment.id))?.state, 'inactive');
    const linHolds = await postStatus(lin, KARS_REPO, got.value.holder.deploymentId, {
      state: 'success',
      description: 'done',
    });
    assert.ok(linHolds.ok);
  });

  it('refuses a stale holder unless asked to take over, then tells it so', async () => {
    const stale = await teammateHolds(lin, 'lin-stale', source);
    sims.clock.advance(staleAfterMs + 60_000);
    const refused = await acquireTeamLock(input(record('ada-take'), ada));
    assert.ok(refused.ok && refused.value.kind === 'refused');
    assert.equal(refused.value.holder.state, 'stale');
    assert.match(refused.value.message, /Take it over by typing kars-prod/);

    const held = await acquireTeamLock(input(record('ada-take'), ada, true));
    assert.ok(held.ok && held.value.kind === 'held');
    assert.equal(held.value.tookOver?.promotion, 'lin-stale');
    const told = await newestStatus(lin, stale);
    assert.equal(told?.state, 'error');
    assert.match(told?.description ?? '', /^Taken over by ada \(promotion ada-take\)/);
    await postStatus(ada, KARS_REPO, held.value.deployment.id, {
      state: 'success',
      description: 'done',
    });
  });
});

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  close: () => undefined,
};

describe('the deployment reporter', () => {
  let sims: Simulators;
  let ada: GithubClient;
  let source: string;
  before(async () => {
    sims = await startSimulators();
    ada = new GithubClient({ token: sims.tokens.github.token, baseUrl: sims.urls.github });
    source = await serverHead(sims, 'kars-dev');
  });
  after(() => sims.close());

  function reporterWith(r: PromotionRecord) {
    const heard: ((x: PromotionRecord) => void)[] = [];
    const journal = new PromotionJournal(tempHome(), () => undefined);
    const store = new PromotionStore(journal, (x) => heard.forEach((h) => h(x)));
    const reporter = new DeploymentReporter({
      store,
      github: () => ada,
      logger: quiet,
      now: () => sims.clock.now(),
    });
    heard.push((x) => reporter.changed(x));
    store.put(folderOf('proj'), r);
    return { store, reporter };
  }

  async function deployment(id: string): Promise<number> {
    const made = await createDeployment(ada, KARS_REPO, {
      sha: source,
      environment: 'kars-prod',
      description: 'ada is promoting',
      payload: payload(id, 'ada', source),
      production: true,
    });
    assert.ok(made.ok);
    return made.value.id;
  }

  it('says a final status again until GitHub acknowledges it', async () => {
    const id = await deployment('p-final');
    const { store, reporter } = reporterWith(
      recordOf({
        id: 'p-final',
        repo: KARS_REPO,
        state: 'succeeded',
        summary: 'kars-prod runs abc',
        deployment: { id, environment: 'kars-prod' },
      }),
    );
    sims.github.faults.next({
      status: 502,
      on: 'POST /repos/:owner/:repo/deployments/:id/statuses',
    });
    await reporter.settled();
    assert.equal(
      store.get('p-final')!.deployment!.reported,
      undefined,
      'a refused post is not acknowledged',
    );
    // The next beat says it again (a resumed daemon's first beat, or the 5-minute one).
    reporter.start(3_600_000);
    await reporter.settled();
    reporter.stop();
    assert.equal(store.get('p-final')!.deployment!.reported, 'success kars-prod runs abc');
    assert.equal((await newestStatus(ada, id))?.state, 'success');
  });

  it('stops a promotion a teammate took over, and never posts over the take-over', async () => {
    const id = await deployment('ab12cd34');
    const { store, reporter } = reporterWith(
      recordOf({
        id: 'ab12cd34',
        repo: KARS_REPO,
        state: 'confirmed',
        summary: 'Merging…',
        deployment: { id, environment: 'kars-prod' },
      }),
    );
    // It said in_progress, then went silent long enough for lin to take it over.
    await reporter.settled();
    await postStatus(ada, KARS_REPO, id, {
      state: 'error',
      description: takeOverDescription('lin', 'ef56ab78', sims.clock.now().toISOString()),
    });
    reporter.start(3_600_000);
    await reporter.settled();
    reporter.stop();
    const r = store.get('ab12cd34')!;
    assert.equal(r.state, 'cancelled', r.summary);
    assert.equal(r.takenOverBy?.by, 'lin');
    assert.equal(
      (await newestStatus(ada, id))?.state,
      'error',
      'the take-over stays the last word',
    );
  });

  it('puts the take-over back on top when its own status landed just after it', async () => {
    const id = await deployment('cd34ef56');
    const statusPost = sims.github.faults.hold('POST /repos/:owner/:repo/deployments/:id/statuses');
    const { store, reporter } = reporterWith(
      recordOf({
        id: 'cd34ef56',
        repo: KARS_REPO,
        state: 'confirmed',
        summary: 'Merging…',
        deployment: { id, environment: 'kars-prod' },
      }),
    );
    // The reporter checked for a take-over and found none; its in_progress is on its way when
    // lin takes the promotion over.
    await statusPost.reached;
    const words = takeOverDescription('lin', 'ef56ab78', sims.clock.now().toISOString());
    await postStatus(ada, KARS_REPO, id, { state: 'error', description: words });
    statusPost.release();
    await reporter.settled();
    const r = store.get('cd34ef56')!;
    assert.equal(r.state, 'cancelled', r.summary);
    assert.equal(r.takenOverBy?.by, 'lin');
    const newest = await newestStatus(ada, id);
    assert.deepEqual(
      { state: newest?.state, description: newest?.description },
      { state: 'error', description: words },
      'the take-over is the last word again',
    );
  });
});
