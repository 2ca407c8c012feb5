import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { parseNpy } from '../../src/core/table/npy';
import { detectFormat } from '../../src/core/table/format';

/** Arrays np.save wrote and the values np.load reads back: scripts/make_npy_fixtures.py. */
const file = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/npy/${name}`, import.meta.url)));
const expected: Record<string, unknown[]> = JSON.parse(
  readFileSync(new URL('../fixtures/npy/expected.json', import.meta.url), 'utf8'),
);

test('every dtype and layout np.save writes reads as np.load reads it, one column named after the file', () => {
  for (const [name, values] of Object.entries(expected)) {
    const bytes = file(`${name}.npy`);
    expect(detectFormat(`${name}.npy`, bytes.subarray(0, 64)).format, name).toBe('npy');
    const c = parseNpy(bytes, `data/${name}.npy`);
    expect(c.names, name).toEqual([name]);
    expect(c.values[0], name).toEqual(values);
  }
  expect(parseNpy(file('matrix_c.npy'), 'probs.npy').types).toEqual(['float-list']);
  expect(parseNpy(file('U.npy'), 'y.npy').types).toEqual(['string']);
  expect(parseNpy(file('b1.npy'), 'y.npy').types).toEqual(['bool']);
  expect(parseNpy(file('i8.npy'), 'y.npy').types).toEqual(['int']);
});

test('pickled objects, records, more dimensions and a cut file are refused with what to do', () => {
  const refused = (name: string, bytes = file(name)) => {
    try {
      parseNpy(bytes, name);
    } catch (e) {
      return (e as Error).message;
    }
    return 'read';
  };
  expect(refused('objects.npy')).toMatch(/Python objects \(pickled\), which Loupe does not run/);
  expect(refused('records.npy')).toMatch(/a structured array \(records\): save each field/);
  expect(refused('cube.npy')).toMatch(/an array of shape \(2, 2, 2\): .* reshape it first/);
  const f8 = file('f8.npy');
  expect(refused('cut.npy', f8.subarray(0, f8.length - 3))).toMatch(/the file ends before its 4 values/);
});

test('a header that claims more values than may be read is refused before anything is read', () => {
  const f8 = file('f8.npy');
  const header = new TextDecoder().decode(f8.subarray(10, 10 + (f8[8] | (f8[9] << 8))));
  const huge = header.replace(/'shape': \(\d+,\)/, "'shape': (100000000,)").padEnd(header.length);
  expect(huge).not.toBe(header);
  const bytes = new Uint8Array(f8);
  bytes.set(new TextEncoder().encode(huge), 10);
  expect(() => parseNpy(bytes, 'huge.npy')).toThrow(/100,000,000 values; at most 64,000,000 are read/);
});
