// "Railyard: Promote…" and its relatives: pick a configured pair (or take the tree's environment),
// reopen this folder's promotion of it that is still going, else plan one, and show it in the
// checklist panel at once (the gates resolve live there). Also Open Promotion and Roll Back
// Promotion, which the Promotions view and the notifications call.
import * as vscode from 'vscode';
import * as z from '../protocol/zod';
import { teamPromotion, type FolderContext, type PromotionRecord } from '../protocol/protocol';
import type { RpcClient } from '../client/rpcClient';
import type { DaemonConnection } from './daemonConnection';
import type { Node } from './environmentsTree';
import type { EnvironmentsWatch } from './environmentsWatch';
import { rowMissing } from './treeModel';
import { openRailyardJson } from './errorDisplay';
import {
  latestPromotionOf,
  noPairsMessage,
  openPromotionOf,
  pairLabel,
  pairPicks,
  pairSnippet,
  promotionPairs,
  type PromotionPair,
} from './promotionPairs';
import { panelTitle } from './panelHostModel';
import type { EarlyPanel } from './panelHost';
import type { PromotionPanels } from './promotionPanel';

type Deps = {
  connection: DaemonConnection;
  watch: EnvironmentsWatch;
  panels: PromotionPanels;
  log: vscode.LogOutputChannel;
};
type Pair = { from: string; to: string };

const pairArg = z.object({
  from: z.string().check(z.minLength(1)),
  to: z.string().check(z.minLength(1)),
});
const idArg = z.object({ id: z.string().check(z.minLength(1)) });
const openArg = z.union([idArg, z.object({ team: teamPromotion })]);

export function promotionCommands(deps: Deps): Record<string, (arg?: unknown) => unknown> {
  return {
    'railyard.promote': async (arg) => {
      const given = pairArg.safeParse(arg);
      const pair = given.success ? given.data : await pickPair(deps);
      if (pair) await promote(deps, pair);
    },
    'railyard.promoteEnvironment': (node) => {
      const n = node as Node | undefined;
      if (n?.kind !== 'environment' || !n.env.promotion)
        throw rowMissing('Promote', 'an environment that promotes to another');
      return promote(deps, { from: n.env.name, to: n.env.promotion.to });
    },
    'railyard.openPromotion': async (arg) => {
      const target = openArg.parse(arg);
      if ('team' in target) deps.panels.showTeam(target.team);
      else await deps.panels.openId(target.id);
    },
    'railyard.rollbackPromotion': async (arg) => {
      const { id } = idArg.parse(arg);
      // In the panel, so the person watches the rollback; it asks in a modal first.
      const host = await deps.panels.openId(id);
      await host.receive({ type: 'rollback' });
    },
  };
}

/** The pair to promote: asked in a QuickPick, unless there is exactly one. */
async function pickPair(deps: Deps): Promise<PromotionPair | undefined> {
  const view = deps.watch.view;
  const pairs = promotionPairs(view);
  if (pairs.length === 1) return pairs[0];
  if (pairs.length === 0) {
    const folder = deps.watch.folder();
    const action = view?.state === 'ready' && folder ? ['Open railyard.json'] : [];
    // Not awaited: the command is done; the button opens the file whenever it is clicked.
    void vscode.window.showInformationMessage(noPairsMessage(view), ...action).then((picked) => {
      if (picked && folder) return openRailyardJson(folder.path, pairSnippet(view));
    });
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(pairPicks(pairs), {
    title: 'Promote',
    placeHolder: 'Which environment to promote into the next',
    matchOnDescription: true,
  });
  return pick?.pair;
}

/** Reopens this folder's promotion of the pair that is still going, else plans one; shows it. */
async function promote(deps: Deps, pair: Pair): Promise<void> {
  const { client, folder } = connected(deps);
  const title = `Railyard: ${pairLabel(pair)}`;
  // Ours only: the team's come from GitHub, and the lock gate asks GitHub anyway.
  const list = () => client.request('promotion.list', { folder, limit: 100, team: false });
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title },
    async () => {
      if (!folder.trusted) return showUntrusted(deps, pair, (await list()).promotions);
      // The page loads while the daemon looks and plans: the checklist paints once the record is back.
      const early = deps.panels.openEarly(panelTitle({ kind: 'promotion', ...pair }));
      try {
        const open = openPromotionOf((await list()).promotions, pair);
        if (open) return await reopen(deps, client, folder, open, early);
        deps.log.info(`Planning the promotion ${pairLabel(pair)}`);
        const plan = { folder, from: pair.from, to: pair.to };
        deps.panels.show(await client.request('promotion.plan', plan), early);
      } catch (e) {
        early.panel.dispose();
        throw e;
      }
    },
  );
}

/** A gated promotion is checked again: the heads may have moved since its gates ran. */
async function reopen(
  deps: Deps,
  client: RpcClient,
  folder: FolderContext,
  open: PromotionRecord,
  early?: EarlyPanel,
): Promise<void> {
  const host = deps.panels.show(open, early);
  if (open.state !== 'gated') return;
  try {
    host.showRecord(await client.request('promotion.recheck', { folder, id: open.id }));
  } catch (e) {
    // It moved on meanwhile (started from the CLI, cancelled in another window): the record the
    // list gave may be stale, so the panel reads it again to show where it is now.
    deps.log.warn(
      `Re-checking promotion ${open.id}: ${e instanceof Error ? e.message : String(e)}`,
    );
    await host.refresh(client);
  }
}

/**
 * Restricted Mode: the daemon plans nothing for an untrusted folder (a check-only plan neither:
 * its gates fetch and dry-run merge), so the newest promotion of the pair is shown read-only,
 * or the person is told how to trust the workspace.
 */
function showUntrusted(deps: Deps, pair: Pair, promotions: PromotionRecord[]): void {
  const latest = latestPromotionOf(promotions, pair);
  if (latest) {
    deps.panels.show(latest);
    return;
  }
  const trust = 'Manage Workspace Trust';
  void vscode.window
    .showWarningMessage(
      `Railyard only reads in Restricted Mode: trust the workspace to check or promote ${pairLabel(pair)}.`,
      trust,
    )
    .then((picked) => {
      if (picked === trust) return vscode.commands.executeCommand('workbench.trust.manage');
    });
}

function connected(deps: Deps): { client: RpcClient; folder: FolderContext } {
  const client = deps.connection.client;
  const folder = deps.watch.folder();
  if (!folder) throw new Error('Open a folder whose Railway project to promote.');
  if (!client)
    throw new Error(
      'The Railyard daemon is not connected yet; try again in a moment or run "Railyard: Restart Daemon".',
    );
  return { client, folder };
}
