import type * as ParquetWasm from 'parquet-wasm';
import { messageOf } from '../core/errors';

/** What Loupe uses of parquet-wasm; its Node and browser builds share this shape. */
type ParquetModule = Pick<typeof ParquetWasm, 'ParquetFile' | 'readParquet'>;

/** Rows per record batch handed to DuckDB: bounded memory, and a chance to cancel between batches. */
const PARQUET_BATCH_ROWS = 262144;

/** One record batch as an Arrow IPC stream, and its rows. */
export interface ParquetBatch {
  ipc: Uint8Array;
  rows: number;
}

export interface ParquetBatches {
  rows: number;
  /** Bytes the row groups take uncompressed, as the footer says (bounded before any page is decoded). */
  uncompressed: number;
  /** Leaf columns, as the footer says. */
  columns: number;
  /** The record batches, in file order. */
  batches: AsyncIterable<ParquetBatch>;
}

/**
 * Reads Parquet from a Blob in record batches: parquet-wasm fetches only the byte ranges it needs,
 * so the file is never copied whole into memory and has no 2 GiB limit.
 */
export function parquetReader(pw: ParquetModule): (file: Blob) => Promise<ParquetBatches> {
  return async (file) => {
    const pf = await pw.ParquetFile.fromFile(file);
    const meta = pf.metadata();
    const rows = meta.fileMetadata().numRows();
    const uncompressed = meta.rowGroups().reduce((n, g) => n + Number(g.totalByteSize()), 0);
    const columns = meta.rowGroups()[0]?.numColumns() ?? 0;
    const stream = await pf.stream({ batchSize: PARQUET_BATCH_ROWS });
    async function* batches() {
      const reader = stream.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          const batch = value as ParquetWasm.RecordBatch;
          const rows = batch.numRows; // read first: intoIPCStream consumes the batch
          yield { ipc: batch.intoIPCStream(), rows };
        }
      } finally {
        reader.releaseLock();
      }
    }
    return { rows, uncompressed, columns, batches: batches() };
  };
}

/**
 * The same in Node, from bytes in memory, one row group at a time with parquet-wasm's synchronous
 * reader: a corrupt page makes its wasm abort, which only a synchronous call surfaces as an error
 * that can be caught (in the streaming reader it is an uncaught exception that ends the process).
 */
export function parquetReaderSync(pw: ParquetModule): (file: Blob) => Promise<ParquetBatches> {
  return async (file) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const meta = (await pw.ParquetFile.fromFile(file)).metadata();
    const groups = meta.rowGroups();
    const uncompressed = groups.reduce((n, g) => n + Number(g.totalByteSize()), 0);
    async function* batches() {
      for (let i = 0; i < groups.length; i++) {
        let ipc: Uint8Array;
        try {
          ipc = pw.readParquet(bytes, { rowGroups: [i], batchSize: PARQUET_BATCH_ROWS }).intoIPCStream();
        } catch (e) {
          throw new Error(`row group ${i + 1} could not be decoded (${messageOf(e)}); the file is likely damaged`);
        }
        yield { ipc, rows: groups[i].numRows() };
      }
    }
    return {
      rows: meta.fileMetadata().numRows(),
      uncompressed,
      columns: groups[0]?.numColumns() ?? 0,
      batches: batches(),
    };
  };
}
