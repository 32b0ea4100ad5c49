// Inside the extension host: "Railyard: Promote…" against the simulated kars project opens the
// checklist panel, whose real page reports what it drew (`rendered`); the page's messages are
// validated, relayed to the daemon with busy around them, and refused when they do not parse.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RailyardApi } from '../../../extension/extension';
import { promotionPairs } from '../../../extension/promotionPairs';
import type { PanelEvent } from '../../../extension/promotionPanel';
import type { RenderedMessage } from '../../../extension/panelRelay';
import type { ToPanel } from '../../../protocol/panel';
import { GATE_IDS, type PromotionRecord, type ProjectView } from '../../../protocol/protocol';
import { railyardApi, waitForState, waitForView } from './railyard';

const PAIR = { from: 'kars-dev', to: 'kars-prod' };
const WAIT_MS = 45_000;
const karsReady = (view: ProjectView) =>
  view.state === 'ready' && view.environments.some((e) => e.promotion?.to === 'kars-prod');

export function definePromotionTests(): void {
  describe('promotion panel', () => {
    let api: RailyardApi;
    let id = '';
    before(async () => {
      api = await railyardApi();
      await waitForState(api, 'connected', WAIT_MS);
      await waitForView(api, karsReady, WAIT_MS);
    });
    after(async () => {
      // Nothing left planned for the suites after this one.
      if (id && api.panels().some((p) => p.id === id && p.state === 'gated'))
        await api.sendFromPanel(id, { type: 'cancel' });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('Promote with {from, to} opens a panel whose page lists every gate, then none pending', async () => {
      const firstPaint = nextRender(api, (e) => e.message.gates > 0);
      const settled = nextRender(api, (e) => e.message.state === 'gated');
      await vscode.commands.executeCommand('railyard.promote', PAIR);
      const [panel, ...others] = api.panels();
      assert.ok(panel?.id, 'no panel of a promotion opened');
      assert.equal(others.length, 0, `more than one panel: ${JSON.stringify(api.panels())}`);
      assert.equal(panel.title, 'Promote kars-dev → kars-prod');
      id = panel.id;
      const painted = await firstPaint;
      assert.equal(painted.id, id);
      assert.equal(painted.message.gates, GATE_IDS.length, 'the page did not list every gate');
      const done = await settled;
      assert.equal(done.id, id);
      assert.equal(done.message.pendingGates, 0, 'gated with gates still checking');
    });

    it('Open Promotion reveals the open panel rather than opening a second', async () => {
      await vscode.commands.executeCommand('railyard.openPromotion', { id });
      assert.deepEqual(
        api.panels().map((p) => p.id),
        [id],
      );
    });

    it('Promote on the tree’s kars-dev row reopens the gated promotion and checks it again', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      assert.deepEqual(api.panels(), [], 'closing the editor left the panel open');
      const dev = api
        .treeNodes()
        .find((n) => n.kind === 'environment' && n.env.name === 'kars-dev');
      assert.ok(dev, 'no kars-dev row in the tree');
      // The new page may first draw it gated or already re-checking.
      const settled = renderedStates(api, id, ['planned', 'gated']);
      await vscode.commands.executeCommand('railyard.promoteEnvironment', dev);
      assert.deepEqual(
        api.panels().map((p) => p.id),
        [id],
      );
      await settled;
    });

    it('refuses messages the schema does not accept, answering each with an error and acting on none', async () => {
      const posts = collectPosts(api, id);
      const invalid: unknown[] = [
        { type: 'start', rollbackOnFailure: 'yes' },
        { type: 'open-url', url: 'command:workbench.action.quit' },
        { type: 'recheck', gate: 'no-such-gate' },
        { type: 'launch' },
        'start',
      ];
      for (const message of invalid) await api.sendFromPanel(id, message);
      const seen = posts.stop();
      assert.equal(
        seen.filter((m) => m.type === 'error').length,
        invalid.length,
        `not one error each: ${JSON.stringify(seen)}`,
      );
      assert.deepEqual(
        seen.filter((m) => m.type !== 'error'),
        [],
        'a refused message was acted on',
      );
      const start = seen.find((m) => m.type === 'error' && m.action === 'start');
      assert.ok(start, 'the refused start was not answered as a start');
      const state = await stateAfterReady(api, id);
      assert.equal(state?.state, 'gated', 'the promotion moved');
      assert.equal(state?.confirmedBy, undefined);
    });

    it('relays Re-check to the daemon: busy, the record checked again, busy cleared', async () => {
      const posts = collectPosts(api, id);
      const settled = renderedStates(api, id, ['planned', 'gated']);
      await api.sendFromPanel(id, { type: 'recheck' });
      const seen = posts.stop();
      assert.deepEqual(busyOf(seen), [true, false]);
      assert.ok(
        seen.some((m) => m.type === 'state' && m.state.record?.state === 'planned'),
        `no re-checking state: ${seen.map((m) => m.type).join(', ')}`,
      );
      assert.equal((await settled).message.pendingGates, 0);
    });

    it('relays Cancel: the panel shows the promotion cancelled', async () => {
      const posts = collectPosts(api, id);
      const cancelled = nextRender(api, (e) => e.id === id && e.message.state === 'cancelled');
      await api.sendFromPanel(id, { type: 'cancel' });
      assert.deepEqual(busyOf(posts.stop()), [true, false]);
      await cancelled;
      assert.equal(api.panels().find((p) => p.id === id)?.state, 'cancelled');
    });

    it('Promote with the one configured pair plans it straight away, with no pick', async () => {
      assert.equal(promotionPairs(api.projectView()).length, 1, 'not exactly one pair');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const cancelled = id;
      const settled = nextRender(api, (e) => e.id !== cancelled && e.message.state === 'gated');
      // No argument: with one pair there is no QuickPick to wait on, so this resolves by itself.
      await vscode.commands.executeCommand('railyard.promote');
      const [panel, ...others] = api.panels();
      assert.ok(panel?.id && panel.id !== cancelled, 'no new promotion planned');
      assert.equal(others.length, 0);
      id = panel.id;
      const done = await settled;
      assert.equal(done.id, id);
      assert.equal(done.message.gates, GATE_IDS.length);
      assert.equal(done.message.pendingGates, 0);
    });

    it('shows the panel read-only while the daemon is gone, and reads the promotion again from the new one', async () => {
      const away = nextPost(
        api,
        id,
        (m) => m.type === 'state' && m.state.readOnly === 'disconnected',
      );
      const back = nextPost(
        api,
        id,
        (m) => m.type === 'state' && !m.state.readOnly && m.state.record?.id === id,
      );
      process.kill(daemonPid(), 'SIGKILL');
      await away;
      const state = await back;
      assert.equal(state.type === 'state' && state.state.record?.state, 'gated');
      await waitForState(api, 'connected', WAIT_MS);
    });

    it('the page met no Content Security Policy violation', () => {
      assert.deepEqual(api.cspViolations(), []);
    });
  });
}

/** The first `rendered` (a panel's latest, else a new one) that `accept`s. */
function nextRender(
  api: RailyardApi,
  accept: (e: PanelEvent<RenderedMessage>) => boolean,
): Promise<PanelEvent<RenderedMessage>> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no such rendered in ${WAIT_MS} ms; saw ${seen.join(' → ') || 'none'}`));
    }, WAIT_MS);
    const sub = api.onDidPanelRender((e) => {
      seen.push(`${e.message.state} ${e.message.gates}/${e.message.pendingGates}`);
      if (!accept(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

/** Resolves with the render that completes `states`, drawn in that order (others between them). */
function renderedStates(
  api: RailyardApi,
  id: string,
  states: string[],
): Promise<PanelEvent<RenderedMessage>> {
  let next = 0;
  return nextRender(api, (e) => {
    if (e.id !== id || e.message.state !== states[next]) return false;
    next += 1;
    return next === states.length;
  });
}

/** The first message posted to promotion `id`'s page that `accept`s. */
function nextPost(api: RailyardApi, id: string, accept: (m: ToPanel) => boolean): Promise<ToPanel> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no such message in ${WAIT_MS} ms; saw ${seen.join(', ') || 'none'}`));
    }, WAIT_MS);
    const sub = api.onDidPostToPanel((e) => {
      if (e.id !== id) return;
      seen.push(
        e.message.type === 'state' ? `state ${e.message.state.readOnly ?? ''}` : e.message.type,
      );
      if (!accept(e.message)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e.message);
    });
  });
}

/** The daemon this window's extension host is connected to, from its discovery file. */
function daemonPid(): number {
  const file = path.join(process.env.RAILYARD_HOME ?? '', 'daemon.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number }).pid;
}

/** Every message posted to promotion `id`'s page until `stop`. */
function collectPosts(api: RailyardApi, id: string): { stop(): ToPanel[] } {
  const seen: ToPanel[] = [];
  const sub = api.onDidPostToPanel((e) => {
    if (e.id === id) seen.push(e.message);
  });
  return {
    stop: () => {
      sub.dispose();
      return seen;
    },
  };
}

const busyOf = (posts: ToPanel[]) => posts.flatMap((m) => (m.type === 'busy' ? [m.busy] : []));

/** The record a `ready` is answered with. */
async function stateAfterReady(api: RailyardApi, id: string): Promise<PromotionRecord | undefined> {
  const posts = collectPosts(api, id);
  await api.sendFromPanel(id, { type: 'ready' });
  const state = posts.stop().find((m) => m.type === 'state');
  return state?.type === 'state' ? state.state.record : undefined;
}
