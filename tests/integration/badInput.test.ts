import { describe, expect, test } from 'vitest';
import { LoupeError } from '../../src/core/errors';
import { fixture, newEngine } from './engine';

const engine = newEngine();
const open = (file: string) => engine.open({ name: file, bytes: fixture(`bad/${file}`) });

async function failure(file: string): Promise<LoupeError> {
  try {
    await open(file);
  } catch (e) {
    expect(e).toBeInstanceOf(LoupeError);
    return e as LoupeError;
  }
  throw new Error(`${file} opened without an error`);
}

describe('files that cannot be opened', () => {
  test('empty file', async () => {
    const e = await failure('empty.csv');
    expect(e.code).toBe('empty-file');
    expect(e.message).toContain('empty.csv is empty');
  });
  test('unknown format', async () => {
    const e = await failure('garbage.bin');
    expect(e.code).toBe('unsupported-format');
    expect(e.message).toMatch(/Supported: CSV/);
  });
  test('malformed CSV names the line', async () => {
    const e = await failure('malformed.csv');
    expect(e.code).toBe('malformed-csv');
    expect(e.context.line).toBe(32);
    expect(e.message).toContain('malformed.csv, line 32');
    expect(e.message).toContain('Expected 3 fields');
  });
  test('corrupt Parquet', async () => {
    const e = await failure('corrupt.parquet');
    expect(e.code).toBe('corrupt-parquet');
    expect(e.message).toContain('corrupt.parquet is not a readable Parquet file');
  });
  test('malformed NDJSON names the line', async () => {
    const bytes = new TextEncoder().encode('{"a":1}\n{"a":2}\n{"a":\n');
    await expect(engine.open({ name: 'x.ndjson', bytes })).rejects.toMatchObject({
      code: 'malformed-json',
      context: { line: 3 },
    });
  });
  test('a failed load leaves open datasets open and the engine usable', async () => {
    const ok = await engine.open({ name: 'iris.csv', bytes: fixture('iris.csv') });
    await failure('malformed.csv');
    expect(engine.list().map((d) => d.id)).toContain(ok.id);
    expect((await engine.rows(ok.id, 0, 1)).rows).toHaveLength(1);
  });
});

describe('data that opens but does not fit its roles', () => {
  const issuesOf = async (file: string) => {
    const d = await open(file);
    return (await engine.roles(d.id)).issues;
  };
  test('no label column', async () => {
    const [i] = await issuesOf('no_label.csv');
    expect(i).toMatchObject({ level: 'error', code: 'no-label', role: 'label' });
  });
  test('label column all null', async () => {
    const [i] = await issuesOf('label_null.csv');
    expect(i).toMatchObject({ level: 'error', code: 'label-all-null' });
  });
  test('a header and no rows: said so, not that the label is empty', async () => {
    const d = await engine.open({ name: 'header.csv', bytes: new TextEncoder().encode('label,pred,prob_1\n') });
    const issues = (await engine.roles(d.id)).issues;
    expect(issues).toEqual([expect.objectContaining({ level: 'error', code: 'no-rows' })]);
    expect(issues[0].message).toBe(
      'The table has no rows: its file holds a header (label, pred, prob_1) and nothing under it.',
    );
  });
  test('probability outside [0, 1]: column, row and value', async () => {
    const [i] = await issuesOf('prob_range.csv');
    expect(i).toMatchObject({ code: 'prob-out-of-range', context: { column: 'prob_setosa', row: 7, value: '1.7' } });
    expect(i.message).toContain('row 7, column prob_setosa: 1.7 is not a probability');
    expect(i.message).not.toContain('percentages');
  });
  test('probabilities written as percentages are named as such', async () => {
    const csv = 'label,pred,prob_a,prob_b\na,a,80,20\nb,b,30,70\nb,a,55.5,44.5\n';
    const d = await engine.open({ name: 'pct.csv', bytes: new TextEncoder().encode(csv) });
    const issues = (await engine.roles(d.id)).issues.filter((i) => i.code === 'prob-out-of-range');
    expect(issues.map((i) => i.message)).toEqual([
      'row 1, column prob_a: 80.0 is not a probability (3 values in this column outside [0, 1], NaN or missing). Its values run from 0 to 100: percentages? Divide them by 100.',
      'row 1, column prob_b: 20.0 is not a probability (3 values in this column outside [0, 1], NaN or missing). Its values run from 0 to 100: percentages? Divide them by 100.',
    ]);
  });
  test('NaN probability', async () => {
    const issues = await issuesOf('prob_nan.csv');
    expect(issues.find((i) => i.code === 'prob-out-of-range')).toMatchObject({
      context: { column: 'prob_versicolor', row: 10 },
    });
  });
  test('rows not summing to 1: how many, and a fix', async () => {
    const d = await open('prob_sum.csv');
    const { issues, roles } = await engine.roles(d.id);
    const i = issues.find((x) => x.code === 'prob-sum')!;
    expect(i.message).toContain('4 rows of probabilities do not sum to 1');
    expect(i.context.row).toBe(4);
    expect(i.fix).toBe('renormalise');
    await engine.renormalise(d.id, roles);
    expect((await engine.roles(d.id)).issues.filter((x) => x.code === 'prob-sum')).toEqual([]);
  });
  test('probability column for a class never seen', async () => {
    const issues = await issuesOf('prob_unused.csv');
    expect(issues.find((i) => i.code === 'prob-class-unused')?.message).toContain('"unicorn"');
  });
  test('prediction outside the known classes', async () => {
    const issues = await issuesOf('pred_unknown.csv');
    expect(issues.find((i) => i.code === 'pred-unknown-class')).toMatchObject({
      context: { row: 5, value: 'setosaa' },
    });
  });
  test('predictions that are no label, with no probabilities; a class spelt in another case is named', async () => {
    const csv = 'label,pred\nYes,yes\nNo,no\nYes,maybe\nYes,Yes\n';
    const d = await engine.open({ name: 'case.csv', bytes: new TextEncoder().encode(csv) });
    const issue = (await engine.roles(d.id)).issues.find((i) => i.code === 'pred-unknown-class');
    expect(issue?.message).toBe(
      'Column pred predicts "maybe", "no", "yes", not among the known classes (3 rows at least; first at row 3). ' +
        'The labels spell them "No", "Yes": a class must be written the same way in both columns, case and spaces included.',
    );
  });
  test('labels that are lists of classes (multi-label) are said to be so; a label with a bracket in some values is not', async () => {
    const csv = "text,labels,pred\na,\"['x', 'y']\",\"['x']\"\nb,['y'],['y']\nc,[],[]\n";
    const d = await engine.open({ name: 'multi.csv', bytes: new TextEncoder().encode(csv) });
    const issue = (await engine.roles(d.id)).issues.find((i) => i.code === 'label-lists');
    expect(issue?.message).toContain('a multi-label task');
    const e = await engine.open({ name: 'one.csv', bytes: new TextEncoder().encode('label,pred\n[a],[a]\nb,b\n') });
    expect((await engine.roles(e.id)).issues.map((i) => i.code)).not.toContain('label-lists');
  });
  test('class indices predicted where the labels are names: the sorted order is named', async () => {
    const csv = 'label,pred\nspam,1\nham,0\nham,1\neggs,2\n';
    const d = await engine.open({ name: 'indices.csv', bytes: new TextEncoder().encode(csv) });
    const issue = (await engine.roles(d.id)).issues.find((i) => i.code === 'pred-unknown-class');
    expect(issue?.message).toContain(
      'They look like class indices: in the labels\' sorted order (as LabelEncoder and a model\'s classes_ number them) 0 is "eggs", 1 is "ham", 2 is "spam".',
    );
    // A 3 is no index of three classes: no hint.
    const e = await engine.open({ name: 'not.csv', bytes: new TextEncoder().encode(csv + 'ham,3\n') });
    expect((await engine.roles(e.id)).issues.find((i) => i.code === 'pred-unknown-class')?.message).not.toContain(
      'indices',
    );
  });
});

describe('untrusted content', () => {
  test('odd column names work in profiles, roles and rows; markup stays data', async () => {
    const d = await open('hostile.csv');
    expect(d.columns.map((c) => c.name)).toEqual(['id', 'we"ird name', 'dotted.col', 'naïve ñame', 'label', 'pred']);
    const page = await engine.rows(d.id, 0, 3);
    expect(page.rows[0][1]).toBe('<script>window.__pwned=1</script>');
    expect(page.rows[2][5]).toBe('<b>bold</b>');
    const { roles } = await engine.roles(d.id, { label: 'we"ird name', probs: 'dotted.' });
    expect(roles.label).toBe('we"ird name');
  });
});

describe('cancel', () => {
  test('cancels a running load; the engine stays usable', async () => {
    const lines = ['a,b,c,label'];
    for (let i = 0; i < 1_500_000; i++) lines.push(`${i},${i % 97},${(i * 7) % 13},c${i % 5}`);
    const bytes = new TextEncoder().encode(lines.join('\n'));
    const loading = engine.open({ name: 'big.csv', bytes });
    setTimeout(() => void engine.cancel(), 30);
    await expect(loading).rejects.toMatchObject({ code: 'cancelled' });
    const again = await engine.open({ name: 'iris.csv', bytes: fixture('iris.csv') });
    expect(again.rows).toBe(150);
  });
});

describe('files too large for the browser', () => {
  test('an Arrow file over 2 GiB is refused before it is read', async () => {
    const head = fixture('formats/iris.arrow').subarray(0, 1024);
    let sliced = 0;
    const huge = { size: 3 * 2 ** 30, slice: () => (sliced++, new Blob([head])) } as unknown as Blob;
    await expect(engine.open({ name: 'huge.arrow', file: huge })).rejects.toMatchObject({
      code: 'too-large',
      message: expect.stringMatching(/huge.arrow is 3.0 GiB/),
    });
    expect(sliced).toBe(1);
  });
});
