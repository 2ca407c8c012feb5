import { isPredicate, type Slice } from '../../core/slices/predicate';
import { messageOf } from '../../core/errors';

/** Saved slices persist per dataset content (fingerprint) in localStorage. */
const key = (fingerprint: string) => `loupe:slices:${fingerprint}`;

/** Bounds on slices read from a link or from storage (a link is untrusted input). */
export const MAX_SLICES = 200;
const MAX_NAME = 200;
const MAX_TEXT = 500_000;

export function loadSlices(fingerprint: string): Slice[] {
  try {
    return parseSlices(localStorage.getItem(key(fingerprint)));
  } catch {
    return [];
  }
}

export function storeSlices(fingerprint: string, slices: Slice[]): string | null {
  try {
    localStorage.setItem(key(fingerprint), JSON.stringify(slices.map(({ name, where }) => ({ name, where }))));
    return null;
  } catch (e) {
    return `Saved slices could not be stored in this browser (${messageOf(e)}); they stay in the page URL.`;
  }
}

const isSlice = (x: unknown): x is Slice =>
  !!x && typeof x === 'object' && typeof (x as Slice).name === 'string' && isPredicate((x as Slice).where);

/** `name`, or `name (2)`, `name (3)`, … : the first not in `taken` (which it is added to). */
function uniqueName(name: string, taken: Set<string>): string {
  let n = name;
  for (let i = 2; taken.has(n); i++) n = `${name} (${i})`;
  taken.add(n);
  return n;
}

/**
 * Slices from JSON text (a link or storage): anything malformed is dropped, at most MAX_SLICES
 * are kept, names are trimmed to 200 characters and made unique.
 */
export function parseSlices(text: string | null): Slice[] {
  if (!text || text.length > MAX_TEXT) return [];
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  const taken = new Set<string>();
  return v
    .filter(isSlice)
    .slice(0, MAX_SLICES)
    .map((s) => ({ name: uniqueName(s.name.trim().slice(0, MAX_NAME) || 'Unnamed slice', taken), where: s.where }));
}

export function parseSlice(text: string | null): Slice | null {
  if (!text || text.length > MAX_TEXT) return null;
  return parseSlices(`[${text}]`)[0] ?? null;
}

/**
 * Saved slices followed by those a link brought that are not among them (by content), renamed
 * where a name is taken. The link's are marked `fromLink`: shown as such, never stored unless kept.
 */
export function mergeSlices(saved: Slice[], link: Slice[]): (Slice & { fromLink?: true })[] {
  const seen = new Set(saved.map((s) => JSON.stringify(s.where)));
  const taken = new Set(saved.map((s) => s.name));
  const added = link
    .filter((s) => !seen.has(JSON.stringify(s.where)))
    .map((s) => ({ ...s, name: uniqueName(s.name, taken), fromLink: true as const }));
  return [...saved, ...added];
}
