// Start-up benchmark of the `loupe` command as a user runs it (node bin/loupe.mjs, compiled
// dist-cli): `loupe --help` and `loupe eval` on the 1,461-row demo CSV, median of 5 runs each.
// Prints the figures and writes bench/results/cli-<date>.json.   npm run bench:cli
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const RUNS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(args) {
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, ['bin/loupe.mjs', ...args], { stdio: 'ignore' });
    ms.push(performance.now() - t0);
  }
  return { median_ms: Math.round(median(ms)), runs_ms: ms.map(Math.round) };
}

execFileSync('npm', ['run', 'build:cli'], { stdio: 'ignore' });
const results = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, node: process.version },
  help: { ...time(['--help']), goal_ms: 300 },
  eval_demo_1461_rows: { ...time(['eval', 'public/demo/seattle-weather.csv', '--bootstrap', '0']), goal_ms: 1000 },
  eval_demo_with_intervals: time(['eval', 'public/demo/seattle-weather.csv']),
};
for (const [k, v] of Object.entries(results)) if (v.median_ms !== undefined) console.log(`${k.padEnd(28)} ${String(v.median_ms).padStart(6)} ms${v.goal_ms ? `  (goal ≤ ${v.goal_ms} ms: ${v.median_ms <= v.goal_ms ? 'met' : 'not met'})` : ''}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/cli-${results.date.slice(0, 10)}.json`, JSON.stringify(results, null, 2) + '\n');
