import { expect, test } from 'vitest';
import { parseJsonRows } from '../../src/core/table/jsonRows';
import { LoupeError } from '../../src/core/errors';

test('columns in order of first appearance, missing keys null, types widened', () => {
  const c = parseJsonRows(
    '[{"a":1,"b":"x"},{"a":2.5,"c":true},{"b":null,"d":[0.2,0.8]},{"e":{"k":1}}]',
    false,
    'f.json',
  );
  expect(c.names).toEqual(['a', 'b', 'c', 'd', 'e']);
  expect(c.types).toEqual(['float', 'string', 'bool', 'float-list', 'string']);
  expect(c.values[0]).toEqual([1, 2.5, null, null]);
  expect(c.values[1]).toEqual(['x', null, null, null]);
  expect(c.values[4]).toEqual([null, null, null, '{"k":1}']);
});

test('mixed numbers and strings become text', () => {
  const c = parseJsonRows('{"a":1}\n{"a":"two"}\n', true, 'f.ndjson');
  expect(c.types).toEqual(['string']);
  expect(c.values[0]).toEqual(['1', 'two']);
});

test('errors name the file and the line or row', () => {
  const at = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e as LoupeError;
    }
    throw new Error('no error');
  };
  expect(at(() => parseJsonRows('{"a":1}\n\n{"a":}\n', true, 'f.ndjson')).context).toMatchObject({
    file: 'f.ndjson',
    line: 3,
  });
  expect(at(() => parseJsonRows('[{"a":1},\n{"a":2},\n{"a"}]', false, 'f.json')).message).toMatch(
    /^f.json, line 3: not valid JSON/,
  );
  expect(at(() => parseJsonRows('{"a":1}', false, 'f.json')).message).toMatch(/expected an array of objects/);
  expect(at(() => parseJsonRows('[1,2]', false, 'f.json')).context.row).toBe(1);
});

test('values nested deeper than the stack reaches are an error that says where, not a stack overflow', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const err = (text: string) => {
    try {
      parseJsonRows(text, false, 'f.json');
    } catch (e) {
      return e;
    }
    return null;
  };
  const row = err(`[${deep(200_000)}]`);
  expect(row).toBeInstanceOf(LoupeError);
  expect((row as LoupeError).message).toBe(
    `f.json, row 1: expected an object with one key per column, found an array (pandas' orient="values" names no columns: write orient="records").`,
  );
  const cell = err(`[{"a":1},{"a":1,"x":${deep(200_000)}}]`);
  expect(cell).toBeInstanceOf(LoupeError);
  expect((cell as LoupeError).message).toBe('f.json, row 2, column "x": the value is nested too deeply to read.');
  expect((cell as LoupeError).context).toMatchObject({ row: 2, column: 'x' });
});

test('an object holding one array of records beside what describes it (an API export) is that array; anything else is refused', () => {
  const c = parseJsonRows(
    '{"meta": {"model": "m1"}, "n": 2, "results": [{"label": "a"}, {"label": "b"}]}',
    false,
    'f.json',
  );
  expect(c.names).toEqual(['label']);
  expect(c.values[0]).toEqual(['a', 'b']);
  for (const text of ['{"a": [{"x": 1}], "b": [{"x": 2}]}', '{"data": [1, 2]}', '{"data": []}'])
    expect(() => parseJsonRows(text, false, 'f.json'), text).toThrow(/expected an array of objects/);
});
