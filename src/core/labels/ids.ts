/**
 * An id as reviewers' files are matched on (as DataEngine's idKey in SQL): its text without
 * surrounding spaces; an id written as a whole number (`7`, `0007`, `7.0`, as Excel and pandas'
 * float columns write it), as that number.
 */
export function idKey(id: string): string {
  const t = id.trim();
  return /^[+-]?\d{1,30}(\.0*)?$/.test(t) ? BigInt(t.replace(/\.0*$/, '')).toString() : t;
}

/**
 * Labels by id, re-keyed onto the spelling `known` gives an id (`7.0` → `7`, `0007` → `7`) where
 * only the key matches; an id `known` has as written, or has not at all, stays as written. The
 * first label of ids that become one is kept. With no `known` (ids that are row numbers), every
 * id becomes its key.
 */
export function alignIds<V>(labels: Map<string, V>, known?: Iterable<string>): Map<string, V> {
  const exact = known ? new Set(known) : null;
  const byKey = new Map<string, string>();
  for (const k of exact ?? []) if (!byKey.has(idKey(k))) byKey.set(idKey(k), k);
  const out = new Map<string, V>();
  for (const [id, v] of labels) {
    const to = !exact ? idKey(id) : exact.has(id) ? id : (byKey.get(idKey(id)) ?? id);
    if (!out.has(to)) out.set(to, v);
  }
  return out;
}
