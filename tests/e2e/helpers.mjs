import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const BASE = process.env.LOUPE_URL ?? 'http://127.0.0.1:4173/';
export const fixture = (p) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/**
 * A fresh page that records every request it makes and every uncaught error, so each journey can
 * assert that nothing left the page's origin and nothing crashed.
 */
export async function openPage(browser, path = '') {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(BASE + path);
  return {
    page,
    context,
    requests,
    errors,
    /** Every request went to the page's own origin (or was a data:/blob: URL). */
    assertSameOrigin() {
      const origin = new URL(BASE).origin;
      const foreign = requests.filter((u) => !u.startsWith(origin) && !/^(data|blob):/.test(u));
      assert.deepEqual(foreign, [], `requests left the origin: ${foreign.join(', ')}`);
    },
    assertNoErrors() {
      assert.deepEqual(errors, [], `uncaught errors: ${errors.join('; ')}`);
    },
  };
}

/** Opens files through the file input, as a user picking them would. */
export async function openFiles(page, ...paths) {
  await page.locator('[data-testid=file-input]').first().setInputFiles(paths.map(fixture));
}

export async function shownRowCount(page, name) {
  const item = page.locator('.datasets li', { hasText: name });
  await item.waitFor({ timeout: 30000 });
  return Number((await item.locator('[data-testid=row-count]').textContent()).replaceAll(',', ''));
}

/** Puts a file made in the page (e.g. too large to keep as a fixture) into the file input. */
export async function pickGeneratedFile(page, name, makeParts, arg) {
  await page.evaluate(
    ([name, body, arg]) => {
      const parts = new Function('arg', body)(arg);
      const dt = new DataTransfer();
      dt.items.add(new File(parts, name));
      const input = document.querySelector('[data-testid=file-input]');
      input.files = dt.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    [name, `return (${makeParts.toString()})(arg);`, arg],
  );
}
