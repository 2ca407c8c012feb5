// Scale benchmark (issue 14's targets): the 3M-row binary dataset (bench/generateBinary.mjs) as
// Parquet, picked from the file input of the real app in Chromium, then Evaluate, a threshold step,
// Find slices (defaults) and Review's first item, each timed from the click; the peak memory (PSS, and
// summed RSS) of all the browser's processes meanwhile; native DuckDB loading the same file in the same
// run as the reference. Then 10M rows × 10 columns: opened and evaluated without the tab crashing.
// Prints the figures and writes bench/results/scale-<date>.json.
//   npm run bench:scale [-- --rows 3000000] [-- --skip-10m]
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { preview } from 'vite';
import { chromium } from 'playwright-core';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateBinary } from './generateBinary.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : null;
};
const ROWS = Number(arg('--rows') ?? 3_000_000);
const BIG = 10_000_000;
if (!existsSync('dist/index.html')) throw new Error('run `npm run build` first');

console.log(`generating ${ROWS.toLocaleString()} rows…`);
const { parquet } = await generateBinary(ROWS);

/** 10M rows × 10 columns (id, 5 numbers, a group, label, prediction, one probability) as Parquet. */
async function generateWide() {
  const file = new URL(`./data/ten-${BIG}.parquet`, import.meta.url).pathname;
  if (existsSync(file)) return file;
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const u = (k) => `((hash(i, ${k}) % 1000003) / 1000003.0)`;
  await db.run(`COPY (
    WITH x AS (SELECT i, ${u(1)} AS a, ${u(2)} AS b, ${u(3)} AS c, ${u(4)} AS d, ${u(5)} AS e, ${u(6)} AS draw FROM range(${BIG}) r(i))
    SELECT i AS id, round(a, 4) AS x0, round(b, 4) AS x1, round(c, 4) AS x2, round(d, 4) AS x3, round(e, 4) AS x4,
      'g' || CAST(hash(i, 7) % 8 AS VARCHAR) AS grp,
      CASE WHEN draw < a THEN 1 ELSE 0 END AS label, CASE WHEN a >= 0.5 THEN 1 ELSE 0 END AS pred,
      round(a, 6) AS prob_1
    FROM x) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
  return file;
}

async function nativeLoad(path) {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const t0 = performance.now();
  await c.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${path.replaceAll("'", "''")}')`);
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  await c.run(`SELECT label, pred, count(*) FROM t GROUP BY ALL`);
  return { loadMs, confusionMs: performance.now() - t1 };
}

/**
 * Memory of a process's descendants (Linux /proc), in bytes: resident (RSS, which counts pages the
 * processes share once per process) and proportional (PSS: each shared page divided among its
 * sharers, so the sum is the memory the processes really hold).
 */
function treeMemory(root) {
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      (children.get(ppid) ?? children.set(ppid, []).get(ppid)).push(Number(d));
    } catch {
      /* gone */
    }
  }
  let rss = 0;
  let pss = 0;
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop();
    try {
      const m = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/Rss:\s+(\d+) kB/.exec(m)?.[1] ?? 0) * 1024;
      pss += Number(/Pss:\s+(\d+) kB/.exec(m)?.[1] ?? 0) * 1024;
    } catch {
      /* gone */
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return { rss, pss };
}

const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
const base = server.resolvedUrls.local[0];

/** One fresh browser per file, so that its memory is the file's alone; `pauseMs` on the Data tab before the steps (a user reading it). */
async function session(path, steps, pauseMs = 0) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking'],
  });
  // The browser's processes are this process's descendants.
  let peak = 0;
  let peakRss = 0;
  const timer = setInterval(() => {
    const m = treeMemory(process.pid);
    peak = Math.max(peak, m.pss);
    peakRss = Math.max(peakRss, m.rss);
  }, 100);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let crashed = false;
  page.on('crash', () => (crashed = true));
  const out = {};
  try {
    await page.goto(base);
    await page.waitForFunction(() => performance.getEntriesByName('loupe:engine-ready').length, undefined, {
      timeout: 60000,
    });
    const t0 = Date.now();
    await page.locator('[data-testid=file-input]').setInputFiles(path);
    // The table on screen (a large one is shown while its columns are profiled), then profiled.
    await page
      .locator('[aria-label=Rows] [role=row][aria-rowindex="2"] [role=cell]')
      .nth(1)
      .waitFor({ timeout: 600000 });
    out.shownMs = Date.now() - t0;
    await page.waitForFunction(() => performance.getEntriesByName('loupe:loaded').length, undefined, {
      timeout: 600000,
    });
    out.profiledMs = Date.now() - t0;
    const t = page.locator('[data-testid=timings]');
    out.readyMs = Number(await t.getAttribute('data-load-ms'));
    out.profileMs = Number(await t.getAttribute('data-profile-ms'));
    // Roles are detected next: the views that need them wait for them as a user would.
    await page.waitForTimeout(pauseMs);
    for (const [name, step] of steps) {
      out[name] = await step(page);
      console.log(`  ${name}: ${Math.round(out[name])} ms`);
    }
  } catch (e) {
    out.error = crashed ? 'the tab crashed' : String(e.message ?? e).split('\n')[0];
  } finally {
    clearInterval(timer);
    out.peakBrowserMB = peak / 2 ** 20;
    out.peakBrowserRssMB = peakRss / 2 ** 20;
    out.crashed = crashed;
    await browser.close();
  }
  return out;
}

const untilFrame = (page, test) =>
  page.evaluate(
    (src) =>
      new Promise((done) => {
        const t0 = performance.now();
        const check = new Function(`return (${src})()`);
        const loop = () => (check() ? done(performance.now() - t0) : requestAnimationFrame(loop));
        requestAnimationFrame(loop);
      }),
    test,
  );

async function clickAndWait(page, click, test) {
  const waiting = untilFrame(page, test);
  await click();
  return waiting;
}

const tab = (label) => (page) => page.locator('nav[aria-label=Views] button', { hasText: label }).click();

const evaluate = async (page) => {
  const before = await page.evaluate(() => performance.getEntriesByName('loupe:metrics-drawn').at(-1)?.startTime ?? 0);
  return clickAndWait(
    page,
    () => tab('Evaluate')(page),
    `() => (performance.getEntriesByName('loupe:metrics-drawn').at(-1)?.startTime ?? 0) !== ${before} && document.querySelector('[data-testid=metrics]')`,
  );
};
const thresholdStep = async (page, value = '0.6') => {
  const before = await page.evaluate(() => performance.getEntriesByName('loupe:metrics-drawn').at(-1)?.startTime ?? 0);
  return page.evaluate(
    ([before, value]) =>
      new Promise((done) => {
        const input = document.querySelector('[data-testid=threshold]');
        const t0 = performance.now();
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const loop = () =>
          (performance.getEntriesByName('loupe:metrics-drawn').at(-1)?.startTime ?? 0) !== before
            ? done(performance.now() - t0)
            : requestAnimationFrame(loop);
        requestAnimationFrame(loop);
      }),
    [before, value],
  );
};
// Four more steps, each 1.5 s after the last: the intervals of the last threshold are being computed
// when the next step comes (the slowest step is reported).
// Every step's time is kept too (`laterThresholdStepsMs`, one list per session).
const laterStepsMs = [];
const laterSteps = async (page) => {
  const times = [];
  for (const value of ['0.55', '0.5', '0.45', '0.65']) {
    await page.waitForTimeout(1500);
    times.push(Math.round(await thresholdStep(page, value)));
  }
  laterStepsMs.push(times);
  return Math.max(...times);
};
const findSlices = async (page) => {
  await tab('Slices')(page);
  await page.getByTestId('find-slices').waitFor();
  return clickAndWait(
    page,
    () => page.getByTestId('find-slices').click(),
    `() => document.querySelector('[data-testid=find-summary]')`,
  );
};
const firstReview = async (page) => {
  await tab('Review')(page);
  await page.getByLabel('Reviewer name').fill('bench');
  return clickAndWait(
    page,
    () => page.getByRole('button', { name: 'Start reviewing' }).click(),
    `() => document.querySelector('[data-testid=review-item]')`,
  );
};

const result = {
  date: new Date().toISOString(),
  machine: { cores: os.cpus().length, memoryGB: os.totalmem() / 2 ** 30 },
  rows: ROWS,
  parquetMB: statSync(parquet).size / 2 ** 20,
};
console.log(`${ROWS.toLocaleString()} rows, Parquet ${result.parquetMB.toFixed(0)} MB, in Chromium…`);
result.browser = await session(parquet, [
  ['evaluateMs', evaluate],
  ['thresholdStepMs', thresholdStep],
  ['laterThresholdStepsMaxMs', laterSteps],
  ['findSlicesMs', findSlices],
  ['firstReviewMs', firstReview],
]);
// The same after 10 s on the Data tab, as a user reading it: the work the app starts in the background is done.
const PAUSE_MS = 10_000;
console.log(`again, after ${PAUSE_MS / 1000} s on the Data tab…`);
result.paused = await session(
  parquet,
  [
    ['evaluateMs', evaluate],
    ['thresholdStepMs', thresholdStep],
    ['laterThresholdStepsMaxMs', laterSteps],
    ['findSlicesMs', findSlices],
    ['firstReviewMs', firstReview],
  ],
  PAUSE_MS,
);
result.laterThresholdStepsMs = laterStepsMs;
result.native = await nativeLoad(parquet);

if (!process.argv.includes('--skip-10m')) {
  console.log(`generating ${BIG.toLocaleString()} rows × 10 columns…`);
  const wide = await generateWide();
  result.ten = { rows: BIG, parquetMB: statSync(wide).size / 2 ** 20 };
  result.ten.browser = await session(wide, [['evaluateMs', evaluate]]);
  result.ten.native = await nativeLoad(wide);
}
await server.close();

const s = (ms) => (ms == null ? '–' : `${(ms / 1000).toFixed(2)} s`);
const goal = (v, max) => (v == null ? '(failed)' : v <= max ? '(met)' : '(NOT met)');
const b = result.browser;
console.log(`\n${ROWS.toLocaleString()} rows, ${result.machine.cores} cores, Chromium headless`);
if (b.error) console.log(`error: ${b.error}`);
console.log(
  `Parquet picked → queryable ${s(b.readyMs)} (native DuckDB ${s(result.native.loadMs)}, ×${(b.readyMs / result.native.loadMs).toFixed(1)}) ${goal(b.readyMs, 3 * result.native.loadMs)}`,
);
console.log(`picked → table shown ${s(b.shownMs)}, profiled ${s(b.profiledMs)} (profiling ${s(b.profileMs)})`);
console.log(`Evaluate drawn ${s(b.evaluateMs)} ${goal(b.evaluateMs, 1000)}`);
console.log(`threshold step ${s(b.thresholdStepMs)} ${goal(b.thresholdStepMs, 100)}`);
console.log(
  `four more steps, 1.5 s apart (intervals computing): slowest ${s(b.laterThresholdStepsMaxMs)} ${goal(b.laterThresholdStepsMaxMs, 100)}`,
);
console.log(`Find slices ${s(b.findSlicesMs)} ${goal(b.findSlicesMs, 3000)}`);
console.log(`Review: first item ${s(b.firstReviewMs)} ${goal(b.firstReviewMs, 3000)}`);
console.log(
  `peak browser memory ${(b.peakBrowserMB / 1024).toFixed(2)} GB (PSS; summed RSS ${(b.peakBrowserRssMB / 1024).toFixed(2)} GB) ${goal(b.peakBrowserMB, 2048)}`,
);
const p = result.paused;
console.log(
  `after ${PAUSE_MS / 1000} s on the Data tab: Evaluate ${s(p.evaluateMs)} ${goal(p.evaluateMs, 1000)}, threshold step ${s(p.thresholdStepMs)} (four more: slowest ${s(p.laterThresholdStepsMaxMs)}), Find slices ${s(p.findSlicesMs)} ${goal(p.findSlicesMs, 3000)}, Review ${s(p.firstReviewMs)} ${goal(p.firstReviewMs, 3000)}, peak ${(p.peakBrowserMB / 1024).toFixed(2)} GB${p.error ? `; error: ${p.error}` : ''}`,
);
if (result.ten) {
  const t = result.ten.browser;
  console.log(
    `10M × 10: ${t.error ? `failed: ${t.error}` : `queryable ${s(t.readyMs)} (native ${s(result.ten.native.loadMs)}), shown ${s(t.shownMs)}, Evaluate ${s(t.evaluateMs)}`}, peak ${(t.peakBrowserMB / 1024).toFixed(2)} GB`,
  );
}
mkdirSync('bench/results', { recursive: true });
const out = `bench/results/scale-${result.date.slice(0, 10)}.json`;
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`written to ${out}`);
process.exit(0);
