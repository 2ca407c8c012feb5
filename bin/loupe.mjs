#!/usr/bin/env node
// The `loupe` command. It runs the compiled dist-cli/main.mjs (`npm run build`, also run by
// `npm install`), or, when that is missing or older than a source file, the TypeScript sources
// through tsx, so it is never stale.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = `${root}dist-cli/main.mjs`;

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

// A reader that stops early (`loupe issues --json | head`) closes the pipe: what is left to write has
// no one to read it, which is no error of the command's. It ends with its own exit code.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
  });

let main;
if (existsSync(compiled) && statSync(compiled).mtimeMs >= newestSource(`${root}src`)) {
  ({ main } = await import(compiled));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
const code = await main(process.argv.slice(2));
// Exit explicitly with the command's code once output is flushed: DuckDB's wasm runtime must not
// be able to turn a failure into exit 0 (issue 12).
await new Promise((resolve) => process.stdout.write('', resolve));
process.exit(code);
