import { Field, Float32, List, makeVector, Table, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { LoupeError, messageOf } from '../core/errors';
import { inputWidth, standardize, type PreprocessSpec } from '../core/models/spec';
import { imageShape, imageToTensor, pixelSource, type ImageSpec, type Pixels } from '../core/models/image';
import { ident, literal } from '../core/sql';
import type { ColumnProfile } from '../core/table/schema';

/** Column names a model's results get: `pred__<name>`, `prob__<name>__<class>`, `emb__<name>`. */
export const predColumn = (name: string) => `pred__${name}`;
export const probColumn = (name: string, cls: string) => `prob__${name}__${cls}`;
export const embColumn = (name: string) => `emb__${name}`;

/** SQL for a batch of the input columns (one-hot expanded; or the pixel columns), by rowid range, as DOUBLE (null → NaN). */
export function featureSql(
  id: string,
  row: string,
  spec: PreprocessSpec,
  columns: ColumnProfile[],
  from: number,
  count: number,
): string {
  const exprs: string[] = [];
  for (const f of spec.image?.pixels ?? spec.features) {
    const vocab = spec.onehot?.[f];
    const kind = columns.find((c) => c.name === f)?.kind;
    if (vocab)
      for (const v of vocab)
        exprs.push(
          `CASE WHEN ${ident(f)} IS NULL THEN 'NaN'::DOUBLE WHEN CAST(${ident(f)} AS VARCHAR) = ${literal(v)} THEN 1.0 ELSE 0.0 END`,
        );
    else
      exprs.push(
        `coalesce(CAST(${kind === 'boolean' ? `CAST(${ident(f)} AS INTEGER)` : ident(f)} AS DOUBLE), 'NaN'::DOUBLE)`,
      );
  }
  return `SELECT ${exprs.map((e, i) => `${e} AS x${i}`).join(', ')} FROM ${ident(id)} WHERE ${row} >= ${Math.floor(from)} AND ${row} < ${Math.floor(from + count)} ORDER BY ${row}`;
}

/** The batch as row-major float32 [rows × width], standardised (pixel columns: as image tensors). */
export function featureMatrix(t: Table, spec: PreprocessSpec): Float32Array {
  const width = spec.image ? spec.image.pixels!.length : inputWidth(spec);
  const rows = t.numRows;
  const x = new Float32Array(rows * width);
  for (let j = 0; j < width; j++) {
    const col = t.getChild(`x${j}`)!.toArray() as Float64Array;
    for (let r = 0; r < rows; r++) x[r * width + j] = col[r];
  }
  if (!spec.image) {
    standardize(x, width, spec.standardize);
    return x;
  }
  const [height, w, channels] = pixelSource(spec.image)!;
  const size = inputWidth(spec);
  const out = new Float32Array(rows * size);
  for (let r = 0; r < rows; r++)
    imageToTensor(
      { width: w, height, channels, data: x.subarray(r * width, (r + 1) * width) },
      spec.image,
      out,
      r * size,
    );
  return out;
}

/** SQL for a batch of an image column, by rowid range. */
export const imageColumnSql = (id: string, row: string, column: string, from: number, count: number) =>
  `SELECT ${ident(column)} AS v FROM ${ident(id)} WHERE ${row} >= ${Math.floor(from)} AND ${row} < ${Math.floor(from + count)} ORDER BY ${row}`;

/** Decodes a batch of image cells (bytes or data URLs) into image tensors; a missing image is NaN. */
export async function imageBatch(
  t: Table,
  spec: ImageSpec,
  decode: ((bytes: Uint8Array) => Promise<Pixels>) | undefined,
  from: number,
): Promise<Float32Array> {
  if (!decode)
    throw new LoupeError(
      'bad-spec',
      'Image columns are decoded in the browser; here, give pixel columns ("image.pixels") instead.',
    );
  const size = imageShape(spec).reduce((a, b) => a * b, 1);
  const values = t.getChild('v')!.toArray() as unknown[];
  const out = new Float32Array(values.length * size);
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    let bytes: Uint8Array | null = null;
    if (v instanceof Uint8Array) bytes = v;
    else if (typeof v === 'string' && /^data:image\/[a-z+.-]+;base64,/i.test(v.trim()))
      bytes = Uint8Array.from(atob(v.trim().replace(/^data:[^,]*,/, '')), (ch) => ch.charCodeAt(0));
    else if (v != null)
      throw new LoupeError(
        'bad-spec',
        `Row ${from + r + 1}: the image column holds ${JSON.stringify(String(v).slice(0, 60))}; images must be bytes or data:image URLs (images at URLs are not fetched to run a model).`,
      );
    if (!bytes) {
      out.fill(NaN, r * size, (r + 1) * size);
      continue;
    }
    let img: Pixels;
    try {
      img = await decode(bytes);
    } catch (e) {
      throw new LoupeError('bad-spec', `Row ${from + r + 1}: the image could not be decoded (${messageOf(e)}).`);
    }
    imageToTensor(img, spec, out, r * size);
  }
  return out;
}

export interface PredictionBatch {
  from: number;
  rows: number;
  /** Classification: class probabilities, row-major [rows × classes.length]; regression: one value per row. */
  values: Float64Array;
  /** A second output kept as an embedding, row-major [rows × width]. */
  embedding?: { values: Float32Array; width: number };
}

/** Arrow IPC of a batch for the staging table: rid, pred, and a probability per class. */
export function batchIpc(b: PredictionBatch, classes: string[] | null): Uint8Array {
  const rid = makeVector(Uint32Array.from({ length: b.rows }, (_, i) => b.from + i));
  const cols: Record<string, Vector> = { rid };
  if (!classes) {
    cols.pred = makeVector(Float64Array.from(b.values));
  } else {
    const k = classes.length;
    const pred: (string | null)[] = [];
    for (let r = 0; r < b.rows; r++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (b.values[r * k + c] > b.values[r * k + best]) best = c;
      pred.push(Number.isNaN(b.values[r * k]) ? null : classes[best]);
    }
    cols.pred = vectorFromArray(pred, new Utf8());
    classes.forEach(
      (_, c) => (cols[`p${c}`] = makeVector(Float64Array.from({ length: b.rows }, (_, r) => b.values[r * k + c]))),
    );
  }
  if (b.embedding) {
    const { values, width } = b.embedding;
    cols.emb = vectorFromArray(
      Array.from({ length: b.rows }, (_, r) => values.subarray(r * width, (r + 1) * width)),
      new List(new Field('item', new Float32(), true)),
    );
  }
  return tableToIPC(new Table(cols), 'stream');
}

/** Whether a column is one of model `name`'s results. */
export const isModelColumn = (column: string, name: string) =>
  column === predColumn(name) || column === embColumn(name) || column.startsWith(`prob__${name}__`);

/**
 * SQL that rebuilds the dataset with the staged results as `pred__<name>` / `prob__<name>__<class>`
 * (replacing an earlier run's). The stage holds every row once, in row order (batches are staged in
 * order), so a positional join lines them up without a hash join.
 */
export function commitSql(
  id: string,
  row: string,
  stage: string,
  name: string,
  classes: string[] | null,
  columns: ColumnProfile[],
  embedding = false,
): string {
  const keep = columns.filter((c) => !isModelColumn(c.name, name)).map((c) => `t.${ident(c.name)}`);
  if (row !== 'rowid') keep.push(`t.${row}`); // Loupe's own row column travels with the data
  // NaN probabilities (NaN outputs) are stored as null.
  const added = [
    `s.pred AS ${ident(predColumn(name))}`,
    ...(classes ?? []).map(
      (c, i) => `CASE WHEN isnan(s.p${i}) THEN NULL ELSE s.p${i} END AS ${ident(probColumn(name, c))}`,
    ),
    ...(embedding ? [`s.emb AS ${ident(embColumn(name))}`] : []),
  ];
  return `SELECT ${[...keep, ...added].join(', ')} FROM ${ident(id)} AS t POSITIONAL JOIN (SELECT * FROM ${ident(stage)} ORDER BY rid) AS s`;
}
