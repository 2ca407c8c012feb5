/** Windows-1252's characters at 0x80–0x9F (0 where it has none); every other byte is its Latin-1 code point. */
const HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, 0,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];
const CHUNK = 1 << 16;

/**
 * Text in Windows-1252, the encoding Excel writes CSV in western Europe (“ ” – € … where Latin-1
 * has control codes), as UTF-8 bytes — a chunk at a time, never one string of the whole file.
 * Written out because Node's TextDecoder reads 'windows-1252' as Latin-1.
 */
export function windows1252ToUtf8(bytes: Uint8Array): Uint8Array {
  const encoder = new TextEncoder();
  const units = new Uint16Array(CHUNK);
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK) {
    const n = Math.min(CHUNK, bytes.length - at);
    for (let i = 0; i < n; i++) {
      const b = bytes[at + i];
      units[i] = b >= 0x80 && b < 0xa0 ? HIGH[b - 0x80] || b : b;
    }
    parts.push(encoder.encode(String.fromCharCode.apply(null, units.subarray(0, n) as unknown as number[])));
  }
  return joined(parts);
}

/**
 * Text that is not UTF-8 as UTF-8 bytes: Shift-JIS (Excel's CSV in Japan) when the whole of it
 * decodes so and holds kana — text in Windows-1252 may decode as Shift-JIS too, as kanji, but
 * hardly ever as hiragana or katakana — else Windows-1252.
 */
export function legacyToUtf8(bytes: Uint8Array): Uint8Array {
  const decoder = new TextDecoder('shift_jis', { fatal: true });
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let kana = false;
  try {
    for (let at = 0; at < bytes.length; at += CHUNK) {
      const end = Math.min(bytes.length, at + CHUNK);
      const text = decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length });
      kana ||= /[\u3041-\u3096\u30a1-\u30fa]/.test(text);
      parts.push(encoder.encode(text));
    }
  } catch {
    return windows1252ToUtf8(bytes);
  }
  return kana ? joined(parts) : windows1252ToUtf8(bytes);
}

/** The UTF-16 encoding that text starting with a byte order mark is in, or null. */
export function utf16Encoding(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (head.length < 2) return null;
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * UTF-16 text (its byte order mark dropped) as UTF-8 bytes, a chunk at a time. A character cut
 * between two chunks is completed by the next one (the decoder streams); an odd last byte or an
 * unpaired surrogate becomes U+FFFD, as a browser shows it.
 */
export function utf16ToUtf8(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): Uint8Array {
  const decoder = new TextDecoder(encoding); // drops the byte order mark
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK) {
    const end = Math.min(bytes.length, at + CHUNK);
    parts.push(encoder.encode(decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length })));
  }
  return joined(parts);
}

function joined(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}
