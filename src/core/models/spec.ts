import { LoupeError } from '../errors';
import type { ColumnProfile } from '../table/schema';
import { isNumericKind } from '../table/schema';
import { imageShape, pixelSource, type ImageSpec } from './image';

/**
 * How a dataset's rows become a model's input, and how its output becomes predictions: the
 * "preprocessing spec" a user can download and load again.
 */
export interface PreprocessSpec {
  version: 1;
  /** Tabular: these columns, in this order, become a float32 [batch, n] tensor. */
  features: string[];
  /** Per input value (after one-hot expansion): x ← (x − mean) / scale. */
  standardize?: { mean: number[]; scale: number[] } | null;
  /** Categorical feature columns expanded into one 0/1 input per vocabulary entry, in place. */
  onehot?: Record<string, string[]>;
  output?: {
    /** classification (default) or regression (one output value). */
    task?: 'classification' | 'regression';
    /** What the outputs are: probabilities, logits, or detect from the row sums (default). */
    kind?: 'auto' | 'probabilities' | 'logits';
    /** Class names in output order; else the model's metadata `classes`, the dataset's classes, or class_0…. */
    classes?: string[] | null;
  };
  /** The model input to feed (default: the first). */
  input?: string;
  /** Images instead of tabular features: an image column or pixel columns into [batch, C, H, W] or [batch, H, W, C]. */
  image?: ImageSpec | null;
}

/** A feature's one-hot vocabulary, if the spec gives it one (its own key: a column named `constructor` has none). */
export const vocabOf = (s: Pick<PreprocessSpec, 'onehot'>, f: string): string[] | undefined =>
  s.onehot && Object.hasOwn(s.onehot, f) ? s.onehot[f] : undefined;

/** The input tensor's shape without the batch: [n] for tabular features, the image's shape for images. */
export const inputDims = (s: PreprocessSpec): number[] =>
  s.image ? imageShape(s.image) : [s.features.reduce((n, f) => n + (vocabOf(s, f)?.length ?? 1), 0)];

/** The number of input values per row. */
export const inputWidth = (s: PreprocessSpec) => inputDims(s).reduce((a, b) => a * b, 1);

/** Checks a spec (parsed JSON) against a dataset's columns; every problem is one clear message. */
export function checkSpec(raw: unknown, columns: ColumnProfile[]): PreprocessSpec {
  const bad = (msg: string) => new LoupeError('bad-spec', `Preprocessing spec: ${msg}`);
  if (!raw || typeof raw !== 'object') throw bad('expected a JSON object with "features".');
  const s = raw as PreprocessSpec;
  const image = s.image ? checkImage(s.image, columns, bad) : null;
  if (image)
    return { version: 1, features: [], image, output: checkOutput(s, bad), ...(s.input ? { input: s.input } : {}) };
  if (!Array.isArray(s.features) || !s.features.length || !s.features.every((f) => typeof f === 'string'))
    throw bad('"features" must be a list of column names (or give "image").');
  for (const f of s.features) {
    const c = columns.find((x) => x.name === f);
    if (!c) throw bad(`no column ${JSON.stringify(f)} in the data.`);
    const vocab = vocabOf(s, f);
    if (vocab !== undefined && (!Array.isArray(vocab) || !vocab.length))
      throw bad(`"onehot" of ${JSON.stringify(f)} must be a list of values.`);
    if (!vocab && !isNumericKind(c.kind) && c.kind !== 'boolean')
      throw bad(
        `column ${JSON.stringify(f)} is ${c.kind}, not numeric: give it a one-hot vocabulary ("onehot": {${JSON.stringify(f)}: [values…]}).`,
      );
  }
  const width = inputWidth(s);
  if (s.standardize) {
    const { mean, scale } = s.standardize;
    if (!Array.isArray(mean) || !Array.isArray(scale) || mean.length !== width || scale.length !== width)
      throw bad(`"standardize" needs "mean" and "scale" with ${width} numbers each (one per input value).`);
    if (scale.some((x) => !(Number.isFinite(x) && x !== 0))) throw bad('"standardize.scale" must be non-zero numbers.');
  }
  return {
    version: 1,
    features: s.features,
    standardize: s.standardize ?? null,
    onehot: s.onehot ?? {},
    output: checkOutput(s, bad),
    ...(s.input ? { input: s.input } : {}),
  };
}

function checkOutput(s: PreprocessSpec, bad: (m: string) => Error): NonNullable<PreprocessSpec['output']> {
  const o = s.output ?? {};
  if (o.task !== undefined && o.task !== 'classification' && o.task !== 'regression')
    throw bad('"output.task" must be classification or regression.');
  if (o.kind !== undefined && !['auto', 'probabilities', 'logits'].includes(o.kind))
    throw bad('"output.kind" must be auto, probabilities or logits.');
  if (o.classes != null && (!Array.isArray(o.classes) || !o.classes.every((c) => typeof c === 'string')))
    throw bad('"output.classes" must be a list of class names.');
  return { task: o.task ?? 'classification', kind: o.kind ?? 'auto', classes: o.classes ?? null };
}

function checkImage(im: ImageSpec, columns: ColumnProfile[], bad: (m: string) => Error): ImageSpec {
  const positive = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
  if (!Array.isArray(im.size) || im.size.length !== 2 || !im.size.every(positive))
    throw bad('"image.size" must be [height, width] in pixels.');
  if (im.channels !== 1 && im.channels !== 3) throw bad('"image.channels" must be 1 or 3.');
  if (im.layout !== 'NCHW' && im.layout !== 'NHWC') throw bad('"image.layout" must be NCHW or NHWC.');
  for (const k of ['mean', 'std'] as const)
    if (im[k] !== undefined && (!Array.isArray(im[k]) || im[k]!.length !== im.channels))
      throw bad(`"image.${k}" needs one number per channel (${im.channels}).`);
  if (im.std?.some((x) => !x)) throw bad('"image.std" must be non-zero.');
  if ((im.column === undefined) === (im.pixels === undefined))
    throw bad('give "image.column" (an image column) or "image.pixels" (pixel columns), one of them.');
  if (im.column !== undefined) {
    const c = columns.find((x) => x.name === im.column);
    if (!c) throw bad(`no column ${JSON.stringify(im.column)} in the data.`);
    if (c.kind !== 'binary' && c.kind !== 'string')
      throw bad(`column ${JSON.stringify(im.column)} holds ${c.kind} values, not images (bytes, data URLs or URLs).`);
  } else {
    for (const p of im.pixels!) {
      const c = columns.find((x) => x.name === p);
      if (!c || !isNumericKind(c.kind))
        throw bad(`pixel column ${JSON.stringify(p)} ${c ? 'is not numeric' : 'is not in the data'}.`);
    }
    const src = pixelSource(im);
    if (!src || src[0] * src[1] * src[2] !== im.pixels!.length)
      throw bad(
        `${im.pixels!.length} pixel columns do not make a ${src ? src.join('×') : 'square grey or RGB'} image: give "image.source" [height, width, channels].`,
      );
  }
  return im;
}

/** Applies the standardisation in place to a row-major [rows × width] batch. */
export function standardize(x: Float32Array, width: number, st: PreprocessSpec['standardize']): void {
  if (!st) return;
  const { mean, scale } = st;
  for (let at = 0; at < x.length; at += width)
    for (let j = 0; j < width; j++) x[at + j] = (x[at + j] - mean[j]) / scale[j];
}

/**
 * Turns a batch of model outputs (row-major [rows × k]) into class probabilities: kept when they
 * already are probabilities (kind 'probabilities', or 'auto' and every row in [0, 1] summing to 1
 * within 1e-3), else softmax over k > 1 outputs or a sigmoid for one (then [1 − p, p]).
 * Rows with a NaN come back as NaN and are counted.
 */
export function toProbabilities(
  out: Float32Array,
  rows: number,
  k: number,
  kind: 'auto' | 'probabilities' | 'logits',
): { values: Float64Array; k: number; nan: number; applied: 'none' | 'softmax' | 'sigmoid' } {
  let isProb = kind === 'probabilities';
  if (kind === 'auto') {
    isProb = true;
    for (let r = 0; r < rows && isProb; r++) {
      let s = 0;
      for (let c = 0; c < k; c++) {
        const v = out[r * k + c];
        if (!(v >= 0 && v <= 1)) {
          if (!Number.isNaN(v)) isProb = false;
          break;
        }
        s += v;
      }
      if (k > 1 && Math.abs(s - 1) > 1e-3 && !Number.isNaN(s)) isProb = false;
    }
  }
  const width = k === 1 ? 2 : k;
  const probs = new Float64Array(rows * width);
  let nan = 0;
  for (let r = 0; r < rows; r++) {
    let bad = false;
    for (let c = 0; c < k; c++) if (Number.isNaN(out[r * k + c])) bad = true;
    if (bad) {
      nan++;
      probs.fill(NaN, r * width, (r + 1) * width);
      continue;
    }
    if (k === 1) {
      const v = out[r];
      const p = isProb ? v : 1 / (1 + Math.exp(-v));
      probs[r * 2] = 1 - p;
      probs[r * 2 + 1] = p;
    } else if (isProb) {
      for (let c = 0; c < k; c++) probs[r * k + c] = out[r * k + c];
    } else {
      let m = -Infinity;
      for (let c = 0; c < k; c++) m = Math.max(m, out[r * k + c]);
      let s = 0;
      for (let c = 0; c < k; c++) s += probs[r * k + c] = Math.exp(out[r * k + c] - m);
      for (let c = 0; c < k; c++) probs[r * k + c] /= s;
    }
  }
  return { values: probs, k: width, nan, applied: isProb ? 'none' : k === 1 ? 'sigmoid' : 'softmax' };
}

/** Class names from a labels file: a JSON list, or one name per line (blank lines skipped). */
export function parseClassList(text: string, name: string): string[] {
  const t = text.trim();
  let list: unknown = null;
  if (t.startsWith('[')) {
    try {
      list = JSON.parse(t);
    } catch {
      /* reported below */
    }
    if (!Array.isArray(list) || !list.length)
      throw new LoupeError('bad-spec', `${name}: expected a JSON list of class names.`);
    return list.map(String);
  }
  const lines = t
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (!lines.length) throw new LoupeError('bad-spec', `${name} holds no class names.`);
  return lines;
}
