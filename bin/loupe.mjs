#!/usr/bin/env node
// The `loupe` command: TypeScript sources run through tsx, so the CLI is always the current core.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
