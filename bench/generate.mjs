// Writes bench/data/synthetic-<rows>.{csv,parquet}: a classification dataset with a label, a
// prediction, 5 prob_ columns and 11 features (7 numeric, 4 categorical, one with 50 values); the
// model is right about 78% of the time. Seeded: same bytes each run.
import { mkdirSync, writeFileSync, existsSync, createWriteStream } from 'node:fs';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, writeParquet, WriterPropertiesBuilder, Compression } from 'parquet-wasm';

export async function generate(rows) {
  const dir = new URL('./data/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const csv = new URL(`synthetic-${rows}.csv`, dir);
  // Two Parquet layouts: pyarrow's defaults (Snappy, dictionary pages, one row group per 1Mi rows)
  // and ZSTD with 128k-row groups, as Spark/DuckDB writers produce.
  const parquet = new URL(`synthetic-${rows}.snappy.parquet`, dir);
  const parquetZstd = new URL(`synthetic-${rows}.zstd.parquet`, dir);
  if (existsSync(csv) && existsSync(parquet) && existsSync(parquetZstd)) return { csv, parquet, parquetZstd };
  let s = 42;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const K = 5;
  const classes = Array.from({ length: K }, (_, k) => `class_${k}`);
  const cats = [
    ['north', 'south', 'east', 'west'],
    ['a', 'b', 'c', 'd', 'e', 'f'],
    ['low', 'mid', 'high'],
    Array.from({ length: 50 }, (_, i) => `region_${String(i).padStart(2, '0')}`),
  ];
  const cols = { id: new Int32Array(rows), label: new Array(rows), pred: new Array(rows) };
  for (let k = 0; k < K; k++) cols[`prob_${classes[k]}`] = new globalThis.Float64Array(rows);
  for (let j = 0; j < 7; j++) cols[`f${j}`] = new globalThis.Float64Array(rows);
  for (let j = 0; j < cats.length; j++) cols[`g${j}`] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    cols.id[i] = i;
    const y = Math.floor(rand() * K);
    cols.label[i] = classes[y];
    const logits = Array.from({ length: K }, (_, k) => (k === y ? 1.5 : 0) + 2.5 * rand());
    const m = Math.max(...logits);
    const e = logits.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    let best = 0;
    for (let k = 0; k < K; k++) {
      const p = Math.round((e[k] / z) * 1e6) / 1e6;
      cols[`prob_${classes[k]}`][i] = p;
      if (p > cols[`prob_${classes[best]}`][i]) best = k;
    }
    cols.pred[i] = classes[best];
    for (let j = 0; j < 7; j++) cols[`f${j}`][i] = Math.round((rand() * 100 + y * j) * 1000) / 1000;
    for (let j = 0; j < cats.length; j++) cols[`g${j}`][i] = cats[j][Math.floor(rand() * cats[j].length)];
  }
  const names = Object.keys(cols);
  const out = createWriteStream(csv);
  out.write(names.join(',') + '\n');
  const CHUNK = 10000;
  for (let i = 0; i < rows; i += CHUNK) {
    let block = '';
    for (let r = i; r < Math.min(rows, i + CHUNK); r++) block += names.map((n) => cols[n][r]).join(',') + '\n';
    if (!out.write(block)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  const table = tableFromArrays(cols);
  const ipc = tableToIPC(table, 'stream');
  const snappy = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build();
  writeFileSync(parquet, writeParquet(WasmTable.fromIPCStream(ipc), snappy));
  const zstd = new WriterPropertiesBuilder().setCompression(Compression.ZSTD).setMaxRowGroupSize(131072).build();
  writeFileSync(parquetZstd, writeParquet(WasmTable.fromIPCStream(ipc), zstd));
  return { csv, parquet, parquetZstd };
}
