// Benchmark of the `loupe` command as a user runs it (node bin/loupe.mjs, compiled dist-cli, native
// DuckDB): start-up (`loupe --help`, `loupe eval` on the 1,461-row demo CSV, median of 5 runs), then
// at scale on a generated binary dataset (3M rows unless --rows N; --rows 0 skips it): `loupe eval`
// and `loupe issues` on its CSV and Parquet, wall time and peak memory, beside native DuckDB's own
// scan of the same files and pandas' read_csv (a lower bound for pandas + cleanlab; cleanlab is not
// installable here). Then bounded memory: `loupe eval` on a generated 100M-row Parquet file (--big N;
// 0 skips) and on a tenth of it, with native DuckDB limited to 2 GB (LOUPE_MEMORY_LIMIT), and at the
// tenth the largest difference between the streamed report and the in-memory one; the same for
// `loupe check` with four gates.
// Prints the figures and writes bench/results/cli-<date>.json.
//   npm run bench:cli [-- --rows 3000000] [-- --big 100000000]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateBinary } from './generateBinary.mjs';

const RUNS = 5;
const argRows = process.argv.indexOf('--rows');
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 3_000_000;
const argBig = process.argv.indexOf('--big');
const BIG = argBig > 0 ? Number(process.argv[argBig + 1]) : 100_000_000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x);

/** Wall time (ms) and peak resident memory (MB, from GNU time) of `loupe …`. */
function run(args, env = process.env) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'bin/loupe.mjs', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`loupe ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  return { ms, peakMB: Number(r.stderr.trim().split('\n').pop()) / 1024 };
}
function time(args, runs = RUNS, env = process.env) {
  const all = Array.from({ length: runs }, () => run(args, env));
  return {
    median_ms: round(median(all.map((x) => x.ms))),
    runs_ms: all.map((x) => round(x.ms)),
    peak_mb: round(Math.max(...all.map((x) => x.peakMB))),
  };
}

execFileSync('npm', ['run', 'build:cli'], { stdio: 'ignore' });
const results = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, memoryGB: round(os.totalmem() / 2 ** 30), node: process.version },
  engine: 'native DuckDB (@duckdb/node-api)',
  help: { ...time(['--help']), goal_ms: 300 },
  eval_demo_1461_rows: { ...time(['eval', 'public/demo/seattle-weather.csv', '--bootstrap', '0']), goal_ms: 1000 },
  eval_demo_with_intervals: time(['eval', 'public/demo/seattle-weather.csv']),
};
const line = (k, v) =>
  console.log(
    `${k.padEnd(34)} ${String(v.median_ms).padStart(7)} ms  ${String(v.peak_mb ?? '').padStart(5)} MB${v.goal ? `  (${v.goal})` : v.goal_ms ? `  (goal ≤ ${v.goal_ms} ms: ${v.median_ms <= v.goal_ms ? 'met' : 'not met'})` : ''}`,
  );
for (const [k, v] of Object.entries(results)) if (v.median_ms !== undefined) line(k, v);

if (ROWS > 0) {
  console.log(`\n${ROWS.toLocaleString('en-US')} rows (generating if needed)…`);
  const { csv, parquet } = await generateBinary(ROWS);
  const scale = {
    rows: ROWS,
    csv_mb: round(statSync(csv).size / 2 ** 20),
    parquet_mb: round(statSync(parquet).size / 2 ** 20),
  };
  // The reference: native DuckDB alone reading each file into a table (best of 3, fresh database each time).
  const scan = async (from) => {
    const ms = [];
    for (let i = 0; i < 3; i++) {
      const db = await (await DuckDBInstance.create(':memory:')).connect();
      const t0 = performance.now();
      await db.run(`CREATE TABLE t AS SELECT * FROM ${from}`);
      ms.push(performance.now() - t0);
    }
    return round(Math.min(...ms));
  };
  scale.native_scan_csv_ms = await scan(`read_csv('${csv}')`);
  scale.native_scan_parquet_ms = await scan(`read_parquet('${parquet}')`);
  const py = spawnSync(
    '/usr/bin/python3',
    [
      '-c',
      `import time, pandas as pd\nt = time.perf_counter(); pd.read_csv(${JSON.stringify(csv)}); print((time.perf_counter() - t) * 1000)`,
    ],
    { encoding: 'utf8' },
  );
  scale.pandas_read_csv_ms = py.status === 0 ? round(Number(py.stdout.trim())) : null;
  const N = 3;
  scale.eval_csv = time(['eval', csv, '--bootstrap', '0'], N);
  scale.eval_csv.goal = `≤ 1.5 × native scan = ${round(1.5 * scale.native_scan_csv_ms)} ms: ${scale.eval_csv.median_ms <= 1.5 * scale.native_scan_csv_ms ? 'met' : 'not met'}`;
  scale.eval_parquet = time(['eval', parquet, '--bootstrap', '0'], N);
  scale.issues_csv = time(['issues', csv, '--json'], N);
  scale.issues_csv.goal = scale.pandas_read_csv_ms
    ? `faster than pandas read_csv alone (${scale.pandas_read_csv_ms} ms): ${scale.issues_csv.median_ms < scale.pandas_read_csv_ms ? 'yes' : 'no'}`
    : 'pandas not available';
  console.log(
    `native DuckDB scan: CSV ${scale.native_scan_csv_ms} ms, Parquet ${scale.native_scan_parquet_ms} ms; pandas read_csv ${scale.pandas_read_csv_ms} ms`,
  );
  for (const k of ['eval_csv', 'eval_parquet', 'issues_csv']) line(k, scale[k]);
  results.scale = scale;
}
if (BIG > 0) {
  const LIMIT = '2GB';
  const env = { ...process.env, LOUPE_MEMORY_LIMIT: LIMIT };
  console.log(
    `\n${BIG.toLocaleString('en-US')} and ${(BIG / 10).toLocaleString('en-US')} rows as Parquet (generating if needed), DuckDB limited to ${LIMIT}…`,
  );
  const big = { rows: BIG, memory_limit: LIMIT };
  const { parquet: tenth } = await generateBinary(BIG / 10, { csv: false });
  big.eval_tenth_streamed = time(['eval', tenth, '--bootstrap', '0', '--stream'], 1, env);
  big.eval_tenth_in_memory = time(['eval', tenth, '--bootstrap', '0'], 1, env);
  // The streamed report against the in-memory one at a tenth: the largest difference of any number.
  const json = (...more) =>
    JSON.parse(
      execFileSync(process.execPath, ['bin/loupe.mjs', 'eval', tenth, '--bootstrap', '0', '--json', ...more], {
        env,
        maxBuffer: 1 << 26,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).toString(),
    );
  const numbers = (x) =>
    typeof x === 'number' ? [x] : x && typeof x === 'object' ? Object.values(x).flatMap(numbers) : [];
  const [a, b] = [numbers(json('--stream')), numbers(json())];
  big.tenth_largest_difference = a.length === b.length ? Math.max(...a.map((x, i) => Math.abs(x - b[i]))) : null;
  // `loupe check` with four gates (all rows, a `where`, a class, fairness over a 20-value column):
  // streamed and in memory at a tenth (the gates' largest difference), streamed at BIG.
  const gates = path.join(mkdtempSync(path.join(os.tmpdir(), 'loupe-bench-')), 'gates.json');
  writeFileSync(
    gates,
    JSON.stringify([
      { metric: 'accuracy', min: 0.5 },
      { metric: 'roc_auc', where: "g0 = 'north'", min: 0.5 },
      { metric: 'recall', class: '1', min: 0.1 },
      { metric: 'demographic_parity_difference', by: 'g1', max: 0.5 },
    ]),
  );
  const check = (file, ...more) => ['check', file, '--gates', gates, '--json', ...more];
  big.check_tenth_streamed = time(check(tenth, '--stream'), 1, env);
  big.check_tenth_in_memory = time(check(tenth), 1, env);
  const values = (...more) =>
    JSON.parse(
      execFileSync(process.execPath, ['bin/loupe.mjs', ...check(tenth, ...more)], { env }).toString(),
    ).gates.map((g) => g.value);
  const [c, d] = [values('--stream'), values()];
  big.check_tenth_largest_difference = Math.max(...c.map((x, i) => Math.abs(x - d[i])));
  const { parquet } = await generateBinary(BIG, { csv: false });
  big.parquet_mb = round(statSync(parquet).size / 2 ** 20);
  big.eval = time(['eval', parquet, '--bootstrap', '0'], 1, env);
  big.check = time(check(parquet), 1, env);
  line(`eval ${BIG / 1e6}M rows (streamed)`, big.eval);
  line(`eval ${BIG / 1e7}M rows (streamed)`, big.eval_tenth_streamed);
  line(`eval ${BIG / 1e7}M rows (in memory)`, big.eval_tenth_in_memory);
  console.log(`streamed vs in memory at ${BIG / 1e7}M rows: largest difference ${big.tenth_largest_difference}`);
  line(`check ${BIG / 1e6}M rows (streamed)`, big.check);
  line(`check ${BIG / 1e7}M rows (streamed)`, big.check_tenth_streamed);
  line(`check ${BIG / 1e7}M rows (in memory)`, big.check_tenth_in_memory);
  console.log(`check, streamed vs in memory: largest difference ${big.check_tenth_largest_difference}`);
  results.big = big;
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/cli-${results.date.slice(0, 10)}.json`, JSON.stringify(results, null, 2) + '\n');
