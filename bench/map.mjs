// The map at a million points in Chromium, through the real app: a generated table of N rows (default
// 1,000,000) with an 8-column embedding (emb_0…, 20 Gaussian clusters), a label and a prediction is
// opened from the file input; then the Map tab until the PCA map is drawn, and 30 wheel steps (15 in,
// 15 out), one per frame, timing each frame, and the settled drawing after them; the same zoomed in
// far enough that a part of the map is drawn as points. Prints and writes bench/results/map-<date>.json.
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
/**
 * `steps` wheel steps (deltaY each) about the canvas' centre, one per frame, timing each frame; then
 * the frames for 600 ms after the last step, the slowest of which is the settled drawing (a map
 * drawn as points draws a sample while moving and every point 200 ms after it stops).
 */
const zoom = (steps) =>
  page.evaluate(async (steps) => {
    const c = document.querySelector('[data-testid=map-canvas]');
    const r = c.getBoundingClientRect();
    const frame = () => new Promise((done) => requestAnimationFrame(done));
    const frames = [];
    let last = await frame();
    for (const deltaY of steps) {
      const wheel = { deltaY, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 };
      c.dispatchEvent(new WheelEvent('wheel', { ...wheel, bubbles: true, cancelable: true }));
      const now = await frame();
      frames.push(now - last);
      last = now;
    }
    const end = last;
    let settled = 0;
    while (last - end < 600) {
      const now = await frame();
      settled = Math.max(settled, now - last);
      last = now;
    }
    return { frames, settled, drawn: c.getAttribute('data-drawn') };
  }, steps);
const stats = (frames) => {
  const sorted = [...frames].sort((a, b) => a - b);
  return {
    median: Math.round(sorted[Math.floor(sorted.length / 2)]),
    p90: Math.round(sorted[Math.floor(sorted.length * 0.9)]),
    max: Math.round(sorted.at(-1)),
  };
};
result.drawn = await page.getByTestId('map-canvas').getAttribute('data-drawn');
// The whole map: 15 steps in, 15 out.
const out = await zoom(Array.from({ length: 30 }, (_, i) => (i < 15 ? -120 : 120)));
result.zoom_frame_ms = stats(out.frames);
result.settled_frame_ms = Math.round(out.settled);
// Zoomed in until a part of the map is in view (drawn as points), 15 steps in and out there.
const closer = await zoom(Array.from({ length: 12 }, () => -400));
const near = await zoom(Array.from({ length: 30 }, (_, i) => (i < 15 ? -60 : 60)));
result.zoomed_in = {
  drawn: near.drawn,
  zoom_frame_ms: stats(near.frames),
  settled_frame_ms: Math.round(Math.max(closer.settled, near.settled)),
};
console.log(
  `${N.toLocaleString('en-US')} points: loaded ${result.loaded_ms} ms, map drawn ${result.map_drawn_ms} ms (${result.renderer}, as ${result.drawn}); zoom frames median ${result.zoom_frame_ms.median} ms, p90 ${result.zoom_frame_ms.p90} ms, max ${result.zoom_frame_ms.max} ms; settled ${result.settled_frame_ms} ms`,
);
const z = result.zoomed_in;
console.log(
  `zoomed in (drawn as ${z.drawn}): zoom frames median ${z.zoom_frame_ms.median} ms, p90 ${z.zoom_frame_ms.p90} ms, max ${z.zoom_frame_ms.max} ms; settled ${z.settled_frame_ms} ms`,
);
await browser.close();
await server.close();
mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/map-${result.date.slice(0, 10)}.json`, JSON.stringify(result, null, 2) + '\n');
