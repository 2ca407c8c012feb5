/**
 * `loupe datalab` and the engine's data issues, on both engines, against cleanlab 2.9's Datalab
 * issue managers (tests/fixtures/expected/datalab.json, scripts/make_datalab_goldens.py).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loupe } from './cli';
import { fixture, newEngine } from './engine';

const golden = JSON.parse(readFileSync(new URL('../fixtures/expected/datalab.json', import.meta.url), 'utf8')) as {
  datasets: {
    file: string;
    k: number;
    metric: string;
    near_duplicate: { sets: number[][]; is_issue: number[]; scores: number[] };
    outlier: { is_issue: number[]; scores: number[] };
    class_imbalance?: { rarest: string; is_issue: number[] };
  }[];
};
const path = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const flagged = (isIssue: number[]) => [...isIssue.keys()].filter((i) => isIssue[i]);

interface Out {
  rows: number;
  space: { source: string; columns: string[]; dims: number; metric: string; k: number };
  issues: Record<
    string,
    { ids: string[]; sets?: string[][]; class?: string | null; scores: { id: string; score: number }[] }
  >;
}

describe('loupe datalab equals cleanlab Datalab', () => {
  for (const g of golden.datasets.filter((d) => !d.file.includes(' '))) {
    it(`${g.file} k=${g.k}`, async () => {
      const r = await loupe(['datalab', path(g.file), '--json', '--k', String(g.k)]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.out) as Out;
      // Ids: the id column (r000 …, or numbers equal to the row in iris, wine; s0000 … in synth_noisy).
      const ids = (readFileSync(path(g.file), 'utf8').trim().split('\n').slice(1) as string[]).map(
        (l) => l.split(',')[0],
      );
      expect(out.space.metric).toBe(g.metric);
      const nd = out.issues.near_duplicate;
      expect(new Set(nd.ids)).toEqual(new Set(flagged(g.near_duplicate.is_issue).map((i) => ids[i])));
      expect(nd.sets).toEqual(
        g.near_duplicate.sets.flatMap((s, i) => (s.length ? [[ids[i], ...s.map((j) => ids[j])]] : [])),
      );
      const ndScore = new Map(nd.scores.map((s) => [s.id, s.score]));
      g.near_duplicate.scores.forEach((s, i) => expect(Math.abs(ndScore.get(ids[i])! - s)).toBeLessThan(1e-9));
      // Most severe first.
      for (let i = 1; i < nd.scores.length; i++)
        expect(nd.scores[i].score).toBeGreaterThanOrEqual(nd.scores[i - 1].score);
      const ol = out.issues.outlier;
      expect(new Set(ol.ids)).toEqual(new Set(flagged(g.outlier.is_issue).map((i) => ids[i])));
      const olScore = new Map(ol.scores.map((s) => [s.id, s.score]));
      g.outlier.scores.forEach((s, i) => expect(Math.abs(olScore.get(ids[i])! - s)).toBeLessThan(1e-9));
      const ci = out.issues.class_imbalance;
      expect(ci.class).toBe(g.class_imbalance!.rarest === 'NA' ? null : g.class_imbalance!.rarest);
      expect(ci.ids).toEqual(flagged(g.class_imbalance!.is_issue).map((i) => ids[i]));
    });
  }

  it('a list column embedding gives what its columns give; --issues and --embedding choose', async () => {
    const list = JSON.parse((await loupe(['datalab', path('embeddings.jsonl'), '--json'])).out) as Out;
    const cols = JSON.parse((await loupe(['datalab', path('embeddings.csv'), '--json'])).out) as Out;
    expect(list.space).toMatchObject({ source: 'embedding', columns: ['embedding'], dims: 8 });
    expect(cols.space).toMatchObject({ source: 'embedding', dims: 8 });
    // 13 identical rows are one point: 12 fewer points than rows, and no warning about it.
    const rows = (await loupe(['datalab', path('embeddings.csv'), '--json'])).out;
    expect((cols.space as unknown as { distinct: number }).distinct).toBeLessThanOrEqual(JSON.parse(rows).rows - 12);
    expect((await loupe(['datalab', path('embeddings.csv')])).out).not.toMatch(/^note:/m);
    expect(list.issues.near_duplicate.sets).toEqual(cols.issues.near_duplicate.sets);
    expect(list.issues.outlier.ids).toEqual(cols.issues.outlier.ids);
    // The rows planted in the generator: 13 identical rows, two labelled pairs, four far-off rows.
    expect(cols.issues.near_duplicate.ids).toEqual(expect.arrayContaining(['r009', 'r021', 'r040', 'r041', 'r060']));
    expect(cols.issues.outlier.ids).toEqual(expect.arrayContaining(['r200', 'r201', 'r202', 'r203']));

    const only = JSON.parse(
      (await loupe(['datalab', path('embeddings.csv'), '--json', '--issues', 'outlier', '--metric', 'euclidean'])).out,
    ) as Out;
    expect(Object.keys(only.issues)).toEqual(['outlier']);
    expect(only.space.metric).toBe('euclidean');
    const named = JSON.parse(
      (await loupe(['datalab', path('embeddings.jsonl'), '--json', '--embedding', 'embedding', '--issues', 'outlier']))
        .out,
    ) as Out;
    expect(named.issues.outlier.ids).toEqual(cols.issues.outlier.ids);
  });

  it('--search approximate: NN-descent, its recall said; auto is exact at this size', async () => {
    const approx = JSON.parse(
      (await loupe(['datalab', path('synth_noisy.csv'), '--json', '--search', 'approximate', '--issues', 'outlier']))
        .out,
    ) as Out & { space: { search: { method: string; rounds: number; recall: number } } };
    expect(approx.space.search.method).toBe('approximate');
    expect(approx.space.search.rounds).toBeGreaterThan(0);
    expect(approx.space.search.recall).toBeGreaterThan(0.9);
    const text = (await loupe(['datalab', path('synth_noisy.csv'), '--search', 'approximate', '--issues', 'outlier']))
      .out;
    expect(text).toMatch(/approximate \(NN-descent, \d+ rounds; recall of the exact neighbours \d+\.\d% on 100 rows\)/);
    const auto = JSON.parse((await loupe(['datalab', path('synth_noisy.csv'), '--json', '--issues', 'outlier'])).out);
    expect(auto.space.search).toEqual({ method: 'exact' });
  });

  it('on a regression task no label "conflicts": every two rows have different values', async () => {
    const r = JSON.parse((await loupe(['datalab', path('diabetes.csv'), '--json', '--issues', 'near_duplicate'])).out);
    expect(r.issues.near_duplicate.conflicting_labels).toBeNull();
    const text = (await loupe(['datalab', path('diabetes.csv'), '--issues', 'near_duplicate'])).out;
    expect(text).not.toMatch(/labelled differently/);
    const classes = JSON.parse(
      (await loupe(['datalab', path('iris.csv'), '--json', '--issues', 'near_duplicate'])).out,
    );
    expect(Array.isArray(classes.issues.near_duplicate.conflicting_labels)).toBe(true);
  });

  it('bad usage and bad input exit 2 with a message', async () => {
    const cases: [string[], RegExp][] = [
      [['datalab'], /missing the data file/],
      [['datalab', path('embeddings.csv'), '--issues', 'dupes'], /--issues: unknown check "dupes"/],
      [['datalab', path('embeddings.csv'), '--k', '0'], /--k "0": expected a whole number/],
      [['datalab', path('embeddings.csv'), '--metric', 'manhattan'], /--metric must be euclidean or cosine/],
      [
        ['datalab', path('embeddings.csv'), '--search', 'fast'],
        /--search must be auto, exact, approximate, not "fast"/,
      ],
      [['datalab', path('embeddings.csv'), '--embedding', 'nope_'], /--embedding "nope_": no list column/],
      [['datalab', path('embeddings.csv'), '--issues', 'label'], /probabilit/],
      [['datalab', path('embeddings.csv'), '--k', '300'], /need more than 300 rows; there are 300/],
      [['datalab', path('no-such.csv')], /no such file/],
    ];
    for (const [args, msg] of cases) {
      const r = await loupe(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(msg);
    }
  });

  it('the engine reports progress and can be cancelled', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'synth_noisy.csv', bytes: fixture('synth_noisy.csv') });
    const { roles } = await engine.roles(info.id);
    const seen: number[] = [];
    const r = await engine.dataIssues(info.id, { roles }, { issues: ['outlier'] }, (done) => seen.push(done));
    expect(seen.at(-1)).toBe(3000);
    expect(r.outlier!.flagged.length).toBeGreaterThan(0);
    const run = engine.dataIssues(info.id, { roles }, { issues: ['outlier'] }, () => engine.cancelDataIssues());
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('the map projection', () => {
  it('PCA of the embedding; UMAP seeded (the same twice), with progress, cancellable, refused past its limit', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'embeddings.csv', bytes: fixture('embeddings.csv') });
    const { roles } = await engine.roles(info.id);
    const p = await engine.projection(info.id, { roles });
    expect(p).toMatchObject({ rows: 300, method: 'pca', source: 'embedding', dims: 8 });
    expect(p.explained[0]).toBeGreaterThan(p.explained[1]);
    const stages = new Set<string>();
    const u = await engine.projection(info.id, { roles }, 'umap', (_, stage) => stages.add(stage));
    expect(u).toMatchObject({ rows: 300, method: 'umap' });
    expect(u.xy.every(Number.isFinite)).toBe(true);
    expect([...stages]).toEqual(['nearest neighbours', 'layout']);
    // A fresh engine lays it out the same way.
    const again = newEngine();
    const info2 = await again.open({ name: 'embeddings.csv', bytes: fixture('embeddings.csv') });
    expect(Array.from((await again.projection(info2.id, { roles }, 'umap')).xy)).toEqual(Array.from(u.xy));
    // The features instead of the embedding: a new projection; cancelled, it rejects.
    const features = {
      ...roles,
      embedding: null,
      features: roles.embedding!.kind === 'columns' ? roles.embedding!.columns : [],
    };
    const run = again.projection(info2.id, { roles: features }, 'umap', () => again.cancelProjection());
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    // Past 100,000 rows UMAP is refused with the reason (PCA maps them).
    const big = newEngine();
    const lines = ['a,b,label', ...Array.from({ length: 100_001 }, (_, i) => `${i % 97},${i % 89},${i % 2}`)];
    const many = await big.open({ name: 'many.csv', bytes: new TextEncoder().encode(lines.join('\n')) });
    const r = await big.roles(many.id);
    await expect(big.projection(many.id, { roles: r.roles }, 'umap')).rejects.toThrow(
      /UMAP is offered up to 100,000 rows/,
    );
    expect((await big.projection(many.id, { roles: r.roles })).rows).toBe(100_001);
  }, 120_000);
});

describe('near duplicates on a handful of values', () => {
  it('warns that rows with exact twins in the space make near duplicates say little', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-'));
    const file = join(dir, 'stars.csv');
    const lines = ['stars,label,pred'];
    for (let i = 0; i < 300; i++) lines.push(`${1 + (i % 5)},${i % 2 ? 'pos' : 'neg'},${i % 3 ? 'pos' : 'neg'}`);
    writeFileSync(file, lines.join('\n'));
    const r = await loupe(['datalab', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^note: The 300 rows are only 5 distinct points of the numeric features \(stars\)/m);
    const json = JSON.parse((await loupe(['datalab', file, '--json'])).out);
    expect(json.space.distinct).toBe(5);
  });
});
