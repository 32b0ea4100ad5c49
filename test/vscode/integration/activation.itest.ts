// Inside the extension host: Railyard is installed, activates, and registers what it declares.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { railyardApi, railyardExtension } from './railyard';

interface DeclaredCommand {
  command: string;
}

export function defineActivationTests(): void {
  describe('activation', () => {
    it('is installed as railyard.railyard and activates', async () => {
      const ext = railyardExtension();
      await railyardApi();
      assert.equal(ext.isActive, true);
    });

    it('returns the test API from activate()', async () => {
      const api = await railyardApi();
      assert.equal(typeof api.connectionState(), 'string');
      assert.equal(typeof api.onDidChangeConnectionState, 'function');
    });

    it('registers every command declared in package.json', async () => {
      await railyardApi();
      const contributes = railyardExtension().packageJSON as {
        contributes?: { commands?: DeclaredCommand[] };
      };
      const declared = (contributes.contributes?.commands ?? []).map((c) => c.command);
      assert.ok(declared.length > 0, 'package.json declares no commands');
      const registered = new Set(await vscode.commands.getCommands(true));
      const missing = declared.filter((c) => !registered.has(c));
      assert.deepEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
    });
  });
}
