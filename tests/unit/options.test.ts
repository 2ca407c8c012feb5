import { describe, expect, it } from 'vitest';
import { checkOptions, inRange, RANGES, rangeWords } from '../../src/core/options';

describe('analysis options are checked where they arrive', () => {
  it('numbers against their range, with the range in the message', () => {
    expect(() =>
      checkOptions(
        { k: 10, maxLevel: 3, alpha: 0.95, minSupport: 32, bins: 5, threshold: 0.5, resamples: 0 },
        'Find slices',
      ),
    ).not.toThrow();
    expect(() => checkOptions({ k: 0 }, 'Find slices')).toThrow(
      'Find slices: k 0 is not a whole number from 1 to 1000.',
    );
    expect(() => checkOptions({ alpha: 0 }, 'Find slices')).toThrow('alpha 0 is not a number above 0 and up to 1.');
    expect(() => checkOptions({ bins: 2.5 }, 'Slice by column')).toThrow(
      /bins 2.5 is not a whole number from 2 to 100/,
    );
    expect(() => checkOptions({ threshold: Number.NaN }, 'Evaluate')).toThrow(
      /threshold null is not a number from 0 to 1/,
    );
    expect(() => checkOptions({ resamples: '1000' }, 'Compare')).toThrow(/resamples "1000"/);
    expect(() => checkOptions({ threshold: null, bins: undefined }, 'Evaluate')).not.toThrow();
  });

  it('named choices against their list', () => {
    expect(() => checkOptions({ error: 'logloss', binning: 'width' }, 'Find slices')).not.toThrow();
    expect(() => checkOptions({ error: 'rmse' }, 'Find slices')).toThrow(
      'Find slices: error "rmse" is not one of misclassified, logloss, true-class-prob, absolute, squared.',
    );
    expect(() => checkOptions({ binning: 'kmeans' }, 'Find slices')).toThrow(
      /binning "kmeans" is not one of quantile, width/,
    );
  });

  it('the CLI and the engine read one table', () => {
    expect(inRange(1, RANGES.alpha)).toBe(true);
    expect(inRange(0, RANGES.alpha)).toBe(false);
    expect(rangeWords(RANGES.minSupport)).toBe(`a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`);
  });
});
