// Slice discovery benchmark: 1M rows × 10 categorical features of 5 values, max level 3.
// SliceLine in Node (the engine as `loupe slices` runs it) and in Chromium (the app), next to an
// exhaustive search over the same bitsets (every conjunction, no pruning). Prints the figures and
// writes bench/results/slices-<date>.json.   npm run bench:slices
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { preview } from 'vite';
import { chromium } from 'playwright-core';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { DataEngine } from '../src/engine/DataEngine';
import { nodePlatform } from '../src/engine/nodePlatform';
import { mulberry32 } from '../src/core/metrics/bootstrap';
import { compareSlices, sliceScore, type EncodedFeature, type SliceStats } from '../src/core/slices/sliceline';

const ROWS = 1_000_000;
const FEATURES = 10;
if (!existsSync('dist/index.html')) throw new Error('run `npm run build` first');
mkdirSync('bench/data', { recursive: true });
const file = 'bench/data/slices-1000000.parquet';
const rand = mulberry32(7);
const values = ['a', 'b', 'c', 'd', 'e'];
const cols: Record<string, unknown[] | Int32Array> = { id: Int32Array.from({ length: ROWS }, (_, i) => i) };
const codes = Array.from({ length: FEATURES }, () => Int32Array.from({ length: ROWS }, () => Math.floor(rand() * 5)));
codes.forEach((c, f) => (cols[`f${f}`] = Array.from(c, (v) => values[v])));
// The model errs 12% of the time, 40% where f1 = b and f4 = d.
const label = new Array<string>(ROWS);
const pred = new Array<string>(ROWS);
const errors = new Float64Array(ROWS);
for (let i = 0; i < ROWS; i++) {
  const y = rand() < 0.5 ? 'yes' : 'no';
  const wrong = rand() < (codes[1][i] === 1 && codes[4][i] === 3 ? 0.4 : 0.12);
  label[i] = y;
  pred[i] = wrong ? (y === 'yes' ? 'no' : 'yes') : y;
  errors[i] = wrong ? 1 : 0;
}
cols.label = label;
cols.pred = pred;
if (!existsSync(file))
  writeFileSync(file, writeParquet(WasmTable.fromIPCStream(tableToIPC(tableFromArrays(cols as never), 'stream'))));
const params = { k: 10, maxLevel: 3, alpha: 0.95, minSupport: Math.ceil(ROWS / 100) };
const result: Record<string, unknown> = {
  date: new Date().toISOString(),
  rows: ROWS,
  features: FEATURES,
  values: 5,
  params,
  machine: { cores: os.cpus().length },
};

// Node: the engine, as `loupe slices` runs it.
const engine = new DataEngine(nodePlatform());
const { readFileSync } = await import('node:fs');
const info = await engine.open({ name: 'slices.parquet', bytes: new Uint8Array(readFileSync(file)) });
const { roles } = await engine.roles(info.id);
const rss0 = process.memoryUsage().rss;
let peak = rss0;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
let t = performance.now();
const report = await engine.findSlices(
  info.id,
  { roles },
  { features: codes.map((_, f) => `f${f}`), k: params.k, maxLevel: params.maxLevel, minSupport: params.minSupport },
);
result.node = {
  totalMs: performance.now() - t,
  searchMs: report.search_ms,
  evaluated: report.evaluated,
  levels: report.levels,
  peakExtraMB: (peak - rss0) / 2 ** 20,
  top: report.slices.slice(0, 3).map((s) => ({ predicates: s.predicates, score: s.score, p_adjusted: s.p_adjusted })),
};
clearInterval(timer);

// Exhaustive: every conjunction of up to 3 predicates on distinct features, on the same bitsets.
const features: EncodedFeature[] = codes.map((c, f) => ({ name: `f${f}`, labels: values, codes: c }));
t = performance.now();
const words = (ROWS + 31) >>> 5;
const bit = features.map((f) =>
  f.labels.map((_, v) => {
    const b = new Uint32Array(words);
    for (let i = 0; i < ROWS; i++) if (f.codes[i] === v) b[i >>> 5] |= 1 << (i & 31);
    return b;
  }),
);
const eb = new Uint32Array(words);
for (let i = 0; i < ROWS; i++) if (errors[i]) eb[i >>> 5] |= 1 << (i & 31);
const avg = errors.reduce((a, x) => a + x, 0) / ROWS;
const pop = (x: number) => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};
const found: SliceStats[] = [];
let count = 0;
const walk = (from: number, preds: [number, number][], acc: Uint32Array | null) => {
  for (let f = from; f < FEATURES; f++)
    for (let v = 0; v < 5; v++) {
      const b = bit[f][v];
      const cur = new Uint32Array(words);
      let size = 0;
      let errs = 0;
      for (let w = 0; w < words; w++) {
        const x = acc ? acc[w] & b[w] : b[w];
        cur[w] = x;
        if (x) ((size += pop(x)), (errs += pop(x & eb[w])));
      }
      count++;
      const p2: [number, number][] = [...preds, [f, v]];
      const score = sliceScore(size, errs, ROWS, avg, params.alpha);
      if (size >= params.minSupport && errs > 0 && score > 0)
        found.push({ predicates: p2, size, errors: errs, squares: errs, score });
      if (p2.length < params.maxLevel) walk(f + 1, p2, cur);
    }
};
walk(0, [], null);
found.sort(compareSlices);
result.exhaustive = {
  ms: performance.now() - t,
  evaluated: count,
  sameTop:
    JSON.stringify(
      found.slice(0, params.k).map((s) => Object.fromEntries(s.predicates.map(([f, v]) => [`f${f}`, values[v]]))),
    ) === JSON.stringify(report.slices.map((s) => s.predicates)),
};

// Chromium: the app, from the click on "Find slices" to the results drawn.
copyFileSync(file, 'dist/bench-slices.parquet');
const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(`${server.resolvedUrls.local[0]}?data=bench-slices.parquet&view=slices`);
await page.getByTestId('find-slices').waitFor({ timeout: 300000 });
await page.locator('[aria-label="Saved slices"]').waitFor({ timeout: 300000 });
// (A string: tsx would wrap a function with helpers the page does not have.)
result.chromiumMs = await page.evaluate(`(async () => {
  const t0 = performance.now();
  document.querySelector('[data-testid=find-slices]').click();
  await new Promise((done) => {
    const check = () => (document.querySelector('[data-testid=found-slices]') ? done() : requestAnimationFrame(check));
    requestAnimationFrame(check);
  });
  return performance.now() - t0;
})()`);
await browser.close();
await server.close();
rmSync('dist/bench-slices.parquet');

const node = result.node as { totalMs: number; searchMs: number; evaluated: number; peakExtraMB: number };
const ex = result.exhaustive as { ms: number; evaluated: number; sameTop: boolean };
console.log(
  `\nSlice discovery, ${ROWS.toLocaleString()} rows × ${FEATURES} features of 5 values, max level 3, ${os.cpus().length} cores`,
);
console.log(
  `SliceLine in Node: ${Math.round(node.totalMs)} ms (search ${Math.round(node.searchMs)} ms, ${node.evaluated} slices evaluated, +${Math.round(node.peakExtraMB)} MB peak)   goal ≤ 10000`,
);
console.log(
  `SliceLine in Chromium (click → results table): ${Math.round(result.chromiumMs as number)} ms   goal ≤ 10000`,
);
console.log(
  `exhaustive search on the same bitsets: ${Math.round(ex.ms)} ms, ${ex.evaluated} slices; same top-${params.k}: ${ex.sameTop}`,
);
mkdirSync('bench/results', { recursive: true });
const out = `bench/results/slices-${String(result.date).slice(0, 10)}.json`;
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`written to ${out}`);
process.exit(0);
