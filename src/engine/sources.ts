import { Gunzip } from 'fflate';
import { LoupeError } from '../core/errors';
import type { LoadProgress } from './DataEngine';

/** Above this size a file is refused in the browser rather than crashing the tab (wasm heap ≤ 4 GB). */
export const MAX_IN_MEMORY_BYTES = 2 ** 31 - 1;

/** The decompressed start of a gzip file: as much as its first bytes hold. */
export function gunzipHead(head: Uint8Array, file: string): Uint8Array {
  // Decompress only as much as the head holds: a streaming inflater with no final flush.
  const out: Uint8Array[] = [];
  try {
    const g = new Gunzip((chunk) => out.push(chunk));
    g.push(head, false);
  } catch (e) {
    throw new LoupeError('unsupported-format', `${file} looks gzip-compressed but could not be decompressed: ${(e as Error).message}.`, { file });
  }
  const n = out.reduce((a, c) => a + c.length, 0);
  const all = new Uint8Array(n);
  let at = 0;
  for (const c of out) (all.set(c, at), (at += c.length));
  return all;
}

/** Downloads a URL with progress in bytes, explaining CORS when the browser may not read it. */
export async function download(url: string, name: string, onProgress: (p: LoadProgress) => void, checkpoint: () => Promise<void>): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch {
    throw new LoupeError(
      'url-blocked',
      `The browser may not read ${url}. The server must allow it: send Access-Control-Allow-Origin (CORS) for this page's origin, and, because this page is cross-origin isolated, Cross-Origin-Resource-Policy: cross-origin too. Or download the file and open it from disk.`,
      { file: name, value: url },
    );
  }
  if (!res.ok) throw new LoupeError('url-failed', `${url} answered ${res.status} ${res.statusText}: nothing was loaded.`, { file: name, value: url });
  const total = Number(res.headers.get('content-length')) || undefined;
  const reader = res.body!.getReader();
  const parts: Uint8Array[] = [];
  let done = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    parts.push(r.value);
    done += r.value.length;
    if (done > MAX_IN_MEMORY_BYTES) throw new LoupeError('too-large', `${url} is larger than 2 GiB, too large to download into the browser.`, { file: name });
    onProgress({ phase: 'download', message: `Downloading ${name}`, done, total, unit: 'bytes' });
    await checkpoint().catch((e) => (reader.cancel(), Promise.reject(e)));
  }
  const out = new Uint8Array(done);
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}
