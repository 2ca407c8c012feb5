import { expect, test } from 'vitest';
import { groupingOf } from '../../src/core/table/missing';

test('numbers with thousands separators are told by their groups of three; versions, codes and plain decimals are not', () => {
  expect(groupingOf(['1,234.5', '980', '-12,345,678.25'])).toBe('comma');
  expect(groupingOf(['1.234,5', '980,0', '1.000'])).toBe('dot');
  // No separator among them: DuckDB reads plain numbers (and decimal commas in ";" files) itself.
  expect(groupingOf(['980', '12.5'])).toBeNull();
  expect(groupingOf(['0,25', '1,5'])).toBeNull();
  // Not whole groups of three, or not numbers.
  expect(groupingOf(['1.2.3', '1.10.0'])).toBeNull();
  expect(groupingOf(['1,23', '4,567'])).toBeNull();
  expect(groupingOf(['1,234', 'about 5'])).toBeNull();
  expect(groupingOf([])).toBeNull();
});
