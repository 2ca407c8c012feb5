import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loupe } from './cli';
import { newEngine } from './engine';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const expected = (name: string) => JSON.parse(readFileSync(fixture(`expected/${name}.json`), 'utf8'));

describe('loupe slices equals the exhaustive SliceLine top-K on the fixtures', () => {
  for (const name of ['cancer', 'synth_noisy']) {
    it(name, async () => {
      const exp = expected(name);
      const p = exp.slices.params;
      expect(p.error).toBe('pred != label');
      const r = await loupe([
        'slices',
        fixture(`${name}.csv`),
        '--json',
        '--features',
        exp.spec.features.join(','),
        '--k',
        String(p.k),
        '--max-level',
        String(p.max_level),
        '--alpha',
        String(p.alpha),
        '--min-support',
        String(p.min_support),
      ]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const got = JSON.parse(r.out);
      expect(got.slices.map((s: { predicates: unknown }) => s.predicates)).toEqual(
        exp.slices.top.map((s: { predicates: unknown }) => s.predicates),
      );
      got.slices.forEach(
        (
          s: {
            size: number;
            errors: number;
            error_rate: number;
            score: number;
            p_adjusted: number;
            p_value: number;
            interval: number[];
          },
          i: number,
        ) => {
          const want = exp.slices.top[i];
          expect(s.size).toBe(want.size);
          expect(s.errors).toBe(want.errors);
          expect(Math.abs(s.error_rate - want.error_rate)).toBeLessThan(1e-12);
          expect(Math.abs(s.score - want.score)).toBeLessThan(1e-9);
          expect(s.p_adjusted).toBeGreaterThanOrEqual(s.p_value);
          expect(s.interval[0]).toBeLessThan(s.error_rate);
        },
      );
    });
  }

  it('defaults, numeric bins with their edges, other error kinds', async () => {
    const r = JSON.parse(
      (
        await loupe([
          'slices',
          fixture('cancer.csv'),
          '--json',
          '--features',
          'mean_radius,texture_group',
          '--error',
          'logloss',
          '--k',
          '3',
        ])
      ).out,
    );
    expect(r.params.error).toBe('logloss');
    expect(r.bins.mean_radius).toHaveLength(5);
    expect(r.bins.mean_radius[0]).toMatch(/^\[6\.981, /);
    expect(r.slices.length).toBeGreaterThan(0);
    for (const s of r.slices) expect(s.p_value === null || (s.p_value >= 0 && s.p_value <= 1)).toBe(true);
    const w = JSON.parse(
      (
        await loupe([
          'slices',
          fixture('cancer.csv'),
          '--json',
          '--features',
          'mean_radius',
          '--binning',
          'width',
          '--bins',
          '4',
        ])
      ).out,
    );
    expect(w.params.binning).toBe('width');
    const edges = w.bins.mean_radius.map((l: string) => Number(/^\[([^,]+),/.exec(l)![1]));
    const widths = edges.slice(1).map((e: number, i: number) => e - edges[i]);
    for (const x of widths) expect(Math.abs(x - widths[0])).toBeLessThan(0.02); // labels show 4 significant digits
    const d = JSON.parse(
      (
        await loupe([
          'slices',
          fixture('diabetes.csv'),
          '--json',
          '--task',
          'regression',
          '--error',
          'squared',
          '--max-level',
          '2',
        ])
      ).out,
    );
    expect(d.params.features).toContain('sex');
    expect(d.params.min_support).toBe(32);
  });

  it('says what is wrong with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['slices'], /missing the data file/],
      [['slices', fixture('cancer.csv'), '--error', 'bogus'], /--error must be one of/],
      [['slices', fixture('cancer.csv'), '--error', 'squared'], /--error squared is for regression/],
      [['slices', fixture('cancer.csv'), '--features', 'nope'], /--features: no column "nope"/],
      [['slices', fixture('cancer.csv'), '--k', '0'], /--k "0": expected a whole number from 1 to 1000/],
    ];
    for (const [args, msg] of cases) {
      const r = await loupe(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(msg);
    }
  });

  it('the engine refuses options out of range whoever sends them (the app as well as the command)', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'cancer.csv', bytes: new Uint8Array(readFileSync(fixture('cancer.csv'))) });
    const { roles } = await engine.roles(info.id);
    await expect(engine.findSlices(info.id, { roles }, { k: 0 })).rejects.toThrow(
      'Find slices: k 0 is not a whole number from 1 to 1000.',
    );
    await expect(engine.findSlices(info.id, { roles }, { error: 'bogus' as never })).rejects.toThrow(
      /error "bogus" is not one of/,
    );
    await expect(engine.compare(info.id, { roles }, { roles }, { resamples: -1 })).rejects.toThrow(
      /Compare: resamples -1/,
    );
    await expect(engine.evaluate(info.id, { roles, threshold: 1.5 }, null)).rejects.toThrow(
      /Evaluate: threshold 1.5 is not a number from 0 to 1/,
    );
    await expect(engine.groups(info.id, 'mean_radius', 1)).rejects.toThrow(/Slice by column: bins 1/);
  });
});
