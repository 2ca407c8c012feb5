import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';

/** Runs `loupe …` in-process; returns the exit code and what it wrote. */
export async function loupe(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });
  const code = await main(args, { out: sink((s) => (out += s)) as unknown as NodeJS.WriteStream, err: sink((s) => (err += s)) as unknown as NodeJS.WriteStream });
  return { code, out, err };
}

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const expected = (name: string) => JSON.parse(readFileSync(fixture(`expected/${name}.json`), 'utf8'));

/** Every number in `want` equals the one at the same place in `got` within 1e-9; everything else is equal. */
function close(got: unknown, want: unknown, where: string): void {
  if (typeof want === 'number') {
    expect(typeof got, where).toBe('number');
    expect(Math.abs((got as number) - want), `${where}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-9);
  } else if (Array.isArray(want)) {
    expect(Array.isArray(got), where).toBe(true);
    expect((got as unknown[]).length, where).toBe(want.length);
    want.forEach((w, i) => close((got as unknown[])[i], w, `${where}[${i}]`));
  } else if (want && typeof want === 'object') {
    for (const [k, w] of Object.entries(want)) {
      expect(got, where).toHaveProperty([k]);
      close((got as Record<string, unknown>)[k], w, `${where}.${k}`);
    }
  } else expect(got, where).toEqual(want);
}

describe('loupe eval --json equals scikit-learn on the reference fixtures', () => {
  for (const name of ['iris', 'wine', 'cancer', 'synth_noisy', 'diabetes']) {
    it(name, async () => {
      const exp = expected(name);
      const args = ['eval', fixture(`${name}.csv`), '--json', '--bootstrap', '0', '--label', exp.spec.label, '--pred', exp.spec.pred];
      if (exp.spec.prob) args.push('--probs-prefix', exp.spec.prob);
      if (exp.spec.task) args.push('--task', exp.spec.task);
      if (exp.spec.positive) args.push('--positive', exp.spec.positive);
      for (const by of exp.spec.by ?? []) args.push('--by', by);
      const r = await loupe(args);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const got = JSON.parse(r.out);
      expect(got.rows).toBe(exp.rows);
      expect(got.task).toBe(exp.spec.task ?? 'classification');
      if (exp.classes) expect(got.classes).toEqual(exp.classes);
      close(got.overall, exp.overall, 'overall');
      if (exp.per_class) close(got.per_class, exp.per_class, 'per_class');
      if (exp.confusion) close(got.confusion, exp.confusion, 'confusion');
      close(got.groups, exp.groups, 'groups');
      expect(Object.keys(got.groups)).toEqual(Object.keys(exp.groups));
      for (const col of Object.keys(exp.groups)) expect(Object.keys(got.groups[col]).sort()).toEqual(Object.keys(exp.groups[col]).sort());
    });
  }

  it('detects the roles by itself and gives the same numbers', async () => {
    const r = await loupe(['eval', fixture('cancer.csv'), '--json', '--bootstrap', '0']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out);
    expect(got.positive).toBe('malignant');
    close(got.overall, expected('cancer').overall, 'overall');
  });
});
