/**
 * Images into a model's input tensor: an image (decoded to pixels, or read from pixel columns) is
 * resized bilinearly with half-pixel centres (as TensorFlow's and PyTorch's default
 * `align_corners=False`), converted to the model's channels (grey = mean of R, G and B; grey to RGB
 * by copying), scaled, normalised per channel ((x · scale − mean) / std) and written in NCHW or
 * NHWC order.
 */
export interface ImageSpec {
  /** An image column (bytes, data URL, or a same-origin URL)… */
  column?: string;
  /** …or pixel columns: a source image of `source` [height, width, channels], row-major, channels last. */
  pixels?: string[];
  source?: [number, number, number];
  /** What the model takes: [height, width], channels, and the order of the tensor. */
  size: [number, number];
  channels: 1 | 3;
  layout: 'NCHW' | 'NHWC';
  /** Multiplies the 0–255 values (default 1/255). */
  scale?: number;
  mean?: number[];
  std?: number[];
}

/** A decoded image: `channels` values per pixel (RGBA from a decoder has 4; alpha is ignored). */
export interface Pixels {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

/** The input shape (without the batch) an image spec makes. */
export const imageShape = (s: ImageSpec): number[] =>
  s.layout === 'NCHW' ? [s.channels, s.size[0], s.size[1]] : [s.size[0], s.size[1], s.channels];

/** The source shape of pixel columns: given, else a square grey (n = s²) or RGB (n = 3s²) image. */
export function pixelSource(s: ImageSpec): [number, number, number] | null {
  if (s.source) return s.source;
  const n = s.pixels?.length ?? 0;
  const grey = Math.sqrt(n);
  if (Number.isInteger(grey)) return [grey, grey, 1];
  const rgb = Math.sqrt(n / 3);
  return Number.isInteger(rgb) ? [rgb, rgb, 3] : null;
}

/** Writes one image into `out` at `offset` (size: the image shape's product). */
export function imageToTensor(img: Pixels, s: ImageSpec, out: Float32Array, offset: number): void {
  const [H, W] = s.size;
  const C = s.channels;
  const scale = s.scale ?? 1 / 255;
  const value = (x: number, y: number, c: number) => img.data[(y * img.width + x) * img.channels + c];
  // The source's colour value of channel c (after channel conversion) at integer (x, y).
  const sample = (x: number, y: number, c: number) => {
    if (C === 1 && img.channels >= 3) return (value(x, y, 0) + value(x, y, 1) + value(x, y, 2)) / 3;
    return value(x, y, img.channels === 1 ? 0 : c);
  };
  const sy = img.height / H;
  const sx = img.width / W;
  for (let y = 0; y < H; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < W; x++) {
      const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const wx = fx - x0;
      for (let c = 0; c < C; c++) {
        const v =
          (1 - wy) * ((1 - wx) * sample(x0, y0, c) + wx * sample(x1, y0, c)) +
          wy * ((1 - wx) * sample(x0, y1, c) + wx * sample(x1, y1, c));
        const norm = (v * scale - (s.mean?.[c] ?? 0)) / (s.std?.[c] ?? 1);
        out[offset + (s.layout === 'NCHW' ? c * H * W + y * W + x : (y * W + x) * C + c)] = norm;
      }
    }
  }
}
