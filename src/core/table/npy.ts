import { LoupeError } from '../errors';
import type { JsonColumns, JsonColumnType } from './jsonRows';

/** The most values read from one .npy file (100,000 rows × 640; as much as 512 MiB of JSON holds). */
const MAX_VALUES = 64_000_000;

/** The first bytes of a NumPy `.npy` file (`np.save`). */
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/**
 * A NumPy array saved with `np.save` as a table of one column, named after the file (`y_test.npy` →
 * `y_test`, so a label, prediction or probability list is found by its name as in any file): one value
 * per row for a 1-D array (or n × 1), one list per row for a 2-D one (probabilities, an embedding).
 * Numbers, booleans and text (`<U`, `|S`); pickled objects, records and more dimensions are refused
 * with what to save instead.
 */
export function parseNpy(bytes: Uint8Array, file: string): JsonColumns {
  const fail = (why: string): never => {
    throw new LoupeError('malformed-npy', `${file}: ${why}`, { file });
  };
  if (bytes.length < 10 || !NPY_MAGIC.every((b, i) => bytes[i] === b)) fail('not a NumPy .npy file.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLength;
  if (start > bytes.length) fail('the file ends inside its header.');
  const header = new TextDecoder().decode(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined)
    fail(
      /'descr':\s*\[/.test(header)
        ? 'a structured array (records): save each field as its own array, or the table as CSV or Parquet.'
        : 'its header names no type or shape.',
    );
  const shape = shapeText!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.length === 0 || shape.length > 2 || shape.some((n) => !Number.isInteger(n) || n < 0))
    fail(
      `an array of shape (${shapeText}): Loupe reads one value or one list per row (1 or 2 dimensions); reshape it first.`,
    );
  const [rows, width = 1] = shape;
  const kind = descr![1];
  const size = Number(descr!.slice(2));
  if (kind === 'O') fail('an array of Python objects (pickled), which Loupe does not run: save numbers or text.');
  const reader = readerOf(descr!, view, start, fail);
  const total = rows * width;
  if (total > MAX_VALUES)
    fail(
      `${total.toLocaleString('en-US')} values; at most ${MAX_VALUES.toLocaleString('en-US')} are read from a .npy file (they are held in memory as they are read). Save them as Parquet, which is read in slices.`,
    );
  const itemBytes = kind === 'U' ? 4 * size : size; // UTF-32 text
  if (start + total * itemBytes > bytes.length)
    fail(`the file ends before its ${total.toLocaleString('en-US')} values.`);
  // Row-major unless saved in Fortran order (column-major).
  const at = (r: number, c: number) => (fortran ? c * rows + r : r * width + c);
  const name = file
    .replace(/^.*[\\/]/, '')
    .replace(/\.gz$/i, '')
    .replace(/\.npy$/i, '');
  const list = shape.length === 2 && width > 1;
  const text = kind === 'U' || kind === 'S';
  if (list && (text || kind === 'b')) fail(`a 2-D array of ${text ? 'text' : 'booleans'}: save one column per file.`);
  const values = Array.from({ length: rows }, (_, r) =>
    list ? Array.from({ length: width }, (_, c) => reader(at(r, c))) : reader(at(r, 0)),
  );
  const type: JsonColumnType = list
    ? 'float-list'
    : text
      ? 'string'
      : kind === 'b'
        ? 'bool'
        : kind === 'f'
          ? 'float'
          : 'int';
  return { names: [name || 'values'], types: [type], values: [values] };
}

/** The value at index i of the data, for a descr such as `<f8`, `|b1`, `<U5`, `|S3`. */
function readerOf(
  descr: string,
  view: DataView,
  start: number,
  fail: (why: string) => never,
): (i: number) => number | boolean | string | null {
  const little = descr[0] !== '>';
  const kind = descr[1];
  const size = Number(descr.slice(2));
  const off = (i: number) => start + i * size;
  if (kind === 'f' && size === 8) return (i) => nanToNull(view.getFloat64(off(i), little));
  if (kind === 'f' && size === 4) return (i) => nanToNull(view.getFloat32(off(i), little));
  if (kind === 'f' && size === 2) return (i) => nanToNull(half(view.getUint16(off(i), little)));
  if (kind === 'b' && size === 1) return (i) => view.getUint8(off(i)) !== 0;
  if ((kind === 'i' || kind === 'u') && [1, 2, 4, 8].includes(size)) {
    const signed = kind === 'i';
    const get = {
      1: (p: number) => (signed ? view.getInt8(p) : view.getUint8(p)),
      2: (p: number) => (signed ? view.getInt16(p, little) : view.getUint16(p, little)),
      4: (p: number) => (signed ? view.getInt32(p, little) : view.getUint32(p, little)),
      8: (p: number) => Number(signed ? view.getBigInt64(p, little) : view.getBigUint64(p, little)),
    }[size as 1 | 2 | 4 | 8];
    return (i) => get(off(i));
  }
  if (kind === 'U' && size > 0)
    // UTF-32, `size` code points, padded with zeros.
    return (i) => {
      let s = '';
      for (let k = 0; k < size; k++) {
        const cp = view.getUint32(start + (i * size + k) * 4, little);
        if (cp === 0) break;
        s += String.fromCodePoint(cp);
      }
      return s;
    };
  if (kind === 'S' && size > 0)
    return (i) => {
      const bytes = new Uint8Array(view.buffer, view.byteOffset + off(i), size);
      const end = bytes.indexOf(0);
      return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
    };
  return fail(`an array of type ${descr}, which Loupe does not read: save numbers, booleans or text.`);
}

const nanToNull = (x: number) => (Number.isNaN(x) ? null : x);

/** An IEEE half-precision float from its bits. */
function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
