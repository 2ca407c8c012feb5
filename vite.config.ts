import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

// Threads in DuckDB-wasm need cross-origin isolation; the app also works without it.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './', // relative asset paths: dist/ works from any static host under any path
  plugins: [svelte()],
  resolve: {
    alias: [
      // The blocking build runs DuckDB inside our own data worker; it is not in the export map.
      {
        find: /^duckdb-browser-blocking$/,
        replacement: fileURLToPath(
          new URL('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url),
        ),
      },
    ],
  },
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm', 'onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
});
