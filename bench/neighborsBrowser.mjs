// The map and the data issues in Chromium, through the real app: a generated table of N rows with an
// embedding of D columns (emb_0…, Gaussian clusters), a label and a model's outputs is opened from the file input; then
// the Map tab until the PCA map is drawn, UMAP (up to 100,000 rows) until it is drawn, and the Review
// tab's near-duplicate queue until its first item (exact neighbours while n² × D ≤ 1e11, else the
// approximate NN-descent graph, whose recall the page shows). Prints and writes bench/results/neighbors-browser-<date>.json.
//   npm run build && node bench/neighborsBrowser.mjs
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { preview } from 'vite';
import { chromium } from 'playwright-core';

const SIZES = [
  [10_000, 64],
  [10_000, 512],
  [100_000, 64],
];
if (!existsSync('dist/index.html')) throw new Error('run `npm run build` first');
mkdirSync('bench/data', { recursive: true });

function csv(n, d) {
  let s = 7;
  const rand = () => ((s = (s * 16807) % 2147483647), s / 2147483647);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: 20 }, () => Array.from({ length: d }, () => 4 * gauss()));
  // A model's outputs too (the review queues show them): right with p = 0.6, the rest spread evenly.
  const probs = (c) => Array.from({ length: 20 }, (_, j) => (j === c ? 0.6 : 0.4 / 19).toPrecision(6));
  const lines = [
    [
      'id',
      'label',
      'pred',
      ...Array.from({ length: 20 }, (_, j) => `prob_c${j}`),
      ...Array.from({ length: d }, (_, t) => `emb_${t}`),
    ].join(','),
  ];
  for (let i = 0; i < n; i++)
    lines.push(
      [
        i,
        `c${i % 20}`,
        `c${i % 20}`,
        ...probs(i % 20),
        ...centres[i % 20].map((c) => (c + gauss()).toPrecision(6)),
      ].join(','),
    );
  const file = `bench/data/embedding-${n}x${d}.csv`;
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
const base = server.resolvedUrls.local[0];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const results = [];
for (const [n, d] of SIZES) {
  const file = csv(n, d);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(base);
  await page.waitForFunction(() => performance.getEntriesByName('loupe:engine-ready').length, undefined, {
    timeout: 60000,
  });
  await page.locator('[data-testid=file-input]').setInputFiles(file);
  await page.locator('[data-testid=timings]').waitFor({ timeout: 600000 });
  const row = { rows: n, dims: d };
  let t = Date.now();
  await page.locator('button.tab', { hasText: 'Map' }).click();
  await page.getByTestId('map-source').waitFor({ timeout: 600000 });
  row.map_pca_ms = Date.now() - t;
  if (n <= 100_000) {
    // UMAP_MAX_ROWS (src/core/options.ts)
    t = Date.now();
    await page.getByTestId('map-method').selectOption('umap');
    await page.waitForFunction(
      () => /^UMAP/.test(document.querySelector('[data-testid=map-source]')?.textContent ?? ''),
      null,
      { timeout: 1_800_000, polling: 500 },
    );
    row.map_umap_ms = Date.now() - t;
  }
  await page.locator('button.tab', { hasText: 'Review' }).click();
  await page.getByLabel('Reviewer name').fill('bench');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  t = Date.now();
  await page.getByTestId('queue-source').selectOption('near_duplicate');
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid=search-note]') &&
      (document.querySelector('[data-testid=review-item]') || /No near duplicates/.test(document.body.textContent)),
    null,
    { timeout: 3_600_000, polling: 500 },
  );
  row.near_duplicates_ms = Date.now() - t;
  row.search = await page.getByTestId('search-note').innerText();
  await page.close();
  results.push(row);
  const s = (ms) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
  console.log(
    `${n.toLocaleString('en-US')} × ${d}: map (PCA) ${s(row.map_pca_ms)}, UMAP ${s(row.map_umap_ms)}, near-duplicate queue ${s(row.near_duplicates_ms)} — ${row.search}`,
  );
}
await browser.close();
await server.close();
const out = `bench/results/neighbors-browser-${new Date().toISOString().slice(0, 10)}.json`;
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, memoryGB: Math.round(os.totalmem() / 2 ** 30) },
      browser: 'Chromium (Debian), headless',
      results,
    },
    null,
    2,
  ) + '\n',
);
console.log(`written to ${out}`);
