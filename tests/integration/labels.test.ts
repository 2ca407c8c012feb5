import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FILTERS, RANKINGS, findLabelIssues, qualityScores } from '../../src/core/labels/confidentLearning';
import type { ClassificationData } from '../../src/core/metrics/data';
import type { Evaluator } from '../../src/engine/Evaluator';
import { fixture, newEngine } from './engine';
import { loupe } from './cli';

const expected = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/expected/${name}.json`, import.meta.url), 'utf8'));

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
    for (const [filter, rank] of [['prune_by_noise_rate', 'self_confidence'], ['both', 'normalized_margin'], ['confident_learning', 'confidence_weighted_entropy']]) {
      const r = await loupe(['issues', path('synth_noisy.csv'), '--json', '--filter-by', filter, '--rank-by', rank]);
      expect(r.code).toBe(0);
      const got = JSON.parse(r.out);
      expect(got.method).toEqual({ filter_by: filter, rank_by: rank });
      expect(got.issues.map((i: { id: string }) => i.id)).toEqual(exp.issues[`${filter}/${rank}`]);
      expect(got.num_issues).toBe(got.issues.length);
      expect(Object.values(got.per_class).reduce((a: number, c) => a + (c as { rows: number }).rows, 0)).toBe(3000);
      for (let i = 1; i < got.issues.length; i++) expect(got.issues[i].score).toBeGreaterThanOrEqual(got.issues[i - 1].score);
      for (const i of got.issues) expect(i.suggested).not.toBe(i.given);
    }
    const bad = await loupe(['issues', path('diabetes.csv')]);
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
  });
});

describe('review queues', () => {
  it('a stratified random sample is seeded and proportional to the classes; a slice queue holds its rows', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'synth_noisy.csv', bytes: fixture('synth_noisy.csv') });
    const { roles } = await engine.roles(info.id);
    const sample = (seed: number) => engine.labelIssues(info.id, { roles }, undefined, undefined, { kind: 'sample', size: 60, seed });
    const a = await sample(1);
    expect((await sample(1)).issues.map((i) => i.row)).toEqual(a.issues.map((i) => i.row));
    expect((await sample(2)).issues.map((i) => i.row)).not.toEqual(a.issues.map((i) => i.row));
    expect(new Set(a.issues.map((i) => i.row)).size).toBe(a.issues.length);
    for (const c of Object.values(a.per_class)) expect(c.issues).toBe(Math.max(1, Math.round((60 * c.rows) / 3000)));
    const slice = await engine.labelIssues(info.id, { roles }, undefined, undefined, { kind: 'slice', where: { kind: 'cond', column: 'x0_bin', op: '=', value: 'q1' } });
    expect(slice.num_issues).toBe(750);
    const all = await engine.labelIssues(info.id, { roles }, undefined, undefined, { kind: 'all' });
    expect(all.issues.map((i) => i.row)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });
});

describe('reviews joined to the data', () => {
  it('decisions mirror into DuckDB and the corrected dataset carries label_reviewed', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'iris.csv', bytes: fixture('iris.csv') });
    await engine.syncReviews(info.id, [{ row: 0, decision: 'relabel', new_label: 'virginica' }, { row: 1, decision: 'accept', new_label: null }, { row: 2, decision: 'relabel', new_label: "it's" }]);
    expect((await engine.query(`SELECT count(*) AS n FROM reviews_${info.id}`))[0].n).toBe(3);
    const lines = new TextDecoder().decode(await engine.correctedCsv(info.id, 'label')).trim().split('\n');
    expect(lines[0].endsWith(',label_reviewed')).toBe(true);
    expect(lines.length).toBe(151);
    expect(lines[1].endsWith(',setosa,virginica')).toBe(true);
    expect(lines[2].endsWith(',setosa,setosa')).toBe(true);
    expect(lines[3].endsWith(",it's")).toBe(true);
    expect(lines[150].endsWith(',virginica')).toBe(true);
  });
});
