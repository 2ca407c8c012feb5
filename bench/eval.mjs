// Evaluation benchmark on the 1M-row synthetic dataset (5 classes), through the real app in
// Chromium: overall metrics after load, switching the active slice, slicing by a 50-value column,
// bootstrap intervals (with the main thread's longest frame meanwhile); then `loupe eval` in Node
// against scikit-learn on the same CSV. Prints the figures and writes bench/results/eval-<date>.json.
//   npm run bench:eval [-- --rows 1000000]
import { copyFileSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { preview } from 'vite';
import { chromium } from 'playwright-core';
import { generate } from './generate.mjs';

const argRows = process.argv.indexOf('--rows');
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 1_000_000;
if (!existsSync('dist/index.html')) throw new Error('run `npm run build` first');
console.log(`generating ${ROWS.toLocaleString()} rows…`);
const files = await generate(ROWS);
// Served with the app, so that one link opens it with its slices (as a shared link would).
copyFileSync(files.parquet, 'dist/bench-eval.parquet');
const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
const base = server.resolvedUrls.local[0];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--no-first-run'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = {
  date: new Date().toISOString(),
  rows: ROWS,
  machine: { cores: os.cpus().length, memoryGB: os.totalmem() / 2 ** 30 },
};

const slices = [
  ...['north', 'south', 'east', 'west'].map((v) => ({
    name: `g0 ${v}`,
    where: { kind: 'cond', column: 'g0', op: '=', value: v },
  })),
  ...['a', 'b', 'c', 'd', 'e', 'f'].map((v) => ({
    name: `g1 ${v}`,
    where: { kind: 'cond', column: 'g1', op: '=', value: v },
  })),
  { name: 'f1 > 50', where: { kind: 'cond', column: 'f1', op: '>', value: 50 } },
];
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(`${base}?data=bench-eval.parquet&view=evaluate&slices=${encodeURIComponent(JSON.stringify(slices))}`);
await page.locator('[data-testid=metrics]').waitFor({ timeout: 300000 });
await page.waitForFunction(() => performance.getEntriesByName('loupe:metrics-drawn').at(-1)?.startTime);
result.metricsAfterLoadMs = await page.evaluate(
  () =>
    performance.getEntriesByName('loupe:metrics-drawn').at(-1)?.startTime -
    performance.getEntriesByName('loupe:loaded').at(-1).startTime,
);

// Bootstrap intervals: time to finish from the metrics drawn (the app starts them once the user has
// settled for 1 s) and from their progress first shown, and the main thread's longest frame meanwhile.
result.bootstrap = await page.evaluate(async () => {
  const t0 = performance.now();
  let last = t0;
  let longest = 0;
  let started = null;
  await new Promise((done) => {
    const frame = (t) => {
      longest = Math.max(longest, t - last);
      last = t;
      if (started === null && document.querySelector('[data-testid=bootstrap-progress]')) started = t;
      if (document.querySelector('[data-testid=bootstrap-done]')) done();
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const end = performance.now();
  return { ms: end - t0, resamplingMs: started === null ? null : end - started, longestFrameMs: longest };
});

// Switching the active slice: from the change to the metrics of the new slice drawn.
result.sliceSwitchMs = [];
for (let round = 0; round < 2; round++) {
  for (const s of [...slices, null]) {
    const ms = await page.evaluate(
      async (where) => {
        const select = document.querySelector('[data-testid=slice-select]');
        const drawn = () => performance.getEntriesByName('loupe:metrics-drawn').at(-1)?.startTime;
        const before = drawn();
        const t0 = performance.now();
        select.value = where ?? '';
        select.dispatchEvent(new Event('change', { bubbles: true }));
        await new Promise((done) => {
          const check = () => (drawn() !== before ? done() : requestAnimationFrame(check));
          requestAnimationFrame(check);
        });
        return [drawn() - t0, performance.getEntriesByName('loupe:evaluate').at(-1).duration];
      },
      s ? JSON.stringify(s.where) : null,
    );
    result.sliceSwitchMs.push(ms[0]);
    (result.sliceSwitchEngineMs ??= []).push(ms[1]);
  }
}
result.sliceSwitchMedianMs = median(result.sliceSwitchMs);
// The first round computes each slice; the second finds them cached (the engine keeps recent results).
const firstRound = result.sliceSwitchMs.slice(0, slices.length + 1);
result.sliceSwitchFirstVisitMedianMs = median(firstRound);
result.sliceSwitchRevisitMedianMs = median(result.sliceSwitchMs.slice(slices.length + 1));
result.sliceSwitchEngineMedianMs = median(result.sliceSwitchEngineMs);
console.log(
  'slice switches (ms, total / engine):',
  result.sliceSwitchMs.map((x, i) => `${Math.round(x)}/${Math.round(result.sliceSwitchEngineMs[i])}`).join(' '),
);

// Slicing by a 50-value column: from the click to every group's metrics in the table (a fresh
// page without saved slices, whose intervals would otherwise be computing at the same time).
await page.goto(`${base}?data=bench-eval.parquet&view=slices`);
await page.getByTestId('slice-by').waitFor({ timeout: 300000 });
await page.locator('[aria-label="Saved slices"]').waitFor({ timeout: 300000 });
await page.getByTestId('slice-by').selectOption('g3');
result.sliceBy50Ms = await page.evaluate(async () => {
  const t0 = performance.now();
  [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Slice').click();
  await new Promise((done) => {
    const check = () => {
      const table = document.querySelector('table[aria-label^="Slices by"]');
      const rows = table ? [...table.querySelectorAll('tbody tr')] : [];
      if (rows.length >= 50 && rows.every((r) => !r.children[1].textContent.includes('…'))) done();
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
  return performance.now() - t0;
});
await browser.close();
await server.close();
rmSync('dist/bench-eval.parquet');

// Node: `loupe eval` against scikit-learn on the same CSV.
const csv = fileURLToPath(files.csv);
const time = (cmd, args) => {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { ms: performance.now() - t0, out: r.stdout };
};
result.cli = {
  noIntervalsMs: time(process.execPath, ['bin/loupe.mjs', 'eval', csv, '--json', '--bootstrap', '0']).ms,
  withIntervalsMs: time(process.execPath, ['bin/loupe.mjs', 'eval', csv, '--json']).ms,
};
const python = '/usr/bin/python3';
const hasSklearn = spawnSync(python, ['-c', 'import sklearn, pandas'], { encoding: 'utf8' }).status === 0;
if (hasSklearn) {
  const s = time(python, ['bench/sklearn_eval.py', csv]);
  result.sklearn = { ms: s.ms, ...JSON.parse(s.out) };
  result.cli.ratioToSklearn = result.cli.noIntervalsMs / s.ms;
  const ours = JSON.parse(
    execFileSync(process.execPath, ['bin/loupe.mjs', 'eval', csv, '--json', '--bootstrap', '0'], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }),
  ).overall;
  result.sklearnMaxAbsDifference = Math.max(
    ...Object.entries(result.sklearn.metrics).map(([k, v]) => Math.abs(v - ours[k])),
  );
} else result.sklearn = null;

const f = (n) => (n == null ? '–' : Math.round(n).toLocaleString('en-US'));
console.log(`\nEvaluation, ${ROWS.toLocaleString()} rows × 5 classes, ${os.cpus().length} cores, Chromium headless`);
console.log(`overall metrics, per class and confusion after load  ${f(result.metricsAfterLoadMs)} ms   (goal ≤ 1000)`);
console.log(
  `switching the active slice, median, first visit          ${f(result.sliceSwitchFirstVisitMedianMs)} ms   (goal ≤ 150); revisiting (cached) ${f(result.sliceSwitchRevisitMedianMs)} ms`,
);
console.log(`slicing by a 50-value column                          ${f(result.sliceBy50Ms)} ms   (goal ≤ 1000)`);
console.log(
  `bootstrap intervals (1000 resamples)                  ${f(result.bootstrap.ms)} ms from the metrics drawn, ${f(result.bootstrap.resamplingMs)} ms from its progress shown (goal ≤ 5000), longest main-thread frame ${f(result.bootstrap.longestFrameMs)} ms`,
);
console.log(
  `loupe eval (Node, CSV, no intervals)                  ${f(result.cli.noIntervalsMs)} ms; with intervals ${f(result.cli.withIntervalsMs)} ms`,
);
if (result.sklearn)
  console.log(
    `scikit-learn (pandas read + metrics)                  ${f(result.sklearn.ms)} ms (read ${f(result.sklearn.read_s * 1000)} ms, metrics ${f(result.sklearn.metrics_s * 1000)} ms) → loupe / sklearn = ${result.cli.ratioToSklearn.toFixed(2)}; largest difference ${result.sklearnMaxAbsDifference.toExponential(1)}`,
  );
else console.log('scikit-learn: not installed (apt-get install python3-sklearn python3-pandas)');
mkdirSync('bench/results', { recursive: true });
const out = `bench/results/eval-${result.date.slice(0, 10)}.json`;
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`written to ${out}`);
