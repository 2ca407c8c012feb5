import { transfer, wrap, type Remote } from 'comlink';
import type { ParquetBatches } from './parquet';

interface ParquetWorker {
  open(file: Blob): Promise<number>;
  next(): Promise<Uint8Array | null>;
  close(): Promise<void>;
  write(ipc: Uint8Array): Promise<Uint8Array>;
}

let worker: Remote<ParquetWorker> | null = null;
const parquetWorker = () => (worker ??= wrap<ParquetWorker>(new Worker(new URL('../../workers/parquet.worker.ts', import.meta.url), { type: 'module', name: 'loupe-parquet' })));

/** Arrow IPC → Parquet bytes, written by the Parquet worker. */
export const parquetWriterInWorker = () => (ipc: Uint8Array) => parquetWorker().write(transfer(ipc, [ipc.buffer]));

/**
 * Parquet read by a worker of its own (workers/parquet.worker.ts). The next batch is always
 * requested before the current one is handed on, so decoding overlaps DuckDB's insert.
 */
export function parquetInWorker(): (file: Blob) => Promise<ParquetBatches> {
  return async (file) => {
    const w = parquetWorker();
    const rows = await w.open(file);
    async function* batches() {
      let pending = w.next();
      try {
        for (;;) {
          const batch = await pending;
          if (!batch) return;
          pending = w.next();
          yield batch;
        }
      } finally {
        await pending.catch(() => null);
        await w.close();
      }
    }
    return { rows, batches: batches() };
  };
}
