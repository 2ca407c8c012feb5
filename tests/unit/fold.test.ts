import { describe, expect, it } from 'vitest';
import { describeFound, foldSlices } from '../../src/core/slices/fold';

const s = (predicates: Record<string, string>, size: number, errors: number) => ({ predicates, size, errors });

describe('folding found slices', () => {
  it('one slice for the same rows, kept under its shortest description, in list order', () => {
    const long = s({ month: 'Jan', season: 'winter', rain: '[0, 0.3)' }, 58, 33);
    const short = s({ month: 'Jan', rain: '[0, 0.3)' }, 58, 33);
    const other = s({ season: 'winter' }, 361, 100);
    const folded = foldSlices([long, short, other]);
    expect(folded.map((f) => f.slice)).toEqual([short, other]);
    expect(folded[0].same).toEqual([long]);
  });
  it('a refinement that is not worse than the rest of its parent adds nothing; one that is, stays', () => {
    const real = s({ a: '1' }, 1000, 400);
    const noise = s({ a: '1', noise: 'x' }, 500, 205);
    const sharper = s({ a: '1', b: '2' }, 200, 150);
    const folded = foldSlices([real, noise, sharper]);
    expect(folded.find((f) => f.slice === noise)!.addsNothingTo).toBe(real);
    expect(folded.find((f) => f.slice === sharper)!.addsNothingTo).toBeNull();
    expect(folded.find((f) => f.slice === real)!.addsNothingTo).toBeNull();
  });
});

describe('a found slice as text', () => {
  it('values with "=", bins with "in"', () => {
    expect(describeFound({ season: 'winter', temp_max: '[10, 13.3)' })).toBe(
      'season = winter AND temp_max in [10, 13.3)',
    );
  });
});
