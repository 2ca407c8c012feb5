/**
 * A map of many points drawn as a density image: the points in view are counted into cells of a
 * few pixels, each cell coloured by the mean colour of its points (weighted by their opacity) and
 * as opaque as the logarithm of its count allows. One pass over the points, whatever the zoom, so a
 * million points redraw in milliseconds where rasterising each takes most of a second without a GPU.
 */
export interface DensityImage {
  /** Cells across and down; RGBA bytes, row by row from the top. */
  width: number;
  height: number;
  rgba: Uint8ClampedArray<ArrayBuffer>;
  /** Points counted (in view, not hidden). */
  visible: number;
}

/** The transform from data to CSS pixels: px = ox + s·x, py = oy − s·y. */
export interface PixelTransform {
  s: number;
  ox: number;
  oy: number;
}

/**
 * Counts the points of `xy` (x at 2i, y at 2i + 1) that fall in a view of `width` × `height` CSS
 * pixels into cells of `cell` pixels. A point whose colour has alpha 0 is hidden and not counted.
 */
export function densityImage(
  xy: Float32Array,
  colours: Uint8Array,
  t: PixelTransform,
  width: number,
  height: number,
  cell: number,
): DensityImage {
  const w = Math.max(1, Math.ceil(width / cell));
  const h = Math.max(1, Math.ceil(height / cell));
  const weight = new Float32Array(w * h);
  const sums = new Float32Array(3 * w * h);
  const k = t.s / cell;
  const ox = t.ox / cell;
  const oy = t.oy / cell;
  let visible = 0;
  for (let i = 0, n = xy.length / 2; i < n; i++) {
    const a = colours[4 * i + 3];
    if (a === 0) continue;
    const cx = Math.floor(ox + k * xy[2 * i]);
    const cy = Math.floor(oy - k * xy[2 * i + 1]);
    if (cx < 0 || cy < 0 || cx >= w || cy >= h) continue;
    const c = cy * w + cx;
    weight[c] += a;
    sums[3 * c] += colours[4 * i] * a;
    sums[3 * c + 1] += colours[4 * i + 1] * a;
    sums[3 * c + 2] += colours[4 * i + 2] * a;
    visible++;
  }
  let most = 0;
  for (let c = 0; c < w * h; c++) if (weight[c] > most) most = weight[c];
  const rgba = new Uint8ClampedArray(4 * w * h);
  // Opacity from 0.3 (a single faint point still shows) to 1 at the densest cell, on a log scale.
  const scale = most > 0 ? 0.7 / Math.log1p(most / 255) : 0;
  for (let c = 0; c < w * h; c++) {
    const wt = weight[c];
    if (wt === 0) continue;
    rgba[4 * c] = sums[3 * c] / wt;
    rgba[4 * c + 1] = sums[3 * c + 1] / wt;
    rgba[4 * c + 2] = sums[3 * c + 2] / wt;
    rgba[4 * c + 3] = 255 * (0.3 + scale * Math.log1p(wt / 255));
  }
  return { width: w, height: h, rgba, visible };
}
