// Inside the extension host: the extension starts (or finds) the daemon in the test's RAILYARD_HOME.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { railyardApi, waitForState } from './railyard';

export function defineConnectionTests(): void {
  describe('daemon connection', () => {
    it('runs with its own throwaway RAILYARD_HOME, never the real one', () => {
      const home = process.env.RAILYARD_HOME;
      assert.ok(home, 'RAILYARD_HOME is not set in the extension host');
      // run.ts makes this dir (makeHome('integration')) and passes it as extensionEnvironment,
      // overriding code-server's own RAILYARD_HOME, which the UI suite's windows use.
      assert.ok(
        home.includes('railyard-test-home-integration-'),
        `unexpected RAILYARD_HOME ${home}`,
      );
    });

    it('reaches "connected"', async () => {
      const api = await railyardApi();
      await waitForState(api, 'connected', 45_000);
    });

    it('found the daemon through daemon.json in RAILYARD_HOME', async () => {
      await waitForState(await railyardApi(), 'connected', 45_000);
      const file = path.join(process.env.RAILYARD_HOME ?? '', 'daemon.json');
      const discovery = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number; port: number };
      assert.ok(discovery.pid > 0 && discovery.port > 0, JSON.stringify(discovery));
      process.kill(discovery.pid, 0); // throws if the daemon named there is not running
    });
  });
}
