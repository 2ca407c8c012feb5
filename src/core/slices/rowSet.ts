import { deflateSync, inflateSync } from 'fflate';
import { LoupeError } from '../errors';

/** A row-set slice holds at most this many rows (its SQL lists them; its link carries them). */
export const MAX_ROW_SET = 200_000;

/**
 * A set of row numbers as short text for a link: the gaps between the sorted rows as LEB128
 * varints, deflated, in base64url. A lasso of a few thousand rows is a few kilobytes.
 */
export function encodeRows(rows: ArrayLike<number>): string {
  const sorted = Uint32Array.from(rows).sort();
  const bytes: number[] = [];
  let prev = -1;
  for (const r of sorted) {
    if (r === prev) continue;
    let gap = r - prev - 1;
    prev = r;
    while (gap >= 0x80) {
      bytes.push((gap & 0x7f) | 0x80);
      gap >>>= 7;
    }
    bytes.push(gap);
  }
  const z = deflateSync(Uint8Array.from(bytes), { level: 9 });
  let bin = '';
  for (const b of z) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The rows of `encodeRows` text, ascending; anything malformed or too large is a LoupeError. */
export function decodeRows(text: string): Uint32Array {
  const bad = (why: string) => new LoupeError('bad-expression', `This row selection cannot be read: ${why}.`);
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) throw bad('it is not base64url text');
  let z: Uint8Array;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    z = inflateSync(
      Uint8Array.from(bin, (c) => c.charCodeAt(0)),
      { out: undefined },
    );
  } catch {
    throw bad('it is not compressed row numbers');
  }
  const out: number[] = [];
  let prev = -1;
  for (let i = 0; i < z.length;) {
    let gap = 0;
    let shift = 0;
    for (;;) {
      if (i >= z.length || shift > 28) throw bad('a row number is cut off');
      const b = z[i++];
      gap += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    prev += gap + 1;
    if (prev > 0xffffffff) throw bad('a row number is too large');
    out.push(prev);
    if (out.length > MAX_ROW_SET) throw bad(`it holds more than ${MAX_ROW_SET.toLocaleString('en-US')} rows`);
  }
  return Uint32Array.from(out);
}

/** SQL that holds for the rows (runs of consecutive rows as BETWEEN), on the row-number expression `row`. */
export function rowsSql(rows: Uint32Array, row: string): string {
  if (!rows.length) return 'FALSE';
  const single: number[] = [];
  const runs: string[] = [];
  for (let i = 0; i < rows.length;) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1] === rows[j] + 1) j++;
    if (j - i >= 2) runs.push(`${row} BETWEEN ${rows[i]} AND ${rows[j]}`);
    else for (let t = i; t <= j; t++) single.push(rows[t]);
    i = j + 1;
  }
  if (single.length) runs.push(`${row} IN (${single.join(', ')})`);
  return `(${runs.join(' OR ')})`;
}
