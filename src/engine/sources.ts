import { Gunzip } from 'fflate';
import { LoupeError } from '../core/errors';
import type { LoadProgress } from './DataEngine';

/** Above this size a file is refused in the browser rather than crashing the tab (wasm heap ≤ 4 GB). */
export const MAX_IN_MEMORY_BYTES = 2 ** 31 - 1;

/** Above this the data a file expands to is refused (a decompression bomb, or a Parquet footer that says so). */
export const MAX_DECOMPRESSED_BYTES = 2 ** 31 - 1;
/** JSON is parsed as one text; V8 cannot hold a string much larger. */
const MAX_JSON_BYTES = 2 ** 29;

export const tooLarge = (file: string, bytes: number) =>
  new LoupeError(
    'too-large',
    `${file} expands to ${bytes > 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `more than ${(MAX_DECOMPRESSED_BYTES / 2 ** 30).toFixed(0)} GiB`} of data, more than this browser tab can hold. Split it, or open a smaller part of it.`,
    { file },
  );

/**
 * Streams a gzip file through the platform's native inflater (DecompressionStream), counting what
 * it expands to, and refuses it as soon as that passes MAX_DECOMPRESSED_BYTES, before anything is
 * parsed: a few MB can expand to many GB.
 */
export async function checkGunzippedSize(
  src: Blob | Uint8Array,
  file: string,
  checkpoint: () => Promise<void>,
): Promise<void> {
  const blob = src instanceof Uint8Array ? new Blob([src as Uint8Array<ArrayBuffer>]) : src;
  const reader = blob.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  let out = 0;
  let since = 0;
  for (;;) {
    let r: ReadableStreamReadResult<Uint8Array>;
    try {
      r = await reader.read();
    } catch (e) {
      throw new LoupeError(
        'unsupported-format',
        `${file} looks gzip-compressed but could not be decompressed: ${(e as Error).message}.`,
        { file },
      );
    }
    if (r.done) return;
    out += r.value.byteLength;
    if (out > MAX_DECOMPRESSED_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge(file, out);
    }
    if ((since += r.value.byteLength) > 64 * 2 ** 20) {
      since = 0;
      await checkpoint().catch(async (e) => {
        await reader.cancel().catch(() => {});
        throw e;
      });
    }
  }
}

/** JSON bytes as text, refused when too large to hold as one string. */
export function jsonText(bytes: Uint8Array, file: string): string {
  if (bytes.byteLength > MAX_JSON_BYTES) {
    throw new LoupeError(
      'too-large',
      `${file} holds ${(bytes.byteLength / 2 ** 20).toFixed(0)} MiB of JSON; at most ${MAX_JSON_BYTES / 2 ** 20} MiB can be read. Convert it to Parquet or CSV, which are read in slices.`,
      { file },
    );
  }
  return new TextDecoder().decode(bytes);
}

/** The decompressed start of a gzip file: as much as its first bytes hold. */
export function gunzipHead(head: Uint8Array, file: string): Uint8Array {
  // Decompress only as much as the head holds: a streaming inflater with no final flush.
  const out: Uint8Array[] = [];
  try {
    const g = new Gunzip((chunk) => out.push(chunk));
    g.push(head, false);
  } catch (e) {
    throw new LoupeError(
      'unsupported-format',
      `${file} looks gzip-compressed but could not be decompressed: ${(e as Error).message}.`,
      { file },
    );
  }
  const n = out.reduce((a, c) => a + c.length, 0);
  const all = new Uint8Array(n);
  let at = 0;
  for (const c of out) (all.set(c, at), (at += c.length));
  return all;
}

/** Downloads a URL with progress in bytes, explaining CORS when the browser may not read it. */
export async function download(
  url: string,
  name: string,
  onProgress: (p: LoadProgress) => void,
  checkpoint: () => Promise<void>,
): Promise<Uint8Array> {
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
  if (!res.ok)
    throw new LoupeError('url-failed', `${url} answered ${res.status} ${res.statusText}: nothing was loaded.`, {
      file: name,
      value: url,
    });
  const total = Number(res.headers.get('content-length')) || undefined;
  const reader = res.body!.getReader();
  const parts: Uint8Array[] = [];
  let done = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    parts.push(r.value);
    done += r.value.length;
    if (done > MAX_IN_MEMORY_BYTES)
      throw new LoupeError('too-large', `${url} is larger than 2 GiB, too large to download into the browser.`, {
        file: name,
      });
    onProgress({ phase: 'download', message: `Downloading ${name}`, done, total, unit: 'bytes' });
    await checkpoint().catch((e) => (reader.cancel(), Promise.reject(e)));
  }
  const out = new Uint8Array(done);
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}
