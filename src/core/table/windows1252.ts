/** Windows-1252's characters at 0x80–0x9F (0 where it has none); every other byte is its Latin-1 code point. */
const HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, 0,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/**
 * Text in Windows-1252, the encoding Excel writes CSV in western Europe (“ ” – € … where Latin-1
 * has control codes). Written out because Node's TextDecoder reads 'windows-1252' as Latin-1.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const units = new Uint16Array(Math.min(bytes.length, 1 << 16));
  for (let at = 0; at < bytes.length; at += units.length) {
    const n = Math.min(units.length, bytes.length - at);
    for (let i = 0; i < n; i++) {
      const b = bytes[at + i];
      units[i] = b >= 0x80 && b < 0xa0 ? HIGH[b - 0x80] || b : b;
    }
    parts.push(String.fromCharCode.apply(null, units.subarray(0, n) as unknown as number[]));
  }
  return parts.join('');
}
