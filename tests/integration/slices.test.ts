import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toSql } from '../../src/core/slices/predicate';
import { loupe } from './cli';
import { countingEngine, newEngine } from './engine';
import { binGroups, groupCodeSql } from '../../src/core/slices/groups';
import type { EvalTable, Evaluator } from '../../src/engine/Evaluator';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const expected = (name: string) => JSON.parse(readFileSync(fixture(`expected/${name}.json`), 'utf8'));

describe('loupe slices equals the exhaustive SliceLine top-K on the fixtures', () => {
  for (const name of ['cancer', 'synth_noisy']) {
    it(name, async () => {
      const exp = expected(name);
      const p = exp.slices.params;
      expect(p.error).toBe('pred != label');
      const r = await loupe([
        'slices',
        fixture(`${name}.csv`),
        '--json',
        '--features',
        exp.spec.features.join(','),
        '--k',
        String(p.k),
        '--max-level',
        String(p.max_level),
        '--alpha',
        String(p.alpha),
        '--min-support',
        String(p.min_support),
      ]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const got = JSON.parse(r.out);
      expect(got.slices.map((s: { predicates: unknown }) => s.predicates)).toEqual(
        exp.slices.top.map((s: { predicates: unknown }) => s.predicates),
      );
      got.slices.forEach(
        (
          s: {
            size: number;
            errors: number;
            error_rate: number;
            score: number;
            p_adjusted: number;
            p_value: number;
            interval: number[];
          },
          i: number,
        ) => {
          const want = exp.slices.top[i];
          expect(s.size).toBe(want.size);
          expect(s.errors).toBe(want.errors);
          expect(Math.abs(s.error_rate - want.error_rate)).toBeLessThan(1e-12);
          expect(Math.abs(s.score - want.score)).toBeLessThan(1e-9);
          expect(s.p_adjusted).toBeGreaterThanOrEqual(s.p_value);
          expect(s.interval[0]).toBeLessThan(s.error_rate);
        },
      );
    });
  }

  it('defaults, numeric bins with their edges, other error kinds', async () => {
    const r = JSON.parse(
      (
        await loupe([
          'slices',
          fixture('cancer.csv'),
          '--json',
          '--features',
          'mean_radius,texture_group',
          '--error',
          'logloss',
          '--k',
          '3',
        ])
      ).out,
    );
    expect(r.params.error).toBe('logloss');
    expect(r.bins.mean_radius).toHaveLength(5);
    expect(r.bins.mean_radius[0]).toMatch(/^\[6\.981, /);
    expect(r.slices.length).toBeGreaterThan(0);
    for (const s of r.slices) expect(s.p_value === null || (s.p_value >= 0 && s.p_value <= 1)).toBe(true);
    const w = JSON.parse(
      (
        await loupe([
          'slices',
          fixture('cancer.csv'),
          '--json',
          '--features',
          'mean_radius',
          '--binning',
          'width',
          '--bins',
          '4',
        ])
      ).out,
    );
    expect(w.params.binning).toBe('width');
    const edges = w.bins.mean_radius.map((l: string) => Number(/^\[([^,]+),/.exec(l)![1]));
    const widths = edges.slice(1).map((e: number, i: number) => e - edges[i]);
    for (const x of widths) expect(Math.abs(x - widths[0])).toBeLessThan(0.02); // labels show 4 significant digits
    const d = JSON.parse(
      (
        await loupe([
          'slices',
          fixture('diabetes.csv'),
          '--json',
          '--task',
          'regression',
          '--error',
          'squared',
          '--max-level',
          '2',
        ])
      ).out,
    );
    expect(d.params.features).toContain('sex');
    expect(d.params.min_support).toBe(32);
  });

  it('says what is wrong with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['slices'], /missing the data file/],
      [['slices', fixture('cancer.csv'), '--error', 'bogus'], /--error must be one of/],
      [['slices', fixture('cancer.csv'), '--error', 'squared'], /--error squared is for regression/],
      [['slices', fixture('cancer.csv'), '--features', 'nope'], /--features: no column "nope"/],
      [['slices', fixture('cancer.csv'), '--k', '0'], /--k "0": expected a whole number from 1 to 1000/],
    ];
    for (const [args, msg] of cases) {
      const r = await loupe(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(msg);
    }
  });

  it('the engine refuses options out of range whoever sends them (the app as well as the command)', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'cancer.csv', bytes: new Uint8Array(readFileSync(fixture('cancer.csv'))) });
    const { roles } = await engine.roles(info.id);
    await expect(engine.findSlices(info.id, { roles }, { k: 0 })).rejects.toThrow(
      'Find slices: k 0 is not a whole number from 1 to 1000.',
    );
    await expect(engine.findSlices(info.id, { roles }, { error: 'bogus' as never })).rejects.toThrow(
      /error "bogus" is not one of/,
    );
    await expect(engine.compare(info.id, { roles }, { roles }, { resamples: -1 })).rejects.toThrow(
      /Compare: resamples -1/,
    );
    await expect(engine.evaluate(info.id, { roles, threshold: 1.5 }, null)).rejects.toThrow(
      /Evaluate: threshold 1.5 is not a number from 0 to 1/,
    );
    await expect(engine.groups(info.id, 'mean_radius', 1)).rejects.toThrow(/Slice by column: bins 1/);
  });
});

describe('numeric bins found in JS equal DuckDB quantile_cont and the groups SQL', () => {
  it('edges, labels and every row bin, for doubles, integers, ties and nulls, quantile and equal width', async () => {
    const engine = newEngine();
    // Deterministic values: doubles with many digits, integers with ties, a column with nulls, negatives.
    let s = 7;
    const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lines = ['d,i,nulls,neg'];
    for (let r = 0; r < 5003; r++) {
      const d = rand() * 1000 + rand() / 3;
      const i = Math.floor(rand() * 60);
      const nulls = rand() < 0.2 ? '' : String(Math.round(rand() * 1e6) / 7);
      lines.push(`${d},${i},${nulls},${-(rand() ** 3) * 1e-3}`);
    }
    // The evaluator's own encoding (not part of the engine's protocol).
    const internals = engine as unknown as { evaluator: Evaluator; get(id: string): EvalTable };
    const info = await engine.open({ name: 'bins.csv', bytes: new TextEncoder().encode(lines.join('\n')) });
    const t = info.id.replaceAll('"', '""');
    for (const column of ['d', 'i', 'nulls', 'neg'])
      for (const bins of [2, 5, 7])
        for (const binning of ['quantile', 'width'] as const) {
          const { groups, codes } = await internals.evaluator.encode(internals.get(info.id), column, bins, 50, binning);
          const b = Math.max(2, bins);
          const qs = Array.from({ length: b - 1 }, (_, k) => (k + 1) / b);
          const [r] = await engine.query(
            `SELECT min("${column}")::DOUBLE AS lo, max("${column}")::DOUBLE AS hi, quantile_cont("${column}"::DOUBLE, [${qs.join(', ')}]) AS q FROM "${t}"`,
          );
          const lo = Number(r.lo);
          const hi = Number(r.hi);
          const edges =
            binning === 'width'
              ? qs.map((_, k) => lo + ((hi - lo) * (k + 1)) / b)
              : Array.from(r.q as ArrayLike<number>, Number);
          expect(groups).toEqual(binGroups(column, lo, hi, edges, column === 'nulls'));
          // Every row's group by the groups' own SQL against the engine's codes.
          const sql = groupCodeSql(
            column,
            info.columns.find((c) => c.name === column),
            groups,
          );
          const bySql = (await engine.query(`SELECT CAST(${sql} AS INTEGER) AS g FROM "${t}" ORDER BY rowid`)).map(
            (x) => Number(x.g),
          );
          expect(Array.from(codes)).toEqual(bySql);
        }
    await engine.close(info.id);
  });
});

describe('slice discovery prepared in the background', () => {
  it('prepareSlices encodes the default features: Find slices then reads nothing from DuckDB and finds the same', async () => {
    const statements: string[] = [];
    const counted = countingEngine(statements);
    const bytes = new Uint8Array(readFileSync(fixture('synth_noisy.csv')));
    const info = await counted.open({ name: 'synth_noisy.csv', bytes });
    const { roles } = await counted.roles(info.id);
    await counted.evaluate(info.id, { roles }, null);
    await counted.prepareSlices(info.id, roles);
    const before = statements.length;
    const found = await counted.findSlices(info.id, { roles }, {});
    expect(statements.slice(before)).toEqual([]);
    const fresh = newEngine();
    const other = await fresh.open({ name: 'synth_noisy.csv', bytes });
    const want = await fresh.findSlices(other.id, { roles: (await fresh.roles(other.id)).roles }, {});
    expect({ ...found, search_ms: 0 }).toEqual({ ...want, search_ms: 0 });
    expect(found.slices.length).toBeGreaterThan(0);
  });
});

describe('many features', () => {
  it('slice discovery over more features than the evaluator caches (30) finds what an exhaustive count says', async () => {
    const engine = newEngine();
    let s = 3;
    const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const names = Array.from({ length: 30 }, (_, j) => `x${j}`);
    const lines = [[...names, 'label', 'pred'].join(',')];
    for (let r = 0; r < 2000; r++) {
      const x = names.map((_, j) => (j % 2 ? Math.floor(rand() * 3) : Math.round(rand() * 1000) / 10));
      const wrong = x[1] === 2 ? rand() < 0.6 : rand() < 0.1;
      const label = rand() < 0.5 ? 1 : 0;
      lines.push([...x, label, wrong ? 1 - label : label].join(','));
    }
    const info = await engine.open({ name: 'wide.csv', bytes: new TextEncoder().encode(lines.join('\n')) });
    const { roles } = await engine.roles(info.id);
    expect(roles.features).toHaveLength(30);
    const found = await engine.findSlices(info.id, { roles }, { maxLevel: 1, k: 3 });
    expect(found.params.features).toHaveLength(30);
    expect(found.slices[0].predicates).toEqual({ x1: '2' });
    const [n] = await engine.query(
      `SELECT count(*) AS size, count(*) FILTER (WHERE label <> pred) AS errors FROM "${info.id}" WHERE x1 = 2`,
    );
    expect([found.slices[0].size, found.slices[0].errors]).toEqual([n.size, n.errors]);
    // Then the error tree, as the app grows it: over the same features, some cached and some not
    // (making the rest once evicted the cached ones it meant to reuse, and the tree failed).
    const tree = await engine.errorTree(info.id, { roles }, { features: roles.features });
    expect(tree.size).toBe(2000);
    expect(tree.children.map((c) => c.name)).toEqual(['x1 = 2', 'x1 ≠ 2']);
    expect(tree.children[0].size).toBe(n.size);
  });
});

describe('dates and timestamps', () => {
  it('are binned by time (quantiles, or equal periods) for slice discovery and "slice by column"', async () => {
    const engine = newEngine();
    let s = 7;
    const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const day = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString();
    const lines = ['day,at,amount,label,pred'];
    for (let r = 0; r < 2000; r++) {
      const d = Math.floor(rand() * 1000);
      const label = rand() < 0.5 ? 1 : 0;
      // The model fails on the 200 days from 2021-01-01 (day 366).
      const wrong = d >= 366 && d < 566 ? rand() < 0.7 : rand() < 0.05;
      const at = `${day(d).slice(0, 10)} ${String(Math.floor(rand() * 24)).padStart(2, '0')}:30:00`;
      lines.push([day(d).slice(0, 10), at, (rand() * 100).toFixed(2), label, wrong ? 1 - label : label].join(','));
    }
    const info = await engine.open({ name: 'dated.csv', bytes: new TextEncoder().encode(lines.join('\n')) });
    expect(info.columns.find((c) => c.name === 'day')?.type).toBe('DATE');
    expect(info.columns.find((c) => c.name === 'at')?.type).toBe('TIMESTAMP');
    const { roles } = await engine.roles(info.id);
    const found = await engine.findSlices(info.id, { roles }, { maxLevel: 1, k: 3, features: ['day', 'amount'] });
    const top = found.slices[0];
    expect(Object.keys(top.predicates)).toEqual(['day']);
    expect(found.bins.day).toHaveLength(5);
    // The bins are DuckDB's quantile_disc edges; each slice counts what SQL counts.
    const [q] = await engine.query(
      `SELECT CAST(quantile_disc(day, [0.2, 0.4, 0.6, 0.8]) AS VARCHAR[]) AS q, CAST(min(day) AS VARCHAR) AS lo FROM "${info.id}"`,
    );
    const edges = Array.from(q.q as ArrayLike<string>);
    expect(found.bins.day[0]).toBe(`[${q.lo}, ${edges[0]})`);
    const [lo, hi] = top.predicates.day.slice(1, -1).split(', ');
    const [n] = await engine.query(
      `SELECT count(*) AS size, count(*) FILTER (WHERE label <> pred) AS errors FROM "${info.id}" WHERE day >= DATE '${lo}' AND day < DATE '${hi}'`,
    );
    expect([top.size, top.errors]).toEqual([Number(n.size), Number(n.errors)]);
    expect(lo <= '2021-04-01' && hi > '2021-04-01').toBe(true);
    // "Slice by column": every row in one group.
    for (const column of ['day', 'at']) {
      const groups = await engine.groups(info.id, column, 4);
      expect(groups).toHaveLength(4);
      const [c] = await engine.query(
        `SELECT ${groups.map((g, i) => `count(*) FILTER (WHERE ${toSql(g.where, [column])}) AS g${i}`).join(', ')} FROM "${info.id}"`,
      );
      expect(
        groups.reduce((a, _, i) => a + Number(c[`g${i}`]), 0),
        column,
      ).toBe(2000);
    }
    // Equal periods of a timestamp column.
    const wide = await engine.findSlices(
      info.id,
      { roles },
      { maxLevel: 1, features: ['at'], bins: 4, binning: 'width' },
    );
    const cuts = wide.bins.at.map((l) => Date.parse(l.slice(1, -1).split(', ')[0].replace(' ', 'T') + 'Z'));
    const step = cuts[1] - cuts[0];
    expect(step).toBeGreaterThan(200 * 86_400_000);
    for (let i = 2; i < cuts.length; i++) expect(Math.abs(cuts[i] - cuts[i - 1] - step)).toBeLessThanOrEqual(1000);
  });
});
