// Inside the extension host of an UNTRUSTED window (run by the restricted-mode UI test, whose
// railyard.json lifts kars-prod's protection and names a health URL): Railyard runs there, the
// daemon reads the folder as untrusted, and Redeploy forced on a real tree node goes to the daemon,
// which refuses it. The UI test then checks the refusal: the notification, Railway, the audit log.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProjectView } from '../../../protocol/protocol';
import { railyardApi, railyardExtension, waitForView } from './railyard';

const ready = (view: ProjectView): boolean =>
  view.state === 'ready' && view.environments.some((e) => e.name === 'kars-dev');

export function defineRestrictedTests(): void {
  describe('restricted mode', () => {
    it('runs in an untrusted workspace, where Railyard is active', async () => {
      assert.equal(vscode.workspace.isTrusted, false, 'the workspace is trusted');
      await railyardApi();
      assert.equal(railyardExtension().isActive, true);
    });

    it('the daemon read railyard.json as untrusted: kars-prod stays protected, the rest set aside', async () => {
      const view = await waitForView(await railyardApi(), ready, 45_000);
      const prod = view.environments.find((e) => e.name === 'kars-prod');
      assert.equal(prod?.protected, true, 'an untrusted railyard.json lifted the protection');
      assert.deepEqual([...(view.ignoredSettings ?? [])].sort(), [
        'environments.kars-prod.healthUrl',
        'environments.kars-prod.protected: false',
      ]);
    });

    it('Redeploy forced on the tree’s own kars-dev kars-backend node, which its menu does not offer, runs to the end', async () => {
      const api = await railyardApi();
      await waitForView(api, ready, 45_000);
      const dev = api
        .treeNodes()
        .find((n) => n.kind === 'environment' && n.env.name === 'kars-dev');
      assert.ok(dev, 'no kars-dev row in the tree');
      const node = api
        .treeNodes(dev)
        .find((n) => n.kind === 'service' && n.service.name === 'kars-backend');
      assert.ok(node, 'no kars-backend row under kars-dev');
      // Railyard reports a failed command as an error message, so this resolves either way; the
      // UI test reads which message it was.
      await vscode.commands.executeCommand('railyard.redeploy', node);
    });
  });
}
