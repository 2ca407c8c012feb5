import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loupe } from './cli';
import { countingEngine, newEngine } from './engine';
import { namesFromProfile } from '../../src/engine/Evaluator';
import { distinctClassesSql } from '../../src/core/table/validate';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const expected = (name: string) => JSON.parse(readFileSync(fixture(`expected/${name}.json`), 'utf8'));

/** Every number in `want` equals the one at the same place in `got` within 1e-9; everything else is equal. */
function close(got: unknown, want: unknown, where: string): void {
  if (typeof want === 'number') {
    expect(typeof got, where).toBe('number');
    expect(Math.abs((got as number) - want), `${where}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-9);
  } else if (Array.isArray(want)) {
    expect(Array.isArray(got), where).toBe(true);
    expect((got as unknown[]).length, where).toBe(want.length);
    want.forEach((w, i) => close((got as unknown[])[i], w, `${where}[${i}]`));
  } else if (want && typeof want === 'object') {
    for (const [k, w] of Object.entries(want)) {
      expect(got, where).toHaveProperty([k]);
      close((got as Record<string, unknown>)[k], w, `${where}.${k}`);
    }
  } else expect(got, where).toEqual(want);
}

describe('loupe eval --json equals scikit-learn on the reference fixtures', () => {
  for (const [name, stream] of ['iris', 'wine', 'cancer', 'synth_noisy', 'diabetes'].flatMap((n) => [
    [n, false] as const,
    [n, true] as const,
  ])) {
    it(`${name}${stream ? ' (--stream: one pass in batches)' : ''}`, async () => {
      const exp = expected(name);
      const args = [
        'eval',
        fixture(`${name}.csv`),
        '--json',
        '--bootstrap',
        '0',
        '--label',
        exp.spec.label,
        '--pred',
        exp.spec.pred,
        ...(stream ? ['--stream'] : []),
      ];
      if (exp.spec.prob) args.push('--probs-prefix', exp.spec.prob);
      if (exp.spec.task) args.push('--task', exp.spec.task);
      if (exp.spec.positive) args.push('--positive', exp.spec.positive);
      for (const by of exp.spec.by ?? []) args.push('--by', by);
      const r = await loupe(args);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const got = JSON.parse(r.out);
      expect(got.rows).toBe(exp.rows);
      expect(got.task).toBe(exp.spec.task ?? 'classification');
      if (exp.classes) expect(got.classes).toEqual(exp.classes);
      close(got.overall, exp.overall, 'overall');
      if (exp.per_class) close(got.per_class, exp.per_class, 'per_class');
      if (exp.confusion) close(got.confusion, exp.confusion, 'confusion');
      close(got.groups, exp.groups, 'groups');
      expect(Object.keys(got.groups)).toEqual(Object.keys(exp.groups));
      for (const col of Object.keys(exp.groups))
        expect(Object.keys(got.groups[col]).sort()).toEqual(Object.keys(exp.groups[col]).sort());
    });
  }

  it('detects the roles by itself and gives the same numbers', async () => {
    const r = await loupe(['eval', fixture('cancer.csv'), '--json', '--bootstrap', '0']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out);
    expect(got.positive).toBe('malignant');
    close(got.overall, expected('cancer').overall, 'overall');
  });
});

describe('a streamed report (one pass in batches, bounded memory) equals the in-memory one', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['cancer.csv', {}, { by: ['size_group', 'mean_radius'], where: ["texture_group = 'smooth'", 'mean_area > 700'] }],
    ['cancer.csv', { threshold: 0.3, positive: 'benign' }, { by: ['texture_group'] }],
    ['wine.csv', {}, { by: ['alcohol'], where: ['proline < 600'] }],
    ['synth_noisy.csv', {}, {}],
    ['diabetes.csv', {}, { by: ['sex', 'bmi'], where: ['age > 0'] }],
    ['inputs/missing_tokens.csv', {}, {}],
    ['inputs/na_regression.csv', {}, {}],
    ['inputs/score_text.csv', { threshold: 0.6 }, {}],
  ];
  for (const [file, spec, opts] of cases)
    it(`${file} ${JSON.stringify({ ...spec, ...opts })}`, async () => {
      const e = newEngine();
      const info = await e.open({ name: file, bytes: new Uint8Array(readFileSync(fixture(file))) });
      const { roles } = await e.roles(info.id);
      const where = ((opts.where as string[] | undefined) ?? []).map((sql) => ({ kind: 'sql' as const, sql }));
      const ask = { ...opts, where, resamples: 0 };
      const want = JSON.parse(await e.reportJson(info.id, { roles, ...spec }, ask));
      // Batches of 100 rows (native DuckDB hands over whole chunks of 2,048: synth_noisy has two).
      const got = JSON.parse(await e.reportJson(info.id, { roles, ...spec }, { ...ask, stream: true, batchRows: 100 }));
      close(got, want, 'report');
      expect(Object.keys(got.groups)).toEqual(Object.keys(want.groups));
      for (const col of Object.keys(want.groups))
        expect(Object.keys(got.groups[col])).toEqual(Object.keys(want.groups[col]));
      expect(got.slices.length).toBe(want.slices.length);
      // Nothing left out: the numbers are there, not null where the in-memory report has them.
      expect(JSON.stringify(got).match(/null/g)?.length ?? 0).toBe(JSON.stringify(want).match(/null/g)?.length ?? 0);
    });

  it('gives no bootstrap intervals, says so, and keeps the Wilson ones', async () => {
    const r = await loupe(['eval', fixture('cancer.csv'), '--json', '--stream']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/569 rows evaluated in one pass over the data \(--stream\): no bootstrap intervals/);
    const got = JSON.parse(r.out);
    expect(got.intervals.roc_auc).toBeNull();
    expect(got.intervals.accuracy).toHaveLength(2);
    const e = newEngine();
    const info = await e.open({ name: 'cancer.csv', bytes: new Uint8Array(readFileSync(fixture('cancer.csv'))) });
    const { roles } = await e.roles(info.id);
    await expect(e.reportJson(info.id, { roles }, { resamples: 0, stream: true, batchRows: 0 })).rejects.toThrow(
      /batchRows 0 is not a whole number from 1/,
    );
    // The roles are checked as for the in-memory report.
    const none = { roles: { ...roles, pred: null, probs: null } };
    await expect(e.reportJson(info.id, none, { resamples: 0, stream: true })).rejects.toThrow(
      /No prediction or probability columns/,
    );
  });
});

describe('loupe eval: slices, thresholds and bad usage', () => {
  it('a --where slice equals the same rows as a file of their own', async () => {
    const slice = await loupe([
      'eval',
      fixture('cancer.csv'),
      '--json',
      '--bootstrap',
      '0',
      '--where',
      "size_group = 'large'",
    ]);
    const group = JSON.parse(
      (await loupe(['eval', fixture('cancer.csv'), '--json', '--bootstrap', '0', '--by', 'size_group'])).out,
    ).groups.size_group.large;
    const s = JSON.parse(slice.out).slices[0];
    expect(s.where).toBe("size_group = 'large'");
    expect(s.rows).toBe(190);
    const { rows, ...want } = expected('cancer').groups.size_group.large;
    expect(rows).toBe(190);
    close(s.metrics, want, 'slice');
    expect(s.metrics).toEqual(Object.fromEntries(Object.keys(s.metrics).map((k) => [k, group[k]])));
  });

  it('a threshold predicts from p(positive) and changes the confusion matrix', async () => {
    const at = async (t: string) =>
      JSON.parse((await loupe(['eval', fixture('cancer.csv'), '--json', '--bootstrap', '0', '--threshold', t])).out);
    const low = await at('0.05');
    const high = await at('0.95');
    // Row sums (true classes) stay; a low threshold predicts malignant more often.
    expect(low.confusion.matrix.map((r: number[]) => r[0] + r[1])).toEqual(
      high.confusion.matrix.map((r: number[]) => r[0] + r[1]),
    );
    expect(low.confusion.matrix[0][1]).toBeGreaterThan(high.confusion.matrix[0][1]);
    expect(low.threshold).toBe(0.05);
    expect(low.overall.roc_auc).toBe(high.overall.roc_auc);
  });

  it('a threshold step and a change of positive class read nothing more from DuckDB', async () => {
    const statements: string[] = [];
    const e = countingEngine(statements);
    const info = await e.open({ name: 'cancer.csv', bytes: new Uint8Array(readFileSync(fixture('cancer.csv'))) });
    const { roles } = await e.roles(info.id);
    const first = await e.evaluate(info.id, { roles, threshold: 0.05 }, null);
    const read = statements.length;
    const fresh = newEngine();
    const other = await fresh.open({ name: 'cancer.csv', bytes: new Uint8Array(readFileSync(fixture('cancer.csv'))) });
    for (const spec of [{ threshold: 0.95 }, { threshold: 0.5 }, { positive: 'benign', threshold: 0.3 }]) {
      const got = await e.evaluate(info.id, { roles, ...spec }, null);
      expect(statements.length, JSON.stringify(spec)).toBe(read);
      // The same numbers as an engine that reads the columns for this spec afresh.
      const want = await fresh.evaluate(other.id, { roles: (await fresh.roles(other.id)).roles, ...spec }, null);
      expect([got.positive, got.evaluation, got.charts]).toEqual([want.positive, want.evaluation, want.charts]);
    }
    expect(first.evaluation).not.toEqual((await e.evaluate(info.id, { roles, threshold: 0.95 }, null)).evaluation);
  });

  it('the same evaluation asked twice at once (warm-up, then the view) reads the columns once; intervals stop on request', async () => {
    const statements: string[] = [];
    const e = countingEngine(statements);
    const info = await e.open({ name: 'cancer.csv', bytes: new Uint8Array(readFileSync(fixture('cancer.csv'))) });
    const { roles } = await e.roles(info.id);
    const before = statements.length;
    const [a, b] = await Promise.all([
      e.evaluate(info.id, { roles }, null, { channel: 'warm-up' }),
      e.evaluate(info.id, { roles }, null, { channel: 'active' }),
    ]);
    expect(b).toBe(a);
    const once = statements.length - before;
    // A fresh engine asked once reads as many statements as these two requests together.
    const fresh = countingEngine(statements);
    const other = await fresh.open({ name: 'cancer.csv', bytes: new Uint8Array(readFileSync(fixture('cancer.csv'))) });
    const rolesOther = (await fresh.roles(other.id)).roles;
    const start = statements.length;
    await fresh.evaluate(other.id, { roles: rolesOther }, null);
    expect(once).toBe(statements.length - start);
    // A bootstrap on a channel rejects as cancelled once stopped.
    let progressed = 0;
    const boot = e.evaluate(info.id, { roles }, null, { resamples: 1000, channel: 'active' }, () => {
      if (++progressed === 1) void e.stopIntervals('active');
    });
    await expect(boot).rejects.toThrow(/ancel/);
    expect(progressed).toBeGreaterThan(0);
  });

  it('class names come from the profile when it lists every value (no scan), else from DuckDB; the same either way', async () => {
    // label: integers 1…3 (the exact distinct count fills the range); pred: 1, 3, 7 (a gap: scanned);
    // s, s_pred: four short strings (all among the counted top values); t: seven strings (more than are counted).
    const lines = ['label,pred,s,t,s_pred'];
    for (let i = 0; i < 40; i++)
      lines.push([1 + (i % 3), [1, 3, 7][i % 3], `k${i % 4}`, `v${i % 7}`, `k${(i * 3) % 4}`].join(','));
    const statements: string[] = [];
    const e = countingEngine(statements);
    const info = await e.open({ name: 'classes.csv', bytes: new TextEncoder().encode(lines.join('\n') + '\n') });
    const { roles } = await e.roles(info.id, { label: 'label', pred: 'pred', probs: null, task: 'classification' });
    const scanned = async (label: string, pred: string) => {
      statements.length = 0;
      const r = await e.evaluate(info.id, { roles: { ...roles, label, pred } }, null);
      return [r.classes, statements.some((q) => q.includes('SELECT DISTINCT'))];
    };
    expect(await scanned('label', 'pred')).toEqual([['1', '2', '3', '7'], true]);
    expect(await scanned('s', 's_pred')).toEqual([['k0', 'k1', 'k2', 'k3'], false]);
    expect(await scanned('label', 'label')).toEqual([['1', '2', '3'], false]);
    const seven = [...['k0', 'k1', 'k2', 'k3'], ...Array.from({ length: 7 }, (_, i) => `v${i}`)];
    expect(await scanned('t', 's')).toEqual([seven, true]);
    // Where the profile names the classes, they are the values DuckDB finds.
    const named = Object.fromEntries(info.columns.map((c) => [c.name, namesFromProfile(c)?.sort() ?? null]));
    expect(named).toEqual({
      label: ['1', '2', '3'],
      pred: null,
      s: ['k0', 'k1', 'k2', 'k3'],
      t: null,
      s_pred: ['k0', 'k1', 'k2', 'k3'],
    });
    for (const c of ['label', 's', 's_pred']) {
      const rows = await e.query(
        distinctClassesSql(
          info.id,
          c,
          info.columns.find((p) => p.name === c),
        ),
      );
      expect(rows.map((r) => String(r.c)).sort()).toEqual(named[c]);
    }
  });

  it('the positive class can be changed', async () => {
    const r = JSON.parse(
      (await loupe(['eval', fixture('cancer.csv'), '--json', '--bootstrap', '0', '--positive', 'benign'])).out,
    );
    expect(r.positive).toBe('benign');
    // AUC of the other class's probability is the same; average precision is not.
    expect(r.overall.roc_auc).toBeCloseTo(expected('cancer').overall.roc_auc, 12);
    expect(r.overall.average_precision).not.toBeCloseTo(expected('cancer').overall.average_precision, 3);
  });

  it('numeric --by columns are binned by quantiles', async () => {
    const r = JSON.parse(
      (await loupe(['eval', fixture('cancer.csv'), '--json', '--bootstrap', '0', '--by', 'mean_radius'])).out,
    );
    const bins = Object.entries(r.groups.mean_radius) as [string, { rows: number }][];
    expect(bins.length).toBe(5);
    expect(bins.reduce((a, [, g]) => a + g.rows, 0)).toBe(569);
    expect(bins[0][0]).toMatch(/^\[6\.981, /);
  });

  it('intervals are seeded: the same on every run, and contain the estimate', async () => {
    const run = async () =>
      JSON.parse((await loupe(['eval', fixture('iris.csv'), '--json', '--bootstrap', '200'])).out);
    const a = await run();
    const b = await run();
    expect(a.intervals).toEqual(b.intervals);
    for (const [k, iv] of Object.entries(a.intervals) as [string, [number, number] | null][]) {
      if (!iv) continue;
      expect(iv[0], k).toBeLessThanOrEqual(a.overall[k] + 1e-12);
      expect(iv[1], k).toBeGreaterThanOrEqual(a.overall[k] - 1e-12);
    }
    expect(a.per_class[0].intervals.recall[0]).toBeLessThan(0.98);
  });

  it('says what is wrong with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['nope'], /unknown command "nope"/],
      [['eval'], /missing the data file/],
      [['eval', '/no/such.csv'], /cannot read \/no\/such\.csv: no such file/],
      [['eval', fixture('iris.csv'), '--label', 'species'], /--label: no column "species"/],
      [['eval', fixture('iris.csv'), '--where', 'nosuch > 1'], /--where: .*nosuch/],
      [['eval', fixture('iris.csv'), '--where', '1=1; DROP TABLE x'], /--where: ";"/],
      [['eval', fixture('cancer.csv'), '--positive', 'maybe'], /--positive "maybe" is not a class/],
      [['eval', fixture('iris.csv'), '--threshold', '0.3'], /--threshold needs a binary task/],
      [['eval', fixture('iris.csv'), '--threshold', '7'], /--threshold "7": expected a number from 0 to 1/],
      [['eval', fixture('iris.csv'), '--bogus'], /Unknown option '--bogus'/],
      [
        ['eval', fixture('bad/no_label.csv')],
        /No label column found.*or name the column that holds it with --label COL\. Labels in another file are joined to these rows on an id \(or in order\): give that file first/,
      ],
    ];
    for (const [args, msg] of cases) {
      const r = await loupe(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(msg);
      expect(r.err.trim().split('\n').length, args.join(' ')).toBe(1);
      expect(r.out).toBe('');
    }
  });

  it('lets its DuckDB go when done, leaving no file behind, and the next run starts on an empty database', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'loupe-tmp-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp; // the sandbox is made under os.tmpdir()
    try {
      for (const file of ['iris.csv', 'cancer.csv']) {
        const r = await loupe(['eval', fixture(file), '--json', '--bootstrap', '0', '--out', path.join(tmp, 'r.json')]);
        expect(r.code, r.err).toBe(0);
        // On DuckDB-wasm the second run reuses the first one's module: a table left over would be read here.
        expect(JSON.parse(readFileSync(path.join(tmp, 'r.json'), 'utf8')).rows).toBe(file === 'iris.csv' ? 150 : 569);
        expect(readdirSync(tmp)).toEqual(['r.json']);
      }
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });

  it('ends with its own exit code, and no stack trace, when its reader closes the pipe (loupe … | head)', async () => {
    for (const [args, want] of [
      [['eval', fixture('iris.csv'), '--json', '--bootstrap', '0'], 0],
      [['eval', '/no/such.csv'], 2],
    ] as const) {
      const child = spawn(process.execPath, ['bin/loupe.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy(); // the reader is gone before the first line
      let err = '';
      child.stderr.on('data', (c) => (err += c));
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code, args.join(' ')).toBe(want);
      expect(err, args.join(' ')).not.toMatch(/EPIPE|Unhandled|at /);
    }
  });
});

describe('the command as a shell runs it', () => {
  const run = (args: string[], input?: Buffer) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/loupe.mjs', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      child.on('close', (code) => resolve({ code, out, err }));
      child.stdin.end(input);
    });

  it('reads the data from standard input given "-", plain or gzipped, the same as from the file', async () => {
    const file = fixture('iris.csv');
    const want = (await loupe(['eval', file, '--json', '--bootstrap', '0'])).out;
    for (const input of [readFileSync(file), gzipSync(readFileSync(file))]) {
      const r = await run(['eval', '-', '--json', '--bootstrap', '0'], input);
      expect([r.code, r.err]).toEqual([0, '']);
      expect(r.out).toBe(want);
    }
    expect(await run(['eval', '-'], Buffer.alloc(0))).toMatchObject({
      code: 2,
      err: 'loupe: standard input is empty: there is no data to read\n',
    });
  });

  it('a folder of Parquet parts (Spark output) is one table on native DuckDB, and nothing else in it is read', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loupe-parts-'));
    const whole = path.join(dir, 'whole.csv');
    const lines = Array.from({ length: 90 }, (_, i) => `${i},${i % 3 ? 'cat' : 'dog'},${i % 4 ? 'cat' : 'dog'}`);
    writeFileSync(whole, ['id,label,pred', ...lines].join('\n') + '\n');
    const out = path.join(dir, 'out');
    mkdirSync(out);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    for (let k = 0; k < 3; k++)
      await db.run(
        `COPY (SELECT * FROM read_csv('${whole}') WHERE id // 30 = ${k}) TO '${out}/part-0000${k}.snappy.parquet' (FORMAT parquet)`,
      );
    writeFileSync(path.join(out, '_SUCCESS'), '');
    // A CSV beside the parts is not a part: were it read, the rows would not match.
    writeFileSync(path.join(out, 'notes.csv'), 'id,label,pred\n999,dog,cat\n');
    const a = await loupe(['eval', out, '--json', '--bootstrap', '0']);
    if (process.env.LOUPE_ENGINE === 'wasm') {
      expect(a.code).toBe(2);
      expect(a.err).toContain('out is a folder of Parquet parts, which only native DuckDB reads as one table here.');
    } else {
      const b = await loupe(['eval', whole, '--json', '--bootstrap', '0']);
      expect(a.code).toBe(0);
      expect(JSON.parse(a.out)).toEqual(JSON.parse(b.out));
      expect(JSON.parse(a.out).rows).toBe(90);
    }
    mkdirSync(path.join(out, 'year=2024'));
    const nested = await loupe(['eval', out]);
    expect(nested.code).toBe(2);
    expect(nested.err).toContain('it holds folders (year=2024/)');
  });

  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(await run(['--version'])).toEqual({ code: 0, out: `loupe ${version}\n`, err: '' });
  });
});

describe('roles given by hand', () => {
  it('--probs as a list of columns gives the same numbers as the prefix', async () => {
    const exp = expected('iris');
    const r = await loupe([
      'eval',
      fixture('iris.csv'),
      '--json',
      '--bootstrap',
      '0',
      '--probs',
      'prob_setosa,prob_versicolor,prob_virginica',
    ]);
    expect(r.code).toBe(0);
    close(JSON.parse(r.out).overall, exp.overall, 'overall');
  });

  it('--probs columns whose classes start alike keep the classes whole (prob_cat, prob_cow: cat and cow)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loupe-probs-'));
    const file = path.join(dir, 'alike.csv');
    writeFileSync(file, 'label,prob_cat,prob_cow\ncat,0.9,0.1\ncow,0.2,0.8\ncat,0.4,0.6\n');
    const r = await loupe(['eval', file, '--json', '--bootstrap', '0', '--probs', 'prob_cat,prob_cow']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).classes).toEqual(['cat', 'cow']);
  });

  it('ground truth and predictions in two files: joined on the id, with the role options naming each file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loupe-two-'));
    const write = (name: string, text: string) => (writeFileSync(path.join(dir, name), text), path.join(dir, name));
    const truth = write('truth.csv', 'key,label\n1,a\n2,b\n3,a\n4,b\n');
    const preds = write('preds.csv', 'key,guess,other\n4,b,x\n3,b,y\n2,b,z\n1,a,w\n');
    // No id by name: --id names it; --pred names the predictions file's column.
    const noId = await loupe(['eval', truth, preds]);
    expect(noId.code).toBe(2);
    expect(noId.err).toContain('The two files share no id column (both have key). Name it with --id COL.');
    const r = await loupe(['eval', truth, preds, '--id', 'key', '--pred', 'guess', '--json', '--bootstrap', '0']);
    expect(r.err).toContain("joined on key: the label is label of truth.csv, the model's output guess of preds.csv.");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).overall.accuracy).toBe(0.75);
    // The other commands take the two files too: loupe issues equals it on one merged file.
    const scored = write('scored.csv', 'key,prob_a,prob_b\n4,0.2,0.8\n3,0.1,0.9\n2,0.3,0.7\n1,0.6,0.4\n');
    const merged = write('merged.csv', 'key,label,prob_a,prob_b\n1,a,0.6,0.4\n2,b,0.3,0.7\n3,a,0.1,0.9\n4,b,0.2,0.8\n');
    const two = await loupe(['issues', truth, scored, '--id', 'key', '--json']);
    const one = await loupe(['issues', merged, '--id', 'key', '--json']);
    expect(two.code).toBe(0);
    expect(JSON.parse(two.out).issues).toEqual([{ id: '3', given: 'a', suggested: 'b', score: 0.1 }]);
    expect(JSON.parse(two.out).issues).toEqual(JSON.parse(one.out).issues);
    // An id named twice would count rows again: refused.
    const twice = write('twice.csv', 'key,guess\n1,a\n1,b\n2,b\n');
    const t = await loupe(['eval', truth, twice, '--id', 'key', '--pred', 'guess']);
    expect(t.code).toBe(2);
    expect(t.err).toContain('twice.csv names key "1" in 2 rows');
    // No column in common: rows are joined in order, only where the files have as many rows.
    const inOrder = write('in_order.csv', 'guess\na\nb\nb\nb\n');
    const o = await loupe(['eval', truth, inOrder, '--json', '--bootstrap', '0']);
    expect(o.err).toContain('joined row by row (no id column in both; 4 rows each)');
    expect(JSON.parse(o.out).overall.accuracy).toBe(0.75);
    const short = await loupe(['eval', truth, write('short.txt', 'a\nb\nb\n')]);
    expect(short.code).toBe(2);
    expect(short.err).toContain('The two files share no id column and have different numbers of rows.');
    const engine = newEngine();
    const [a, b] = await Promise.all(
      [truth, write('short.csv', 'guess\na\nb\n')].map((f) =>
        engine.open({ name: path.basename(f), bytes: new Uint8Array(readFileSync(f)) }),
      ),
    );
    await expect(engine.joinOnId(a.id, b.id, null, 'both')).rejects.toThrow(
      'truth.csv has 4 rows and short.csv 2 rows: with no id column in both, rows are joined in order, so the two files must have as many rows.',
    );
  });

  it('without a prediction column, the prediction is the most probable class (ties to the first)', async () => {
    const engine = newEngine();
    const info = await engine.open({
      name: 'ties.csv',
      bytes: new TextEncoder().encode(
        'label,prob_a,prob_b,prob_c\na,0.4,0.4,0.2\nb,0.3,0.3,0.4\nc,0.2,0.5,0.3\nb,0.1,0.6,0.3\n',
      ),
    });
    const { roles } = await engine.roles(info.id);
    expect(roles.pred).toBeNull();
    const r = await engine.evaluate(info.id, { roles }, null);
    // Predicted: a (tie a/b → a), c, b, b.
    expect(r.evaluation.confusion).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 1, 0],
    ]);
    expect(r.evaluation.metrics.accuracy).toBe(0.5);
  });
});
