import { describe, expect, it } from 'vitest';
import { densityImage } from '../../src/app/charts/density';

describe('the density image of a large map', () => {
  // Data → pixels: px = 10·x, py = 40 − 10·y (y up), cells of 2 px on a 40 × 40 view: 20 × 20 cells.
  const t = { s: 10, ox: 0, oy: 40 };
  const cellOf = (img: { width: number }, px: number, py: number) =>
    Math.floor(py / 2) * img.width + Math.floor(px / 2);

  it('counts the points in view per cell, each coloured by the mean of its points and as opaque as its count', () => {
    const xy = Float32Array.of(0.05, 3.95, 0.06, 3.96, 0.07, 3.97, 2.05, 0.15, 9, 9, -1, 2, 1, 1);
    const colours = Uint8Array.of(
      ...[255, 0, 0, 255],
      ...[0, 0, 255, 255],
      ...[255, 0, 0, 255],
      ...[0, 200, 0, 255],
      ...[0, 0, 0, 255], // out of view (right, above)
      ...[0, 0, 0, 255], // out of view (left)
      ...[0, 0, 0, 0], // hidden
    );
    const img = densityImage(xy, colours, t, 40, 40, 2);
    expect([img.width, img.height, img.visible]).toEqual([20, 20, 4]);
    // Three points near the top-left corner (px 0.5–0.7, py 0.3–0.5): two red, one blue.
    const top = 4 * cellOf(img, 0, 0);
    expect(Array.from(img.rgba.subarray(top, top + 3))).toEqual([170, 0, 85]);
    expect(img.rgba[top + 3]).toBe(255); // the densest cell
    // One green point near the bottom (y up: y = 0.15 is py 38.5).
    const bottom = 4 * cellOf(img, 20.5, 38.5);
    expect(Array.from(img.rgba.subarray(bottom, bottom + 3))).toEqual([0, 200, 0]);
    expect(img.rgba[bottom + 3]).toBe(Math.round(255 * (0.3 + (0.7 * Math.log(2)) / Math.log(4))));
    // Every other cell is empty: the hidden point and those out of view left no mark.
    let marked = 0;
    for (let c = 0; c < 400; c++) if (img.rgba[4 * c + 3]) marked++;
    expect(marked).toBe(2);
  });

  it('a faint point weighs less in its cell: colours are averaged by opacity', () => {
    const img = densityImage(
      Float32Array.of(1, 1, 1, 1),
      Uint8Array.of(255, 0, 0, 255, 0, 0, 255, 85),
      { s: 1, ox: 0, oy: 4 },
      4,
      4,
      2,
    );
    const c = 4 * (1 * img.width + 0);
    expect(Array.from(img.rgba.subarray(c, c + 4))).toEqual([191, 0, 64, 255]);
  });
});
