// @ts-check
/**
 * ESLint flat config for mclint's own code (`npm run lint`, part of `npm test`).
 *
 * - TypeScript (`src/`, `rules/`, `test/`, `vitest.config.ts`): ESLint's and typescript-eslint's
 *   recommended rules, type-aware (`recommendedTypeChecked`, types from tsconfig.json through the
 *   project service; the whole repository lints in about 20 s on a 2-core machine).
 * - Scripts (`scripts/*.mjs`, `bench/*.mjs`, this file): ESLint's recommended rules, Node globals.
 * - Generated and bundled files are not linted: the schema validators, the Action bundle, dist/,
 *   and the fixtures (YAML scenarios; the few scripts in them are data, not code).
 *
 * Prettier formats (`.prettierrc.json`); none of the rules enabled here is a formatting rule, so
 * nothing needs turning off for it (eslint-config-prettier would turn off none of them).
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['src/schema/*.generated.*', 'action/', 'dist/', '.builds/', 'node_modules/', 'fixtures/', 'coverage/', '.bench/']),
  {
    files: ['src/**/*.ts', 'rules/**/*.ts', 'test/**/*.ts', 'vitest.config.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // The codebase's convention for a binding left unused on purpose: properties left out of an
      // object by a rest sibling (`const { index: _index, ...rest } = o`), and a leading underscore
      // for a parameter a callback's type requires or a `for (const _ in o)` emptiness test.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // vitest types its asymmetric matchers (`expect.stringContaining`, `expect.any`, …) as `any`
      // (@vitest/expect, `AsymmetricMatchersContaining`) so that they fit any field of an expected
      // object: every one inside `toEqual({ … })` or `toMatchObject({ … })` would be reported.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', 'eslint.config.js'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'module',
      // The Node globals the scripts use (add one here when a script needs another).
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
);
