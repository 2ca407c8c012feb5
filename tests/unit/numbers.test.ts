import { describe, expect, test } from 'vitest';
import {
  formatCell,
  formatCompact,
  formatDelta,
  formatInterval,
  formatMetric,
  formatNumber,
  formatP,
  formatProb,
  formatValue,
} from '../../src/app/format';
import { describe as describePredicate } from '../../src/core/slices/predicate';

describe('one number formatter', () => {
  test('metrics: three decimals, never e-notation for small values', () => {
    expect(formatMetric(0.82701)).toBe('0.827');
    expect(formatMetric(0.00055)).toBe('0.001');
    expect(formatMetric(-0.25)).toBe('−0.250');
    expect(formatMetric(12.3456)).toBe('12.35');
    expect(formatMetric(null)).toBe('—');
  });
  test('deltas carry a sign in the same precision; a change that rounds away is ≈ 0', () => {
    expect(formatDelta(-0.00055)).toBe('−0.001');
    expect(formatDelta(0.0012)).toBe('+0.001');
    expect(formatDelta(0.0001)).toBe('≈ 0');
    expect(formatDelta(0)).toBe('+0.000');
  });
  test('probabilities: tiny ones keep their exponent', () => {
    expect(formatProb(1.3974362877421e-7)).toBe('1.4e-7');
    expect(formatProb(0.92)).toBe('0.920');
    expect(formatProb(0)).toBe('0.000');
  });
  test('intervals as [lo, hi]', () => {
    expect(formatInterval([0.333, 0.543])).toBe('[0.333, 0.543]');
    expect(formatInterval([-0.0406, 0.011])).toBe('[−0.041, 0.011]');
    expect(formatInterval(null)).toBe('');
  });
  test('cells: six significant digits, the exponent kept', () => {
    expect(formatCell(1.3974362877421e-7)).toBe('1.39744e-7');
    expect(formatCell(17.067999999999998)).toBe('17.068');
    expect(formatCell(42)).toBe('42');
    // Integers past 15 digits (a HUGEINT or UBIGINT read as a double) in e-notation, not 39 digits cut off.
    expect(formatCell(1.7014118346046e38)).toBe('1.70141e+38');
    expect(formatCell(123456789012345)).toBe('123456789012345');
    expect(formatNumber(1.7014118346046e38)).toBe('1.701e+38');
    expect(formatNumber(-2e20)).toBe('-2.000e+20');
    expect(formatNumber(123456789012345)).toBe('123,456,789,012,345');
  });
  test('p-values: three significant digits, e-notation below 0.001, and a p-value a double cannot hold said so', () => {
    expect(formatP(0.02190016692654223)).toBe('0.0219');
    expect(formatP(0.000312)).toBe('3.12e-4');
    expect(formatP(0)).toBe('< 1e-300');
    expect(formatP(null)).toBe('–');
  });
  test('compact counts for cells too narrow for the exact one', () => {
    expect(formatCompact(987)).toBe('987');
    expect(formatCompact(12_345)).toBe('12.3k');
    expect(formatCompact(1_234_567)).toBe('1.23M');
    expect(formatCompact(999_999)).toBe('1M');
    expect(formatCompact(2_999_000)).toBe('3M');
  });
  test('slice descriptions drop floating-point noise', () => {
    expect(describePredicate({ kind: 'cond', column: 'temp_max', op: '>=', value: 17.067999999999998 })).toBe(
      'temp_max ≥ 17.068',
    );
  });
});

describe('a value under review', () => {
  test('ten significant digits with thousands separators; e-notation only past 1e15 or below 1e-4', () => {
    expect(formatValue(17818562.35)).toBe('17,818,562.35');
    expect(formatValue(-2000000)).toBe('-2,000,000');
    expect(formatValue(162.72546839401)).toBe('162.7254684');
    expect(formatValue(0.00012)).toBe('0.00012');
    expect(formatValue(0.00001234)).toBe('1.234000e-5');
    expect(formatValue(3e16)).toBe('3.000000e+16');
    expect(formatValue(NaN)).toBe('NaN');
  });
});
