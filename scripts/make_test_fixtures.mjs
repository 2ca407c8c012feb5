// Writes the format and bad-input fixtures under tests/fixtures/{formats,bad} from iris.csv (a copy
// of ../shared/fixtures/iris.csv, scikit-learn's iris with cross-validated predictions).
// Deterministic; rerun with `node scripts/make_test_fixtures.mjs` and commit the output.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { csvParse, csvFormat, tsvFormat } from 'd3';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, writeParquet, WriterPropertiesBuilder, Compression } from 'parquet-wasm';

const dir = new URL('../tests/fixtures/', import.meta.url);
const out = (name, data) => writeFileSync(new URL(name, dir), data);
const text = readFileSync(new URL('iris.csv', dir), 'utf8');
const rows = csvParse(text);
const numeric = (k) => k !== 'label' && k !== 'pred';
const typed = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, numeric(k) ? Number(v) : v])));
const cols = rows.columns;

// Formats
out('formats/iris.tsv', tsvFormat(rows) + '\n');
out('formats/iris.csv.gz', gzipSync(Buffer.from(text)));
const json = JSON.stringify(typed);
out('formats/iris.json', json);
out('formats/iris.json.gz', gzipSync(Buffer.from(json)));
out('formats/iris.ndjson', typed.map((r) => JSON.stringify(r)).join('\n') + '\n');
const arrays = Object.fromEntries(
  cols.map((c) => [c, numeric(c) ? Float64Array.from(typed, (r) => r[c]) : typed.map((r) => r[c])]),
);
arrays.id = Int32Array.from(typed, (r) => r.id);
const table = tableFromArrays(arrays);
out('formats/iris.arrow', tableToIPC(table, 'file'));
out('formats/iris.arrows', tableToIPC(table, 'stream'));
const props = new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build();
out('formats/iris.parquet', writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), props));
// Several row groups (40, 40, 40, 30 rows): read and counted group by group.
out(
  'formats/iris-groups.parquet',
  writeParquet(
    WasmTable.fromIPCStream(tableToIPC(table, 'stream')),
    new WriterPropertiesBuilder().setCompression(Compression.ZSTD).setMaxRowGroupSize(40).build(),
  ),
);
// Content decides, not the name: Parquet bytes under a .csv name.
out('formats/iris-parquet-named.csv', readFileSync(new URL('formats/iris.parquet', dir)));
// Probabilities in one list column.
out(
  'formats/iris-list.json',
  JSON.stringify(
    typed.map((r) => ({
      id: r.id,
      petal_length: r.petal_length,
      label: r.label,
      pred: r.pred,
      probs: [r.prob_setosa, r.prob_versicolor, r.prob_virginica],
    })),
  ),
);

// Bad input, one file per case.
const head = typed.slice(0, 40);
out('bad/empty.csv', '');
// A gzip bomb: 2.2 GB of one CSV line repeated, about 3 MB compressed (zlib's stream, so it is made in slices).
{
  const { createGzip, constants } = await import('node:zlib');
  const z = createGzip({ level: constants.Z_BEST_COMPRESSION });
  const chunks = [];
  z.on('data', (c) => chunks.push(c));
  const done = new Promise((r) => z.on('end', r));
  const block = Buffer.from('1,2,3\n'.repeat(1 << 20));
  for (let n = 0; n < 2.2e9; n += block.length) if (!z.write(block)) await new Promise((r) => z.once('drain', r));
  z.end();
  await done;
  out('bad/bomb.csv.gz', Buffer.concat(chunks));
}
out('bad/garbage.bin', Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 37 + 11) % 256)));
out(
  'bad/malformed.csv',
  'id,x,label\n' + Array.from({ length: 30 }, (_, i) => `${i},${i * 2},a`).join('\n') + '\n31,62,b,extra\n32,64,a\n',
);
const parquet = readFileSync(new URL('formats/iris.parquet', dir));
out(
  'bad/corrupt.parquet',
  Buffer.concat([parquet.subarray(0, 200), Buffer.alloc(300, 7), parquet.subarray(parquet.length - 8)]),
);
// The same Parquet with 400 bytes in the middle zeroed (a damaged page, footer intact).
{
  const z = Buffer.from(parquet);
  z.fill(0, Math.floor(z.length / 2) - 200, Math.floor(z.length / 2) + 200);
  out('bad/zeroed.parquet', z);
}
out('bad/no_label.csv', csvFormat(head.map(({ label, ...r }) => ({ ...r, species: label }))) + '\n');
out('bad/label_null.csv', csvFormat(head.map((r) => ({ ...r, label: '' }))) + '\n');
out('bad/prob_range.csv', csvFormat(head.map((r, i) => ({ ...r, prob_setosa: i === 6 ? 1.7 : r.prob_setosa }))) + '\n');
out(
  'bad/prob_nan.csv',
  csvFormat(head.map((r, i) => ({ ...r, prob_versicolor: i === 9 ? 'NaN' : r.prob_versicolor }))) + '\n',
);
out(
  'bad/prob_sum.csv',
  csvFormat(head.map((r, i) => ({ ...r, prob_virginica: i % 10 === 3 ? r.prob_virginica + 0.2 : r.prob_virginica }))) +
    '\n',
);
out('bad/prob_unused.csv', csvFormat(head.map((r) => ({ ...r, prob_unicorn: 0 }))) + '\n');
out('bad/pred_unknown.csv', csvFormat(head.map((r, i) => ({ ...r, pred: i === 4 ? 'setosaa' : r.pred }))) + '\n');
// Untrusted content: markup in cells, awkward column names.
out(
  'bad/hostile.csv',
  [
    'id,"we""ird name",dotted.col,naïve ñame,label,pred',
    `1,"<script>window.__pwned=1</script>",1.5,x,"<img src=x onerror=""window.__pwned=2"">",a`,
    `2,plain,2.5,y,a,a`,
    `3,"=cmd|' /C calc'!A0",3.5,z,b,"<b>bold</b>"`,
  ].join('\n') + '\n',
);
console.log('fixtures written');
