import { defineConfig } from 'vite';

// The `loupe` command compiled to one ES module for Node (dist-cli/main.mjs), so it starts without
// a TypeScript compiler; dependencies stay in node_modules. bin/loupe.mjs runs it.
export default defineConfig({
  publicDir: false,
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: { output: { entryFileNames: 'main.mjs', format: 'es' } },
  },
  logLevel: 'warn',
});
