import { transfer, wrap, type Remote } from 'comlink';
import { LoupeError } from '../core/errors';
import type { ParquetBatches } from './parquet';

interface ParquetWorker {
  open(file: Blob): Promise<{ rows: number; uncompressed: number }>;
  next(): Promise<Uint8Array | null>;
  close(): Promise<void>;
  write(ipc: Uint8Array): Promise<Uint8Array>;
}

let raw: Worker | null = null;
let worker: Remote<ParquetWorker> | null = null;
const parquetWorker = () => {
  if (!worker) {
    raw = new Worker(new URL('../../workers/parquet.worker.ts', import.meta.url), { type: 'module', name: 'loupe-parquet' });
    worker = wrap<ParquetWorker>(raw);
  }
  return worker;
};

/** A decoder that has not answered for this long is taken to be stuck on a corrupt page. */
const STALL_MS = 20_000;

/**
 * The worker's answer, or an error when it does not come: parquet-wasm can stop without a word on
 * a corrupt page (a panic in its wasm), so the worker is replaced and the file reported corrupt.
 */
function answer<T>(p: Promise<T>, file: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const stall = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      raw?.terminate();
      raw = null;
      worker = null;
      reject(new LoupeError('corrupt-parquet', `${file}: decoding stopped responding for ${STALL_MS / 1000} s; the file is likely corrupt (a damaged page).`, { file }));
    }, STALL_MS);
  });
  return Promise.race([p, stall]).finally(() => clearTimeout(timer));
}

/** Arrow IPC → Parquet bytes, written by the Parquet worker. */
export const parquetWriterInWorker = () => (ipc: Uint8Array) => parquetWorker().write(transfer(ipc, [ipc.buffer]));

/**
 * Parquet read by a worker of its own (workers/parquet.worker.ts). The next batch is always
 * requested before the current one is handed on, so decoding overlaps DuckDB's insert.
 */
export function parquetInWorker(): (file: Blob) => Promise<ParquetBatches> {
  return async (file) => {
    const w = parquetWorker();
    const name = file instanceof File ? file.name : 'The Parquet file';
    const { rows, uncompressed } = await answer(w.open(file), name);
    async function* batches() {
      let pending = answer(w.next(), name);
      try {
        for (;;) {
          const batch = await pending;
          if (!batch) return;
          pending = answer(w.next(), name);
          yield batch;
        }
      } finally {
        await pending.catch(() => null);
        if (worker === w) await w.close();
      }
    }
    return { rows, uncompressed, batches: batches() };
  };
}
