import { Writable } from 'node:stream';
import { main } from '../../src/cli/main';

/** Runs `loupe …` in-process; returns the exit code and what it wrote. */
export async function loupe(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });
  const code = await main(args, { out: sink((s) => (out += s)), err: sink((s) => (err += s)) });
  return { code, out, err };
}
