/**
 * SliceLine (Sagadeeva & Boehm, "SliceLine: Fast, Linear-Algebra-based Slice Finding for ML Model
 * Debugging", SIGMOD 2021): the top-K slices — conjunctions of feature = value predicates, at most
 * `maxLevel` of them — by the score
 *   sc = α·((se/|S|)/ē − 1) − (1 − α)·(n/|S| − 1),
 * where a slice qualifies when |S| ≥ minSupport, se > 0 and sc > 0. Level-wise enumeration with
 * the paper's pruning: size, errors, missing parents and the score upper bound against the current
 * K-th score; candidates are deduplicated by their predicate set. Rows are bitsets (one per
 * feature value); a slice's rows are the AND of its values' — memory is one bit per row per
 * feature value, never |S|×|S|.
 */

/** A range of bitset words [from, to). */
type Span = readonly [number, number];

/**
 * Most candidates one level may join. Each is kept (for the p-values' correction) and measured:
 * 1,900 features in 5 bins would pair 9,500 slices of level 1 into ~45M, which ran out of memory.
 * Beyond it a level joins only the best slices of the level below (by score, as they rank).
 */
export const MAX_JOINS = 200_000;

/** How many pairs the slices of a level make: those sharing all but their last predicate, on different features. */
function joinsOf(level: SliceStats[]): number {
  const groups = new Map<string, Map<number, number>>();
  for (const s of level) {
    const k = key(s.predicates.slice(0, -1));
    const byFeature = groups.get(k) ?? groups.set(k, new Map()).get(k)!;
    const f = s.predicates[s.predicates.length - 1][0];
    byFeature.set(f, (byFeature.get(f) ?? 0) + 1);
  }
  let pairs = 0;
  for (const byFeature of groups.values()) {
    let g = 0;
    let same = 0;
    for (const c of byFeature.values()) ((g += c), (same += (c * (c - 1)) / 2));
    pairs += (g * (g - 1)) / 2 - same;
  }
  return pairs;
}

export interface SliceLineParams {
  k: number;
  maxLevel: number;
  alpha: number;
  minSupport: number;
}

/** A feature: each row's value index (−1 for none: the row is in no slice of this feature). */
export interface EncodedFeature {
  name: string;
  labels: string[];
  codes: Int32Array;
}

export interface SliceStats {
  /** [feature, value] pairs, by feature. */
  predicates: [number, number][];
  size: number;
  errors: number;
  /** Σ error² over the slice's rows (= errors for 0/1 errors). */
  squares: number;
  score: number;
}

export interface SliceLineResult {
  top: SliceStats[];
  /** Every slice whose size and errors were computed (for multiple-testing correction). */
  evaluated: SliceStats[];
  /**
   * Candidates per level, and how many were evaluated. `limited`: the level joined only the `kept`
   * best of the `of` slices that survived the level below, as joining them all would have made
   * about `pairs` candidates (more than MAX_JOINS).
   */
  levels: {
    level: number;
    candidates: number;
    evaluated: number;
    limited?: { kept: number; of: number; pairs: number };
  }[];
  averageError: number;
}

/** sc for a slice of `size` rows with `errors` total error, in data of n rows with mean error ē. */
export function sliceScore(size: number, errors: number, n: number, averageError: number, alpha: number): number {
  if (size <= 0) return -Infinity;
  return alpha * (errors / size / averageError - 1) - (1 - alpha) * (n / size - 1);
}

/**
 * The paper's upper bound on the score of a slice (and every slice below it) whose size is at most
 * ss, total error at most se and largest row error at most sm: the best of the score at the sizes
 * where the bound can peak (minSupport, se/sm, ss), with errors capped at min(size·sm, se).
 */
export function scoreUpperBound(
  ss: number,
  se: number,
  sm: number,
  n: number,
  averageError: number,
  p: SliceLineParams,
): number {
  let best = -Infinity;
  for (const s of [p.minSupport, Math.max(se / sm, p.minSupport), ss]) {
    if (s > ss || s <= 0) continue;
    best = Math.max(best, sliceScore(s, Math.min(s * sm, se), n, averageError, p.alpha));
  }
  return best;
}

const key = (preds: [number, number][]) => preds.map(([f, v]) => `${f}:${v}`).join('|');

/** Orders slices by score (highest first), then size (largest first), then predicates. */
export function compareSlices(a: SliceStats, b: SliceStats): number {
  return (
    b.score - a.score ||
    b.size - a.size ||
    (key(a.predicates) < key(b.predicates) ? -1 : key(a.predicates) > key(b.predicates) ? 1 : 0)
  );
}

export async function sliceLine(
  features: EncodedFeature[],
  errors: Float64Array,
  p: SliceLineParams,
  tick?: (level: number, done: number, total: number) => Promise<void> | void,
): Promise<SliceLineResult> {
  const n = errors.length;
  const words = (n + 31) >>> 5;
  let total = 0;
  let binary = true;
  for (let i = 0; i < n; i++) {
    total += errors[i];
    if (errors[i] !== 0 && errors[i] !== 1) binary = false;
  }
  const averageError = n ? total / n : 0;
  const result: SliceLineResult = { top: [], evaluated: [], levels: [], averageError };
  if (!(averageError > 0)) return result;
  // With 0/1 errors every statistic is a count, whatever the order of the rows: they are grouped by
  // the feature with the most values, so that the bitsets of its values, and of every slice that
  // names one, span a narrow range of words (the counting below skips the rest).
  const place = binary ? groupedPlaces(features, n) : null;
  const errBits = new Uint32Array(words);
  if (binary)
    for (let r = 0; r < n; r++)
      if (errors[r]) {
        const i = place ? place[r] : r;
        errBits[i >>> 5] |= 1 << (i & 31);
      }

  // Basic slices: one bitset per feature value, and the words [from, to) that hold its rows.
  // A feature's bitsets are one array (value v's words at v·words), set in one pass over its codes.
  const basics = features.map(({ codes, labels }) => {
    const bits = new Uint32Array(labels.length * words);
    for (let r = 0; r < n; r++) {
      const v = codes[r];
      const i = place ? place[r] : r;
      if (v >= 0) bits[v * words + (i >>> 5)] |= 1 << (i & 31);
    }
    return labels.map((_, v) => bits.subarray(v * words, (v + 1) * words));
  });
  const spans = basics.map((values) =>
    values.map((bits): Span => {
      let from = 0;
      let to = words;
      while (from < to && !bits[from]) from++;
      while (to > from && !bits[to - 1]) to--;
      return [from, to];
    }),
  );
  /** The words that can hold rows of every one of these predicates. */
  const spanOf = (preds: [number, number][]): Span => {
    let from = 0;
    let to = words;
    for (const [f, v] of preds) ((from = Math.max(from, spans[f][v][0])), (to = Math.min(to, spans[f][v][1])));
    return [from, Math.max(from, to)];
  };
  const top: SliceStats[] = [];
  const threshold = () => (top.length >= p.k ? top[top.length - 1].score : 0);
  const offer = (s: SliceStats) => {
    if (!(s.score > 0) || s.size < p.minSupport || s.errors <= 0) return;
    if (top.length >= p.k && compareSlices(s, top[top.length - 1]) >= 0) return;
    top.push(s);
    top.sort(compareSlices);
    if (top.length > p.k) top.pop();
  };

  /** Size, total and largest error of the rows in both bitsets (`b` null: the rows of `a`), in words [from, to). */
  const measure = (
    a: Uint32Array,
    b: Uint32Array | null,
    [from, to]: Span,
  ): { size: number; errors: number; squares: number; max: number } => {
    let size = 0;
    let errs = 0;
    if (binary) {
      // One fused pass: AND, count, count the errors among them.
      if (b)
        for (let w = from; w < to; w++) {
          const x = a[w] & b[w];
          if (x) ((size += popcount(x)), (errs += popcount(x & errBits[w])));
        }
      else
        for (let w = from; w < to; w++) {
          const x = a[w];
          if (x) ((size += popcount(x)), (errs += popcount(x & errBits[w])));
        }
      return { size, errors: errs, squares: errs, max: errs > 0 ? 1 : 0 };
    }
    let squares = 0;
    let max = 0;
    for (let w = from; w < to; w++) {
      let x = b ? a[w] & b[w] : a[w];
      if (!x) continue;
      size += popcount(x);
      while (x) {
        const e = errors[(w << 5) + 31 - Math.clz32(x & -x)];
        errs += e;
        squares += e * e;
        if (e > max) max = e;
        x &= x - 1;
      }
    }
    return { size, errors: errs, squares, max };
  };

  interface Node extends SliceStats {
    max: number;
  }
  let level: Node[] = [];
  let candidates = 0;
  features.forEach((f, fi) =>
    f.labels.forEach((_, vi) => {
      candidates++;
      const m = measure(basics[fi][vi], null, spans[fi][vi]);
      const node: Node = {
        predicates: [[fi, vi]],
        size: m.size,
        errors: m.errors,
        squares: m.squares,
        max: m.max,
        score: sliceScore(m.size, m.errors, n, averageError, p.alpha),
      };
      result.evaluated.push(node);
      offer(node);
      if (m.size >= p.minSupport && m.errors > 0) level.push(node);
    }),
  );
  result.levels.push({ level: 1, candidates, evaluated: candidates });
  await tick?.(1, candidates, candidates);

  /** The rows of the parent being joined (one buffer for them all). */
  const scratch = new Uint32Array(words);
  for (let L = 2; L <= p.maxLevel && level.length > 1; L++) {
    // Every parent is looked up in the whole level; only the best `kept` of them start joins.
    const present = new Map(level.map((s) => [key(s.predicates), s]));
    const pairs = joinsOf(level);
    let limited: SliceLineResult['levels'][number]['limited'];
    if (pairs > MAX_JOINS) {
      const best = [...level].sort(compareSlices);
      let [lo, hi] = [2, best.length];
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (joinsOf(best.slice(0, mid)) <= MAX_JOINS) lo = mid;
        else hi = mid - 1;
      }
      limited = { kept: lo, of: level.length, pairs };
      level = best.slice(0, lo);
    }
    // Join parents sharing their first L − 2 predicates; the last ones on different features.
    level.sort((a, b) => (key(a.predicates) < key(b.predicates) ? -1 : 1));
    const seen = new Set<string>();
    const next: Node[] = [];
    let generated = 0;
    let evaluatedHere = 0;
    for (let a = 0; a < level.length; a++) {
      const pa = level[a].predicates;
      const prefix = key(pa.slice(0, -1));
      // Rows of parent a, made once (on first need) for all its joins: each child is then one AND.
      let rowsA: Uint32Array | null = null;
      const spanA = spanOf(pa);
      for (let b = a + 1; b < level.length; b++) {
        const pb = level[b].predicates;
        if (key(pb.slice(0, -1)) !== prefix) break;
        const fa = pa[pa.length - 1][0];
        const fb = pb[pb.length - 1][0];
        if (fa === fb) continue;
        const preds: [number, number][] = [...pa, pb[pb.length - 1]].sort((x, y) => x[0] - y[0]);
        const k = key(preds);
        if (seen.has(k)) continue;
        seen.add(k);
        generated++;
        // Every parent (drop one predicate) must have survived the level below.
        let ss = Infinity;
        let se = Infinity;
        let sm = Infinity;
        let complete = true;
        for (let drop = 0; drop < preds.length && complete; drop++) {
          const parent = present.get(key(preds.filter((_, j) => j !== drop)));
          if (!parent) complete = false;
          else ((ss = Math.min(ss, parent.size)), (se = Math.min(se, parent.errors)), (sm = Math.min(sm, parent.max)));
        }
        if (!complete || ss < p.minSupport || se <= 0) continue;
        if (top.length >= p.k && scoreUpperBound(ss, se, sm, n, averageError, p) < threshold()) continue;
        if (!rowsA) {
          const parts = pa.map(([f, v]) => basics[f][v]);
          rowsA = parts.length === 1 ? parts[0] : scratch;
          const [first, ...rest] = parts;
          // Only the words of parent a's span are written (and only those are read below).
          if (rest.length) rowsA.set(first.subarray(spanA[0], spanA[1]), spanA[0]);
          for (const part of rest) for (let w = spanA[0]; w < spanA[1]; w++) rowsA[w] &= part[w];
        }
        const [lf, lv] = pb[pb.length - 1];
        const m = measure(rowsA, basics[lf][lv], spanOf([...pa, [lf, lv]]));
        evaluatedHere++;
        const node: Node = {
          predicates: preds,
          size: m.size,
          errors: m.errors,
          squares: m.squares,
          max: m.max,
          score: sliceScore(m.size, m.errors, n, averageError, p.alpha),
        };
        result.evaluated.push(node);
        offer(node);
        if (m.size >= p.minSupport && m.errors > 0) next.push(node);
        if (evaluatedHere % 256 === 0) await tick?.(L, evaluatedHere, generated);
      }
    }
    result.levels.push({ level: L, candidates: generated, evaluated: evaluatedHere, ...(limited && { limited }) });
    await tick?.(L, evaluatedHere, evaluatedHere);
    level = next;
  }
  const plain = ({ predicates, size, errors: e, squares, score }: SliceStats): SliceStats => ({
    predicates,
    size,
    errors: e,
    squares,
    score,
  });
  result.top = top.map(plain);
  result.evaluated = result.evaluated.map(plain);
  return result;
}

/** Each row's place in an order grouped by the values of the feature with the most values (stable; rows without one last). */
function groupedPlaces(features: EncodedFeature[], n: number): Uint32Array | null {
  let best = -1;
  features.forEach((f, i) => {
    if (f.labels.length > 1 && (best < 0 || f.labels.length > features[best].labels.length)) best = i;
  });
  if (best < 0) return null;
  const { codes, labels } = features[best];
  const slot = (i: number) => (codes[i] < 0 ? labels.length : codes[i]);
  const start = new Uint32Array(labels.length + 2);
  for (let i = 0; i < n; i++) start[slot(i) + 1]++;
  for (let v = 1; v < start.length; v++) start[v] += start[v - 1];
  const place = new Uint32Array(n);
  for (let i = 0; i < n; i++) place[i] = start[slot(i)]++;
  return place;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** What a limited search left out, as a sentence (null when every level joined all it could). */
export function limitNote(levels: SliceLineResult['levels']): string | null {
  const f = (x: number) => x.toLocaleString('en-US');
  const parts = levels.flatMap(({ level, limited: l }) =>
    l
      ? [
          `level ${level} joined only the ${f(l.kept)} best of the ${f(l.of)} slices below it (all of them would make ${f(l.pairs)} candidates)`,
        ]
      : [],
  );
  return parts.length
    ? `The search was limited: ${parts.join('; ')}. Choose fewer features or a higher minimum support for a complete search.`
    : null;
}
