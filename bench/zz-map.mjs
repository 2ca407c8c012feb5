import { writeFileSync, existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
const N = Number(process.argv[2] ?? 1_000_000), D = 8;
const file = `bench/data/map-${N}x${D}.csv`;
if (!existsSync(file)) {
  let s = 7; const rand = () => ((s = (s * 16807) % 2147483647), s / 2147483647);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: 20 }, () => Array.from({ length: D }, () => 4 * gauss()));
  const lines = [['id', 'label', 'pred', ...Array.from({ length: D }, (_, t) => `emb_${t}`)].join(',')];
  for (let i = 0; i < N; i++) lines.push([i, `c${i % 20}`, `c${(i * 7) % 20 === 0 ? (i + 1) % 20 : i % 20}`, ...centres[i % 20].map((c) => (c + gauss()).toPrecision(5))].join(','));
  writeFileSync(file, lines.join('\n') + '\n');
}
const server = await preview({ preview: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(server.resolvedUrls.local[0]);
await page.waitForFunction(() => performance.getEntriesByName('loupe:engine-ready').length, undefined, { timeout: 60000 });
let t = Date.now();
await page.locator('[data-testid=file-input]').first().setInputFiles([file]);
await page.waitForFunction(() => performance.getEntriesByName('loupe:loaded').length, undefined, { timeout: 600000 });
console.log('loaded', Date.now() - t);
t = Date.now();
await page.locator('button.tab', { hasText: 'Map' }).click();
await page.getByTestId('map-source').waitFor({ timeout: 600000 });
console.log('map drawn', Date.now() - t, await page.getByTestId('map-canvas').getAttribute('data-renderer'), await page.getByTestId('map-source').textContent());
const box = await page.getByTestId('map-canvas').boundingBox();
await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
const frames = await page.evaluate(async () => {
  const c = document.querySelector('[data-testid=map-canvas]');
  const r = c.getBoundingClientRect();
  const out = [];
  let last = await new Promise((res) => requestAnimationFrame(res));
  for (let i = 0; i < 30; i++) {
    c.dispatchEvent(new WheelEvent('wheel', { deltaY: i < 15 ? -120 : 120, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
    const now = await new Promise((res) => requestAnimationFrame(res));
    out.push(now - last); last = now;
  }
  return out;
});
frames.sort((a, b) => a - b);
console.log('zoom frames ms: median', frames[15].toFixed(1), 'p90', frames[27].toFixed(1), 'max', frames[29].toFixed(1));
await page.screenshot({ path: '/tmp/kb/shots/map1m.png' });
await browser.close(); await server.close();
