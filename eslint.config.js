// Lint: the boundaries of ARCHITECTURE.md, checked on every `npm test` (`npm run lint`).
// Formatting is Prettier's (.prettierrc); this file only holds rules about structure.
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';

const engines = ['@duckdb/*', 'onnxruntime-web', 'onnxruntime-node', '@tensorflow/*', 'parquet-wasm'];

export default tseslint.config(
  {
    ignores: ['dist/**', 'dist-cli/**', 'test-results/**', 'bench/data/**', 'public/**', 'node_modules/**', 'tmpq/**'],
  },
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
  ...svelte.configs['flat/base'],
  { files: ['**/*.svelte', '**/*.svelte.ts'], languageOptions: { parserOptions: { parser: tseslint.parser } } },
  {
    // core is pure: no engine, app, CLI, DOM framework, worker or database.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/engine/**', '**/app/**', '**/cli/**', '**/workers/**'],
              message: 'src/core imports nothing outside core.',
            },
            {
              group: ['svelte', 'svelte/*', 'comlink', 'node:*', 'apache-arrow', ...engines],
              message: 'src/core is pure TypeScript: no framework, worker, Node or engine library.',
            },
          ],
        },
      ],
    },
  },
  {
    // The app reaches the engines only through the client (engineClient.ts) and the types of protocol.ts.
    files: ['src/app/**/*.ts', 'src/app/**/*.svelte'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/engine/*', '!**/engine/protocol', '!**/engine/errorTransfer'],
              message: 'The app sees the engine only through src/engine/protocol.ts and the client.',
            },
            {
              group: ['**/cli/**', ...engines, 'apache-arrow'],
              message: 'Views and state never import DuckDB, onnxruntime or TF.js: ask the engine.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/app/{views,charts,widgets}/**/*.{svelte,ts}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/engine/*', '!**/engine/protocol'],
              message: 'Components see the engine only through state classes and the types of src/engine/protocol.ts.',
            },
            { group: ['**/state/engineClient'], message: 'Components never call the engine: ask a state class.' },
            {
              group: ['**/cli/**', ...engines, 'apache-arrow'],
              message: 'Components never import DuckDB, onnxruntime or TF.js.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workers are thin shells that expose an engine.
    files: ['workers/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 50, skipComments: true, skipBlankLines: true }] },
  },
);
