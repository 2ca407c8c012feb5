import { expect, test } from 'vitest';
import { ident, literal } from '../../src/core/sql';

test('identifiers are double-quoted with quotes doubled', () => {
  expect(ident('a')).toBe('"a"');
  expect(ident('we"ird name')).toBe('"we""ird name"');
  expect(ident('naïve.col')).toBe('"naïve.col"');
  expect(() => ident('a\u0000b')).toThrow(/NUL/);
});

test('literals are quoted by type', () => {
  expect(literal("O'Brien")).toBe("'O''Brien'");
  expect(literal("'; DROP TABLE t; --")).toBe("'''; DROP TABLE t; --'");
  expect(literal(1.5)).toBe('1.5');
  expect(literal(Number.NaN)).toBe("'NaN'::DOUBLE");
  expect(literal(true)).toBe('TRUE');
  expect(literal(null)).toBe('NULL');
});
