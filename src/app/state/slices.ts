import { isPredicate, type Slice } from '../../core/slices/predicate';

/** Saved slices persist per dataset content (fingerprint) in localStorage. */
const key = (fingerprint: string) => `loupe:slices:${fingerprint}`;

export function loadSlices(fingerprint: string): Slice[] {
  try {
    return parseSlices(localStorage.getItem(key(fingerprint)));
  } catch {
    return [];
  }
}

export function storeSlices(fingerprint: string, slices: Slice[]): string | null {
  try {
    localStorage.setItem(key(fingerprint), JSON.stringify(slices));
    return null;
  } catch (e) {
    return `Saved slices could not be stored in this browser (${e instanceof Error ? e.message : String(e)}); they stay in the page URL.`;
  }
}

const isSlice = (x: unknown): x is Slice => !!x && typeof x === 'object' && typeof (x as Slice).name === 'string' && isPredicate((x as Slice).where);

/** Slices from JSON text (URL or storage); anything malformed is dropped. */
export function parseSlices(text: string | null): Slice[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.filter(isSlice) : [];
  } catch {
    return [];
  }
}

export function parseSlice(text: string | null): Slice | null {
  return parseSlices(text ? `[${text}]` : null)[0] ?? null;
}

/** Saved slices merged with others (from a link), without duplicates by content. */
export function mergeSlices(a: Slice[], b: Slice[]): Slice[] {
  const seen = new Set(a.map((s) => JSON.stringify(s.where)));
  return [...a, ...b.filter((s) => !seen.has(JSON.stringify(s.where)))];
}
