import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILTERS, RANKINGS, findLabelIssues, qualityScores } from '../../src/core/labels/confidentLearning';
import type { ClassificationData } from '../../src/core/metrics/data';
import type { Evaluator } from '../../src/engine/Evaluator';
import { countingEngine, fixture, newEngine } from './engine';
import { loupe } from './cli';
import { krippendorffInterval, majorityVote, perClassAgreement } from '../../src/core/labels/agreement';
import { largestErrors } from '../../src/engine/labelIssues';
import { mulberry32 } from '../../src/core/metrics/bootstrap';

const expected = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/expected/${name}.json`, import.meta.url), 'utf8'));

async function load(name: string) {
  const engine = newEngine();
  const info = await engine.open({ name: `${name}.csv`, bytes: fixture(`${name}.csv`) });
  const { roles } = await engine.roles(info.id);
  const evaluator = (engine as unknown as { evaluator: Evaluator }).evaluator;
  const data = (await evaluator.load(info, { roles })).data as ClassificationData;
  const ids = (await engine.query(`SELECT CAST(id AS VARCHAR) AS id FROM ${info.id}`)).map((r) => String(r.id));
  return { data, ids };
}

describe('confident learning equals cleanlab 2.9 find_label_issues', () => {
  for (const name of ['iris', 'wine', 'cancer', 'synth_noisy']) {
    it(name, async () => {
      const exp = expected(name);
      const { data, ids } = await load(name);
      for (const filter of FILTERS) {
        for (const rank of RANKINGS) {
          const got = findLabelIssues(data.y, data.probs!, filter, rank).map((i) => ids[i]);
          expect(got, `${filter}/${rank}`).toEqual(exp.issues[`${filter}/${rank}`]);
        }
      }
      for (const rank of RANKINGS) {
        const q = qualityScores(data.y, data.probs!, rank);
        const want = exp.quality_scores[rank];
        Array.from(q.slice(0, 10)).forEach((v, i) => expect(Math.abs(v - want.first10[i])).toBeLessThan(1e-12));
        expect(Math.abs(q.reduce((a, x) => a + x, 0) - want.sum)).toBeLessThan(1e-9);
      }
    });
  }
});

describe('loupe issues and loupe agree', () => {
  const path = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

  it('loupe issues gives the ids cleanlab gives, with given and suggested classes and per-class counts', async () => {
    const exp = expected('synth_noisy');
    for (const [filter, rank] of [
      ['prune_by_noise_rate', 'self_confidence'],
      ['both', 'normalized_margin'],
      ['confident_learning', 'confidence_weighted_entropy'],
    ]) {
      const r = await loupe(['issues', path('synth_noisy.csv'), '--json', '--filter-by', filter, '--rank-by', rank]);
      expect(r.code).toBe(0);
      const got = JSON.parse(r.out);
      expect(got.method).toEqual({ filter_by: filter, rank_by: rank });
      expect(got.issues.map((i: { id: string }) => i.id)).toEqual(exp.issues[`${filter}/${rank}`]);
      expect(got.num_issues).toBe(got.issues.length);
      expect(Object.values(got.per_class).reduce((a: number, c) => a + (c as { rows: number }).rows, 0)).toBe(3000);
      for (let i = 1; i < got.issues.length; i++)
        expect(got.issues[i].score).toBeGreaterThanOrEqual(got.issues[i - 1].score);
      for (const i of got.issues) expect(i.suggested).not.toBe(i.given);
    }
    const noProbs = join(mkdtempSync(join(tmpdir(), 'loupe-')), 'classes.csv');
    writeFileSync(noProbs, 'label,pred\na,a\nb,a\na,b\nb,b\n');
    const bad = await loupe(['issues', noProbs]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/needs a classification task with class probabilities/);
    expect((await loupe(['issues', path('iris.csv'), '--rank-by', 'x'])).err).toMatch(/--rank-by must be one of/);
  });

  it("loupe agree equals scikit-learn's Cohen's kappa and statsmodels' Fleiss' kappa", async () => {
    const exp = expected('agreement');
    const r = await loupe(['agree', ...exp.files.map(path), '--json']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out);
    expect(got.items).toBe(exp.items);
    expect(Math.abs(got.fleiss_kappa - exp.fleiss_kappa)).toBeLessThan(1e-12);
    const want = Object.values(exp.pairs) as { cohen_kappa: number; percent_agreement: number }[];
    Object.values(got.pairs as Record<string, { cohen_kappa: number; percent_agreement: number }>).forEach((p, i) => {
      expect(Math.abs(p.cohen_kappa - want[i].cohen_kappa)).toBeLessThan(1e-12);
      expect(p.percent_agreement).toBe(want[i].percent_agreement);
    });
    expect(Object.keys(got.pairs)[0]).toBe(`${path('synth_review_a.csv')}|${path('synth_review_b.csv')}`);
    expect((await loupe(['agree', path('iris.csv')])).err).toMatch(/two or more files/);
    const golden = expected('agreement_per_class');
    for (const [c, v] of Object.entries(golden.per_class))
      expect(Math.abs(got.per_class[c] - (v as number))).toBeLessThan(1e-12);
  });

  it("Label Studio's CSV export reads as a reviewer: the choice column found among its own fields, named after the annotator", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-studio-'));
    const header = 'annotation_id,annotator,created_at,id,lead_time,sentiment,text,updated_at';
    const choices = [
      ['Positive', 'Negative', 'Neutral', 'Positive', 'Positive', 'Negative'],
      ['Positive', 'Neutral', 'Neutral', 'Positive', 'Negative', 'Negative'],
    ];
    const files = ['alice', 'bob'].map((who, k) => {
      const rows = choices[k].map(
        (c, i) =>
          `${100 + i},${who}@example.com,2024-01-02T10:00:00Z,${i + 1},${(i * 1.7).toFixed(1)},${c},"a review, number ${i}",2024-01-02T10:00:00Z`,
      );
      const f = join(dir, `${who}.csv`);
      writeFileSync(f, [header, ...rows].join('\n') + '\n');
      return f;
    });
    const auto = await loupe(['agree', ...files, '--json']);
    const named = await loupe(['agree', ...files, '--label', 'sentiment', '--json']);
    expect(auto.code).toBe(0);
    expect(Object.values(JSON.parse(auto.out).pairs)).toEqual([
      { cohen_kappa: expect.any(Number), percent_agreement: 4 / 6 },
    ]);
    expect(JSON.parse(auto.out)).toEqual(JSON.parse(named.out));
    const engine = newEngine();
    const info = await engine.open({ name: 'alice.csv', bytes: new Uint8Array(readFileSync(files[0])) });
    expect((await engine.reviewerLabels(info.id)).reviewer).toBe('alice@example.com');
  });

  it('per-class agreement and the majority vote equal the golden; a decisions export reads as a reviewer', async () => {
    const golden = expected('agreement_per_class');
    const engine = newEngine();
    const maps: Map<string, string>[] = [];
    for (const f of golden.files) {
      const info = await engine.open({ name: f, bytes: fixture(f) });
      maps.push((await engine.reviewerLabels(info.id)).labels);
    }
    const votes = majorityVote(maps);
    expect(Object.fromEntries(votes.map((v) => [v.id, v.merged]))).toEqual(golden.merged);
    expect(votes.filter((v) => v.status === 'tie').length).toBe(golden.ties);
    expect(
      votes
        .find((v) => v.status === 'agreed')!
        .labels.filter((l) => l !== null)
        .every((l, _, a) => l === a[0]),
    ).toBe(true);
    const shared = [...maps[0].keys()].filter((id) => maps.every((m) => m.has(id)));
    const per = perClassAgreement(maps.map((m) => shared.map((id) => m.get(id)!)));
    for (const [c, v] of Object.entries(golden.per_class))
      expect(Math.abs(per[c]! - (v as number))).toBeLessThan(1e-12);
    // Two reviewers: 2a / (2a + b + c).
    expect(
      perClassAgreement([
        ['x', 'x', 'y'],
        ['x', 'y', 'y'],
      ]),
    ).toEqual({ x: 2 / 3, y: 2 / 3 });

    // The same through the engine's reviewer pool: file a as the active reviewer, b and c imported.
    const ds = await engine.open({ name: 'synth_noisy.csv', bytes: fixture('synth_noisy.csv') });
    for (const f of golden.files.slice(1)) await engine.importReviewer(ds.id, { name: f, bytes: fixture(f) }, 'a');
    const merge = engine.reviewMerge(ds.id, 'a', [...maps[0]])!;
    const exp = expected('agreement');
    expect(merge.agreement!.items).toBe(exp.items);
    expect(Math.abs(merge.agreement!.fleiss_kappa! - exp.fleiss_kappa)).toBeLessThan(1e-12);
    expect(merge.counts.tie).toBe(golden.ties);
    expect(merge.disagreements.length).toBe(votes.filter((v) => v.status === 'tie' || v.status === 'majority').length);
    expect(merge.disagreements.slice(0, golden.ties).every((id) => golden.merged[id] === null)).toBe(true);
    const merged = new TextDecoder()
      .decode(engine.mergedLabelsCsv(ds.id, 'a', [...maps[0]]))
      .trim()
      .split('\n');
    expect(merged[0]).toBe('id,label_merged,status,a,synth_review_b.csv,synth_review_c.csv');
    expect(merged.length - 1).toBe(Object.keys(golden.merged).length);

    const csv =
      'id,reviewer,timestamp,original_label,decision,new_label,comment\na1,zoe,t,cat,accept,,\na2,zoe,t,cat,relabel,dog,"wrong, clearly"\na3,zoe,t,dog,unsure,,hm\na4,zoe,t,dog,skip,,\n';
    const info = await engine.open({ name: 'zoe.csv', bytes: new TextEncoder().encode(csv) });
    const r = await engine.reviewerLabels(info.id);
    expect(r.reviewer).toBe('zoe');
    expect([...r.labels]).toEqual([
      ['a1', 'cat'],
      ['a2', 'dog'],
    ]);
    const noId = await engine.open({ name: 'x.csv', bytes: new TextEncoder().encode('a,label\n1,x\n') });
    await expect(engine.reviewerLabels(noId.id)).rejects.toThrow(/x.csv: no id column/);
  });
});

describe('review queues', () => {
  it('a stratified random sample is seeded and proportional to the classes; a slice queue holds its rows', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'synth_noisy.csv', bytes: fixture('synth_noisy.csv') });
    const { roles } = await engine.roles(info.id);
    const sample = (seed: number) =>
      engine.labelIssues(info.id, { roles }, undefined, undefined, { kind: 'sample', size: 60, seed });
    const a = await sample(1);
    expect((await sample(1)).issues.map((i) => i.row)).toEqual(a.issues.map((i) => i.row));
    expect((await sample(2)).issues.map((i) => i.row)).not.toEqual(a.issues.map((i) => i.row));
    expect(new Set(a.issues.map((i) => i.row)).size).toBe(a.issues.length);
    for (const c of Object.values(a.per_class)) expect(c.issues).toBe(Math.max(1, Math.round((60 * c.rows) / 3000)));
    const slice = await engine.labelIssues(info.id, { roles }, undefined, undefined, {
      kind: 'slice',
      where: { kind: 'cond', column: 'x0_bin', op: '=', value: 'q1' },
    });
    expect(slice.num_issues).toBe(750);
    const all = await engine.labelIssues(info.id, { roles }, undefined, undefined, { kind: 'all' });
    expect(all.issues.map((i) => i.row)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    const cell = await engine.labelIssues(info.id, { roles }, undefined, undefined, {
      kind: 'cell',
      given: 'c1',
      predicted: 'c2',
    });
    const want = await engine.query(
      `SELECT rowid AS r FROM ${info.id} WHERE label = 'c1' AND pred = 'c2' ORDER BY rowid`,
    );
    expect(cell.issues.map((i) => i.row)).toEqual(want.map((w) => Number(w.r)));
    expect(cell.issues.length).toBeGreaterThan(0);
    const listed = await engine.labelIssues(info.id, { roles }, undefined, undefined, {
      kind: 'rows',
      rows: [17, 3, 2999, 5000],
    });
    expect(listed.issues.map((i) => [i.row, i.id])).toEqual([
      [17, 's0017'],
      [3, 's0003'],
      [2999, 's2999'],
    ]);
    expect(await engine.rowsOfIds(info.id, 'id', ['s0017', 'nope', 's0000'])).toEqual([17, -1, 0]);
    expect(await engine.rowsOfIds(info.id, null, ['4', 'x', '3000'])).toEqual([4, -1, -1]);
  });

  it('without probabilities, a queue of rows suggests the prediction and has no quality score; the issues queue says why not', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'synth_noisy.csv', bytes: fixture('synth_noisy.csv') });
    const { roles } = await engine.roles(info.id, { probs: null });
    expect(roles.probs).toBeNull();
    const q = await engine.labelIssues(info.id, { roles }, undefined, undefined, { kind: 'rows', rows: [5, 1] });
    const want = await engine.query(`SELECT rowid AS r, label, pred FROM ${info.id} WHERE rowid IN (5, 1)`);
    const by = new Map(want.map((w) => [Number(w.r), w]));
    expect(q.issues.map((i) => [i.row, i.given, i.suggested])).toEqual(
      [5, 1].map((r) => [r, by.get(r)!.label, by.get(r)!.pred]),
    );
    expect(q.issues.every((i) => Number.isNaN(i.score))).toBe(true);
    expect(q.joint).toEqual([]);
    await expect(engine.labelIssues(info.id, { roles })).rejects.toThrow(
      /needs a classification task with class probabilities/,
    );
  });
});

describe('a regression task under review', () => {
  const golden = expected('regression_review');

  it('its largest errors are the rows beyond the upper Tukey fence of |label − prediction|, largest first (as NumPy)', async () => {
    for (const [name, g] of Object.entries(golden) as [
      string,
      { file: string; scored: number; rows: number[]; errors: number[] },
    ][]) {
      const engine = newEngine();
      const info = await engine.open({ name: `${name}.csv`, bytes: fixture(g.file) });
      const { roles } = await engine.roles(info.id);
      expect(roles.task, name).toBe('regression');
      const q = await engine.labelIssues(info.id, { roles });
      expect(q.method).toEqual({ filter_by: 'largest_errors', rank_by: 'absolute_error' });
      expect(q.rows, name).toBe(g.scored);
      expect(
        q.issues.map((i) => i.row),
        name,
      ).toEqual(g.rows);
      q.issues.forEach((i, k) => expect(Math.abs(i.score - g.errors[k])).toBeLessThan(1e-9));
      // Given and suggested are the label's and the prediction's values.
      const want = await engine.query(
        `SELECT rowid AS r, CAST(${roles.label} AS DOUBLE) AS y, CAST(${roles.pred} AS DOUBLE) AS p FROM ${info.id}`,
      );
      for (const i of q.issues) {
        expect(Number(i.given)).toBe(want[i.row].y);
        expect(Number(i.suggested)).toBe(want[i.row].p);
      }
      expect(q.per_class).toEqual({});
      expect(q.joint).toEqual([]);
    }
  });

  it('the fence by selection equals the fence from sorted errors (NumPy linear quartiles), ties in row order', () => {
    const rand = mulberry32(3);
    for (const n of [1, 2, 3, 4, 5, 17, 400, 2001]) {
      const error = Float64Array.from({ length: n }, () => (rand() < 0.3 ? Math.floor(rand() * 4) : rand() ** 6 * 50));
      const sorted = Float64Array.from(error).sort();
      const q = (p: number) => {
        const at = p * (n - 1);
        const lo = Math.floor(at);
        if (lo + 1 >= n) return sorted[lo];
        const [a, b, t] = [sorted[lo], sorted[lo + 1], at - lo];
        return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t; // NumPy's _lerp
      };
      const fence = q(0.75) + 1.5 * (q(0.75) - q(0.25));
      const want = Array.from(error.keys())
        .filter((j) => error[j] > fence)
        .sort((a, b) => error[b] - error[a] || a - b);
      expect(largestErrors(error), `n=${n}`).toEqual(want);
    }
  });

  it('other queues hold their rows; a sample is seeded; without predictions there is no largest-error queue', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'diabetes.csv', bytes: fixture('diabetes.csv') });
    const { roles } = await engine.roles(info.id);
    const sample = (seed: number) =>
      engine.labelIssues(info.id, { roles }, undefined, undefined, { kind: 'sample', size: 60, seed });
    const a = await sample(1);
    expect(a.issues.length).toBe(60);
    expect(new Set(a.issues.map((i) => i.row)).size).toBe(60);
    expect((await sample(1)).issues.map((i) => i.row)).toEqual(a.issues.map((i) => i.row));
    expect((await sample(2)).issues.map((i) => i.row)).not.toEqual(a.issues.map((i) => i.row));
    const all = await engine.labelIssues(info.id, { roles }, undefined, undefined, { kind: 'all' });
    expect(all.issues.map((i) => i.row)).toEqual(Array.from({ length: 442 }, (_, i) => i));
    const slice = await engine.labelIssues(info.id, { roles }, undefined, undefined, {
      kind: 'slice',
      where: { kind: 'cond', column: 'sex', op: '=', value: 's1' },
    });
    const s1 = await engine.query(`SELECT rowid AS r FROM ${info.id} WHERE sex = 's1' ORDER BY rowid`);
    expect(slice.issues.map((i) => i.row)).toEqual(s1.map((r) => Number(r.r)));
    const noPred = { ...roles, pred: null };
    const rows = await engine.labelIssues(info.id, { roles: noPred }, undefined, undefined, {
      kind: 'rows',
      rows: [3],
    });
    expect(rows.issues.map((i) => [i.row, i.suggested, Number.isNaN(i.score)])).toEqual([[3, '', true]]);
    await expect(engine.labelIssues(info.id, { roles: noPred })).rejects.toThrow(
      /largest errors need the model's predictions/,
    );
  });

  it('loupe issues lists them (text and JSON); the confident-learning options are refused', async () => {
    const file = new URL('../fixtures/diabetes.csv', import.meta.url).pathname;
    const json = await loupe(['issues', file, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).issues.map((i: { id: string }) => Number(i.id))).toEqual(golden.diabetes.rows);
    const text = await loupe(['issues', file]);
    expect(text.out).toMatch(/^diabetes\.csv: 5 unusually large errors among 442 rows/);
    expect(text.out).toMatch(/\n56 +52 +214\.7395\d* +162\.740\n/);
    const refused = await loupe(['issues', file, '--filter-by', 'both']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--filter-by is for classification/);
  });

  it('the corrected dataset carries label_reviewed as a number, and Evaluate on reviewed labels gives its metrics', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'diabetes.csv', bytes: fixture('diabetes.csv') });
    await engine.syncReviews(info.id, [
      { row: 0, decision: 'relabel', new_label: '123.5' },
      { row: 1, decision: 'accept', new_label: null },
      // The largest error (label 52, prediction 214.7), corrected to a value near the prediction.
      { row: 56, decision: 'relabel', new_label: '200' },
      { row: 92, decision: 'unsure', new_label: null },
    ]);
    const pq = await engine.open({
      name: 'reviewed.parquet',
      bytes: await engine.exportCorrected(info.id, 'label', 'parquet', 'regression'),
    });
    expect(pq.columns.find((c) => c.name === 'label_reviewed')?.type).toBe('DOUBLE');
    const back = await engine.query(`SELECT label, label_reviewed AS l FROM ${pq.id} ORDER BY rowid LIMIT 3`);
    expect(back.map((r) => r.l)).toEqual([123.5, 75, Number(back[2].label)]);
    const csv = new TextDecoder().decode(await engine.exportCorrected(info.id, 'label', 'csv', 'regression'));
    expect(csv.split('\n')[1].endsWith(',123.5')).toBe(true);
    // Metrics on the reviewed labels are those of the corrected file; a value that is no number is refused.
    const { roles } = await engine.roles(info.id);
    const original = await engine.evaluate(info.id, { roles }, null);
    const reviewed = await engine.evaluate(info.id, { roles, labels: 'reviewed' }, null);
    const direct = await engine.evaluate(pq.id, { roles: engine.detect(pq.id, { label: 'label_reviewed' }) }, null);
    expect(reviewed.evaluation.metrics).toEqual(direct.evaluation.metrics);
    expect(reviewed.evaluation.metrics.mae).not.toBe(original.evaluation.metrics.mae);
    // What the review says: 3 decided (unsure says nothing), 2 corrected, one of them (row 56) nearer the
    // prediction than its label was; of the reviewed largest errors (56; 92 was unsure), all corrected.
    expect(await engine.reviewSummary(info.id, { roles })).toEqual({
      task: 'regression',
      reviewed: 3,
      relabelled: 2,
      modelErrors: 1,
      modelErrorsLabelWrong: 1,
      modelErrorsModelRight: 1,
      flagged: 1,
      flaggedRelabelled: 1,
    });
    await engine.syncReviews(info.id, [{ row: 4, decision: 'relabel', new_label: 'lots' }]);
    await expect(engine.evaluate(info.id, { roles, labels: 'reviewed' }, null)).rejects.toThrow(
      /row 5 as "lots", which is not a number/,
    );
  });
});

describe('reviews joined to the data', () => {
  it('decisions mirror into DuckDB and the corrected dataset carries label_reviewed', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'iris.csv', bytes: fixture('iris.csv') });
    await engine.syncReviews(info.id, [
      { row: 0, decision: 'relabel', new_label: 'virginica' },
      { row: 1, decision: 'accept', new_label: null },
      { row: 2, decision: 'relabel', new_label: "it's" },
    ]);
    expect((await engine.query(`SELECT count(*) AS n FROM reviews_${info.id}`))[0].n).toBe(3);
    const lines = new TextDecoder()
      .decode(await engine.exportCorrected(info.id, 'label', 'csv'))
      .trim()
      .split('\n');
    expect(lines[0].endsWith(',label_reviewed')).toBe(true);
    expect(lines.length).toBe(151);
    expect(lines[1].endsWith(',setosa,virginica')).toBe(true);
    expect(lines[2].endsWith(',setosa,setosa')).toBe(true);
    expect(lines[3].endsWith(",it's")).toBe(true);
    expect(lines[150].endsWith(',virginica')).toBe(true);
    // Parquet: the same table.
    const pq = await engine.open({
      name: 'reviewed.parquet',
      bytes: await engine.exportCorrected(info.id, 'label', 'parquet'),
    });
    const back = await engine.query(`SELECT label_reviewed AS l FROM ${pq.id} ORDER BY rowid`);
    expect(back.map((r) => r.l)).toEqual(lines.slice(1).map((l) => l.split(',').at(-1)));
    expect(pq.columns.map((c) => c.name)).toEqual(lines[0].split(','));
    const dec = await engine.open({
      name: 'd.parquet',
      bytes: await engine.parquetFromColumns({ id: ['a', 'b'], new_label: [null, 'x'] }),
    });
    expect(await engine.query(`SELECT * FROM ${dec.id}`)).toEqual([
      { id: 'a', new_label: null },
      { id: 'b', new_label: 'x' },
    ]);
  });

  it('a decision changes one row of the mirror: added, replaced or taken back', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'iris.csv', bytes: fixture('iris.csv') });
    const table = async () => engine.query(`SELECT row, decision, new_label FROM reviews_${info.id} ORDER BY row`);
    // Before any full mirror the table is created on the first change.
    await engine.updateReviews(info.id, [{ row: 5, decision: 'accept', new_label: null }], []);
    expect(await table()).toEqual([{ row: 5, decision: 'accept', new_label: null }]);
    await engine.syncReviews(info.id, [
      { row: 0, decision: 'relabel', new_label: 'virginica' },
      { row: 1, decision: 'accept', new_label: null },
    ]);
    await engine.updateReviews(
      info.id,
      [
        { row: 1, decision: 'relabel', new_label: 'versicolor' },
        { row: 7, decision: 'skip', new_label: null },
      ],
      [0, 99],
    );
    expect(await table()).toEqual([
      { row: 1, decision: 'relabel', new_label: 'versicolor' },
      { row: 7, decision: 'skip', new_label: null },
    ]);
    // Metrics on reviewed labels see the change.
    const lines = new TextDecoder()
      .decode(await engine.exportCorrected(info.id, 'label', 'csv'))
      .trim()
      .split('\n');
    expect(lines[2].endsWith(',setosa,versicolor')).toBe(true);
    expect(lines[1].endsWith(',setosa,setosa')).toBe(true);
  });

  it('metrics on reviewed labels equal metrics of the corrected file; the summary counts label errors and the issue finder', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'synth_noisy.csv', bytes: fixture('synth_noisy.csv') });
    const { roles } = await engine.roles(info.id);
    const issues = await engine.labelIssues(info.id, { roles });
    // Relabel the first 40 flagged rows to the suggestion, accept the next 20, and relabel 10 unflagged rows.
    const flagged = new Set(issues.issues.map((i) => i.row));
    const others = Array.from({ length: 3000 }, (_, i) => i)
      .filter((i) => !flagged.has(i))
      .slice(0, 10);
    const reviews = [
      ...issues.issues.slice(0, 40).map((i) => ({ row: i.row, decision: 'relabel', new_label: i.suggested })),
      ...issues.issues.slice(40, 60).map((i) => ({ row: i.row, decision: 'accept', new_label: null })),
      ...others.map((row) => ({ row, decision: 'relabel', new_label: 'c0' })),
      { row: issues.issues[60].row, decision: 'unsure', new_label: null },
    ];
    await engine.syncReviews(info.id, reviews);
    // The original first: the reviewed labels then reuse its probability ranks.
    const original = await engine.evaluate(info.id, { roles }, null);
    const reviewed = await engine.evaluate(info.id, { roles, labels: 'reviewed' }, null);
    const corrected = await engine.open({
      name: 'c.csv',
      bytes: await engine.exportCorrected(info.id, 'label', 'csv'),
    });
    const cRoles = engine.detect(corrected.id, { label: 'label_reviewed' });
    const direct = await engine.evaluate(corrected.id, { roles: cRoles }, null);
    expect(reviewed.evaluation.metrics).toEqual(direct.evaluation.metrics);
    expect(reviewed.evaluation.confusion).toEqual(direct.evaluation.confusion);
    expect(reviewed.evaluation.metrics.accuracy).not.toBe(original.evaluation.metrics.accuracy);
    // A changed review is picked up.
    await engine.syncReviews(info.id, reviews.slice(0, 1));
    expect((await engine.evaluate(info.id, { roles, labels: 'reviewed' }, null)).evaluation.metrics.accuracy).not.toBe(
      reviewed.evaluation.metrics.accuracy,
    );
    await engine.syncReviews(info.id, reviews);

    const s = await engine.reviewSummary(info.id, { roles });
    const rowsAll = await engine.query(`SELECT label, pred FROM ${info.id} ORDER BY rowid`);
    const wrong = (row: number) => rowsAll[row].label !== rowsAll[row].pred;
    const decided = reviews.filter((r) => r.decision !== 'unsure');
    const relabels = decided.filter((r) => r.decision === 'relabel' && r.new_label !== rowsAll[r.row].label);
    expect(s.reviewed).toBe(70);
    expect(s.relabelled).toBe(relabels.length);
    expect(s.modelErrors).toBe(decided.filter((r) => wrong(r.row)).length);
    expect(s.modelErrorsLabelWrong).toBe(relabels.filter((r) => wrong(r.row)).length);
    expect(s.modelErrorsModelRight).toBe(
      relabels.filter((r) => wrong(r.row) && r.new_label === rowsAll[r.row].pred).length,
    );
    expect(s.flagged).toBe(60);
    expect(s.flaggedRelabelled).toBe(40);
  });
});

describe('label health says when the model, not the labels, fails on a class', () => {
  it('counts per class the rows the most probable class gets right, and names the classes under 10%', async () => {
    const url = new URL('../../public/demo/seattle-weather.csv', import.meta.url);
    const [head, ...lines] = readFileSync(url, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const probCols = head.map((h, i) => [h, i] as const).filter(([h]) => h.startsWith('prob_'));
    const want: Record<string, { rows: number; right: number }> = {};
    for (const l of lines) {
      const label = l[head.indexOf('label')];
      let best = probCols[0];
      for (const pc of probCols) if (Number(l[pc[1]]) > Number(l[best[1]])) best = pc;
      want[label] ??= { rows: 0, right: 0 };
      want[label].rows++;
      if (best[0] === `prob_${label}`) want[label].right++;
    }
    const json = JSON.parse((await loupe(['issues', url.pathname, '--json'])).out);
    for (const [c, w] of Object.entries(want))
      expect([json.per_class[c].rows, json.per_class[c].model_right], c).toEqual([w.rows, w.right]);
    const failing = Object.entries(want)
      .filter(([, w]) => w.rows >= 10 && w.right < 0.1 * w.rows)
      .map(([c]) => c)
      .sort();
    expect(failing.length).toBeGreaterThan(0);
    const text = (await loupe(['issues', url.pathname])).out;
    expect(text).toContain(`note: the model gets under 10% of ${failing.join(', ')} right`);
  });
});

describe('reviewers of numeric labels', () => {
  it('agree when their values are the same number, however a file writes it (52.0 and 52)', async () => {
    const engine = newEngine();
    const ds = await engine.open({ name: 'diabetes.csv', bytes: fixture('diabetes.csv') });
    // Another reviewer's plain file: a numeric column, which DuckDB names as 52.0.
    const other = 'id,label\n56,52\n92,60.5\n102,302.0\n';
    const mine: [string, string][] = [
      ['56', '52'],
      ['92', '60.5'],
      ['102', '300'],
    ];
    await engine.importReviewer(ds.id, { name: 'b.csv', bytes: new TextEncoder().encode(other) }, 'me', true);
    const merge = engine.reviewMerge(ds.id, 'me', mine, true)!;
    expect(merge.counts).toEqual({ agreed: 2, single: 0, majority: 0, tie: 0, median: 1 });
    expect(engine.reviewLabelsOf(ds.id, '102')).toEqual(['302']);
    expect(merge.disagreements).toEqual(['102']);
  });

  it("Krippendorff's alpha (interval) is the paper's on its own example, and the goldens' on three reviewers", async () => {
    const exp = expected('numeric_agreement');
    // Krippendorff (2011): four observers, twelve units, values missing; interval alpha 0.849.
    const units = exp.paper_example.units as number[][];
    const byObserver = [0, 1, 2, 3].map((r) => units.map((u) => u[r] ?? NaN));
    expect(krippendorffInterval(byObserver)!.toFixed(3)).toBe('0.849');
    expect(Math.abs(krippendorffInterval(byObserver)! - exp.paper_example.interval)).toBeLessThan(1e-12);
    // A shift or a scale of every value leaves alpha as it is (prices in the millions lose no digits).
    const shifted = byObserver.map((r) => r.map((v) => 1e9 + 1000 * v));
    expect(Math.abs(krippendorffInterval(shifted)! - exp.paper_example.interval)).toBeLessThan(1e-9);
    expect(
      krippendorffInterval([
        [1, 2],
        [NaN, NaN],
      ]),
    ).toBeNull();
    expect(
      krippendorffInterval([
        [3, 3],
        [3, 3],
      ]),
    ).toBeNull();

    // Reviewer a is the active one; b (who writes 52.0) and c are imported files.
    const engine = newEngine();
    const ds = await engine.open({ name: 'diabetes.csv', bytes: fixture('diabetes.csv') });
    const [a, ...others] = exp.files as string[];
    for (const f of others) await engine.importReviewer(ds.id, { name: f, bytes: fixture(`inputs/${f}`) }, 'a', true);
    const mine = [
      ...(await engine.open({ name: a, bytes: fixture(`inputs/${a}`) }).then((i) => engine.reviewerLabels(i.id)))
        .labels,
    ];
    const merge = engine.reviewMerge(ds.id, 'a', mine, true)!;
    expect(Math.abs(merge.agreement!.krippendorff_alpha! - exp.krippendorff_alpha)).toBeLessThan(1e-12);
    expect(merge.agreement!.items).toBe(exp.items);
    const want = Object.values(exp.pairs) as { percent_agreement: number; mean_abs_difference: number }[];
    Object.values(merge.agreement!.pairs).forEach((p, i) => {
      expect(p.percent_agreement).toBe(want[i].percent_agreement);
      expect(Math.abs(p.mean_abs_difference! - want[i].mean_abs_difference)).toBeLessThan(1e-12);
      expect(p.cohen_kappa).toBeNull();
    });
    const spread = exp.spread as Record<string, number>;
    const differ = Object.keys(spread).filter((id) => spread[id] > 0);
    expect(merge.counts.median).toBe(differ.length);
    expect(merge.counts.agreed + merge.counts.single + merge.counts.median).toBe(Object.keys(spread).length);
    // The widest spread first.
    expect(new Set(merge.disagreements)).toEqual(new Set(differ));
    const spreads = merge.disagreements.map((id) => spread[id]);
    expect(spreads).toEqual([...spreads].sort((x, y) => y - x));
    expect(spreads[0]).toBe(Math.max(...Object.values(spread)));

    const rows = new TextDecoder()
      .decode(engine.mergedLabelsCsv(ds.id, 'a', mine, true))
      .trim()
      .split('\n');
    expect(rows[0]).toBe('id,label_merged,status,a,numeric_review_b.csv,numeric_review_c.csv');
    const median = exp.median as Record<string, number>;
    expect(rows.length - 1).toBe(Object.keys(median).length);
    for (const row of rows.slice(1)) {
      const [id, merged, status] = row.split(',');
      expect(Number(merged), id).toBe(median[id]);
      expect(status, id).toBe(
        spread[id] > 0 ? 'median' : row.split(',').slice(3).filter(Boolean).length > 1 ? 'agreed' : 'single',
      );
    }
  });

  it('loupe agree --numeric gives the same, and refuses labels that are not numbers', async () => {
    const exp = expected('numeric_agreement');
    const path = (f: string) => new URL(`../fixtures/inputs/${f}`, import.meta.url).pathname;
    const r = await loupe(['agree', ...exp.files.map(path), '--numeric', '--json']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out);
    expect(Math.abs(got.krippendorff_alpha - exp.krippendorff_alpha)).toBeLessThan(1e-12);
    expect(got.items).toBe(exp.items);
    expect(Object.values(got.pairs)).toEqual(Object.values(exp.pairs));
    expect(got).not.toHaveProperty('fleiss_kappa');
    const text = (await loupe(['agree', ...exp.files.map(path), '--numeric'])).out;
    expect(text).toContain(`Krippendorff's alpha (interval) ${exp.krippendorff_alpha.toFixed(4)}`);
    const bad = await loupe([
      'agree',
      path(exp.files[0]),
      new URL('../fixtures/synth_review_a.csv', import.meta.url).pathname,
      '--numeric',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/labels are not numbers/);
  });
});

describe('a reviewer who shares no ids with you', () => {
  it('gives no agreement and counts nothing as agreed', async () => {
    const engine = newEngine();
    const ds = await engine.open({ name: 'synth_noisy.csv', bytes: fixture('synth_noisy.csv') });
    const other = 'id,label\n' + Array.from({ length: 65 }, (_, i) => `zz${i},cat`).join('\n') + '\n';
    await engine.importReviewer(ds.id, { name: 'other.csv', bytes: new TextEncoder().encode(other) }, 'me');
    const mine: [string, string][] = [
      ['a1', 'dog'],
      ['a2', 'cat'],
    ];
    const merge = engine.reviewMerge(ds.id, 'me', mine)!;
    expect(merge.agreement).toBeNull();
    expect(merge.counts).toEqual({ agreed: 0, single: 67, majority: 0, tie: 0, median: 0 });
    expect(merge.disagreements).toEqual([]);
  });
});

describe('importing a reviewer', () => {
  it('reads its id and label columns only (no profile of the file), and NA labels are missing', async () => {
    const statements: string[] = [];
    const engine = countingEngine(statements);
    const ds = await engine.open({ name: 'synth_noisy.csv', bytes: fixture('synth_noisy.csv') });
    const wide = [
      'id,label,note,score,extra',
      'a1,dog,long free text one,0.5,x',
      'a2,NA,long free text two,0.7,y',
      'a3, None ,three,0.1,z',
      'a4,cat,four,0.9,w',
    ].join('\n');
    statements.length = 0;
    await engine.importReviewer(ds.id, { name: 'wide.csv', bytes: new TextEncoder().encode(wide) }, 'me');
    const scans = statements.filter((s) => /^\s*SELECT/i.test(s) && !/^\s*SELECT count\(\*\) AS n FROM/i.test(s));
    // One read: the two columns (DESCRIBE and the row count aside); no summary, distinct or top values.
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatch(/"id".*"label"/);
    expect(scans[0]).not.toMatch(/note|score|extra/);
    expect(statements.some((s) => /approx_count_distinct|count\(DISTINCT/i.test(s))).toBe(false);
    expect(engine.reviewLabelsOf(ds.id, 'a1')).toEqual(['dog']);
    expect(engine.reviewLabelsOf(ds.id, 'a2')).toEqual([null]);
    expect(engine.reviewLabelsOf(ds.id, 'a3')).toEqual([null]);
    expect(engine.reviewLabelsOf(ds.id, 'a4')).toEqual(['cat']);
  });
});

describe('ids written as numbers another way', () => {
  it("a reviewer's 7.0 and 0007 are the dataset's 7; loupe agree matches them too", async () => {
    const engine = newEngine();
    const data = 'id,label,pred\n7,cat,cat\n8,dog,cat\nA9,dog,dog\n';
    const ds = await engine.open({ name: 'ids.csv', bytes: new TextEncoder().encode(data) });
    const other = 'id,label\n7.0,dog\n0008,dog\n A9 ,cat\n10,cat\n';
    await engine.importReviewer(ds.id, { name: 'b.csv', bytes: new TextEncoder().encode(other) }, 'me', false, 'id');
    expect(['7', '8', 'A9', '10'].map((i) => engine.reviewLabelsOf(ds.id, i)[0])).toEqual(['dog', 'dog', 'cat', 'cat']);
    const merge = engine.reviewMerge(ds.id, 'me', [
      ['7', 'cat'],
      ['8', 'dog'],
    ])!;
    expect(merge.agreement?.items).toBe(2);
    expect(merge.counts).toMatchObject({ agreed: 1, tie: 1, single: 2 });

    const dir = mkdtempSync(join(tmpdir(), 'loupe-ids-'));
    writeFileSync(join(dir, 'a.csv'), 'id,label\n7,cat\n8,dog\n9,dog\n');
    writeFileSync(join(dir, 'b.csv'), 'id,label\n7.0,cat\n8.0,cat\n9.0,dog\n');
    const r = await loupe(['agree', join(dir, 'a.csv'), join(dir, 'b.csv'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).items).toBe(3);
  });
});

describe('review queues without a model', () => {
  it('labels and an embedding alone: near-duplicate and other queues hold the labelled rows, with no suggestion', async () => {
    const engine = newEngine();
    const rows = ['id,label,emb_0,emb_1,emb_2'];
    for (let i = 0; i < 60; i++)
      rows.push(`r${i},${i % 3 === 0 ? 'cat' : 'dog'},${(i % 7) / 7},${(i % 5) / 5},${i === 10 ? 9 : (i % 3) / 3}`);
    rows.push('dup1,cat,0.1,0.2,0.3', 'dup2,dog,0.1,0.2,0.3', 'nolabel,,0.5,0.5,0.5');
    const d = await engine.open({ name: 'nomodel.csv', bytes: new TextEncoder().encode(rows.join('\n') + '\n') });
    const { roles } = await engine.roles(d.id);
    expect([roles.pred, roles.probs, roles.embedding?.kind]).toEqual([null, null, 'columns']);
    const found = await engine.dataIssues(d.id, { roles }, { issues: ['near_duplicate'] });
    const near = await engine.labelIssues(d.id, { roles }, undefined, undefined, {
      kind: 'rows',
      rows: found.near_duplicate!.flagged,
    });
    expect(near.issues.map((q) => [q.id, q.given, q.suggested])).toEqual([
      ['dup1', 'cat', ''],
      ['dup2', 'dog', ''],
    ]);
    // Every labelled row (the row without a label is left out); no model, so nothing is "right".
    const all = await engine.labelIssues(d.id, { roles }, undefined, undefined, { kind: 'all' });
    expect(all.issues).toHaveLength(62);
    expect(all.per_class).toEqual({
      cat: { issues: 21, rows: 21, model_right: 0 },
      dog: { issues: 41, rows: 41, model_right: 0 },
    });
    // The likely label errors still need class probabilities.
    await expect(engine.labelIssues(d.id, { roles })).rejects.toThrow(
      /needs a classification task with class probabilities/,
    );
  });
});
