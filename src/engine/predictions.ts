import {
  Field,
  Float32,
  Int32,
  List,
  makeData,
  makeVector,
  Table,
  tableToIPC,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { LoupeError, messageOf } from '../core/errors';
import { inputWidth, standardize, vocabOf, type PreprocessSpec } from '../core/models/spec';
import { imageShape, imageToTensor, pixelSource, type ImageSpec, type Pixels } from '../core/models/image';
import { ident, literal } from '../core/sql';
import type { ColumnProfile } from '../core/table/schema';

/** Column names a model's results get: `pred__<name>`, `prob__<name>__<class>`, `emb__<name>`. */
export const predColumn = (name: string) => `pred__${name}`;
export const probColumn = (name: string, cls: string) => `prob__${name}__${cls}`;
export const embColumn = (name: string) => `emb__${name}`;

/** Column types read as they are stored (Arrow gives them as JS numbers); others are cast to DOUBLE in SQL. */
const RAW = new Set(['DOUBLE', 'FLOAT', 'INTEGER', 'SMALLINT', 'TINYINT', 'UINTEGER', 'USMALLINT', 'UTINYINT']);

/** SQL for a batch of the input columns (one-hot expanded; or the pixel columns), by rowid range, as numbers (null → NaN). */
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
    const vocab = vocabOf(spec, f);
    const kind = columns.find((c) => c.name === f)?.kind;
    if (vocab)
      for (const v of vocab)
        exprs.push(
          `CASE WHEN ${ident(f)} IS NULL THEN 'NaN'::DOUBLE WHEN CAST(${ident(f)} AS VARCHAR) = ${literal(v)} THEN 1.0 ELSE 0.0 END`,
        );
    else if (RAW.has(columns.find((c) => c.name === f)?.type ?? ''))
      exprs.push(ident(f)); // read as stored: nulls become NaN in featureMatrix
    else
      exprs.push(
        `coalesce(CAST(${kind === 'boolean' ? `CAST(${ident(f)} AS INTEGER)` : ident(f)} AS DOUBLE), 'NaN'::DOUBLE)`,
      );
  }
  return `SELECT ${exprs.map((e, i) => `${e} AS x${i}`).join(', ')} FROM ${ident(id)} WHERE ${row} >= ${Math.floor(from)} AND ${row} < ${Math.floor(from + count)}`;
}

/** The batch as row-major float32 [rows × width], standardised (pixel columns: as image tensors). */
export function featureMatrix(t: Table, spec: PreprocessSpec): Float32Array {
  const width = spec.image ? spec.image.pixels!.length : inputWidth(spec);
  const rows = t.numRows;
  const x = new Float32Array(rows * width);
  // Batch by batch (DuckDB sends 2048 rows a batch), column by column within it, so the rows being
  // written stay in cache and no column is first copied into one array of its own.
  let base = 0;
  for (const batch of t.batches) {
    const n = batch.numRows;
    for (let j = 0; j < width; j++) {
      const chunk = batch.getChildAt(j)!.data[0];
      const values = chunk.values as ArrayLike<number>;
      for (let r = 0, at = base * width + j; r < n; r++, at += width) x[at] = values[r];
      if (chunk.nullCount) for (let r = 0; r < n; r++) if (!chunk.getValid(r)) x[(base + r) * width + j] = NaN;
    }
    base += n;
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
  `SELECT ${ident(column)} AS v FROM ${ident(id)} WHERE ${row} >= ${Math.floor(from)} AND ${row} < ${Math.floor(from + count)}`;

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

/** A model's results for consecutive rows (staged in row order: their place is their order). */
export interface PredictionBatch {
  rows: number;
  /** Classification: class probabilities, row-major [rows × classes.length]; regression: one value per row. */
  values: Float64Array;
  /** A second output kept as an embedding, row-major [rows × width]. */
  embedding?: { values: Float32Array; width: number };
}

/** Consecutive batches as one (their rows in order). */
export function joinBatches(batches: PredictionBatch[]): PredictionBatch {
  if (batches.length === 1) return batches[0];
  const join = <T extends Float32Array | Float64Array>(parts: T[], make: new (n: number) => T): T => {
    const out = new make(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) out.set(p, (at += p.length) - p.length);
    return out;
  };
  const first = batches[0].embedding;
  return {
    rows: batches.reduce((n, b) => n + b.rows, 0),
    values: join(
      batches.map((b) => b.values),
      Float64Array,
    ),
    ...(first && {
      embedding: {
        width: first.width,
        values: join(
          batches.map((b) => b.embedding!.values),
          Float32Array,
        ),
      },
    }),
  };
}

/**
 * Arrow IPC of a batch for the staging table: pred (regression: the value; classification: the
 * index of the most probable class, null for a NaN row — named at commit), and a probability per class.
 */
export function batchIpc(b: PredictionBatch, classes: string[] | null): Uint8Array {
  const cols: Record<string, Vector> = {};
  if (!classes) {
    cols.pred = makeVector(b.values.slice(0, b.rows));
  } else {
    const k = classes.length;
    const v = b.values;
    const best = new Int32Array(b.rows);
    const nan = new Uint8Array((b.rows + 7) >> 3).fill(255);
    let nulls = 0;
    for (let r = 0, at = 0; r < b.rows; r++, at += k) {
      let m = 0;
      for (let c = 1; c < k; c++) if (v[at + c] > v[at + m]) m = c;
      best[r] = m;
      if (Number.isNaN(v[at])) ((nan[r >> 3] &= ~(1 << (r & 7))), nulls++);
    }
    cols.pred = makeVector(
      makeData({ type: new Int32(), length: b.rows, data: best, nullBitmap: nan, nullCount: nulls }),
    );
    for (let c = 0; c < k; c++) {
      const p = new Float64Array(b.rows);
      for (let r = 0; r < b.rows; r++) p[r] = v[r * k + c];
      cols[`p${c}`] = makeVector(p);
    }
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
    `${classes ? `list_extract([${classes.map(literal).join(', ')}], s.pred + 1)` : 's.pred'} AS ${ident(predColumn(name))}`,
    ...(classes ?? []).map(
      (c, i) => `CASE WHEN isnan(s.p${i}) THEN NULL ELSE s.p${i} END AS ${ident(probColumn(name, c))}`,
    ),
    ...(embedding ? [`s.emb AS ${ident(embColumn(name))}`] : []),
  ];
  return `SELECT ${[...keep, ...added].join(', ')} FROM ${ident(id)} AS t POSITIONAL JOIN ${ident(stage)} AS s`;
}
