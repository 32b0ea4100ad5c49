// Inside the extension host: promotions planned by a second client of the daemon (as the CLI or
// another window would) reach the Promotions view through the daemon's broadcast, newest first,
// and a later change of one (superseded, so cancelled) reaches its row too.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromotionRow } from '../../../extension/promotionsModel';
import type { RailyardApi } from '../../../extension/extension';
import { findDaemon } from '../../../client/daemonLauncher';
import { RpcClient } from '../../../client/rpcClient';
import { stateDir, statePaths } from '../../../protocol/discovery';
import { folderContextOf, type PromotionRecord } from '../../../protocol/protocol';
import { railyardApi, waitForState, waitForView } from './railyard';

export function definePromotionsTests(): void {
  describe('promotions view', () => {
    let client: RpcClient | undefined;
    let first: PromotionRecord | undefined;
    before(async () => {
      const api = await railyardApi();
      await waitForState(api, 'connected', 45_000);
      // The project must be known before a promotion of it can be planned.
      await waitForView(api, (v) => v.state === 'ready', 45_000);
      client = await connectSecondClient();
    });
    after(() => client?.close());

    it('lists a check-only promotion planned by another client, once its gates ran', async () => {
      const api = await railyardApi();
      const planned = await plan(client);
      first = planned;
      const rows = await waitForRows(
        api,
        (rs) => rs[0]?.promotionId === planned.id && rs[0].description.startsWith('checked · '),
        45_000,
      );
      const row = rows[0]!;
      assert.equal(row.label, 'kars-dev → kars-prod');
      assert.equal(row.mine, true);
      assert.deepEqual(row.open, { id: planned.id });
      assert.equal(row.look.icon, 'checklist');
      assert.equal(api.promotionStatus(), undefined, 'a check-only promotion is never in flight');
    });

    it('puts a newer plan first and shows the older one cancelled (superseded)', async () => {
      assert.ok(first, 'the promotion of the test before was not planned');
      const api = await railyardApi();
      const second = await plan(client);
      const rows = await waitForRows(
        api,
        (rs) =>
          rs[0]?.promotionId === second.id &&
          rs.some((r) => r.promotionId === first?.id && r.outcome === 'cancelled'),
        45_000,
      );
      const older = rows.find((r) => r.promotionId === first?.id)!;
      assert.match(older.description, /^cancelled · you · /);
      assert.equal(older.look.icon, 'circle-slash');
    });
  });
}

/** A client of the extension's own daemon, found as the CLI finds it. */
async function connectSecondClient(): Promise<RpcClient> {
  const endpoint = findDaemon(statePaths(stateDir()));
  if (!endpoint) throw new Error(`no daemon running in ${stateDir()}`);
  return RpcClient.connect({
    port: endpoint.discovery.port,
    secret: endpoint.secret,
    client: { name: 'promotions itest', kind: 'test' },
  });
}

function plan(client: RpcClient | undefined): Promise<PromotionRecord> {
  const path = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!client || !path) throw new Error('no daemon client or no workspace folder');
  return client.request('promotion.plan', {
    folder: folderContextOf(path, vscode.workspace.isTrusted),
    from: 'kars-dev',
    to: 'kars-prod',
    checkOnly: true,
  });
}

/** Resolves with the first rows (the current ones, else changed ones) that `accept`s. */
function waitForRows(
  api: RailyardApi,
  accept: (rows: PromotionRow[]) => boolean,
  timeoutMs: number,
): Promise<PromotionRow[]> {
  return new Promise((resolve, reject) => {
    const summary = (rows: PromotionRow[]) =>
      `[${rows.map((r) => `${r.promotionId} ${r.description}`).join('; ')}]`;
    const seen = [summary(api.promotionRows())];
    if (accept(api.promotionRows())) return resolve(api.promotionRows());
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no matching promotion rows in ${timeoutMs} ms; saw ${seen.join(' → ')}`));
    }, timeoutMs);
    const sub = api.onDidChangePromotionRows((rows) => {
      seen.push(summary(rows));
      if (!accept(rows)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(rows);
    });
  });
}
