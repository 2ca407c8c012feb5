#!/usr/bin/env node
// The `loupe` command: TypeScript sources run through tsx, so the CLI is always the current core.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly with the command's code once output is flushed: DuckDB's wasm runtime must not
// be able to turn a failure into exit 0 (issue 12).
await new Promise((resolve) => process.stdout.write('', resolve));
process.exit(code);
