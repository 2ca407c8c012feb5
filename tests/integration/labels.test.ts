import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FILTERS, RANKINGS, findLabelIssues, qualityScores } from '../../src/core/labels/confidentLearning';
import type { ClassificationData } from '../../src/core/metrics/data';
import type { Evaluator } from '../../src/engine/Evaluator';
import { fixture, newEngine } from './engine';

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
