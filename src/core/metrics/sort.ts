/**
 * Ranks doubles highest first, NaN last: a least-significant-digit radix sort (4 × 16-bit digits)
 * on the IEEE-754 bit patterns made monotonic, moving each key with its index so that the sorted
 * keys come out too (equal neighbours found without going back to the data). A million rows sort
 * in tens of milliseconds, where a comparator sort takes seconds. Equal values keep no particular
 * order: every caller treats a run of equal values as one threshold.
 */
export function sortDesc(v: Float64Array): { order: Uint32Array; hi: Uint32Array; lo: Uint32Array } {
  const n = v.length;
  const bits = new Uint32Array(v.buffer, v.byteOffset, n * 2);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let order = new Uint32Array(n);
  const counts = new Uint32Array(4 * 65536);
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
    l = ~l >>> 0;
    h = ~h >>> 0;
    lo[i] = l;
    hi[i] = h;
    order[i] = i;
    counts[l & 0xffff]++;
    counts[65536 + (l >>> 16)]++;
    counts[131072 + (h & 0xffff)]++;
    counts[196608 + (h >>> 16)]++;
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let order2 = new Uint32Array(n);
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 65536;
    const key = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    if (n === 0 || counts[base + ((key[0] >>> shift) & 0xffff)] === n) continue; // one digit value: nothing moves
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = counts[base + b];
      counts[base + b] = sum;
      sum += c;
    }
    for (let r = 0; r < n; r++) {
      const at = counts[base + ((key[r] >>> shift) & 0xffff)]++;
      order2[at] = order[r];
      hi2[at] = hi[r];
      lo2[at] = lo[r];
    }
    [order, order2] = [order2, order];
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
  }
  return { order, hi, lo };
}
