import { expect, test } from 'vitest';
import { describeDuckError } from '../../src/engine/duckErrors';
import { LoupeError } from '../../src/core/errors';

test('DuckDB CSV errors become malformed-csv with the line and a plain reason', () => {
  const e = describeDuckError(
    new Error(
      'Invalid Input Error: CSV Error on Line: 3002\nOriginal Line: 1,2\nExpected Number of Columns: 3 Found: 2\nPossible fixes: ...',
    ),
    { file: 'x.csv' },
  );
  expect(e).toMatchObject({ code: 'malformed-csv', context: { file: 'x.csv', line: 3002 } });
  expect(e.message).toBe('x.csv, line 3002: malformed CSV. Expected 3 fields, as in the header, but found 2.');
});

test('out of memory becomes too-large', () => {
  const e = describeDuckError(new Error('Out of Memory Error: failed to allocate data of size 2.0 GiB'), {
    file: 'big.csv',
  });
  expect(e.code).toBe('too-large');
  expect(e.message).toMatch(/^big.csv is too large/);
});

test('a LoupeError passes through unchanged; anything else keeps its first lines', () => {
  const original = new LoupeError('empty-file', 'x');
  expect(describeDuckError(original, {})).toBe(original);
  const e = describeDuckError(new Error('Binder Error: Referenced column "nope" not found\nLINE 1: ...'), {});
  expect(e.code).toBe('unknown-column');
  expect(e.message).toBe('Referenced column "nope" not found');
});

test('expression errors lose the internal query, the error class and the candidate list; JSON errors are read', () => {
  const binder = describeDuckError(
    new Error(
      `Binder Error: Cannot compare values of type VARCHAR and type INTEGER_LITERAL - an explicit cast is required\nLINE 1: ... CAST(rowid AS UINTEGER) AS r FROM "ds_1" WHERE (("season" > 3))`,
    ),
    {},
  );
  expect(binder.message).toBe(
    "cannot compare text (VARCHAR) with a whole number (INTEGER): quote text values ('3'), or convert with CAST(… AS type).",
  );
  const fn = describeDuckError(
    new Error(
      `Binder Error: No function matches the given name and argument types 'lower(DOUBLE)'. You might need to add explicit type casts.\n\tCandidate functions:\n\tlower(VARCHAR) -> VARCHAR\n\nLINE 1: SELECT ...`,
    ),
    {},
  );
  expect(fn.message).toBe(
    'lower() does not take a number (DOUBLE): convert a value with CAST(… AS VARCHAR) or CAST(… AS DOUBLE).',
  );
  const json = describeDuckError(
    new Error(
      JSON.stringify({
        exception_type: 'Conversion',
        exception_message: 'extract specifier "yearz" not recognized',
        position: '40',
      }),
    ),
    {},
  );
  expect(json.message).toBe('extract specifier "yearz" not recognized');
  expect(json.message).not.toMatch(/ds_\d|rowid|exception/);
});
