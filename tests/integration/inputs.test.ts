import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loupe } from './cli';
import { newEngine } from './engine';

/**
 * Inputs as people write them (pandas' True/False, 1.0/0.0, prob_10 after prob_9, missing tokens,
 * decimal commas, Latin-1, subsets missing a class) against scikit-learn 1.2.1 on the same files:
 * tests/fixtures/expected/inputs.json, written by scripts/make_input_goldens.py.
 */
const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const cases: Record<string, Case> = JSON.parse(readFileSync(fixture('expected/inputs.json'), 'utf8'));
interface Case {
  file: string;
  /** A second file with the model's output for `file`'s rows (loupe eval <truth> <predictions>). */
  predictions?: string;
  args: string[];
  task: string;
  classes?: string[];
  positive?: string;
  rows: number;
  skipped: number;
  overall?: Record<string, number | null>;
  slice_rows?: number;
  slice?: Record<string, number | null>;
  /** Text loupe's warning must hold (else it warns of nothing). */
  warning?: string;
}

function same(got: Record<string, unknown>, want: Record<string, number | null>, where: string): void {
  for (const [k, w] of Object.entries(want)) {
    const g = got[k];
    if (w === null) expect(g, `${where}.${k}`).toBeNull();
    else {
      expect(typeof g, `${where}.${k}`).toBe('number');
      expect(Math.abs((g as number) - w), `${where}.${k}: ${g} vs ${w}`).toBeLessThanOrEqual(1e-9);
    }
  }
}

describe('loupe eval reads inputs as pandas and people write them, and equals scikit-learn', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      const files = [c.file, c.predictions ?? []].flat().map((f) => fixture(`inputs/${f}`));
      const r = await loupe(['eval', ...files, '--json', '--bootstrap', '0', ...c.args]);
      if (c.warning) expect(r.err).toContain(c.warning);
      else expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const got = JSON.parse(r.out);
      expect(got.task).toBe(c.task);
      expect(got.rows).toBe(c.rows);
      expect(got.skipped).toBe(c.skipped);
      if (c.classes) expect(got.classes).toEqual(c.classes);
      if (c.positive) expect(got.positive).toBe(c.positive);
      if (c.overall) same(got.overall, c.overall, 'overall');
      if (c.slice) {
        expect(got.slices[0].rows).toBe(c.slice_rows);
        same(got.slices[0].metrics, c.slice, 'slice');
      }
    });
  }

  it('probabilities exported as percentages ("85%") are read as fractions by loupe eval, which profiles only the role columns', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loupe-pct-'));
    const file = path.join(dir, 'pct.csv');
    writeFileSync(file, 'label,pred,prob_yes\nyes,yes,85%\nno,no,12.5%\nyes,no,40%\nno,yes,60%\n');
    const r = await loupe(['eval', file, '--json', '--bootstrap', '0']);
    expect(r.err).toBe('');
    const got = JSON.parse(r.out).overall;
    const py = [0.85, 1 - 0.125, 0.4, 1 - 0.6]; // p(given label)
    expect(Math.abs(got.log_loss - py.reduce((a, p) => a - Math.log(p), 0) / 4)).toBeLessThanOrEqual(1e-12);
    expect(got.roc_auc).toBe(0.75);
  });

  it("every orient of pandas' to_json that names its columns reads as the same rows (scripts/make_json_orients.py)", async () => {
    const report = async (file: string) => {
      const r = await loupe(['eval', fixture(`inputs/${file}`), '--json', '--bootstrap', '0']);
      expect(r.err, file).toBe('');
      return JSON.parse(r.out);
    };
    const records = await report('orient_records.json');
    expect([records.rows, records.classes]).toEqual([5, ['bird', 'cat', 'dog']]);
    for (const orient of ['columns', 'index', 'split', 'table'])
      expect(await report(`orient_${orient}.json`), orient).toEqual(records);
    expect(await report('orient_lines.jsonl')).toEqual(records);
    const values = await loupe(['eval', fixture('inputs/orient_values.json')]);
    expect([values.code, values.err]).toEqual([
      2,
      'loupe: orient_values.json, row 1: expected an object with one key per column, found an array ' +
        '(pandas\' orient="values" names no columns: write orient="records").\n',
    ]);
  });

  it('a CSV with a space after each comma: text padded in every cell is trimmed, text padded in some is kept, JSON is kept', async () => {
    const engine = newEngine();
    const text = (s: string) => new TextEncoder().encode(s);
    const csv = await engine.open({
      name: 'pad.csv',
      bytes: text('id, label, note, n\n1, cat, a, 1\n2, dog,b, 2\n3, cat, c, 3\n4, NA, d, 4\n'),
    });
    const rows = await engine.query(`SELECT label, note, n FROM ${csv.id} ORDER BY id`);
    expect(rows.map((r) => [r.label, r.note, Number(r.n)])).toEqual([
      ['cat', ' a', 1],
      ['dog', 'b', 2],
      ['cat', ' c', 3],
      [null, ' d', 4],
    ]);
    const mixed = await engine.open({ name: 'mixed.csv', bytes: text('label,pred\n cat,cat\ndog,dog\n') });
    expect((await engine.query(`SELECT label FROM ${mixed.id}`)).map((r) => r.label)).toEqual([' cat', 'dog']);
    const json = await engine.open({ name: 'pad.json', bytes: text('[{"label": " cat"}, {"label": " dog"}]') });
    expect((await engine.query(`SELECT label FROM ${json.id}`)).map((r) => r.label)).toEqual([' cat', ' dog']);
    // A reviewer's file written the same way: its ids and labels without the spaces.
    const ds = await engine.open({ name: 'x.csv', bytes: text('id,label,pred\na1,cat,cat\na2,dog,cat\n') });
    const other = 'id, label\na1, cat\na2, cat\n';
    await engine.importReviewer(ds.id, { name: 'b.csv', bytes: text(other) }, 'me');
    expect(engine.reviewLabelsOf(ds.id, 'a2')).toEqual(['cat']);
  });

  it('150 classes with a probability column each: checked in one scan (900 filtered aggregates ran DuckDB-wasm out of memory)', async () => {
    const k = 150;
    const cls = Array.from({ length: k }, (_, c) => `c${String(c).padStart(3, '0')}`);
    const lines = [['label', 'pred', ...cls.map((c) => `prob_${c}`)].join(',')];
    for (let i = 0; i < 300; i++) {
      const p = cls.map((_, c) => (c === i % k ? 0.5 : 0.5 / (k - 1)));
      if (i === 7) p[3] = 1.5; // one value that is not a probability
      lines.push([cls[i % k], cls[(i * 7) % k], ...p.map(String)].join(','));
    }
    const engine = newEngine();
    const d = await engine.open({ name: 'wide.csv', bytes: new TextEncoder().encode(lines.join('\n')) });
    const { roles, issues } = await engine.roles(d.id);
    expect(roles.probs?.kind === 'columns' && roles.probs.columns.length).toBe(k);
    expect(issues.map((i) => [i.code, i.context?.column, i.context?.row])).toEqual([
      ['prob-out-of-range', 'prob_c003', 8],
      ['prob-sum', undefined, 8],
    ]);
  });

  it('two CSVs joined end to end (cat a.csv b.csv): the repeated header is left out, said so, and the columns keep their types', async () => {
    const part = (from: number) =>
      [
        'id,day,label,pred,prob_b',
        ...Array.from({ length: 50 }, (_, i) => {
          const r = from + i;
          return `${r},2021-01-${String((r % 28) + 1).padStart(2, '0')},${r % 2 ? 'b' : 'a'},${r % 3 ? 'b' : 'a'},${((r * 37) % 100) / 100}`;
        }),
      ].join('\n');
    const joined = `${part(0)}\n${part(50)}\n`;
    const engine = newEngine();
    const d = await engine.open({ name: 'joined.csv', bytes: new TextEncoder().encode(joined) });
    expect(d.rows).toBe(100);
    expect(d.notes).toEqual([
      '1 row repeating the header (files joined end to end) was left out, and the columns read as what the rest of their values are.',
    ]);
    expect(Object.fromEntries(d.columns.map((c) => [c.name, c.type]))).toEqual({
      id: 'BIGINT',
      day: 'DATE',
      label: 'VARCHAR',
      pred: 'VARCHAR',
      prob_b: 'DOUBLE',
    });
    const one = await engine.open({ name: 'one.csv', bytes: new TextEncoder().encode(part(0)) });
    expect(one.notes).toEqual([]);
  });

  it('says how many rows have no label, and that a missing label is never a class', async () => {
    const r = await loupe(['eval', fixture('inputs/missing_tokens.csv'), '--bootstrap', '0']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/367 rows \(33 rows without label or prediction left out\), 3 classes/);
    expect(r.out).not.toMatch(/\bNone\b|<NA>/);
  });

  it("takes Weka's indices off its classes only where every value is indexed and each index names one class", async () => {
    const engine = newEngine();
    const classesOf = async (csv: string) => {
      const d = await engine.open({ name: 'w.csv', bytes: new TextEncoder().encode(csv) });
      return { notes: d.notes, values: d.columns.flatMap((c) => c.top?.map((t) => t.value) ?? []).sort() };
    };
    const weka = await classesOf('actual,predicted\n1:cat,1:cat\n2:dog,1:cat\n2:dog,2:dog\n1:cat,2:dog\n');
    expect(weka.values).toEqual(['cat', 'cat', 'dog', 'dog']);
    expect(weka.notes).toEqual([
      "actual, predicted: the classes are read without Weka's index before them (1:cat is cat).",
    ]);
    // An index naming two classes, one column alone, times and ratios: kept as written.
    for (const csv of [
      'actual,predicted\n1:cat,1:cat\n2:dog,1:cat\n2:dog,2:dog\n1:dog,2:dog\n',
      'actual,n\n1:cat,3\n2:dog,4\n2:dog,5\n',
      'start,end\n12:30,13:45\n9:15,10:00\n',
      'a,b\n3:2,1:1\n4:3,2:1\n',
    ]) {
      const kept = await classesOf(csv);
      expect(kept.notes, csv).toEqual([]);
      expect(
        kept.values.some((v) => /^\d+:/.test(v)),
        csv,
      ).toBe(true);
    }
  });

  it('arrays NumPy printed shortened ("[0.1 0.2 ... 0.9]", over 1,000 numbers) are said to be incomplete and stay text', async () => {
    const row = (i: number) => `${i % 2},"[ 0.12${i} -0.3  0.5 ...  0.7 -0.1  0.9]"`;
    const whole = (i: number) => `${i % 2},"[ 0.12${i} -0.3  0.5  0.7 -0.1  0.9]"`;
    const csv = (f: (i: number) => string) =>
      ['label,embedding', ...Array.from({ length: 6 }, (_, i) => f(i))].join('\n');
    const engine = newEngine();
    const cut = await engine.open({ name: 'cut.csv', bytes: new TextEncoder().encode(csv(row)) });
    expect(cut.notes).toEqual([
      'embedding holds arrays as NumPy prints those of over 1,000 numbers, with "..." for the middle: those numbers are not in the file, so it is read as text. Write the arrays whole (as lists: .tolist(), or as Parquet).',
    ]);
    expect(cut.columns.find((c) => c.name === 'embedding')?.kind).toBe('string');
    const full = await engine.open({ name: 'full.csv', bytes: new TextEncoder().encode(csv(whole)) });
    expect(full.notes).toEqual([]);
    expect(full.columns.find((c) => c.name === 'embedding')?.kind).toBe('list');
  });
});
