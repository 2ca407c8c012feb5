import { twoProportionTest } from '../stats/proportions';

/** What folding needs of a found slice: its conditions (column → value), rows and errors. */
export interface SliceCounts {
  predicates: Record<string, string>;
  size: number;
  errors: number;
}

export interface FoldedSlice<T extends SliceCounts> {
  slice: T;
  /** Longer descriptions of exactly the same rows (a condition that removes none), folded into this one. */
  same: T[];
  /** A shorter slice in the list that this one refines without a significantly higher error rate. */
  addsNothingTo: T | null;
}

/** A found slice's conditions as text: `season = winter AND temp_max in [10, 13.3)` (bins read "in"). */
export function describeFound(predicates: Record<string, string>): string {
  return Object.entries(predicates)
    .map(([c, v]) => `${c} ${/^\[.*[)\]]$/.test(v) ? 'in' : '='} ${v}`)
    .join(' AND ');
}

const within = (a: SliceCounts, b: SliceCounts) =>
  Object.entries(a.predicates).every(([c, v]) => b.predicates[c] === v);

/**
 * Folds a list of found slices for reading, keeping its order: a slice whose conditions include
 * another's and that has as many rows is the same rows (B ⊆ A and |B| = |A|), so it joins that
 * shorter slice; a slice that refines a shorter one (A's conditions and more, fewer rows) but whose
 * error rate is not significantly higher than that of the rest of A (two-proportion z-test,
 * p ≥ 0.05, or not higher at all) adds nothing to A: a noise column appended to a real slice.
 */
export function foldSlices<T extends SliceCounts>(slices: T[]): FoldedSlice<T>[] {
  const home = new Map<T, T>();
  for (const b of slices) {
    const shortest = slices
      .filter((a) => a !== b && a.size === b.size && within(a, b))
      .sort((x, y) => Object.keys(x.predicates).length - Object.keys(y.predicates).length)[0];
    if (shortest && Object.keys(shortest.predicates).length < Object.keys(b.predicates).length) home.set(b, shortest);
  }
  const out: FoldedSlice<T>[] = [];
  for (const s of slices) {
    if (home.has(s)) continue;
    const parent = slices.find((a) => a !== s && !home.has(a) && a.size > s.size && within(a, s) && !refines(s, a));
    out.push({ slice: s, same: slices.filter((b) => home.get(b) === s), addsNothingTo: parent ?? null });
  }
  return out;
}

/** Whether slice s has a significantly higher error rate than the rest of its parent a. */
function refines(s: SliceCounts, a: SliceCounts): boolean {
  const restN = a.size - s.size;
  const restE = a.errors - s.errors;
  if (restN <= 0) return true;
  if (s.errors / s.size <= restE / restN) return false;
  const p = twoProportionTest(s.errors, s.size, restE, restN);
  return p !== null && p < 0.05;
}
