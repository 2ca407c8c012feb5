import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loupe } from './cli';

const fixturePath = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const expected = (name: string) => JSON.parse(readFileSync(fixturePath(`expected/${name}.json`), 'utf8'));

describe('loupe fairness', () => {
  it("equals fairlearn's metrics on the cancer fixture", async () => {
    const exp = expected('cancer').fairness;
    const r = await loupe(['fairness', fixturePath('cancer.csv'), '--by', 'size_group', '--by', 'texture_group', '--json']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out).fairness;
    for (const col of Object.keys(exp)) {
      expect(got[col].positive).toBe(exp[col].positive);
      for (const k of ['demographic_parity_difference', 'demographic_parity_ratio', 'equalized_odds_difference', 'equalized_odds_ratio']) {
        expect(Math.abs(got[col][k] - exp[col][k]), `${col} ${k}`).toBeLessThan(1e-12);
      }
      expect(Object.keys(got[col].by_group).sort()).toEqual(Object.keys(exp[col].by_group).sort());
      for (const [g, rates] of Object.entries(exp[col].by_group as Record<string, Record<string, number>>)) {
        for (const [k, v] of Object.entries(rates)) expect(Math.abs(got[col].by_group[g][k] - v), `${col} ${g} ${k}`).toBeLessThan(1e-12);
        // Each rate's Wilson interval holds it.
        for (const [k, iv] of Object.entries(got[col].by_group[g].intervals as Record<string, [number, number] | null>)) {
          if (iv) expect(got[col].by_group[g][k]).toBeGreaterThanOrEqual(iv[0] - 1e-12);
        }
      }
    }
    expect((await loupe(['fairness', fixturePath('iris.csv'), '--by', 'label'])).err).toMatch(/binary classification/);
    expect((await loupe(['fairness', fixturePath('cancer.csv')])).err).toMatch(/--by COL/);
  });
});

describe('loupe check', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'loupe-check-'));
  const write = (name: string, v: unknown) => {
    const p = path.join(dir, name);
    writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
    return p;
  };
  const cancer = fixturePath('cancer.csv');

  it('gates pass and fail as specified, with JUnit XML and exit 1 on a failure', async () => {
    const report = JSON.parse((await loupe(['eval', cancer, '--bootstrap', '0', '--where', "size_group = 'large'", '--json'])).out);
    const acc = report.overall.accuracy;
    const large = report.slices[0].metrics.macro_f1;
    const recall = report.per_class.find((p: { class: string }) => p.class === 'malignant').recall;
    const dpd = expected('cancer').fairness.texture_group.demographic_parity_difference;
    write('base.json', report);
    write('better.json', { ...report, overall: { ...report.overall, accuracy: acc + 0.02, log_loss: report.overall.log_loss - 0.05 } });
    const gates = [
      { metric: 'accuracy', min: acc - 1e-9 },
      { metric: 'accuracy', min: acc + 1e-9 },
      { metric: 'macro_f1', where: "size_group = 'large'", min: large - 1e-9, max: large + 1e-9 },
      { metric: 'recall', class: 'malignant', max: recall - 1e-9 },
      { metric: 'demographic_parity_difference', by: 'texture_group', max: dpd + 1e-9 },
      { metric: 'demographic_parity_difference', by: 'texture_group', max: dpd - 1e-9 },
      { metric: 'accuracy', baseline: 'base.json', max_drop: 0 },
      { metric: 'accuracy', baseline: 'better.json', max_drop: 0.01 },
      { metric: 'accuracy', baseline: 'better.json', max_drop: 0.03 },
      { metric: 'log_loss', baseline: 'better.json', max_drop: 0.04 },
      { metric: 'macro_f1', where: "size_group = 'large'", baseline: 'base.json', max_drop: 0, name: 'large tumours vs baseline' },
    ];
    const want = [true, false, true, false, true, false, true, false, true, false, true];
    const junit = path.join(dir, 'junit.xml');
    const r = await loupe(['check', cancer, '--gates', write('gates.json', gates), '--junit', junit, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out);
    expect(out.gates.map((g: { passed: boolean }) => g.passed)).toEqual(want);
    expect(out.passed).toBe(false);
    expect(out.gates[10].name).toBe('large tumours vs baseline');
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)?.length).toBe(gates.length);
    expect(xml.match(/<failure /g)?.length).toBe(want.filter((p) => !p).length);
    expect(xml).toContain(`<testsuites tests="${gates.length}" failures="${want.filter((p) => !p).length}">`);

    const passing = await loupe(['check', cancer, '--gates', write('ok.json', { gates: gates.filter((_, i) => want[i]) })]);
    expect(passing.code).toBe(0);
    expect(passing.out).toMatch(/all 6 gates passed/);
    expect(passing.out).toMatch(/PASS/);
    const failing = await loupe(['check', cancer, '--gates', write('bad1.json', [gates[1]])]);
    expect(failing.code).toBe(1);
    expect(failing.out).toMatch(/FAIL: 0\.93\d+ is below 0\.93/);
  });

  it('bad gates or input exit 2 with one line', async () => {
    const cases: [unknown, RegExp][] = [
      ['not json', /not valid JSON/],
      [[], /expected a list of gates/],
      [[{ metric: 'accuracy', minimum: 1 }], /gate 1: unknown key "minimum"/],
      [[{ metric: 'accuracy' }], /give "min", "max"/],
      [[{ metric: 'acuracy', min: 0.5 }], /unknown metric "acuracy"/],
      [[{ metric: 'demographic_parity_difference', max: 0.1 }], /needs "by"/],
      [[{ metric: 'demographic_parity_difference', by: 'nope', max: 0.1 }], /no column "nope"/],
      [[{ metric: 'accuracy', where: 'nope > 1', min: 0.5 }], /"where"/],
      [[{ metric: 'accuracy', baseline: 'missing.json', max_drop: 0.1 }], /cannot read .*missing\.json/],
      [[{ metric: 'accuracy', baseline: path.basename(write('list.json', [1, 2])), max_drop: 0.1 }], /not a saved `loupe eval --json`/],
      [[{ metric: 'recall', min: 0.5 }], /per class: give "class"/],
    ];
    for (const [g, msg] of cases) {
      const r = await loupe(['check', cancer, '--gates', write('g.json', g)]);
      expect(r.code, JSON.stringify(g)).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(msg);
    }
    expect((await loupe(['check', cancer])).err).toMatch(/--gates/);
  });
});
