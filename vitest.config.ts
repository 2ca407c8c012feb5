import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Unit tests once; the engine suites (tests/integration, the `loupe` command included) twice, on
// native DuckDB (@duckdb/node-api, as `loupe` runs) and on DuckDB-wasm (as the browser runs), in
// the manner of duckdb-wasm's own suites. LOUPE_ENGINE picks the engine (src/engine/nodePlatform.ts).
const integration = (engine: 'native' | 'wasm') => ({
  extends: true,
  test: { name: `integration-${engine}`, include: ['tests/integration/**/*.test.ts'], env: { LOUPE_ENGINE: engine } },
});

export default defineConfig({
  test: {
    testTimeout: 60000,
    // One file per core: vitest's default leaves one core idle, and most engine tests (DuckDB-wasm)
    // use one thread.
    maxWorkers: availableParallelism(),
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      integration('native'),
      integration('wasm'),
    ],
  },
});
