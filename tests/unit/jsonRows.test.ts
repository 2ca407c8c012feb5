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

test("objects holding more than numbers are spread into key.field columns, as pandas' json_normalize", () => {
  const rows = [
    { id: 1, meta: { source: 'web', len: 33, geo: { country: 'FR' } }, probs: { a: 0.3, b: 0.7 } },
    { id: 2, meta: { len: 5 }, probs: { a: 0.9, b: 0.1 } },
    { id: 3, meta: null, probs: null },
  ];
  const c = parseJsonRows(rows.map((r) => JSON.stringify(r)).join('\n'), true, 'f.ndjson');
  expect(c.names).toEqual(['id', 'meta.source', 'meta.len', 'meta.geo.country', 'probs']);
  expect(c.values[1]).toEqual(['web', null, null]);
  expect(c.values[2]).toEqual([33, 5, null]);
  expect(c.values[3]).toEqual(['FR', null, null]);
  // Numbers only: one column of JSON text, which the engine reads as class scores.
  expect(c.values[4]).toEqual(['{"a":0.3,"b":0.7}', '{"a":0.9,"b":0.1}', null]);
  // Nested deeper than 8 levels: the rest stays JSON text.
  let deep: unknown = { leaf: 'x' };
  for (let i = 0; i < 12; i++) deep = { k: deep };
  const d = parseJsonRows(JSON.stringify([{ d: deep }]), false, 'f.json');
  expect(d.names).toEqual(['d.k.k.k.k.k.k.k.k']);
  expect(String(d.values[0][0])).toMatch(/^\{"k":/);
});

test('a record spread past 2,000 columns is refused while parsing, saying so', () => {
  const wide = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`k${i}`, 'x']));
  expect(() => parseJsonRows(JSON.stringify([{ label: 'a', meta: wide }]), false, 'wide.json')).toThrow(
    'wide.json has 2,001 columns; Loupe opens at most 2,000.',
  );
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

test("Python's json.dump (NaN, Infinity, -Infinity outside strings) is read as it writes them; inside strings they stay text", () => {
  const text = '[{"s": "NaN \\" Infinity", "x": NaN, "y": -Infinity}, {"s": "b", "x": 1.5, "y": Infinity}]';
  for (const [t, nd] of [
    [text, false],
    [text.slice(1, -1).replace('}, {', '}\n{'), true],
  ] as const) {
    const c = parseJsonRows(t, nd, 'f.json');
    expect(c.names).toEqual(['s', 'x', 'y']);
    expect(c.values).toEqual([
      ['NaN " Infinity', 'b'],
      [null, 1.5],
      [-Infinity, Infinity],
    ]);
    expect(c.types).toEqual(['string', 'float', 'float']);
  }
  // Anything else wrong is said as before.
  expect(() => parseJsonRows('[{"x": NaN, "y": nope}]', false, 'f.json')).toThrow(/not valid JSON/);
});
