import { expect, test } from 'vitest';
import { describeDuckError } from '../../src/engine/duckErrors';
import { LoupeError } from '../../src/core/errors';

test('DuckDB CSV errors become malformed-csv with the line and a plain reason', () => {
  const e = describeDuckError(new Error('Invalid Input Error: CSV Error on Line: 3002\nOriginal Line: 1,2\nExpected Number of Columns: 3 Found: 2\nPossible fixes: ...'), { file: 'x.csv' });
  expect(e).toMatchObject({ code: 'malformed-csv', context: { file: 'x.csv', line: 3002 } });
  expect(e.message).toBe('x.csv, line 3002: malformed CSV. Expected 3 fields, as in the header, but found 2.');
});

test('out of memory becomes too-large', () => {
  const e = describeDuckError(new Error('Out of Memory Error: failed to allocate data of size 2.0 GiB'), { file: 'big.csv' });
  expect(e.code).toBe('too-large');
  expect(e.message).toMatch(/^big.csv is too large/);
});

test('a LoupeError passes through unchanged; anything else keeps its first lines', () => {
  const original = new LoupeError('empty-file', 'x');
  expect(describeDuckError(original, {})).toBe(original);
  const e = describeDuckError(new Error('Binder Error: Referenced column "nope" not found\nLINE 1: ...'), {});
  expect(e.code).toBe('unknown-column');
  expect(e.message).toBe('Binder Error: Referenced column "nope" not found LINE 1: ...');
});
