// A teammate's promotion in the Environments tree: lin's daemon (on lin-laptop) records a kars-dev →
// kars-prod promotion as a GitHub deployment, and ada's tree shows it on kars-prod after a Refresh
// (and the Promotions view lists it), then drops it once lin's deployment goes inactive.
import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { RailyardPayload } from '../../../daemon/github/githubDeployments';
import { addTeammate, type Simulators } from '../../../sim/server';
import { hoverText, treeRow } from '../treeView';
import { openViewContainer, screenshot, timeouts } from '../workbench';
import { environmentRow } from './environments.uitest';
import { openRailyardWindow, screenshotIfFailed, type UiContext } from './railyardWindow';

const REPO = 'kars/kars-app';
const LIN = {
  token: 'ghp_simLinUi23456789abcdefghijklmnopqrstuv',
  login: 'lin',
  name: 'Lin Teammate',
  email: 'lin@kars.example',
  scopes: ['repo', 'workflow'],
};
/** Railyard's promotion ids are 8 hex digits. */
const PROMOTION = '1f2e3d4c';

export function defineTeamPromotionTests(ctx: UiContext): void {
  describe("a teammate's promotion in the tree", () => {
    let page: Page;
    const sims = () => ctx.world.sims;
    before(async () => {
      addTeammate(sims(), LIN);
      page = await openRailyardWindow(ctx, 'team-promotion');
      await openViewContainer(page, 'Railyard');
      // Only kars-prod's row matters here: the suites before may leave a kars-dev deploy running.
      await environmentRow(page, 'kars-prod').waitFor({ timeout: timeouts.daemon });
    });
    after(() => page.close());
    afterEach(function () {
      return screenshotIfFailed(page, this.currentTest);
    });

    let deploymentId: number;
    it('shows "promoting (lin, …)" on kars-prod after a Refresh, kars-dev and the id in its tooltip', async () => {
      deploymentId = await startLinsPromotion(sims());
      const promoting = environmentRow(page, 'kars-prod', 'promoting');
      await refreshUntil(page, promoting);
      const label = (await promoting.getAttribute('aria-label')) ?? '';
      // First in the description: the row's most urgent news, before branch and health.
      assert.match(label, /^Environment kars-prod, protected, promoting \(lin, [^)]+\) · /);
      const tooltip = await hoverText(promoting, 'Promotion:');
      assert.match(tooltip, /Promoting from kars-dev by lin on lin-laptop/);
      assert.match(tooltip, new RegExp(`Promotion: ${PROMOTION}`));
      assert.match(tooltip, /GitHub deployment/);
      // The same Refresh lists the team's promotions in the Promotions view.
      await treeRow(page, /^Promotion kars-dev → kars-prod, in progress · lin · /).waitFor({
        timeout: timeouts.daemon,
      });
      await screenshot(page, 'environments-teammate-promoting');
    });

    it('drops "promoting" once lin\'s deployment is inactive, at the next Refresh', async () => {
      assert.ok(deploymentId, 'the promotion of the test before was not made');
      await postStatus(sims(), deploymentId, 'inactive', 'Promotion cancelled');
      const settled = treeRow(page, /^Environment kars-prod, protected, (?!promoting)/);
      await refreshUntil(page, settled);
      await treeRow(page, /^Promotion kars-dev → kars-prod, inactive · lin · /).waitFor({
        timeout: timeouts.daemon,
      });
      await screenshot(page, 'environments-teammate-promotion-over');
    });
  });
}

/**
 * What lin's daemon does when its promotion takes the team lock (daemon/promotion/teamLock.ts): a
 * deployment of the kars-dev head to kars-prod carrying Railyard's payload, then in progress.
 */
async function startLinsPromotion(sims: Simulators): Promise<number> {
  const source = await branchHead(sims, 'kars-dev');
  const target = await branchHead(sims, 'kars-prod');
  const payload: RailyardPayload = {
    railyard: {
      version: 1,
      promotion: PROMOTION,
      kind: 'promotion',
      by: 'lin',
      machine: 'lin-laptop',
      from: 'kars-dev',
      to: 'kars-prod',
      source,
      target,
    },
  };
  const deployment = await githubAs<{ id: number }>(sims, `/repos/${REPO}/deployments`, {
    ref: source,
    task: 'deploy',
    auto_merge: false,
    required_contexts: [],
    payload,
    environment: 'kars-prod',
    description: `lin is promoting kars-dev ${source.slice(0, 7)} with Railyard.`,
    production_environment: true,
  });
  await postStatus(sims, deployment.id, 'in_progress', 'Pushing kars-dev to kars-prod');
  return deployment.id;
}

async function branchHead(sims: Simulators, branch: string): Promise<string> {
  const answer = await githubAs<{ commit: { sha: string } }>(
    sims,
    `/repos/${REPO}/branches/${branch}`,
  );
  return answer.commit.sha;
}

async function postStatus(
  sims: Simulators,
  id: number,
  state: 'in_progress' | 'inactive',
  description: string,
): Promise<void> {
  await githubAs(sims, `/repos/${REPO}/deployments/${id}/statuses`, { state, description });
}

/**
 * GitHub's REST API as lin's token sees it: over HTTP rather than into the simulator's state, so
 * the deployment is lin's (its creator) and the list's ETag changes as it would on github.com.
 */
async function githubAs<T>(sims: Simulators, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sims.urls.github}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${LIN.token}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  assert.ok(res.ok, `${path}: HTTP ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

/**
 * Presses the Environments view's Refresh until `row` shows. With the Promotions view beside it,
 * the Refresh sits in the Environments pane's header, shown while the pointer is over it. The
 * header's actions are re-rendered when the view's context keys change, and a click landing on the
 * old button is lost: then it is pressed again. (The 30 s poll would show it too, later; the
 * Refresh is what a user waiting would press.)
 */
async function refreshUntil(page: Page, row: Locator): Promise<void> {
  const header = page.locator('.part.sidebar .pane-header', { hasText: 'Environments' });
  const refresh = header.getByRole('button', { name: 'Refresh', exact: true });
  const deadline = Date.now() + timeouts.daemon;
  while (Date.now() < deadline) {
    await header.hover({ timeout: timeouts.ui });
    await refresh.click({ timeout: timeouts.ui });
    const shown = await row.waitFor({ timeout: 5_000 }).then(
      () => true,
      () => false, // not yet: the click may have been eaten, so press again
    );
    if (shown) return;
  }
  throw new Error(`no such row after Refresh pressed for ${timeouts.daemon} ms: ${String(row)}`);
}
