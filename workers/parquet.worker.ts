// Decodes Parquet next to the data worker, so decoding batch i+1 overlaps DuckDB inserting batch i.
import { expose, transfer } from 'comlink';
import initParquet, * as parquetWasm from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { parquetReader, type ParquetBatch, type ParquetBatches } from '../src/engine/parquet';

const ready = initParquet({ module_or_path: parquetWasmUrl });
let current: AsyncIterator<ParquetBatch> | null = null;

expose({
  async open(file: Blob): Promise<Omit<ParquetBatches, 'batches'>> {
    await ready;
    const p: ParquetBatches = await parquetReader(parquetWasm)(file);
    current = p.batches[Symbol.asyncIterator]();
    return { rows: p.rows, uncompressed: p.uncompressed, columns: p.columns };
  },
  async next(): Promise<ParquetBatch | null> {
    const r = await current!.next();
    if (r.done) return (current = null);
    return transfer(r.value, [r.value.ipc.buffer]);
  },
  async write(ipc: Uint8Array): Promise<Uint8Array> {
    await ready;
    const bytes = parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(ipc));
    return transfer(bytes, [bytes.buffer]);
  },
  async close(): Promise<void> {
    await current?.return?.();
    current = null;
  },
});
