import { createDuckDB, BROWSER_RUNTIME, DuckDBDataProtocol, VoidLogger } from 'duckdb-browser-blocking';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { parquetInWorker, parquetWriterInWorker } from './parquetInWorker';
import type { Platform } from './DataEngine';
import { wasmConnector } from './wasmConnector';

/**
 * DuckDB-wasm's blocking build, run inside the data worker, so the engine code is the same as in
 * Node; Parquet is decoded in a worker of its own, overlapping DuckDB's inserts. All assets are
 * same-origin.
 */
export async function browserPlatform(): Promise<Platform> {
  const db = await createDuckDB(
    { mvp: { mainModule: mvpWasm, mainWorker: null }, eh: { mainModule: ehWasm, mainWorker: null } },
    new VoidLogger(),
    BROWSER_RUNTIME,
  );
  await db.instantiate(() => {});
  db.open({});
  return {
    // The sandbox is a name in duckdb-wasm's in-memory file registry, not a real directory.
    connector: wasmConnector(db, '/loupe/'),
    readParquet: parquetInWorker(),
    writeParquet: parquetWriterInWorker(),
    async decodeImage(bytes) {
      const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      bitmap.close();
      return { width: canvas.width, height: canvas.height, channels: 4, data };
    },
    registerFile(name, file, onRead) {
      // DuckDB reads slices of the File through FileReaderSync (never the whole file at once);
      // watching the slices it asks for tells how far parsing has got.
      let furthest = 0;
      const handle = {
        size: file.size,
        slice(start: number, end: number) {
          if (end > furthest) onRead((furthest = Math.min(end, file.size)));
          return file.slice(start, end);
        },
      };
      db.registerFileHandle(name, handle, DuckDBDataProtocol.BROWSER_FILEREADER, true);
    },
  };
}
