// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'test-artifacts/', '.data/', 'bench/results/']),
  eslint.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['test/**/*.ts'],
    // Specs read JSON bodies and socket payloads as `any` on purpose: the assertions on them are the type check
    rules: Object.fromEntries(
      [
        'no-explicit-any',
        'no-unsafe-argument',
        'no-unsafe-assignment',
        'no-unsafe-call',
        'no-unsafe-member-access',
        'no-unsafe-return',
      ].map((rule) => [`@typescript-eslint/${rule}`, 'off']),
    ),
  },
  { files: ['*.js', 'test/**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: globals.node } },
  { files: ['*.mjs'], languageOptions: { globals: globals.node } },
  // The board page: classic browser scripts, with the Socket.IO client loaded before them
  { files: ['public/**/*.js'], languageOptions: { sourceType: 'script', globals: { ...globals.browser, io: 'readonly' } } },
  prettier,
);
