import { describe, expect, test } from 'vitest';
import { gzipSync } from 'fflate';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { dataService } from '../../src/engine/protocol';
import { engineKind } from '../../src/engine/nodePlatform';
import { countingEngine, fixture, newEngine } from './engine';
import { roleColumns } from '../../src/core/table/roles';
import { loupe } from './cli';

const engine = newEngine();

/**
 * Opens two Parquet files written by native DuckDB: `nested` (a SELECT of the nested columns), and
 * `flat`, the same rows flattened by `flatten` (a SELECT … FROM nested). Returns both datasets.
 */
async function nestedAndFlat(nested: string, flatten: (from: string) => string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'loupe-nested-'));
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(`COPY (${nested}) TO '${dir}/nested.parquet' (FORMAT parquet)`);
  await db.run(`COPY (${flatten(`'${dir}/nested.parquet'`)}) TO '${dir}/flat.parquet' (FORMAT parquet)`);
  const open = async (name: string) => engine.open({ name, bytes: new Uint8Array(readFileSync(`${dir}/${name}`)) });
  return [await open('nested.parquet'), await open('flat.parquet')];
}

/** The point metrics of a dataset with its detected roles. */
const metricsOf = async (id: string) =>
  (await engine.evaluate(id, { roles: (await engine.roles(id)).roles }, null, { resamples: 0 })).evaluation.metrics;
const FORMATS = [
  ['iris.tsv', 'tsv'],
  ['iris.csv.gz', 'csv'],
  ['iris.parquet', 'parquet'],
  ['iris-parquet-named.csv', 'parquet'],
  ['iris-groups.parquet', 'parquet'],
  ['iris.arrow', 'arrow'],
  ['iris.arrows', 'arrow'],
  ['iris.json', 'json'],
  ['iris.json.gz', 'json'],
  ['iris.ndjson', 'ndjson'],
] as const;

describe('every format loads the same iris table', async () => {
  const reference = await engine.open({ name: 'iris.csv', bytes: fixture('iris.csv') });
  const [refSum] = await engine.query(
    `SELECT sum(prob_virginica) AS s, count(DISTINCT label) AS k FROM ${reference.id}`,
  );

  test.each(FORMATS)('%s', async (file, format) => {
    const d = await engine.open({ name: file, bytes: fixture(`formats/${file}`) });
    expect(d.format).toBe(format);
    expect(d.rows).toBe(150);
    expect(d.columns.map((c) => c.name).sort()).toEqual(reference.columns.map((c) => c.name).sort());
    const [sum] = await engine.query(`SELECT sum(prob_virginica) AS s, count(DISTINCT label) AS k FROM ${d.id}`);
    expect(Math.abs(Number(sum.s) - Number(refSum.s))).toBeLessThan(1e-12);
    expect(sum.k).toBe(3);
    const { roles, issues } = await engine.roles(d.id);
    expect(roles.label).toBe('label');
    expect(roles.pred).toBe('pred');
    expect(roles.id).toBe('id');
    expect(roles.probs?.kind === 'columns' && roles.probs.columns.map((c) => c.cls)).toEqual([
      'setosa',
      'versicolor',
      'virginica',
    ]);
    expect(issues).toEqual([]);
  });

  test('Parquet read by parquet-wasm counts its progress in the rows of each row group', async () => {
    const done: number[] = [];
    await engine.open({ name: 'groups.parquet', bytes: fixture('formats/iris-groups.parquet') }, (p) => {
      if (p.unit === 'rows') (done.push(p.done!), expect(p.total).toBe(150));
    });
    // Native DuckDB reads Parquet itself, in one statement; DuckDB-wasm inserts what parquet-wasm decodes.
    expect(done).toEqual(engineKind() === 'wasm' ? [0, 40, 80, 120, 150] : []);
  });

  test('a list column of probabilities is recognised', async () => {
    const d = await engine.open({ name: 'iris-list.json', bytes: fixture('formats/iris-list.json') });
    expect(d.columns.find((c) => c.name === 'probs')?.kind).toBe('list');
    const { roles, issues } = await engine.roles(d.id);
    expect(roles.probs).toEqual({ kind: 'list', column: 'probs' });
    expect(issues).toEqual([]);
  });

  test('the fingerprint depends on content, not on the format it came in', async () => {
    const a = await engine.open({ name: 'a.csv', bytes: fixture('iris.csv') });
    const b = await engine.open({ name: 'b.csv', bytes: fixture('iris.csv') });
    const w = await engine.open({ name: 'wine.csv', bytes: fixture('wine.csv') });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(w.fingerprint);
  });
});

describe('reference fixtures', () => {
  test.each([
    ['iris.csv', 150, 'classification'],
    ['wine.csv', 178, 'classification'],
    ['cancer.csv', 569, 'classification'],
    ['synth_noisy.csv', 3000, 'classification'],
    ['diabetes.csv', 442, 'regression'],
  ])('%s: %i rows, %s', async (file, rows, task) => {
    const d = await engine.open({ name: file, bytes: fixture(file) });
    expect(d.rows).toBe(rows);
    const { roles } = await engine.roles(d.id);
    expect(roles.task).toBe(task);
    expect(roles.label).toBe('label');
    expect(roles.pred).toBe('pred');
  });

  test('profiles count nulls and distinct values, and histograms (counted after opening) cover every finite value', async () => {
    const d = await engine.open({ name: 'cancer.csv', bytes: fixture('cancer.csv') });
    // Opening gives each numeric column its range; the counts come after, from `histograms`.
    const numeric = d.columns.filter((c) => c.histogram);
    expect(numeric.length).toBeGreaterThan(5);
    for (const c of numeric) expect(c.histogram!.counts).toBeNull();
    const counted = await engine.histograms(d.id);
    for (const c of counted) {
      const range = c.histogram ? `, min("${c.name}")::DOUBLE AS lo, max("${c.name}")::DOUBLE AS hi` : '';
      const [r] = await engine.query(
        `SELECT count(*) - count("${c.name}") AS nulls, count(DISTINCT "${c.name}") AS d${range} FROM ${d.id}`,
      );
      expect(c.nulls).toBe(r.nulls);
      expect(c.distinct).toBe(r.d);
      if (c.histogram) {
        expect([c.histogram.min, c.histogram.max]).toEqual([r.lo, r.hi]);
        expect(c.histogram.counts!.reduce((a, b) => a + b, 0)).toBe(d.rows - c.nulls);
      }
    }
  });

  test('a request made while histograms are counted is served before they finish (background work yields between queries)', async () => {
    const cols = Array.from({ length: 24 }, (_, j) => `x${j}`);
    const lines = [cols.join(',')];
    for (let i = 0; i < 4000; i++) lines.push(cols.map((_, j) => ((i * (j + 3)) % 997) / 7).join(','));
    const service = dataService(engine);
    const d = await service.open({ name: 'wide.csv', bytes: new TextEncoder().encode(lines.join('\n') + '\n') });
    const order: string[] = [];
    const counting = service.histograms(d.id).then(() => order.push('histograms'));
    // The app's request arrives as a message would: on a later task, while the histograms are being counted.
    await new Promise((r) => setTimeout(r, 0));
    await service.rows(d.id, 0, 5).then(() => order.push('rows'));
    await counting;
    expect(order).toEqual(['rows', 'histograms']);
    expect(
      (await service.histograms(d.id)).every((c) => c.histogram!.counts!.reduce((a, b) => a + b, 0) === 4000),
    ).toBe(true);
  });

  test('requests one right after another (a model pulling batches) keep background work waiting until they pause', async () => {
    const statements: string[] = [];
    const service = dataService(countingEngine(statements));
    const cols = Array.from({ length: 8 }, (_, j) => `x${j}`);
    const lines = [cols.join(','), ...Array.from({ length: 500 }, (_, i) => cols.map((_, j) => (i * (j + 1)) % 13))];
    const d = await service.open({ name: 'burst.csv', bytes: new TextEncoder().encode(lines.join('\n') + '\n') });
    const histogramQueries = () => statements.filter((s) => s.includes(' AS bin, count(*) AS n ')).length;
    const counting = service.histograms(d.id);
    // A request every 20 ms for about half a second: never quiet for the 150 ms background work waits for.
    for (let i = 0; i < 25; i++) {
      await service.rows(d.id, i, 5);
      expect(histogramQueries()).toBe(0);
      await new Promise((r) => setTimeout(r, 20));
    }
    const counted = await counting;
    expect(histogramQueries()).toBe(8);
    expect(counted.every((c) => c.histogram!.counts!.reduce((a, b) => a + b, 0) === 500)).toBe(true);
  });

  test('float columns with NaN and ±∞: NaN cells are missing, ranges and fractions are of the finite values', async () => {
    const csv = 'x,y,z\n1.5,2.0,a\nnan,4.0,b\n-inf,inf,c\n3,-inf,d\n,6.0,e\ninf,8.0,f\n';
    const d = await engine.open({ name: 'nan.csv', bytes: new TextEncoder().encode(csv) });
    expect(d.missing).toEqual([{ column: 'x', cells: 1 }]);
    const [x, y] = d.columns;
    expect([x.nulls, x.histogram?.min, x.histogram?.max, x.fractional]).toEqual([2, 1.5, 3, true]);
    expect([y.nulls, y.histogram?.min, y.histogram?.max, y.fractional]).toEqual([0, 2, 8, false]);
    const counted = await engine.histograms(d.id);
    expect(counted.slice(0, 2).map((c) => c.histogram!.counts!.reduce((a, b) => a + b, 0))).toEqual([2, 4]);
  });

  test('missing tokens are found however they are padded: ASCII and Unicode spaces, never inside text', async () => {
    // DuckDB's trim removes spaces and Unicode space separators (no-break, ideographic, en space), not tabs.
    const cells = [
      ' NA',
      'None  ',
      '\u00a0NA',
      '\u3000nan\u2002',
      '',
      '?',
      'NA!',
      'é',
      '\tNA',
      'Nan',
      'a long text NA',
    ];
    const csv = `t,k\n${cells.map((c, i) => `"${c}",${i}`).join('\n')}\nx,99\n`;
    const d = await engine.open({ name: 'tokens.csv', bytes: new TextEncoder().encode(csv) });
    const page = await engine.rows(d.id, 0, 20);
    expect(page.rows.map((r) => r[page.columns.indexOf('t')])).toEqual([
      ...[null, null, null, null, null, null],
      ...['NA!', 'é', '\tNA', 'Nan', 'a long text NA', 'x'],
    ]);
    expect(d.missing[0].column).toBe('t');
  });

  test('opened with only some columns profiled: the others have names and types, the data is the same', async () => {
    const csv = 'label,x,note,y\ncat,1.5,NA,nan\ndog,2.5,a,1\nNA,3,b,2\ncat,nan,c,3\n';
    const bytes = new TextEncoder().encode(csv);
    const full = await engine.open({ name: 'a.csv', bytes });
    const seen: string[][] = [];
    const part = await engine.open({ name: 'a.csv', bytes }, undefined, (cols) => {
      seen.push(cols.map((c) => `${c.name}:${c.kind}`));
      return ['label', 'x'];
    });
    // The picker sees every column's final type (`y`, numbers with nan, is numeric), then asks
    // again once it sees the picked columns' profiles.
    expect(seen).toEqual([
      ['label:string', 'x:numeric', 'note:string', 'y:numeric'],
      ['label:string', 'x:numeric', 'note:string', 'y:numeric'],
    ]);
    expect(part.columns.slice(0, 2)).toEqual(full.columns.slice(0, 2));
    expect(part.columns.slice(2).map((c) => [c.name, c.type, c.unprofiled])).toEqual([
      ['note', 'VARCHAR', true],
      ['y', 'DOUBLE', true],
    ]);
    expect([part.rows, part.missing, part.fingerprint]).toEqual([full.rows, full.missing, '']);
    expect((await engine.rows(part.id, 0, 10)).rows).toEqual((await engine.rows(full.id, 0, 10)).rows);
  });

  test('a column of nearly all different values gets a sample, not top values counted over every string', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => `img/${String(i).padStart(5, '0')}.png,${i % 3}`);
    const d = await engine.open({ name: 'paths.csv', bytes: new TextEncoder().encode(`path,k\n${rows.join('\n')}\n`) });
    const path = d.columns[0];
    expect(path.top).toEqual([]);
    expect(path.sample).toHaveLength(5);
    for (const v of path.sample) expect(v).toMatch(/^img\/\d+\.png$/);
    // HyperLogLog overestimates these (12,123): the estimate is capped at the number of values.
    expect(path.distinctApprox).toBe(true);
    expect(path.distinct).toBeLessThanOrEqual(12_000);
    // Still recognised as images from its sample.
    expect(engine.detect(d.id).image).toEqual(['path']);
    const few = await engine.open({ name: 'few.csv', bytes: new TextEncoder().encode('c\na\nb\na\n') });
    expect(few.columns[0].top).toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 1 },
    ]);
  });

  test('Windows-1252 CSV (Excel in western Europe): “ ” – € read as written, plain and gzipped, and UTF-8 past the first 64 KB', async () => {
    // Encoded by hand: Node's TextEncoder writes UTF-8 only.
    const cp1252: Record<string, number> = { '“': 0x93, '”': 0x94, '–': 0x96, '€': 0x80, é: 0xe9 };
    const encode = (s: string) => Uint8Array.from([...s].map((ch) => cp1252[ch] ?? ch.charCodeAt(0)));
    const text = 'label,note\nyes,“café” – 5 €\nno,plain\n';
    for (const [name, bytes] of [
      ['excel.csv', encode(text)],
      ['excel.csv.gz', gzipSync(encode(text))],
    ] as const) {
      const d = await engine.open({ name, bytes });
      const page = await engine.rows(d.id, 0, 5);
      expect(page.rows.map((r) => r[page.columns.indexOf('note')])).toEqual(['“café” – 5 €', 'plain']);
    }
    // A UTF-8 start and one Windows-1252 cell far into the file.
    const long = `k,v\n${'a,1\n'.repeat(40_000)}`;
    const late = new Uint8Array([...new TextEncoder().encode(long), ...encode('“x”,2\n')]);
    const d = await engine.open({ name: 'late.csv', bytes: late });
    const last = await engine.rows(d.id, 40_000, 1);
    expect(last.rows[0]).toEqual(['“x”', 2]);
  });

  test('Shift-JIS CSV (Excel in Japan) is read as written; Windows-1252 text is not taken for it', async () => {
    // label,note / いぬ,かわいい / ねこ,正解 — encoded by Python's shift_jis codec.
    const sjis = Buffer.from('6c6162656c2c6e6f74650a82a282ca2c82a982ed82a282a20a82cb82b12c90b389f00a', 'hex');
    const d = await engine.open({ name: 'japan.csv', bytes: new Uint8Array(sjis) });
    expect((await engine.rows(d.id, 0, 5)).rows).toEqual([
      ['いぬ', 'かわいい'],
      ['ねこ', '正解'],
    ]);
    // "Québec" in Windows-1252 decodes as Shift-JIS too (é b: a kanji), but holds no kana: Windows-1252.
    const latin = Uint8Array.from(
      [...'label,city\nyes,Qu']
        .map((c) => c.charCodeAt(0))
        .concat(
          [0xe9],
          [...'bec\n'].map((c) => c.charCodeAt(0)),
        ),
    );
    const e = await engine.open({ name: 'quebec.csv', bytes: latin });
    expect((await engine.rows(e.id, 0, 5)).rows).toEqual([['yes', 'Québec']]);
  });

  test('a text-only file whose header ends in empty names (Excel\'s "label,pred,,") keeps its header; a file without one stays so', async () => {
    const text = async (name: string, csv: string) => {
      const d = await engine.open({ name, bytes: new TextEncoder().encode(csv) });
      return [d.columns.map((c) => c.name), (await engine.rows(d.id, 0, 5)).rows.length];
    };
    expect(await text('trailing.csv', 'label,pred,,\na,a,,\nb,a,,\n')).toEqual([
      ['label', 'pred', 'column2', 'column3'],
      2,
    ]);
    expect(await text('numbers.csv', '1,0.5\n0,0.25\n')).toEqual([['column0', 'column1'], 2]);
    // A comment above rows of numbers names their columns only when it has as many fields (NumPy's savetxt header).
    expect(await text('comment.csv', '# made by a script\n1,0,0.5\n0,0,0.25\n')).toEqual([
      ['column0', 'column1', 'column2'],
      2,
    ]);
    expect(await text('savetxt.csv', '# y_true,y_pred,y_prob\n1,0,0.5\n0,0,0.25\n')).toEqual([
      ['y_true', 'y_pred', 'y_prob'],
      2,
    ]);
  });

  test('struct columns (a pandas column of dicts, in Parquet) are spread: scores into prob_<class>, records into column.field', async () => {
    const [nested, flat] = await nestedAndFlat(
      `SELECT i AS id, CASE WHEN i % 3 = 0 THEN 'cat' ELSE 'dog' END AS label, CASE WHEN i % 4 = 0 THEN 'cat' ELSE 'dog' END AS pred,
        {'cat': CAST((i % 10) / 10 AS FLOAT), 'dog': CAST(1 - (i % 10) / 10 AS FLOAT)} AS probs,
        {'source': CASE WHEN i % 2 = 0 THEN 'web' ELSE 'app' END, 'len': i * 3} AS meta FROM range(60) r(i)`,
      (from) => `SELECT id, label, pred, probs.cat AS prob_cat, probs.dog AS prob_dog FROM ${from}`,
    );
    expect(nested.columns.map((c) => [c.name, c.kind])).toEqual([
      ['id', 'integer'],
      ['label', 'string'],
      ['pred', 'string'],
      ['prob_cat', 'numeric'],
      ['prob_dog', 'numeric'],
      ['meta.source', 'string'],
      ['meta.len', 'integer'],
    ]);
    const [a, b] = [await metricsOf(nested.id), await metricsOf(flat.id)];
    expect(a).toEqual(b);
    expect(a.log_loss).toBeGreaterThan(0);
    expect((await engine.rows(nested.id, 1, 1)).rows[0].slice(5).map(String)).toEqual(['app', '3']);
  });

  test("Spark ML's vectors (probability, features) are list columns; a sparse one is made dense", async () => {
    const vector = (type: number, size: number, indices: string, values: string) =>
      `{'type': CAST(${type} AS TINYINT), 'size': ${size}, 'indices': CAST(${indices} AS INTEGER[]), 'values': CAST(${values} AS DOUBLE[])}`;
    const [spark, flat] = await nestedAndFlat(
      `SELECT CAST(i % 2 AS DOUBLE) AS label, CAST(i % 3 = 0 AS DOUBLE) AS prediction,
        ${vector(1, 2, '[]', '[0.3 + (i % 5) / 10, 0.7 - (i % 5) / 10]')} AS probability,
        ${vector(0, 4, '[1, 3]', '[i, 2.5]')} AS features FROM range(60) r(i)`,
      (from) =>
        `SELECT label, prediction, probability['values'][1] AS prob_0, probability['values'][2] AS prob_1 FROM ${from}`,
    );
    expect(spark.columns.map((c) => [c.name, c.type])).toEqual([
      ['label', 'DOUBLE'],
      ['prediction', 'DOUBLE'],
      ['probability', 'DOUBLE[]'],
      ['features', 'DOUBLE[]'],
    ]);
    const { roles } = await engine.roles(spark.id);
    expect([roles.probs, roles.embedding]).toEqual([
      { kind: 'list', column: 'probability' },
      { kind: 'list', column: 'features' },
    ]);
    expect((await engine.rows(spark.id, 7, 1)).rows[0][3]).toBe('[0.0, 7.0, 0.0, 2.5]');
    expect(await metricsOf(spark.id)).toEqual(await metricsOf(flat.id));
  });

  test("BigQuery ML's probabilities in Parquet (a list of {label, prob} records) are prob_<class>; a list of text is not a list of numbers", async () => {
    const [bqml, flat] = await nestedAndFlat(
      `SELECT i AS id, CASE WHEN i % 3 = 0 THEN 'yes' ELSE 'no' END AS churned,
        CASE WHEN i % 10 >= 5 THEN 'yes' ELSE 'no' END AS predicted_churned,
        [{'label': 'yes', 'prob': (i % 10) / 10 + 0.05}, {'label': 'no', 'prob': 0.95 - (i % 10) / 10}] AS predicted_churned_probs,
        ['a', 'b'][1:1 + i % 2] AS tags FROM range(60) r(i)`,
      (from) =>
        `SELECT id, churned, predicted_churned, predicted_churned_probs[2].prob AS prob_no, predicted_churned_probs[1].prob AS prob_yes FROM ${from}`,
    );
    expect(bqml.columns.map((c) => [c.name, c.kind])).toEqual([
      ['id', 'integer'],
      ['churned', 'string'],
      ['predicted_churned', 'string'],
      ['tags', 'other'],
      ['prob_no', 'numeric'],
      ['prob_yes', 'numeric'],
    ]);
    const [a, b] = [await metricsOf(bqml.id), await metricsOf(flat.id)];
    expect(a).toEqual(b);
    expect(a.log_loss).toBeGreaterThan(0);
  });

  test('a table of counts becomes the rows it counts, in file order, also beside a user column named rowid', async () => {
    for (const extra of ['', 'rowid,']) {
      const csv = `${extra}actual,predicted,count\n${['cat,cat,3', 'cat,dog,1', 'dog,dog,2', 'dog,cat,0']
        .map((r, i) => (extra ? `${i + 7},${r}` : r))
        .join('\n')}\n`;
      const d = await engine.open({ name: 'counts.csv', bytes: new TextEncoder().encode(csv) });
      expect(d.rows).toBe(6);
      expect(d.notes).toEqual(['Each row counts count rows (a table of counts): read as the 6 rows it counts.']);
      const page = await engine.rows(d.id, 0, 10);
      const at = (c: string) => page.columns.indexOf(c);
      expect(page.rows.map((r) => `${r[at('actual')]}>${r[at('predicted')]}`)).toEqual([
        'cat>cat',
        'cat>cat',
        'cat>cat',
        'cat>dog',
        'dog>dog',
        'dog>dog',
      ]);
      expect(page.columns).not.toContain('count');
    }
  });

  test("DECIMAL columns (a database's Parquet export) are read as numbers, UUIDs open", async () => {
    // Written by native DuckDB: prob_1 as DECIMAL(10,6), an amount as DECIMAL(12,2), a UUID.
    const dir = mkdtempSync(path.join(tmpdir(), 'loupe-types-'));
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = `SELECT i AS id, i % 2 AS label, ((i * 7) % 10) / 10 AS p, (i * 37 % 1000) / 4 AS amount FROM range(40) r(i)`;
    await db.run(
      `COPY (SELECT id, label, CAST(p AS DECIMAL(10,6)) AS prob_1, CAST(amount AS DECIMAL(12,2)) AS amount, uuid() AS u FROM (${rows})) TO '${dir}/dec.parquet' (FORMAT parquet)`,
    );
    await db.run(
      `COPY (SELECT id, label, p AS prob_1, amount FROM (${rows})) TO '${dir}/dbl.parquet' (FORMAT parquet)`,
    );
    const open = async (name: string) => engine.open({ name, bytes: new Uint8Array(readFileSync(`${dir}/${name}`)) });
    const [dec, dbl] = [await open('dec.parquet'), await open('dbl.parquet')];
    expect(dec.columns.slice(2, 4).map((c) => [c.name, c.type])).toEqual([
      ['prob_1', 'DOUBLE'],
      ['amount', 'DOUBLE'],
    ]);
    const page = (await engine.rows(dec.id, 0, 40)).rows.map((r) => r.slice(0, 4));
    expect(page).toEqual((await engine.rows(dbl.id, 0, 40)).rows);
    expect(page[3]).toEqual([3, 1, 0.1, 27.75]);
    if (engineKind() === 'native') expect(dec.columns[4]).toMatchObject({ name: 'u', type: 'VARCHAR' });
    const metrics = async (id: string) => {
      const { roles } = await engine.roles(id);
      return (await engine.evaluate(id, { roles, positive: null, threshold: null }, null)).evaluation.metrics;
    };
    expect(await metrics(dec.id)).toEqual(await metrics(dbl.id));
  });

  test('a Parquet column of a type DuckDB-wasm cannot read (INTERVAL) is named in plain words; native DuckDB reads it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loupe-types-'));
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(
      `COPY (SELECT i % 2 AS label, to_minutes(i) AS wait FROM range(50) r(i)) TO '${dir}/iv.parquet' (FORMAT parquet)`,
    );
    const opened = engine.open({ name: 'iv.parquet', bytes: new Uint8Array(readFileSync(`${dir}/iv.parquet`)) });
    if (engineKind() === 'native') expect((await opened).rows).toBe(50);
    else
      await expect(opened).rejects.toMatchObject({
        code: 'unsupported-format',
        message:
          'iv.parquet has a column of type Interval, which DuckDB in the browser cannot read. Save that column as numbers or text, or use loupe on the command line, whose DuckDB reads it.',
      });
  });

  test('numbers with thousands separators (1,234.5; 1.234,5 with a decimal comma), a quoted decimal comma ("0,85") and percentages (85%) are read as numbers; other text stays text', async () => {
    const open = async (name: string, csv: string) => {
      const d = await engine.open({ name, bytes: new TextEncoder().encode(csv) });
      return { kinds: d.columns.map((c) => [c.name, c.kind]), rows: (await engine.rows(d.id, 0, 9)).rows };
    };
    const us = await open(
      'us.csv',
      'price,pred,version,mixed\n"1,234.5","1,200",1.2.3,"1,000"\n"980",NA,1.10.0,"2,000"\n"-12,345,678.25","3,000",2.0.1,about 5\n',
    );
    expect(us.kinds).toEqual([
      ['price', 'numeric'],
      ['pred', 'numeric'],
      ['version', 'string'],
      ['mixed', 'string'],
    ]);
    expect(us.rows.map((r) => r.slice(0, 2))).toEqual([
      [1234.5, 1200],
      [980, null],
      [-12345678.25, 3000],
    ]);
    // Percentages: a probability column exported from a spreadsheet.
    const pct = await open('pct.csv', 'label,prob_yes\nyes,85%\nno,12.5%\nyes,100%\n');
    expect(pct.kinds).toEqual([
      ['label', 'string'],
      ['prob_yes', 'numeric'],
    ]);
    expect(pct.rows.map((r) => r[1])).toEqual([0.85, 0.125, 1]);
    // A decimal comma quoted in a comma-separated file (Excel in Germany, saved as CSV with ","): numbers.
    const quoted = await open('quoted.csv', 'label,prob_yes,code\nyes,"0,85","1,250"\nno,"0,125","2,500"\n');
    expect(quoted.kinds.map((k) => k[1])).toEqual(['string', 'numeric', 'numeric']);
    expect(quoted.rows).toEqual([
      ['yes', 0.85, 1250],
      ['no', 0.125, 2500],
    ]);
    const eu = await open('eu.csv', 'price;pred\n1.234,5;1.200,0\n980,0;1.010,25\n');
    expect(eu.kinds).toEqual([
      ['price', 'numeric'],
      ['pred', 'numeric'],
    ]);
    expect(eu.rows).toEqual([
      [1234.5, 1200],
      [980, 1010.25],
    ]);
  });

  test('Excel\'s delimiter line ("sep=;") names the delimiter; the header follows it', async () => {
    for (const [name, text] of [
      ['semi.csv', 'sep=;\nlabel;x\nyes;1,5\nno;2,25\n'],
      ['bom.csv', '\uFEFFsep=,\r\nlabel,x\r\nyes,1.5\r\nno,2.25\r\n'],
      ['tab.txt', 'sep=\t\nlabel\tx\nyes\t1.5\nno\t2.25\n'],
    ]) {
      const d = await engine.open({ name, bytes: new TextEncoder().encode(text) });
      expect(
        d.columns.map((c) => [c.name, c.kind]),
        name,
      ).toEqual([
        ['label', 'string'],
        ['x', 'numeric'],
      ]);
      expect((await engine.rows(d.id, 0, 5)).rows).toEqual([
        ['yes', 1.5],
        ['no', 2.25],
      ]);
    }
  });

  test('UTF-16 text (Excel\'s "Unicode Text", Windows PowerShell\'s `>`), either byte order, is read as written', async () => {
    const utf16 = (s: string, le: boolean) => {
      const units = [0xfeff, ...Array.from({ length: s.length }, (_, i) => s.charCodeAt(i))];
      return Uint8Array.from(units.flatMap((u) => (le ? [u & 0xff, u >> 8] : [u >> 8, u & 0xff])));
    };
    // Tab-separated with CRLF, as Excel saves it; a character outside the BMP (a surrogate pair).
    const text = 'label\tnote\r\nyes\t“café” – 5 € 🙂\r\nno\tplain\r\n';
    for (const le of [true, false]) {
      for (const src of [
        { name: 'unicode.txt', bytes: utf16(text, le) },
        { name: 'unicode.txt', file: new Blob([utf16(text, le)]) },
        { name: 'rows.json', bytes: utf16('[{"label":"yes","note":"ü"},{"label":"no","note":null}]', le) },
      ]) {
        const d = await engine.open(src);
        expect(d.bytes, 'the size of the file as chosen').toBe(src.bytes?.length ?? src.file?.size);
        const page = await engine.rows(d.id, 0, 5);
        expect(page.columns.slice(0, 2), src.name).toEqual(['label', 'note']);
        expect(page.rows.map((r) => r[1])).toEqual(
          src.name === 'rows.json' ? ['ü', null] : ['“café” – 5 € 🙂', 'plain'],
        );
      }
    }
  });

  test('lists of numbers written as text (pandas lists and NumPy arrays in CSV) are read as lists; other text stays text', async () => {
    const csv = [
      'emb,arr,note,mixed',
      '"[0.5, -1.25, 3]",[1.5 2.  3. ],[citation needed],"[1, 2]"',
      '"[1e-3, 2, 0]","[4 5\n 6]",[see above],"[x, 2]"',
      ',[7 8 9],plain,"[3, 4]"',
    ].join('\n');
    const d = await engine.open({ name: 'lists.csv', bytes: new TextEncoder().encode(csv + '\n') });
    expect(d.columns.map((c) => [c.name, c.kind])).toEqual([
      ['emb', 'list'],
      ['arr', 'list'],
      ['note', 'string'],
      ['mixed', 'string'],
    ]);
    // Shown as DuckDB writes a list.
    const page = await engine.rows(d.id, 0, 3);
    expect(page.rows.map((r) => r[1])).toEqual(['[1.5, 2.0, 3.0]', '[4.0, 5.0, 6.0]', '[7.0, 8.0, 9.0]']);
    expect(page.rows.map((r) => r[0])).toEqual(['[0.5, -1.25, 3.0]', '[0.001, 2.0, 0.0]', null]);
  });

  test('distinct counts are exact up to 10,000 and an estimate, marked as such, above', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `${i},${i % 7},${i % 9_000}`);
    const d = await engine.open({
      name: 'many.csv',
      bytes: new TextEncoder().encode(`id,small,mid\n${rows.join('\n')}\n`),
    });
    const [id, small, mid] = d.columns;
    expect(id.distinctApprox).toBe(true);
    expect(Math.abs(id.distinct - 30_000) / 30_000).toBeLessThan(0.05);
    expect([small.distinct, small.distinctApprox]).toEqual([7, undefined]);
    expect([mid.distinct, mid.distinctApprox]).toEqual([9_000, undefined]);
  });

  test('rows come back in file order, a page at a time', async () => {
    const d = await engine.open({ name: 'iris.csv', bytes: fixture('iris.csv') });
    const page = await engine.rows(d.id, 100, 3);
    const lines = new TextDecoder().decode(fixture('iris.csv')).split('\n');
    expect(page.rows.map((r) => r[0])).toEqual(lines.slice(101, 104).map((l) => Number(l.split(',')[0])));
    expect(page.columns[0]).toBe('id');
  });
});

describe('wide tables', () => {
  test('an embedding of 200 columns profiles in parts, each column its own numbers', async () => {
    const width = 200;
    const lines = [['id', 'label', ...Array.from({ length: width }, (_, t) => `emb_${t}`)].join(',')];
    // Column t holds t + row / 1000 (row 0…299): min t, max t + 0.299, 300 distinct values.
    for (let r = 0; r < 300; r++)
      lines.push([r, r % 2 ? 'a' : 'b', ...Array.from({ length: width }, (_, t) => t + r / 1000)].join(','));
    const info = await engine.open({ name: 'wide.csv', bytes: new TextEncoder().encode(lines.join('\n')) });
    expect(info.columns).toHaveLength(width + 2);
    for (const t of [0, 47, 48, 95, 150, 199]) {
      const c = info.columns.find((x) => x.name === `emb_${t}`)!;
      expect(c.distinct).toBe(300);
      expect(c.histogram?.min).toBeCloseTo(t, 9);
      expect(c.histogram?.max).toBeCloseTo(t + 0.299, 9);
    }
    expect(info.columns.find((x) => x.name === 'label')!.distinct).toBe(2);
    const { roles } = await engine.roles(info.id);
    expect(roles.embedding).toMatchObject({ kind: 'columns', prefix: 'emb_' });
    expect(roles.embedding!.kind === 'columns' && roles.embedding!.columns.length).toBe(width);
  });
});

describe('a command reads only the columns it picks (open with project)', () => {
  const pick = (cols: Parameters<typeof roleColumns>[0]) => roleColumns(cols);
  test('the features of a CSV are not read; the same metrics come out', async () => {
    const e = newEngine();
    const info = await e.open({ name: 'iris.csv', bytes: fixture('iris.csv') }, undefined, pick, { project: true });
    expect(info.columns.map((c) => c.name)).toEqual([
      'id',
      'label',
      'prob_setosa',
      'prob_versicolor',
      'prob_virginica',
      'pred',
    ]);
    const whole = await e.open({ name: 'iris.csv', bytes: fixture('iris.csv') }, undefined, pick);
    expect(whole.columns.length).toBe(10);
    const metrics = async (id: string) =>
      (await e.evaluate(id, { roles: (await e.roles(id)).roles }, null)).evaluation.metrics;
    expect(await metrics(info.id)).toEqual(await metrics(whole.id));
  });
  test('probabilities named as the label’s classes, seen only once the label is profiled, make it read the file whole', async () => {
    const e = newEngine();
    const info = await e.open({ name: 'class_named.csv', bytes: fixture('inputs/class_named.csv') }, undefined, pick, {
      project: true,
    });
    expect(info.columns.map((c) => c.name)).toEqual(['label', 'pred', 'bird', 'cat', 'dog']);
    const { roles } = await e.roles(info.id);
    expect(roles.probs?.kind === 'columns' && roles.probs.columns.map((c) => c.column).sort()).toEqual([
      'bird',
      'cat',
      'dog',
    ]);
    // The first, narrower table was closed.
    expect(e.list().map((d) => d.name)).toEqual(['class_named.csv']);
  });
  test('the command line still names every column of the file when a role option names none of them', async () => {
    const r = await loupe(['eval', new URL('../fixtures/iris.csv', import.meta.url).pathname, '--label', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no column "nope" in iris\.csv \(columns: id, sepal_length, .*, pred\)/);
  });
});
