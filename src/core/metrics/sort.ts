/**
 * Ranks doubles highest first, NaN last. The IEEE-754 bit patterns, made monotonic, are split into
 * a high and a low 32-bit word: a least-significant-digit radix sort (2 × 16-bit digits) orders the
 * rows by the high word, moving each key with its index; then each run of equal high words (rows
 * whose values agree to ~6 significant digits: usually one or two) is ordered by the low word. The
 * sorted keys come out too, so equal neighbours are found without going back to the data. A
 * million rows sort in tens of milliseconds, where a comparator sort takes seconds. The sort is
 * stable: equal values keep their input order. The metrics treat a run of equal values as one
 * threshold, but confident learning's pruning and ranking break ties by position, as cleanlab does.
 */
export function sortDesc(v: Float64Array): { order: Uint32Array; hi: Uint32Array; lo: Uint32Array } {
  const n = v.length;
  const bits = new Uint32Array(v.buffer, v.byteOffset, n * 2);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let order = new Uint32Array(n);
  const counts = new Uint32Array(2 * 65536);
  for (let i = 0; i < n; i++) {
    let l = bits[2 * i];
    let h = bits[2 * i + 1];
    const x = v[i];
    if (x !== x)
      h = l = 0; // NaN: below everything once inverted
    else if (x === 0)
      ((h = 0x80000000), (l = 0)); // −0 and +0 are one value
    else if (h & 0x80000000)
      ((h = ~h >>> 0), (l = ~l >>> 0)); // negative: flip all bits
    else h = (h | 0x80000000) >>> 0; // positive: flip the sign bit
    // Descending = ascending order of the complement.
    lo[i] = ~l >>> 0;
    h = ~h >>> 0;
    hi[i] = h;
    order[i] = i;
    counts[h & 0xffff]++;
    counts[65536 + (h >>> 16)]++;
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let order2 = new Uint32Array(n);
  for (let pass = 0; pass < 2; pass++) {
    const base = pass * 65536;
    const shift = pass * 16;
    if (n === 0 || counts[base + ((hi[0] >>> shift) & 0xffff)] === n) continue; // one digit value: nothing moves
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = counts[base + b];
      counts[base + b] = sum;
      sum += c;
    }
    for (let r = 0; r < n; r++) {
      const at = counts[base + ((hi[r] >>> shift) & 0xffff)]++;
      order2[at] = order[r];
      hi2[at] = hi[r];
      lo2[at] = lo[r];
    }
    [order, order2] = [order2, order];
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
  }
  // Each run of equal high words ordered by the low words.
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && hi[end] === hi[start]) end++;
    if (end - start > 1) sortRun(lo, order, start, end, lo2);
    start = end;
  }
  return { order, hi, lo };
}

/** Counts per digit value, reused by every run (a run is sorted before the next one starts). */
const runCounts = new Uint32Array(65536);

/**
 * Orders rows start…end of `order` and their low words `key` by the low word: insertion for a few,
 * else radix passes (`scratch`: room for them): 8-bit digits below 4096 rows, so that a run of a
 * few hundred rows does not clear and sum 65,536 counts twice (10M rounded probabilities have
 * thousands of such runs: 5.9 s of sorting before), 16-bit digits above. A pass whose digit is the
 * same on every row moves nothing and is skipped.
 */
function sortRun(key: Uint32Array, order: Uint32Array, start: number, end: number, scratch: Uint32Array): void {
  if (end - start <= 32) {
    for (let r = start + 1; r < end; r++) {
      const k = key[r];
      const o = order[r];
      let p = r;
      while (p > start && key[p - 1] > k) {
        key[p] = key[p - 1];
        order[p] = order[p - 1];
        p--;
      }
      key[p] = k;
      order[p] = o;
    }
    return;
  }
  const m = end - start;
  const bits = m < 4096 ? 8 : 16;
  const size = 1 << bits;
  const mask = size - 1;
  const counts = runCounts;
  let k: Uint32Array = key.subarray(start, end);
  let o: Uint32Array = order.subarray(start, end);
  let k2: Uint32Array = scratch.subarray(start, end);
  let o2: Uint32Array = new Uint32Array(m);
  for (let shift = 0; shift < 32; shift += bits) {
    counts.fill(0, 0, size);
    for (let r = 0; r < m; r++) counts[(k[r] >>> shift) & mask]++;
    if (counts[(k[0] >>> shift) & mask] === m) continue;
    let sum = 0;
    for (let b = 0; b < size; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let r = 0; r < m; r++) {
      const at = counts[(k[r] >>> shift) & mask]++;
      k2[at] = k[r];
      o2[at] = o[r];
    }
    [k, k2] = [k2, k];
    [o, o2] = [o2, o];
  }
  // After an odd number of passes the sorted run is in the scratch arrays: copied back.
  if (k.buffer !== key.buffer) {
    key.set(k, start);
    order.set(o, start);
  }
}
