type Typed = Float64Array | Int32Array | Uint32Array | Uint8Array;

/**
 * `out` filled with `fn(src[i], i)`: what `Float64Array.from(src, fn)` gives, without the iterator
 * protocol that makes `from` ten times slower on millions of values.
 */
export function mapInto<T extends Typed>(out: T, src: ArrayLike<number>, fn: (v: number, i: number) => number): T {
  for (let i = 0; i < src.length; i++) out[i] = fn(src[i], i);
  return out;
}

/**
 * Rearranges a[lo..hi] (no NaN) so that a[k] holds the value a sorted a would hold there, smaller
 * ones before it and larger after; returns it. Quickselect with a median-of-three pivot; past
 * 2·log₂ n rounds the rest is sorted instead, so no input is quadratic.
 */
export function nthSmallest(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  for (let rounds = 2 * Math.ceil(Math.log2(hi - lo + 2)); hi > lo; rounds--) {
    if (rounds <= 0) {
      a.subarray(lo, hi + 1).sort();
      return a[k];
    }
    const mid = (lo + hi) >>> 1;
    const [x, y, z] = [a[lo], a[mid], a[hi]];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
