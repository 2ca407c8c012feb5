import { expect, test } from 'vitest';
import { numberStyleOf } from '../../src/core/table/missing';

test('numbers with thousands separators are told by their groups of three, decimal commas by the rest, percentages by their sign; versions, codes and plain decimals are not', () => {
  expect(numberStyleOf(['1,234.5', '980', '-12,345,678.25'])).toBe('comma');
  expect(numberStyleOf(['1.234,5', '980,0', '1.000'])).toBe('dot');
  // Plain numbers left as text (JSON strings): whole ones as integers; a 19-digit id stays text.
  expect(numberStyleOf(['980', '12.5'])).toBe('plain');
  expect(numberStyleOf(['980', '-12', '007'])).toBe('integer');
  expect(numberStyleOf(['1234567890123456789'])).toBeNull();
  // A text column declared so (Parquet, Arrow) keeps plain numbers as text ("00501" stays a code).
  expect(numberStyleOf(['00501', '02139'], false)).toBeNull();
  // A decimal comma quoted in a "," file ("0,25"): one that cannot be a thousands separator.
  expect(numberStyleOf(['0,25', '1,5'])).toBe('decimal');
  expect(numberStyleOf(['0,250', '0,125'])).toBe('decimal');
  expect(numberStyleOf(['1,23', '4,567'])).toBe('decimal');
  expect(numberStyleOf(['1,250', '4,567'])).toBe('comma');
  // Not whole groups of three, or not numbers.
  expect(numberStyleOf(['1.2.3', '1.10.0'])).toBeNull();
  expect(numberStyleOf(['1,2,3'])).toBeNull();
  expect(numberStyleOf(['1,234', 'about 5'])).toBeNull();
  expect(numberStyleOf([])).toBeNull();
  // Percentages: every value with its sign.
  expect(numberStyleOf(['85%', '12.5 %', '-3%', '.5%'])).toBe('percent');
  expect(numberStyleOf(['85%', '12'])).toBeNull();
  expect(numberStyleOf(['85,5%'])).toBeNull();
});
