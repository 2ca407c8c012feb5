// Serves the built app with `vite preview` (COOP/COEP headers on) and runs the Playwright journeys
// in Debian's Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) with node's test runner.
import { spawn } from 'node:child_process';
import { preview } from 'vite';
import { existsSync, readdirSync } from 'node:fs';

if (!existsSync('dist/index.html')) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(2);
}
const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
const base = server.resolvedUrls.local[0];
// Extra arguments: test files to run (default: all) and node --test options such as --test-name-pattern=….
const extra = process.argv.slice(2);
const named = extra.filter((a) => !a.startsWith('--'));
const files = named.length
  ? named
  : readdirSync('tests/e2e')
      .filter((f) => f.endsWith('.test.mjs'))
      .map((f) => `tests/e2e/${f}`);
const code = await new Promise((resolve) => {
  const t = spawn(
    process.execPath,
    ['--test', '--test-concurrency=1', '--test-reporter=spec', ...extra.filter((a) => a.startsWith('--')), ...files],
    { stdio: 'inherit', env: { ...process.env, LOUPE_URL: base } },
  );
  t.on('exit', (c) => resolve(c ?? 1));
});
await server.close();
process.exit(code);
