// The folders' import rules hold because lint says so: each forbidden import below is refused by
// ESLint with the folder's rule, and each allowed one passes (the code is linted as if it were the
// named file, which exists so the typed rules can run).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function refusals(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

const importing = (spec: string) => `import * as m from '${spec}';\nexport const x = m;\n`;

describe('folder boundaries', () => {
  const cases: [file: string, spec: string, refused: boolean][] = [
    ['extension/statusBar.ts', '../daemon/version', true],
    ['extension/statusBar.ts', '../sim/server', true],
    ['extension/statusBar.ts', '../client/rpcClient', false],
    ['cli/output.ts', '../daemon/version', true],
    ['cli/output.ts', '../extension/treeModel', true],
    ['cli/output.ts', '../sim/server', true],
    ['cli/output.ts', '../sim/cli', false],
    ['client/rpcClient.ts', '../daemon/version', true],
    ['protocol/protocol.ts', '../client/rpcClient', true],
    ['daemon/daemon.ts', '../client/rpcClient', true],
    ['daemon/daemon.ts', '../test/daemon/harness', true],
    ['sim/server.ts', '../protocol/protocol', true],
    ['sim/server.ts', '../test/sim/railwayTestClient', true],
    ['webview/main.ts', '../extension/panelHtml', true],
    ['webview/main.ts', '../client/rpcClient', true],
    ['webview/main.ts', '../protocol/panel', false],
  ];
  for (const [file, spec, refused] of cases) {
    it(`${refused ? 'refuses' : 'allows'} ${spec} in ${file}`, async () => {
      const messages = await refusals(file, importing(spec));
      if (refused) assert.match(messages.join('\n'), /may not import .*README\.md/);
      else assert.deepEqual(messages, []);
    });
  }
});
