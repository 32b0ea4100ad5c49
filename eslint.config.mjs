// Lint config: typed rules so floating promises and unsafe any are caught before review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * zod comes only through protocol/zod.ts (zod/mini): one classic `import { z } from 'zod'` would
 * put all of classic zod back into the bundle that imports it (193 KB of the extension's, not 33).
 */
const zodOnlyFromProtocol = {
  regex: '^zod(/|$)',
  message:
    "Import zod as `import * as z from '<…>/protocol/zod'` (zod/mini, English messages): a bundle then keeps only the zod it calls.",
};

/**
 * Who may import whom: for each folder, the top-level folders its files must never import. A
 * relative import naming one of them (`../daemon/…`, `../../sim/…`) is an error that says so.
 */
function boundaries(forbidden) {
  return Object.entries(forbidden).map(([files, folders]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...folders.map((folder) => ({
              regex: `^(\\.\\./)+${folder}(/|$)`,
              message: `${files.split('/')[0]}/ may not import ${folder.replace(/\(.*$/, '')}/: see its README.md for what it may import.`,
            })),
            zodOnlyFromProtocol,
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cache/**',
      'test-results/**',
      '*.mjs',
      'scripts/*.mjs',
      // Plain CommonJS that git runs as a hook (outside any tsconfig); prettier still formats it.
      'sim/git/hooks/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
    },
  },
  // The architecture, enforced (each top-level folder's README.md says what it may import).
  ...boundaries({
    'extension/**': ['test', 'bench', 'daemon', 'sim', 'cli'],
    'cli/**': ['test', 'bench', 'daemon', 'extension', 'sim(?!/cli$)'],
    'client/**': ['test', 'bench', 'daemon', 'extension', 'cli', 'sim'],
    'protocol/**': ['test', 'bench', 'daemon', 'extension', 'cli', 'sim', 'client'],
    'daemon/**': ['test', 'bench', 'extension', 'cli', 'sim', 'client'],
    'sim/**': ['test', 'bench', 'daemon', 'extension', 'cli', 'client', 'protocol'],
    'webview/**': ['test', 'bench', 'daemon', 'extension', 'cli', 'sim', 'client'],
    'scripts/**': ['test', 'bench'],
    'test/**': [],
    'bench/**': [],
  }),
  // The one place zod itself is imported.
  { files: ['protocol/zod.ts'], rules: { 'no-restricted-imports': 'off' } },
);
