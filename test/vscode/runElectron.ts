// Runs the same in-extension-host suite in desktop VS Code through @vscode/test-electron, for
// machines that can download VS Code (CI here cannot; it uses run.ts with code-server instead).
//
// Usage:  npm run build && node --import tsx test/vscode/runElectron.ts
//   VSCODE_VERSION=1.139.1  pick the VS Code build to download (default: stable)
// Results print as `[railyard-test] {...}` lines; the exit code is non-zero if any test failed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { integrationBundle } from './integrationSuite';
import { disposeHome, makeHome } from './railyardHome';
import { repoRoot } from './workbench';

async function main(): Promise<number> {
  if (!fs.existsSync(integrationBundle)) {
    console.error(`missing ${integrationBundle}: run npm run build`);
    return 1;
  }
  // Same isolation as run.ts: a throwaway daemon home and editor state; never the user's.
  const home = makeHome('electron');
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-vscode-user-data-'));
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-test-workspace-'));
  try {
    return await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: integrationBundle,
      extensionTestsEnv: { RAILYARD_HOME: home },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        `--user-data-dir=${userData}`,
      ],
    });
  } catch (e) {
    console.error('VS Code tests failed:', e);
    return 1;
  } finally {
    await disposeHome(home); // stops the daemon the extension started
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(userData, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
