import { transfer, wrap, type Remote } from 'comlink';
import type { ParquetBatch, ParquetBatches } from './parquet';
import { messageOf } from '../core/errors';

interface ParquetWorker {
  open(file: Blob): Promise<Omit<ParquetBatches, 'batches'>>;
  next(): Promise<ParquetBatch | null>;
  close(): Promise<void>;
  write(ipc: Uint8Array): Promise<Uint8Array>;
}

let raw: Worker | null = null;
let worker: Remote<ParquetWorker> | null = null;
/** Fails every pending answer when the worker dies (a panic in parquet-wasm's wasm on a corrupt page). */
let crashed: Promise<never> = new Promise(() => {});
const parquetWorker = () => {
  if (!worker) {
    const w = new Worker(new URL('../../workers/parquet.worker.ts', import.meta.url), {
      type: 'module',
      name: 'loupe-parquet',
    });
    crashed = new Promise<never>((_, reject) =>
      w.addEventListener('error', (e) => (e.preventDefault(), reject(new Error(e.message || 'the decoder stopped')))),
    );
    crashed.catch(() => {});
    raw = w;
    worker = wrap<ParquetWorker>(w);
  }
  return worker;
};

const replace = () => {
  raw?.terminate();
  raw = null;
  worker = null;
};

/** A decoder that has not answered for this long is taken to be stuck. */
const STALL_MS = 20_000;

/**
 * The worker's answer, or an error when it does not come: on a corrupt page parquet-wasm's wasm
 * aborts (the worker reports an error at once) or hangs (caught by the stall timer); either way the
 * worker is replaced and the file reported corrupt, and the open datasets are untouched.
 */
function answer<T>(p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const stall = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`decoding stopped responding for ${STALL_MS / 1000} s`)), STALL_MS);
  });
  return Promise.race([p, stall, crashed])
    .catch((e) => {
      replace();
      throw new Error(`${messageOf(e)}; the file is likely damaged`);
    })
    .finally(() => clearTimeout(timer));
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
    const head = await answer(w.open(file));
    async function* batches() {
      let pending = answer(w.next());
      try {
        for (;;) {
          const batch = await pending;
          if (!batch) return;
          pending = answer(w.next());
          yield batch;
        }
      } finally {
        await pending.catch(() => null);
        if (worker === w) await w.close();
      }
    }
    return { ...head, batches: batches() };
  };
}
