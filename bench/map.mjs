// The map at a million points in Chromium, through the real app: a generated table of N rows (default
// 1,000,000) with an 8-column embedding (emb_0…, 20 Gaussian clusters), a label and a prediction is
// opened from the file input; then the Map tab until the PCA map is drawn, and 30 wheel steps (15 in,
// 15 out), one per frame, timing each frame. Prints and writes bench/results/map-<date>.json.
//   npm run bench:map [-- --rows 1000000]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { preview } from 'vite';
import { chromium } from 'playwright-core';

const at = process.argv.indexOf('--rows');
const N = at > 0 ? Number(process.argv[at + 1]) : 1_000_000;
const D = 8;
if (!existsSync('dist/index.html')) throw new Error('run `npm run build` first');
mkdirSync('bench/data', { recursive: true });
const file = `bench/data/map-${N}x${D}.csv`;
if (!existsSync(file)) {
  let s = 7;
  const rand = () => ((s = (s * 16807) % 2147483647), s / 2147483647);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: 20 }, () => Array.from({ length: D }, () => 4 * gauss()));
  const lines = [['id', 'label', 'pred', ...Array.from({ length: D }, (_, t) => `emb_${t}`)].join(',')];
  for (let i = 0; i < N; i++) {
    const pred = i % 7 === 0 ? (i + 1) % 20 : i % 20;
    lines.push([i, `c${i % 20}`, `c${pred}`, ...centres[i % 20].map((c) => (c + gauss()).toPrecision(5))].join(','));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(server.resolvedUrls.local[0]);
await page.waitForFunction(() => performance.getEntriesByName('loupe:engine-ready').length, undefined, {
  timeout: 60000,
});
const result = { date: new Date().toISOString(), machine: { cores: os.cpus().length }, rows: N, dims: D };
let t = Date.now();
await page.locator('[data-testid=file-input]').setInputFiles(file);
await page.waitForFunction(() => performance.getEntriesByName('loupe:loaded').length, undefined, { timeout: 600000 });
result.loaded_ms = Date.now() - t;
t = Date.now();
await page.locator('button.tab', { hasText: 'Map' }).click();
await page.getByTestId('map-source').waitFor({ timeout: 600000 });
result.map_drawn_ms = Date.now() - t;
result.renderer = await page.getByTestId('map-canvas').getAttribute('data-renderer');
const frames = await page.evaluate(async () => {
  const c = document.querySelector('[data-testid=map-canvas]');
  const r = c.getBoundingClientRect();
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  const out = [];
  let last = await frame();
  for (let i = 0; i < 30; i++) {
    const wheel = { deltaY: i < 15 ? -120 : 120, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 };
    c.dispatchEvent(new WheelEvent('wheel', { ...wheel, bubbles: true, cancelable: true }));
    const now = await frame();
    out.push(now - last);
    last = now;
  }
  return out;
});
const sorted = [...frames].sort((a, b) => a - b);
result.zoom_frame_ms = {
  median: Math.round(sorted[Math.floor(sorted.length / 2)]),
  p90: Math.round(sorted[Math.floor(sorted.length * 0.9)]),
  max: Math.round(sorted.at(-1)),
};
console.log(
  `${N.toLocaleString('en-US')} points: loaded ${result.loaded_ms} ms, map drawn ${result.map_drawn_ms} ms (${result.renderer}); zoom frames median ${result.zoom_frame_ms.median} ms, p90 ${result.zoom_frame_ms.p90} ms, max ${result.zoom_frame_ms.max} ms`,
);
await browser.close();
await server.close();
mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/map-${result.date.slice(0, 10)}.json`, JSON.stringify(result, null, 2) + '\n');
