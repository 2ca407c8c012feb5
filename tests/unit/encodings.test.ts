import { expect, test } from 'vitest';
import { utf16Encoding, utf16ToUtf8, windows1252ToUtf8 } from '../../src/core/table/encodings';

const text = (bytes: Uint8Array) => new TextDecoder().decode(windows1252ToUtf8(bytes));

test('Windows-1252 bytes become UTF-8: Latin-1 as is, 0x80–0x9F as Windows-1252 has them', () => {
  expect(text(Uint8Array.from([0x93, 0x63, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x96, 0x20, 0x80]))).toBe('“café” – €');
  expect(text(Uint8Array.from([0x8a, 0x9a, 0x9f, 0xa0, 0xff]))).toBe('Šš\u0178\u00a0ÿ');
  // Bytes Windows-1252 leaves undefined stay their code point.
  expect(text(Uint8Array.from([0x81, 0x8d]))).toBe('\u0081\u008d');
});

test('across chunk boundaries, as long as the input', () => {
  const bytes = new Uint8Array(200_001).fill(0x61);
  bytes[65_535] = 0x80;
  bytes[65_536] = 0xe9;
  bytes[200_000] = 0x94;
  const out = text(bytes);
  expect(out.length).toBe(200_001);
  expect([out[65_535], out[65_536], out[200_000], out[0]]).toEqual(['€', 'é', '”', 'a']);
});

test('UTF-16 in either byte order becomes UTF-8, a character split between chunks whole', () => {
  const s = `${'a'.repeat(32_767)}🙂é\r\n`; // the emoji's two units straddle the 65,536-byte chunk
  const units = [0xfeff, ...Array.from({ length: s.length }, (_, i) => s.charCodeAt(i))];
  const le = Uint8Array.from(units.flatMap((u) => [u & 0xff, u >> 8]));
  const be = Uint8Array.from(units.flatMap((u) => [u >> 8, u & 0xff]));
  expect([utf16Encoding(le), utf16Encoding(be), utf16Encoding(new TextEncoder().encode('ab'))]).toEqual([
    'utf-16le',
    'utf-16be',
    null,
  ]);
  expect(new TextDecoder().decode(utf16ToUtf8(le, 'utf-16le'))).toBe(s);
  expect(new TextDecoder().decode(utf16ToUtf8(be, 'utf-16be'))).toBe(s);
});
