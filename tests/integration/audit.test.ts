import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loupe } from './cli';
import { mcnemar } from '../../src/core/stats/tests';
import { benjaminiHochberg } from '../../src/core/stats/proportions';

const fixturePath = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const expected = (name: string) => JSON.parse(readFileSync(fixturePath(`expected/${name}.json`), 'utf8'));

describe('loupe fairness', () => {
  it("equals fairlearn's metrics on the cancer fixture", async () => {
    const exp = expected('cancer').fairness;
    const r = await loupe([
      'fairness',
      fixturePath('cancer.csv'),
      '--by',
      'size_group',
      '--by',
      'texture_group',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out).fairness;
    for (const col of Object.keys(exp)) {
      expect(got[col].positive).toBe(exp[col].positive);
      for (const k of [
        'demographic_parity_difference',
        'demographic_parity_ratio',
        'equalized_odds_difference',
        'equalized_odds_ratio',
      ]) {
        expect(Math.abs(got[col][k] - exp[col][k]), `${col} ${k}`).toBeLessThan(1e-12);
      }
      expect(Object.keys(got[col].by_group).sort()).toEqual(Object.keys(exp[col].by_group).sort());
      for (const [g, rates] of Object.entries(exp[col].by_group as Record<string, Record<string, number>>)) {
        for (const [k, v] of Object.entries(rates))
          expect(Math.abs(got[col].by_group[g][k] - v), `${col} ${g} ${k}`).toBeLessThan(1e-12);
        // Each rate's Wilson interval holds it.
        for (const [k, iv] of Object.entries(
          got[col].by_group[g].intervals as Record<string, [number, number] | null>,
        )) {
          if (iv) expect(got[col].by_group[g][k]).toBeGreaterThanOrEqual(iv[0] - 1e-12);
        }
      }
    }
    expect((await loupe(['fairness', fixturePath('iris.csv'), '--by', 'label'])).err).toMatch(
      /with 3 classes, choose it \(one against the rest\)/,
    );
    expect((await loupe(['fairness', fixturePath('cancer.csv')])).err).toMatch(/--by COL/);
  });

  it('multiclass, one class against the rest, equals the binary task of that class', async () => {
    const [head, ...rows] = readFileSync(fixturePath('iris.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const at = (c: string) => head.indexOf(c);
    const one = (v: string) => (v === 'versicolor' ? 'versicolor' : 'other');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'loupe-ovr-')), 'iris-versicolor.csv');
    writeFileSync(
      file,
      [
        'group,label,pred',
        ...rows.map((r, i) => `${i % 3 === 0 ? 'x' : 'y'},${one(r[at('label')])},${one(r[at('pred')])}`),
      ].join('\n') + '\n',
    );
    const grouped = path.join(path.dirname(file), 'iris-grouped.csv');
    writeFileSync(
      grouped,
      [['group', ...head].join(','), ...rows.map((r, i) => [i % 3 === 0 ? 'x' : 'y', ...r].join(','))].join('\n') +
        '\n',
    );
    const ovr = JSON.parse(
      (await loupe(['fairness', grouped, '--by', 'group', '--positive', 'versicolor', '--json'])).out,
    ).fairness.group;
    const bin = JSON.parse((await loupe(['fairness', file, '--by', 'group', '--positive', 'versicolor', '--json'])).out)
      .fairness.group;
    expect(ovr.positive).toBe('versicolor');
    for (const k of [
      'demographic_parity_difference',
      'demographic_parity_ratio',
      'equalized_odds_difference',
      'equalized_odds_ratio',
    ])
      expect(ovr[k]).toBe(bin[k]);
    for (const g of ['x', 'y'])
      for (const k of ['selection_rate', 'tpr', 'fpr', 'precision', 'accuracy'])
        expect(ovr.by_group[g][k], `${g} ${k}`).toBe(bin.by_group[g][k]);
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
    const report = JSON.parse(
      (await loupe(['eval', cancer, '--bootstrap', '0', '--where', "size_group = 'large'", '--json'])).out,
    );
    const acc = report.overall.accuracy;
    const large = report.slices[0].metrics.macro_f1;
    const recall = report.per_class.find((p: { class: string }) => p.class === 'malignant').recall;
    const dpd = expected('cancer').fairness.texture_group.demographic_parity_difference;
    write('base.json', report);
    write('better.json', {
      ...report,
      overall: { ...report.overall, accuracy: acc + 0.02, log_loss: report.overall.log_loss - 0.05 },
    });
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
      {
        metric: 'macro_f1',
        where: "size_group = 'large'",
        baseline: 'base.json',
        max_drop: 0,
        name: 'large tumours vs baseline',
      },
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

    // One streamed pass (as past 20M rows) gives every gate the same value and verdict.
    const streamed = await loupe(['check', cancer, '--gates', path.join(dir, 'gates.json'), '--stream', '--json']);
    expect(streamed.code).toBe(1);
    expect(JSON.parse(streamed.out)).toEqual(out);

    const passing = await loupe([
      'check',
      cancer,
      '--gates',
      write('ok.json', { gates: gates.filter((_, i) => want[i]) }),
    ]);
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
      [
        [{ metric: 'acuracy', min: 0.5 }],
        /unknown metric "acuracy" \(metrics: accuracy, .*; with "class": precision, recall, f1; with "by": demographic_parity_difference/,
      ],
      [[{ metric: 'demographic_parity_difference', max: 0.1 }], /needs "by"/],
      [[{ metric: 'demographic_parity_difference', by: 'nope', max: 0.1 }], /no column "nope"/],
      [[{ metric: 'accuracy', where: 'nope > 1', min: 0.5 }], /"where"/],
      [[{ metric: 'accuracy', baseline: 'missing.json', max_drop: 0.1 }], /cannot read .*missing\.json/],
      [
        [{ metric: 'accuracy', baseline: path.basename(write('list.json', [1, 2])), max_drop: 0.1 }],
        /not a saved `loupe eval --json`/,
      ],
      [[{ metric: 'recall', min: 0.5 }], /per class: give "class"/],
    ];
    for (const [g, msg] of cases) {
      const r = await loupe(['check', cancer, '--gates', write('g.json', g)]);
      expect(r.code, JSON.stringify(g)).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(msg);
    }
    expect((await loupe(['check', cancer])).err).toMatch(/--gates/);
    // Streamed, a "where" DuckDB cannot bind is found before the pass and named by its gate.
    const where = [
      { metric: 'accuracy', min: 0 },
      { metric: 'accuracy', where: "size_group = 'large'", min: 0 },
    ];
    for (const bad of ['nope > 1', "texture_group + 1 > 'x'"]) {
      const r = await loupe([
        'check',
        cancer,
        '--stream',
        '--gates',
        write('g.json', [...where, { ...where[0], where: bad }]),
      ]);
      expect(r.code, bad).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/g\.json: gate 3: "where": /);
    }
    const fair = write('g.json', [{ metric: 'demographic_parity_difference', by: 'sex', max: 0.1 }]);
    for (const stream of [[], ['--stream']]) {
      const r = await loupe(['check', fixturePath('diabetes.csv'), '--gates', fair, ...stream]);
      expect(r.code, stream.join()).toBe(2);
      expect(r.err).toMatch(/Fairness metrics need a classification task/);
    }
  });
});

describe('loupe drift', () => {
  it('equals SciPy column by column (cancer: first 300 rows against the rest)', async () => {
    const exp = expected('cancer_drift');
    const lines = readFileSync(fixturePath('cancer.csv'), 'utf8').trim().split('\n');
    const dir = mkdtempSync(path.join(tmpdir(), 'loupe-drift-'));
    const ref = path.join(dir, 'ref.csv');
    const cur = path.join(dir, 'cur.csv');
    writeFileSync(ref, lines.slice(0, 301).join('\n') + '\n');
    writeFileSync(cur, [lines[0], ...lines.slice(301)].join('\n') + '\n');
    const r = await loupe(['drift', ref, cur, '--columns', Object.keys(exp).join(','), '--json']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out);
    for (const [col, e] of Object.entries(exp as Record<string, Record<string, number>>)) {
      const c = got.columns[col];
      const close = (a: number, b: number) =>
        expect(Math.abs(a - b), `${col}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(b)));
      close(c.psi, e.psi);
      close(c.p_value, e.p_value);
      if (c.kind === 'numeric') {
        close(c.ks.statistic, e.ks_statistic);
        close(c.wasserstein, e.wasserstein);
      } else {
        close(c.chi2.statistic, e.chi2);
        expect(c.chi2.df).toBe(e.df);
        close(c.jensen_shannon, e.jensen_shannon);
      }
      expect(c.drifted).toBe(e.p_value < 0.05 && e.psi >= 0.1);
      expect(c.histogram.reference.reduce((a: number, x: number) => a + x, 0)).toBeCloseTo(1, 12);
    }
    expect(got.drifted).toEqual(Object.keys(got.columns).filter((c) => got.columns[c].drifted));
    // Thresholds the user sets.
    const loose = JSON.parse(
      (await loupe(['drift', ref, cur, '--columns', 'mean_texture,label', '--p', '0.5', '--psi', '0', '--json'])).out,
    );
    expect(loose.drifted).toEqual(['mean_texture', 'label']);
    expect((await loupe(['drift', ref])).code).toBe(2);
    expect((await loupe(['drift', ref, cur, '--columns', 'nope'])).err).toMatch(/no column "nope"/);
    // Files that share no column: nothing compared is an error, not "0 of 0 columns drifted".
    const other = path.join(dir, 'other.csv');
    writeFileSync(other, 'a,b\n1,x\n2,y\n');
    const none = await loupe(['drift', ref, other]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(
      /^loupe: no column of ref\.csv could be compared with other\.csv: \S+ \(not in other\.csv\), .* and \d+ more\n$/,
    );
  });
});

describe('loupe compare', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'loupe-compare-'));
  const rows = readFileSync(fixturePath('cancer.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const head = rows[0];
  const at = (c: string) => head.indexOf(c);
  // Model B: predict malignant from p ≥ 0.3 (more positives than A's argmax).
  const predB = rows.slice(1).map((r) => (Number(r[at('prob_malignant')]) >= 0.3 ? 'malignant' : 'benign'));
  const both = path.join(dir, 'both.csv');
  writeFileSync(
    both,
    [[...head, 'pred_b'].join(','), ...rows.slice(1).map((r, i) => [...r, predB[i]].join(','))].join('\n') + '\n',
  );

  it('side by side equals loupe eval of each model; counts, McNemar and per-group changes', async () => {
    const r = await loupe([
      'compare',
      both,
      '--pred-b',
      'pred_b',
      '--by',
      'size_group',
      '--bootstrap',
      '200',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const c = JSON.parse(r.out);
    const evalA = JSON.parse((await loupe(['eval', both, '--bootstrap', '0', '--json'])).out);
    const evalB = JSON.parse((await loupe(['eval', both, '--pred', 'pred_b', '--bootstrap', '0', '--json'])).out);
    for (const k of ['accuracy', 'macro_f1', 'mcc', 'balanced_accuracy']) {
      expect(c.metrics[k].a).toBe(evalA.overall[k]);
      expect(c.metrics[k].b).toBe(evalB.overall[k]);
      expect(c.metrics[k].difference).toBeCloseTo(evalB.overall[k] - evalA.overall[k], 14);
      const [lo, hi] = c.metrics[k].interval;
      expect(lo).toBeLessThanOrEqual(c.metrics[k].difference + 1e-12);
      expect(hi).toBeGreaterThanOrEqual(c.metrics[k].difference - 1e-12);
    }
    const label = rows.slice(1).map((r) => r[at('label')]);
    const predA = rows.slice(1).map((r) => r[at('pred')]);
    const t = { both_right: 0, a_only: 0, b_only: 0, both_wrong: 0 };
    label.forEach((l, i) => {
      const a = predA[i] === l;
      const b = predB[i] === l;
      t[a && b ? 'both_right' : a ? 'a_only' : b ? 'b_only' : 'both_wrong']++;
    });
    expect(c.table).toEqual(t);
    expect(c.regressions.length).toBe(t.a_only);
    expect(c.mcnemar.p_value).toBe(mcnemar(t.a_only, t.b_only).p_value);
    const groups = c.groups.size_group;
    for (const g of groups) {
      const idx = rows
        .slice(1)
        .map((r, i) => (r[at('size_group')] === g.group ? i : -1))
        .filter((i) => i >= 0);
      expect(g.rows).toBe(idx.length);
      expect(g.a).toBe(idx.filter((i) => predA[i] === label[i]).length / idx.length);
      expect(g.b).toBe(idx.filter((i) => predB[i] === label[i]).length / idx.length);
    }
    expect(groups.map((g: { adjusted_p: number }) => g.adjusted_p)).toEqual(
      benjaminiHochberg(groups.map((g: { p_value: number }) => g.p_value)),
    );

    // The same model against itself: nothing changes, and the paired interval is exactly zero.
    const same = JSON.parse((await loupe(['compare', both, '--pred-b', 'pred', '--bootstrap', '100', '--json'])).out);
    expect(same.metrics.accuracy.interval).toEqual([0, 0]);
    expect(same.metrics.macro_f1.interval).toEqual([0, 0]);
    expect(same.table.a_only + same.table.b_only).toBe(0);
  });

  it('two files joined on the id give the same comparison', async () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    writeFileSync(a, rows.map((r) => r.join(',')).join('\n') + '\n');
    // B's file: id and its prediction, in another order.
    writeFileSync(
      b,
      [
        'id,pred',
        ...rows
          .slice(1)
          .map((r, i) => `${r[at('id')]},${predB[i]}`)
          .reverse(),
      ].join('\n') + '\n',
    );
    const one = JSON.parse((await loupe(['compare', both, '--pred-b', 'pred_b', '--bootstrap', '0', '--json'])).out);
    const two = await loupe(['compare', a, b, '--id', 'id', '--bootstrap', '0', '--slices', '--json']);
    expect(two.code, two.err).toBe(0);
    const got = JSON.parse(two.out);
    expect(got.table).toEqual(one.table);
    for (const k of Object.keys(one.metrics)) expect(got.metrics[k].b).toBe(one.metrics[k].b);
    expect(got.b.pred).toBe('b__pred');
    expect(Array.isArray(got.regression_slices)).toBe(true);
    expect((await loupe(['compare', both])).err).toMatch(/--pred-b/);

    // The same ids as Excel and pandas' float columns write them (0007, 7.0, spaces): the same rows.
    const c = path.join(dir, 'c.csv');
    const styled = (v: string, i: number) => (!/^\d+$/.test(v) ? v : [`${v}.0`, `00${v}`, ` ${v} `][i % 3]);
    writeFileSync(
      c,
      ['id,pred', ...rows.slice(1).map((r, i) => `"${styled(String(r[at('id')]), i)}",${predB[i]}`)].join('\n') + '\n',
    );
    const three = await loupe(['compare', a, c, '--id', 'id', '--bootstrap', '0', '--json']);
    expect(three.code, three.err).toBe(0);
    expect(JSON.parse(three.out).table).toEqual(one.table);
    // Ids that never match: said so, with an example of each file's.
    const d = path.join(dir, 'd.csv');
    writeFileSync(d, 'id,pred\nq1,a\nq2,b\n');
    const none = await loupe(['compare', a, d, '--id', 'id']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/No "id" of a\.csv is one of d\.csv's \(a\.csv starts with ".+", d\.csv with "q1"\)/);

    // No id in either file: B's predictions in the order of A's rows are joined in order, where the
    // label (held by both) agrees row by row; out of order, refused.
    const noIds = (r: (string | number)[]) => r.filter((_, j) => j !== at('id'));
    const e = path.join(dir, 'e.csv');
    const f = path.join(dir, 'f.csv');
    writeFileSync(e, rows.map((r) => noIds(r).join(',')).join('\n') + '\n');
    const labelled = rows.slice(1).map((r, i) => `${r[at('label')]},${predB[i]}`);
    writeFileSync(f, ['label,pred', ...labelled].join('\n') + '\n');
    const inOrder = await loupe(['compare', e, f, '--bootstrap', '0', '--json']);
    expect(inOrder.code, inOrder.err).toBe(0);
    expect(inOrder.err).toContain('joined row by row (no id column in both)');
    expect(JSON.parse(inOrder.out).table).toEqual(one.table);
    writeFileSync(f, ['label,pred', ...labelled.reverse()].join('\n') + '\n');
    const shuffled = await loupe(['compare', e, f, '--bootstrap', '0']);
    expect(shuffled.code).toBe(2);
    expect(shuffled.err).toMatch(/joined in order their rows disagree: label differs in \d+ rows, first at row \d+/);
  });

  it('two regression models: metrics as loupe eval gives them, the paired t-test of absolute errors and per-group changes as SciPy', async () => {
    const golden = JSON.parse(readFileSync(fixturePath('expected/regression_compare.json'), 'utf8'));
    const file = fixturePath('inputs/regression_ab.csv');
    const args = ['compare', file, '--pred-b', 'pred_b', '--by', 'sex', '--bootstrap', '200', '--slices', '--json'];
    const r = await loupe(args);
    expect(r.code, r.err).toBe(0);
    const c = JSON.parse(r.out);
    expect(c.task).toBe('regression');
    expect(c.rows).toBe(golden.rows);
    const evalA = JSON.parse((await loupe(['eval', file, '--bootstrap', '0', '--json'])).out);
    const evalB = JSON.parse((await loupe(['eval', file, '--pred', 'pred_b', '--bootstrap', '0', '--json'])).out);
    for (const k of ['mae', 'rmse', 'r2', 'median_absolute_error']) {
      expect(c.metrics[k].a).toBe(evalA.overall[k]);
      expect(c.metrics[k].b).toBe(evalB.overall[k]);
      const [lo, hi] = c.metrics[k].interval;
      expect(lo).toBeLessThan(hi);
    }
    expect(c.table).toBeNull();
    expect(c.mcnemar).toBeNull();
    const { ttest, ...counts } = c.errors;
    expect(counts).toEqual({ b_closer: golden.b_closer, a_closer: golden.a_closer, equal: golden.equal });
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-9 * Math.max(1, Math.abs(b)));
    for (const k of ['statistic', 'p_value', 'mean_difference']) close(ttest[k], golden.ttest[k]);
    expect(ttest.df).toBe(golden.ttest.df);
    const groups = [...c.groups.sex].sort((x: { group: string }, y: { group: string }) => (x.group < y.group ? -1 : 1));
    groups.forEach((g: Record<string, number>, i: number) => {
      const want = golden.groups[i];
      expect(g.group).toBe(want.group);
      expect(g.rows).toBe(want.rows);
      for (const k of ['a', 'b', 'p_value', 'adjusted_p']) close(g[k], want[k]);
      close(g.difference, want.mean_difference);
    });
    // s2's MAE grew significantly (adjusted p 0.035): regressed; s1's did not.
    expect(groups.map((g: { change: string }) => g.change)).toEqual(['no significant change', 'regressed']);
    expect(c.regressions).toEqual(golden.regressions);
    expect(c.regression_slices.length).toBeGreaterThan(0);
    // Text: the test and the groups' mean absolute errors.
    const text = (await loupe(args.filter((a) => a !== '--json'))).out;
    expect(text).toMatch(
      /paired t-test of the absolute errors: B − A \+1\.5950 on average, t = 2\.3002 \(df 441\), p = 0\.02190/,
    );
    expect(text).toMatch(/sex +rows +A MAE +B MAE/);
    // A model against itself: no change, no test.
    const same = JSON.parse((await loupe(['compare', file, '--pred-b', 'pred', '--bootstrap', '50', '--json'])).out);
    expect(same.errors.equal).toBe(442);
    expect(same.errors.ttest.p_value).toBeNull();
    expect(same.metrics.mae.interval).toEqual([0, 0]);
    expect(same.regressions).toEqual([]);
  });

  it("fairness of a regression model: each group's errors and means, and their spread, as fairlearn's MetricFrame (pandas groupby)", async () => {
    const golden = JSON.parse(readFileSync(fixturePath('expected/regression_compare.json'), 'utf8')).fairness;
    const file = fixturePath('inputs/regression_ab.csv');
    const r = await loupe(['fairness', file, '--by', 'sex', '--json']);
    expect(r.code, r.err).toBe(0);
    const got = JSON.parse(r.out).fairness.sex;
    expect(got.task).toBe('regression');
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-9 * Math.max(1, Math.abs(b)));
    for (const k of ['mae_difference', 'mae_ratio', 'mean_prediction_difference', 'mean_prediction_ratio'])
      close(got[k], golden[k]);
    expect(Object.keys(got.by_group).sort()).toEqual(Object.keys(golden.by_group).sort());
    for (const [g, want] of Object.entries(golden.by_group) as [string, Record<string, number>][])
      for (const k of ['rows', 'mae', 'rmse', 'mean_prediction', 'mean_label']) close(got.by_group[g][k], want[k]);
    expect((await loupe(['fairness', file, '--by', 'sex'])).out).toMatch(
      /sex \(regression\): mean absolute error difference 2\.6594/,
    );
    // A fairness gate (rates of a class) on a regression is refused, not passed.
    const dir = mkdtempSync(path.join(tmpdir(), 'loupe-fair-'));
    const gates = path.join(dir, 'gates.json');
    writeFileSync(gates, JSON.stringify({ gates: [{ metric: 'demographic_parity_difference', max: 0.1, by: 'sex' }] }));
    const check = await loupe(['check', file, '--gates', gates]);
    expect(check.code).toBe(2);
    expect(check.err).toMatch(/need a classification task/);
  });

  it('a second file whose probabilities are named as the classes (and has other numbers): model B is those columns', async () => {
    const [head, ...lines] = readFileSync(fixturePath('inputs/class_named.csv'), 'utf8').trim().split('\n');
    expect(head).toBe('label,pred,bird,cat,dog');
    const a = path.join(dir, 'named-a.csv');
    const b = path.join(dir, 'named-b.csv');
    writeFileSync(a, ['id,' + head, ...lines.map((l, i) => `${i},${l}`)].join('\n') + '\n');
    // B: the same probabilities, its own prediction column, and a numeric column that is no class.
    writeFileSync(
      b,
      [
        'id,prediction,x,bird,cat,dog',
        ...lines.map((l, i) => `${i},${l.split(',')[1]},${i % 7},${l.split(',').slice(2)}`),
      ].join('\n') + '\n',
    );
    const r = await loupe(['compare', a, b, '--id', 'id', '--bootstrap', '0', '--json']);
    expect(r.code, r.err).toBe(0);
    const got = JSON.parse(r.out);
    for (const k of ['accuracy', 'log_loss', 'roc_auc', 'brier']) {
      expect(got.metrics[k].b, k).not.toBeNull();
      expect(got.metrics[k].b, k).toBe(got.metrics[k].a);
    }
  });
});
