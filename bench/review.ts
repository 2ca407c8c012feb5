// Review benchmark: confident learning over 1M rows × 10 classes in Chromium (from "Start
// reviewing" to the first item), the next item after a key (median), and a decision durably
// stored in IndexedDB (median). Prints the figures and writes bench/results/review-<date>.json.
//   npm run bench:review
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { preview } from 'vite';
import { chromium } from 'playwright-core';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { mulberry32 } from '../src/core/metrics/bootstrap';

const ROWS = 1_000_000;
const K = 10;
if (!existsSync('dist/index.html')) throw new Error('run `npm run build` first');
mkdirSync('bench/data', { recursive: true });
const file = 'bench/data/review-1000000.parquet';
if (!existsSync(file)) {
  const rand = mulberry32(3);
  const cols: Record<string, unknown> = { id: Int32Array.from({ length: ROWS }, (_, i) => i) };
  const label = new Array<string>(ROWS);
  const probs = Array.from({ length: K }, () => new Float64Array(ROWS));
  for (let i = 0; i < ROWS; i++) {
    const t = Math.floor(rand() * K);
    label[i] = `c${rand() < 0.1 ? Math.floor(rand() * K) : t}`;
    let s = 0;
    for (let c = 0; c < K; c++) s += probs[c][i] = Math.exp((c === t ? 2 : 0) + rand() * 1.5);
    for (let c = 0; c < K; c++) probs[c][i] /= s;
  }
  cols.label = label;
  probs.forEach((p, c) => (cols[`prob_c${c}`] = p));
  writeFileSync(file, writeParquet(WasmTable.fromIPCStream(tableToIPC(tableFromArrays(cols as never), 'stream'))));
}
copyFileSync(file, 'dist/bench-review.parquet');
const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(`${server.resolvedUrls.local[0]}?data=bench-review.parquet&view=review`);
await page.getByLabel('Reviewer name').waitFor({ timeout: 300000 });
await page.getByLabel('Reviewer name').fill('bench');
// (Strings: tsx would wrap functions with helpers the page does not have.)
await page.waitForFunction(`document.querySelector('.datasets li') !== null`, undefined, { timeout: 300000 });
const firstItemMs = await page.evaluate(`(async () => {
  const t0 = performance.now();
  [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Start reviewing').click();
  await new Promise((done) => { const check = () => (document.querySelector('[data-testid=review-item]') ? done() : requestAnimationFrame(check)); requestAnimationFrame(check); });
  return performance.now() - t0;
})()`);
const keys = ['a', 'f', 's', 'a', '2', 'a', 'f', 's', 'a', '3', 'a', 'a', 's', 'f', 'a', '1', 'a', 's', 'a', 'a'];
const next: number[] = [];
const store: number[] = [];
for (const key of keys) {
  const [ms, stored] = (await page.evaluate(`(async () => {
    const item = () => document.querySelector('[data-testid=review-item]');
    const before = item().getAttribute('data-row');
    const t0 = performance.now();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: '${key}', bubbles: true }));
    await new Promise((done) => { const check = () => (item().getAttribute('data-row') !== before ? done() : requestAnimationFrame(check)); requestAnimationFrame(check); });
    return [performance.now() - t0, performance.getEntriesByName('loupe:store-decision').at(-1)?.duration];
  })()`)) as [number, number];
  next.push(ms);
  store.push(stored);
  await page.waitForTimeout(50); // a reviewer's pace: the next item has been prefetched
}
await browser.close();
await server.close();
rmSync('dist/bench-review.parquet');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = {
  date: new Date().toISOString(),
  rows: ROWS,
  classes: K,
  machine: { cores: os.cpus().length },
  firstItemMs,
  nextItemMs: next,
  nextItemMedianMs: median(next),
  storeMs: store,
  storeMedianMs: median(store),
};
console.log(`\nReview, ${ROWS.toLocaleString()} rows × ${K} classes, ${os.cpus().length} cores, Chromium headless`);
console.log(`confident learning + first item shown: ${Math.round(firstItemMs)} ms   (goal: confident learning ≤ 3000)`);
console.log(`next item after a key, median of ${next.length}: ${median(next).toFixed(1)} ms   (goal ≤ 50)`);
console.log(`decision stored in IndexedDB, median: ${median(store).toFixed(1)} ms   (goal ≤ 20)`);
mkdirSync('bench/results', { recursive: true });
const out = `bench/results/review-${result.date.slice(0, 10)}.json`;
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`written to ${out}`);
process.exit(0);
