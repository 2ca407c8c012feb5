// Load benchmark: 1M rows as CSV and Parquet through the real app in Chromium (file input → data
// worker → DuckDB-wasm, until the dataset is queryable, then profiled), next to native DuckDB in
// Node (@duckdb/node-api) as the ceiling. Prints a table and writes bench/results/load-<date>.json.
//   npm run bench [-- --rows 1000000]
import { statSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { preview } from 'vite';
import { chromium } from 'playwright-core';
import { DuckDBInstance } from '@duckdb/node-api';
import { generate } from './generate.mjs';

const argRows = process.argv.indexOf('--rows');
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 1_000_000;
const REPEAT = 3;
const argOnly = process.argv.indexOf('--only');
const ONLY = argOnly > 0 ? process.argv[argOnly + 1] : null; // e.g. --only parquet
if (!existsSync('dist/index.html')) throw new Error('run `npm run build` first');

console.log(`generating ${ROWS.toLocaleString()} rows…`);
const files = await generate(ROWS);
const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
const base = server.resolvedUrls.local[0];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--enable-precise-memory-info',
  ],
});

async function inBrowser(path) {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(base);
  await page.locator('[data-testid=file-input]').waitFor({ state: 'attached' });
  // The engine starts (instantiates DuckDB, warms up) while the user picks a file; time from the pick.
  const startupMs = await (
    await page.waitForFunction(() => performance.getEntriesByName('loupe:engine-ready')[0]?.detail, undefined, {
      timeout: 60000,
    })
  ).jsonValue();
  let peakMainHeap = 0;
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const { metrics } = await cdp.send('Performance.getMetrics');
      peakMainHeap = Math.max(peakMainHeap, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const t0 = Date.now();
  await page.locator('[data-testid=file-input]').setInputFiles(fileURLToPath(path));
  await page.locator('[data-testid=timings]').waitFor({ timeout: 300000 });
  const wallMs = Date.now() - t0;
  polling = false;
  await poll;
  const t = page.locator('[data-testid=timings]');
  const loadMs = Number(await t.getAttribute('data-load-ms'));
  const profileMs = Number(await t.getAttribute('data-profile-ms'));
  const rows = Number((await page.locator('[data-testid=summary-rows]').textContent()).replaceAll(',', ''));
  // Whole-page memory, workers and wasm heaps included (needs cross-origin isolation, which preview sets).
  const totalBytes = await page
    .evaluate(async () =>
      self.crossOriginIsolated && performance.measureUserAgentSpecificMemory
        ? (await performance.measureUserAgentSpecificMemory()).bytes
        : null,
    )
    .catch(() => null);
  await page.close();
  if (rows !== ROWS) throw new Error(`loaded ${rows} rows, expected ${ROWS}`);
  return {
    startupMs,
    loadMs,
    profileMs,
    wallMs,
    peakMainHeapMB: peakMainHeap / 2 ** 20,
    totalMemoryMB: totalBytes == null ? null : totalBytes / 2 ** 20,
  };
}

async function native(path, format) {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const t0 = performance.now();
  const fn = format === 'csv' ? 'read_csv' : 'read_parquet';
  await c.run(`CREATE TABLE t AS SELECT * FROM ${fn}('${fileURLToPath(path).replaceAll("'", "''")}')`);
  const ms = performance.now() - t0;
  c.closeSync?.();
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
const inputs = [
  ['parquet (snappy)', 'parquet', files.parquet],
  ['parquet (zstd)', 'parquet', files.parquetZstd],
  ['csv', 'csv', files.csv],
];
for (const [label, format, path] of inputs.filter(([, f]) => !ONLY || f === ONLY)) {
  const runs = [];
  for (let i = 0; i < REPEAT; i++) runs.push(await inBrowser(path));
  const nativeMs = median(
    await Promise.all([0, 1, 2].map(() => native(path, format))).catch(async () => [await native(path, format)]),
  );
  const loadMs = median(runs.map((r) => r.loadMs));
  results.push({
    file: label,
    format,
    rows: ROWS,
    fileMB: statSync(path).size / 2 ** 20,
    loadMs,
    profileMs: median(runs.map((r) => r.profileMs)),
    wallMs: median(runs.map((r) => r.wallMs)),
    rowsPerSecond: ROWS / (loadMs / 1000),
    peakMainHeapMB: Math.max(...runs.map((r) => r.peakMainHeapMB)),
    totalMemoryMB: runs.at(-1).totalMemoryMB,
    nativeMs,
    ratioToNative: loadMs / nativeMs,
    runs,
  });
}
await browser.close();
await server.close();

const f = (n, d = 0) =>
  n == null ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`\nLoad ${f(ROWS)} rows (median of ${REPEAT}), ${os.cpus().length} cores, Chromium headless`);
console.log(
  'file              file MB   ready (ms)   rows/s      profile (ms)  wall (ms)  main heap MB  page memory MB  native (ms)  × native',
);
for (const r of results) {
  console.log(
    [
      r.file.padEnd(16),
      f(r.fileMB, 1).padStart(8),
      f(r.loadMs).padStart(11),
      f(r.rowsPerSecond).padStart(11),
      f(r.profileMs).padStart(13),
      f(r.wallMs).padStart(10),
      f(r.peakMainHeapMB, 1).padStart(13),
      f(r.totalMemoryMB, 0).padStart(15),
      f(r.nativeMs).padStart(12),
      f(r.ratioToNative, 1).padStart(9),
    ].join(' '),
  );
}
for (const pq of results.filter((r) => r.format === 'parquet')) {
  console.log(
    `Goal: 1M rows of Parquet ready to query in ≤ 3000 ms → ${pq.file}: ${f(pq.loadMs)} ms ${pq.loadMs <= 3000 ? '(met)' : '(NOT met)'}`,
  );
}
mkdirSync('bench/results', { recursive: true });
const out = `bench/results/load-${new Date().toISOString().slice(0, 10)}.json`;
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { cores: os.cpus().length, memoryGB: os.totalmem() / 2 ** 30 },
      results,
    },
    null,
    2,
  ),
);
console.log(`saved ${out}`);
